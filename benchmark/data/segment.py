"""Sentence segmentation for English, French and Russian news and debate text.

A rule-based splitter: a sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets)
followed by whitespace and an opening quote, a capital or a digit; a line break always ends a sentence.
A full stop does not end a sentence after an abbreviation of the language (``Dr.``, ``M.``, ``т.е.``,
``г.``), after a single-letter initial (``J. Smith``, ``В. Путин``) or inside a dotted acronym (``U.S.``).
Written here rather than taken from a library: it serves English, French and Russian offline with one rule
set whose abbreviations live in the lexicons, and segments every corpus inside the build's time budget
(``scripts/bench_build.py``). Against pysbd, a library with rules for all three languages, it found about the
same number of sentences about 50x faster on English and about 2,000x faster on Russian (``scripts/bench_segment.py``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

_BOUNDARY = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s+[\"'«“‘(\[—–-]?\s*[A-ZÀ-ÖØ-ÞА-ЯЁ0-9])")
_ACRONYM = re.compile(r"^(?:[A-Za-zА-Яа-яЁё]\.)+[A-Za-zА-Яа-яЁё]?$")


def _token_before(text: str, end: int) -> str:
    words = text[max(0, end - 40) : end].split()
    return words[-1].lstrip("\"'«“‘([") if words else ""


def is_abbreviation(token: str, abbreviations: frozenset[str]) -> bool:
    """True when ``token`` (the word before a full stop, without the stop) is an abbreviation or initial."""
    if not token:
        return False
    if token.lower() in abbreviations or token in abbreviations:
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "J. Smith", "В. Путин"
    return bool(_ACRONYM.match(token + "."))  # "U.S", "т.е" before the last stop


def split_spans(text: str, abbreviations: frozenset[str] = frozenset()) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` character spans of the sentences of ``text``, whitespace trimmed."""
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        for match in _BOUNDARY.finditer(text, paragraph.start(), paragraph.end()):
            if match.group(0).startswith(".") and len(match.group(0).rstrip("\"'»”’)]")) == 1:
                if is_abbreviation(_token_before(text, match.start()), abbreviations):
                    continue
            yield from _trimmed(text, start, match.end())
            start = match.end()
        yield from _trimmed(text, start, paragraph.end())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def split(text: str, abbreviations: frozenset[str] = frozenset()) -> list[str]:
    """Return the sentences of ``text`` as strings."""
    return [text[s:e] for s, e in split_spans(text, abbreviations)]
