"""Fixtures of the threat-model tests: a private copy of the built dataset that a test may tamper with."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmark.data import gold


@pytest.fixture
def dataset_copy(built, tmp_path) -> Path:
    """A byte-identical copy of the built dataset, free to edit."""
    copy = tmp_path / "percee"
    shutil.copytree(built, copy)
    return copy


@pytest.fixture(scope="module")
def test_gold(built) -> dict:
    return gold("default", "test", built)


@pytest.fixture
def perfect(test_gold, tmp_path) -> Path:
    """Predictions copying the default test gold (claim_stance)."""
    path = tmp_path / "perfect.jsonl"
    path.write_text("".join(json.dumps({"id": i, "label": r["label"]}) + "\n" for i, r in test_gold.items()))
    return path
