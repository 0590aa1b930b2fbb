"""Candidate statements: sentences that pair an expectation cue with an event or outcome cue."""
from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from benchmark.data import segment
from benchmark.data.holder import HolderFinder
from benchmark.data.lexicon import Lexicon
from benchmark.data.sources import WMT_BLOCK_LINES, Document
from benchmark.data.weak import weak_label

MIN_CHARS, MAX_CHARS = 15, 600
#: Sentences of context kept before each statement (what annotators and models may read).
CONTEXT_SENTENCES = 2


def statement_id(doc_id: str, start: int, end: int, text: str) -> str:
    """A stable id: the document, the offsets and the text, hashed; unchanged unless one of them changes."""
    digest = hashlib.sha256(f"{doc_id}\t{start}\t{end}\t{text}".encode("utf-8")).hexdigest()[:16]
    return f"{doc_id}:{start}:{digest[:8]}"


@dataclass(frozen=True)
class Statement:
    """One candidate statement with its provenance, holder, cues and weak label."""

    id: str
    doc_id: str
    source: str
    lang: str
    date: str | None
    title: str | None
    sentence_index: int
    char_start: int
    char_end: int
    line_index: int
    text: str
    context: str
    holder: str
    holder_kind: str
    event: str | None
    expectation_cues: tuple[str, ...]
    outcome_cues: tuple[str, ...]
    weak_label: str | None
    weak_rules: tuple[str, ...]
    weak_outcome: str
    group: str
    translation_group: str | None


#: Cue strata of a sentence: a candidate pairs an expectation cue with an event or outcome cue, or carries
#: the pattern of a claim-voting labelling function ("nobody expects", "unlikely", "ждать не стоит").
CANDIDATE, EXPECTATION_ONLY, EVENT_ONLY, NEITHER = "candidate", "expectation_only", "event_only", "neither"
CUE_STRATA = (CANDIDATE, EXPECTATION_ONLY, EVENT_ONLY, NEITHER)


def cue_stratum(sentence: str, lexicon: Lexicon) -> str | None:
    """Which cues a sentence carries (one of CUE_STRATA); None when its length rules it out."""
    if not MIN_CHARS <= len(sentence) <= MAX_CHARS:
        return None
    lower, cues = sentence.lower(), lexicon.filter
    expectation = cues.expectation.search(lower) is not None
    event = cues.event.search(lower) is not None or cues.outcome.search(lower) is not None
    if not (expectation and event) and cues.claim_cue.search(lower):
        return CANDIDATE
    return {(True, True): CANDIDATE, (True, False): EXPECTATION_ONLY,
            (False, True): EVENT_ONLY, (False, False): NEITHER}[expectation, event]


def sentence_context(text: str, spans: list[tuple[int, int]], index: int) -> str:
    """The sentences before sentence ``index`` that a reader of it gets (CONTEXT_SENTENCES of them)."""
    return " ".join(text[s:e] for s, e in spans[max(0, index - CONTEXT_SENTENCES) : index])


def _cues(pattern, text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text)))


def _event(lexicon: Lexicon, text: str, context: str, title: str | None) -> str | None:
    for place in (text, context, title or ""):
        match = lexicon.event.search(place)
        if match:
            return match.group(0).lower()
    return None


def split_group(document: Document, line_index: int) -> str:
    """The unit kept whole in one split: the document, a Europarl sitting, or a block of a WMT test set."""
    if document.parallel_key is None:
        return document.doc_id
    if document.source == "wmt_newstest":
        return f"{document.parallel_key}#{line_index // WMT_BLOCK_LINES}"
    return document.parallel_key


def extract(document: Document, lexicon: Lexicon) -> Iterator[Statement]:
    """Yield the candidate statements of one document."""
    text = document.text
    lower = text.lower()
    # Where an expectation or claim cue starts, found in one pass over the document: a sentence without one
    # cannot be a candidate, so only the few that hold one are matched sentence by sentence.
    cues = sorted(m.start() for pattern in (lexicon.filter.expectation, lexicon.filter.claim_cue)
                  for m in pattern.finditer(lower))
    if not cues:
        return
    spans = list(segment.split_spans(text, lexicon.abbreviations))
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]  # once per document: linear in its length
    holders = None
    for index, (start, end) in enumerate(spans):
        first_cue = bisect.bisect_left(cues, start)
        if first_cue == len(cues) or cues[first_cue] >= end:
            continue
        sentence = text[start:end]
        if cue_stratum(sentence, lexicon) != CANDIDATE:
            continue
        holders = holders or HolderFinder(document, lexicon)
        context = sentence_context(text, spans, index)
        line_index = bisect.bisect_right(line_starts, start) - 1
        holder = holders.find(start, end)
        weak = weak_label(sentence, lexicon)
        yield Statement(
            id=statement_id(document.doc_id, start, end, sentence),
            doc_id=document.doc_id, source=document.source, lang=document.lang, date=document.date,
            title=document.title, sentence_index=index, char_start=start, char_end=end, line_index=line_index,
            text=sentence, context=context, holder=holder.name, holder_kind=holder.kind,
            event=_event(lexicon, sentence, context, document.title),
            expectation_cues=_cues(lexicon.expectation, sentence), outcome_cues=_cues(lexicon.outcome, sentence),
            weak_label=weak.label, weak_rules=weak.rules, weak_outcome=weak.outcome,
            group=split_group(document, line_index),
            translation_group=f"{document.parallel_key}:{line_index}" if document.parallel_key else None,
        )
