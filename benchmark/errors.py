"""The one error type for bad user input: the CLI prints its message and exits with code 2."""

import re


class InputError(Exception):
    """Bad input (a file, a line, a value): the message says where, what is wrong and what to do."""

    def __init__(self, message: str, *, path: object = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


#: Characters that change how text around them is displayed: bidirectional embeddings, overrides and isolates,
#: and the direction marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_character(text: str, multiline: bool = False) -> str | None:
    """The first control character (C0, DEL, C1; newline and tab allowed when ``multiline``) or bidirectional
    control in ``text``, written as ``U+XXXX``, or None."""
    for char in text:
        code = ord(char)
        if (code < 32 or 127 <= code < 160) and not (multiline and char in "\n\t") or char in BIDI_CONTROLS:
            return f"U+{code:04X}"
    return None


def shorten(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters: messages quote what they refuse, never megabytes of it."""
    text = repr(value[:limit + 1] if isinstance(value, str) else value)
    if len(text) <= limit and not (isinstance(value, str) and len(value) > limit):
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return f"{text[:limit]}...{size}"


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def control_character(text: str) -> str | None:
    """The first C0 control character other than the whitespace ones (tab, newline, vertical tab, form feed,
    carriage return), such as NUL or ESC, or DEL in ``text``, as ``U+XXXX``, or None: what no statement or
    document text may hold."""
    match = _CONTROL.search(text)
    return f"U+{ord(match.group()):04X}" if match else None
