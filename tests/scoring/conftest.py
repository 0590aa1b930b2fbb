"""Shared fixtures of the scorer tests: a 12-statement gold and a predictions-file writer."""
import json

import pytest

from benchmark.labels import EXPECTS_BREAKTHROUGH as EB
from benchmark.labels import EXPECTS_NONE as EN
from benchmark.labels import NO_CLAIM as NC

GOLD_LABELS = [EB, EN, NC, EB, EN, NC, EB, NC, NC, EN, EB, NC]


@pytest.fixture
def gold():
    """``s01``..``s12``: 4 expects_breakthrough, 3 expects_none, 5 no_claim; langs en/fr, sources a/b/c."""
    return {f"s{i + 1:02d}": {"label": label, "lang": "en" if i % 2 == 0 else "fr", "source": "abc"[i % 3]}
            for i, label in enumerate(GOLD_LABELS)}


@pytest.fixture
def write_predictions(tmp_path):
    """Write rows (dicts, or raw strings written as they are) as a JSONL file; return its path.

    ``compact=True`` writes ``{"id":"x","label":"y"}`` (no spaces), json.dumps's compact separators.
    """

    def write(rows, name="predictions.jsonl", meta=None, compact=False):
        path = tmp_path / name
        separators = (",", ":") if compact else (", ", ": ")
        lines = [] if meta is None else [json.dumps({"_meta": meta})]
        lines += [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False, separators=separators)
                  for row in rows]
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    return write


@pytest.fixture
def gold_predictions(gold, write_predictions):
    """A canonical predictions file that copies the gold labels (a perfect system)."""
    return write_predictions([{"id": i, "label": record["label"]} for i, record in gold.items()])
