"""Who holds a statement's view: a quoted speaker, the speaker of a debate turn or transcript, or the writer.

Heuristics, in order: (1) an attribution verb in the sentence ("Lukyanov said", "a expliqué Lukyanov",
"по словам X") and the name next to it; (2) for a sentence inside quotation marks, the attribution just after
the closing or just before the opening mark; (3) the speaker of a Europarl turn or of a transcript paragraph
("Vladimir Putin: ..."); (4) otherwise the writer.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from benchmark.data.lexicon import Lexicon
from benchmark.data.sources import Document

WRITER = "writer"
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_NAME = re.compile(rf"[{_UPPER}][\w'’.-]*(?:\s+(?:(?:de|du|van|von|da|di|al|bin|ibn|le|la)\s+)?[{_UPPER}][\w'’.-]*){{0,3}}")
_CLAUSE_BREAK = re.compile(r"[,;:()\"«»“”]")
_DETERMINERS = re.compile(r"^(?:the|a|an|le|la|les|l'|un|une|des|but|mais|and|et|however|cependant|и|но|а)\s+",
                          re.IGNORECASE)
#: Auxiliaries and negations left between a subject and its verb ("Officials do not [expect]").
_AUXILIARIES = re.compile(r"(?:\s+(?:do|does|did|not|don't|doesn't|didn't|also|still|now|ne|n'|не))+$",
                          re.IGNORECASE)
#: Words that can stand alone before a verb without naming anyone.
_NOT_HOLDERS = frozenset("however but and so yet thus therefore meanwhile nevertheless also is are was were has have had "
                         "cependant mais et donc ainsi однако но и также".split())
_SPEAKER_LABEL = re.compile(rf"^([{_UPPER}][\w'’.-]+(?:\s+[{_UPPER}][\w'’.-]+){{0,3}}):\s")
_QUOTES = {"«": "»", "“": "”", "„": "“", '"': '"'}
_QUOTE_MARKS = re.compile('[«»“”„"\n]')
_MAX_HOLDER_WORDS = 6
#: Labelled paragraphs that make a document a transcript.
TRANSCRIPT_LABELS = 2


@dataclass(frozen=True)
class Holder:
    """A statement's holder: ``name`` and ``kind`` (``quoted``, ``speaker`` or ``writer``)."""

    name: str
    kind: str


def _is_name(segment: str) -> bool:
    match = _NAME.fullmatch(segment.strip())
    return bool(match) and len(segment.split()) <= 4


def _clean(segment: str) -> str | None:
    segment = _DETERMINERS.sub("", segment.strip(" \t—–-'’.")).strip()
    segment = _AUXILIARIES.sub("", segment).strip()
    if segment.lower() in _NOT_HOLDERS:
        return None
    if not segment or len(segment.split()) > _MAX_HOLDER_WORDS:
        return None
    return segment


def _left_holder(text: str, verb_start: int) -> str | None:
    """The subject before an attribution verb: a proper name among the last clause segments, else the segment."""
    segments = _CLAUSE_BREAK.split(text[:verb_start])[-4:][::-1]
    for segment in segments[:3]:
        if segment.strip() and _is_name(_DETERMINERS.sub("", segment.strip())):
            return _clean(segment)
    return _clean(segments[0]) if segments else None


def _right_holder(text: str, verb_end: int) -> str | None:
    """The name just after a verb or preposition ("a expliqué Lukyanov", "according to Mr Smith")."""
    rest = text[verb_end:].lstrip(" ,")
    match = re.match(r"(?:(?:l'|le |la |the )?(?:expert|politologue|source|official|analyst|spokesman)\w*\s*)?", rest)
    name = _NAME.match(rest, match.end()) if match else None
    if name:
        return _clean(rest[: name.end()])
    if match and match.group(0).strip():
        return _clean(match.group(0))
    return None


_PREPOSITIONS = re.compile(r"according to|selon|d'après|по словам|по мнению", re.IGNORECASE)


def attribution(text: str, lexicon: Lexicon) -> str | None:
    """The holder named by an attribution verb in ``text``, or None."""
    for verb in lexicon.attribution.finditer(text):
        if _PREPOSITIONS.fullmatch(verb.group(0)):
            holder = _right_holder(text, verb.end())
        else:
            holder = _left_holder(text, verb.start()) or _right_holder(text, verb.end())
        if holder:
            return holder
    return None


class HolderFinder:
    """Finds holders for sentences of one document (quote spans and speakers computed once)."""

    def __init__(self, document: Document, lexicon: Lexicon):
        self.document = document
        self.lexicon = lexicon
        self.quotes = quote_spans(document.text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", document.text)]
        self.speakers = _speakers(document)

    def find(self, start: int, end: int) -> Holder:
        text = self.document.text
        name = attribution(text[start:end], self.lexicon)
        if name:
            return Holder(name, "quoted")
        for q_start, q_end in self.quotes:
            if q_start <= start and end <= q_end + 1:
                after = text[q_end + 1 : q_end + 120].split("\n")[0]
                before = text[max(0, q_start - 120) : q_start].split("\n")[-1]
                name = attribution(after, self.lexicon) or attribution(before, self.lexicon)
                if name:
                    return Holder(name, "quoted")
        line = bisect.bisect_right(self.line_starts, start) - 1
        if self.speakers[line]:
            return Holder(self.speakers[line], "speaker")
        return Holder(WRITER, "writer")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of the quotations of ``text``; a quotation may run over several paragraphs."""
    spans, opener, open_at = [], None, 0
    for mark in _QUOTE_MARKS.finditer(text):
        index, char = mark.start(), mark.group(0)
        if opener is None and char in _QUOTES:
            opener, open_at = char, index
        elif opener is not None and char == _QUOTES[opener]:
            spans.append((open_at, index))
            opener = None
        elif opener == '"' and char == "\n":
            opener = None  # straight quotes do not run over paragraphs
    return spans


def _speakers(document: Document) -> list[str | None]:
    """The speaker of each line: Europarl turns, or transcript labels ("Vladimir Putin: ...") carried forward.

    Labels count only in a transcript: a document (not a file of aligned news lines) with at least
    ``TRANSCRIPT_LABELS`` labelled paragraphs.
    """
    lines = document.text.split("\n")
    if document.speaker_turns:
        turns = sorted(document.speaker_turns)
        firsts = [i for i, _ in turns]
        return [turns[k][1] if (k := bisect.bisect_right(firsts, i) - 1) >= 0 else None for i in range(len(lines))]
    labels = [_SPEAKER_LABEL.match(line) for line in lines]
    if document.parallel_key or sum(map(bool, labels)) < TRANSCRIPT_LABELS:
        return [None] * len(lines)
    current, speakers = None, []
    for label in labels:
        if label:
            current = label.group(1)
        speakers.append(current)
    return speakers
