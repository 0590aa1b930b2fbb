"""Contrast metrics per capability, against hand-computed values."""
import pytest

from benchmark.scoring.contrast import contrast_report, share_with_interval

ROWS = [
    # two originals
    {"id": "o1", "role": "original", "capability": None, "source_id": "o1", "label": "expects_breakthrough"},
    {"id": "o2", "role": "original", "capability": None, "source_id": "o2", "label": "no_claim"},
    # negation: three edits
    {"id": "n1", "role": "edit", "capability": "negation", "source_id": "o1", "label": "expects_none"},
    {"id": "n2", "role": "edit", "capability": "negation", "source_id": "o2", "label": "no_claim"},
    {"id": "n3", "role": "edit", "capability": "negation", "source_id": "o1", "label": "no_claim"},
    # invariance: two edits
    {"id": "i1", "role": "edit", "capability": "invariance", "source_id": "o1", "label": "expects_breakthrough"},
    {"id": "i2", "role": "edit", "capability": "invariance", "source_id": "o2", "label": "no_claim"},
]
PREDICTED = {"o1": "expects_breakthrough", "o2": "expects_none",  # o1 right, o2 wrong
             "n1": "expects_none", "n2": "no_claim", "n3": "expects_none",  # right, right, wrong
             "i1": "expects_breakthrough", "i2": "no_claim"}  # right, right (but i2 differs from o2's prediction)


def test_accuracy_consistency_and_invariance_by_hand():
    report = contrast_report("claim_stance", ROWS, PREDICTED)
    negation = report["negation"]
    assert negation["pairs"] == 3
    assert negation["accuracy"]["value"] == pytest.approx(2 / 3)  # n1, n2 right
    # pairs right on both sides: (n1, o1) yes; (n2, o2) no, o2 wrong; (n3, o1) no, n3 wrong -> 1/3
    assert negation["consistency"]["value"] == pytest.approx(1 / 3)
    invariance = report["invariance"]
    assert invariance["accuracy"]["value"] == 1.0
    assert invariance["consistency"]["value"] == 0.5  # (i2, o2) fails on o2
    assert invariance["unchanged"]["value"] == 0.5  # i1 == o1; i2 (no_claim) != o2 (expects_none)
    assert "unchanged" not in negation and report["time"]["pairs"] == 0


def test_stance_leaves_out_pairs_with_a_no_claim_side():
    stance = contrast_report("stance", ROWS, {**PREDICTED, "o2": "expects_none"})
    assert stance["negation"]["pairs"] == 1  # only (n1, o1): n2/o2 and n3 involve no_claim
    assert stance["invariance"]["pairs"] == 1


def test_share_interval_is_seeded_and_contains_the_share():
    hits = [True] * 30 + [False] * 10
    first, second = share_with_interval(hits), share_with_interval(hits)
    assert first == second and first["ci_low"] <= 0.75 <= first["ci_high"] and first["n"] == 40
