"""Threat: a document built to make the build slow (one 50 MB line full of candidates did not finish in 900 s:
each statement counted the newlines before it from the document's start). Line offsets are now computed once
per document; `scripts/bench_build.py` times a long single-line document (time per statement stays flat)."""
from __future__ import annotations

import time

from benchmark.data.extract import extract
from benchmark.data.lexicon import lexicon_for
from benchmark.data.sources import Document

SENTENCE = "Diplomats expect a breakthrough at the summit next week, the minister said."


def test_line_indices_are_those_of_the_statements_lines():
    text = "\n".join(f"{SENTENCE} {SENTENCE}" if i % 3 else "Nothing here." for i in range(60))
    statements = list(extract(Document("d", "seed", "en", None, None, text, None), lexicon_for("en")))
    assert len(statements) == 80
    assert [s.line_index for s in statements] == [text.count("\n", 0, s.char_start) for s in statements]


def test_a_long_single_line_document_costs_the_same_per_statement():
    def per_statement(copies: int) -> float:
        document = Document("long", "seed", "en", None, None, " ".join([SENTENCE] * copies), None)
        started = time.perf_counter()
        count = sum(1 for _ in extract(document, lexicon_for("en")))
        assert count == copies
        return (time.perf_counter() - started) / count

    small, large = per_statement(2_000), per_statement(16_000)
    assert large < 2.5 * small
