"""End-to-end scoring reports, comparisons and their text."""
import json
import subprocess
import sys

import pytest

from benchmark.paths import ROOT
from benchmark.scoring.report import SCORER_VERSION, compare, format_comparison, format_report, score, score_arrays


@pytest.fixture
def system(gold, write_predictions):
    """Gold labels except s03 (no_claim -> expects_none) and s04 (expects_breakthrough -> no_claim).

    Confusion (rows gold EB, EN, NC): [[3, 0, 1], [0, 3, 0], [0, 1, 4]]
    EB: P = 3/3, R = 3/4, F1 = 6/7; EN: P = 3/4, R = 3/3, F1 = 6/7; NC: F1 = 2*4/(5+5) = 0.8
    f_avg = 6/7, accuracy = 10/12.
    """
    changes = {"s03": "expects_none", "s04": "no_claim"}
    return write_predictions([{"id": i, "label": changes.get(i, r["label"])} for i, r in gold.items()],
                             name="system.jsonl")


def test_score_by_hand(gold, system):
    report = score("claim_stance", gold, system)
    assert report["scorer_version"] == SCORER_VERSION == "1.0"
    assert report["task"] == "claim_stance" and report["n"] == 12
    assert report["headline"]["name"] == "f_avg"
    assert report["headline"]["value"] == pytest.approx(6 / 7)
    assert report["headline"]["ci_low"] <= 6 / 7 <= report["headline"]["ci_high"]
    assert report["accuracy"]["value"] == pytest.approx(10 / 12)
    assert report["per_class"]["no_claim"] == pytest.approx({"precision": 0.8, "recall": 0.8, "f1": 0.8,
                                                             "support": 5})
    assert report["confusion_matrix"]["counts"] == [[3, 0, 1], [0, 3, 0], [0, 1, 4]]
    assert report["confusion_matrix"]["labels"] == ["expects_breakthrough", "expects_none", "no_claim"]
    assert report["predictions"]["digest"] == "not checked" and report["predictions"]["ignored_rows"] == 0
    json.dumps(report)  # JSON-serialisable


def test_breakdowns_by_hand(gold, system):
    # en = s01 s03 s05 s07 s09 s11: EB [3,0,0], EN [0,1,0], NC [0,1,1] -> F1(EB) = 1, F1(EN) = 2/3, f_avg = 5/6
    # fr = s02 s04 s06 s08 s10 s12: EB [0,0,1], EN [0,2,0], NC [0,0,3] -> F1(EB) = 0, F1(EN) = 1,   f_avg = 1/2
    report = score("claim_stance", gold, system)
    assert list(report["by_lang"]) == ["en", "fr"]
    assert report["by_lang"]["en"]["n"] == 6 and report["by_lang"]["en"]["value"] == pytest.approx(5 / 6)
    assert report["by_lang"]["fr"]["value"] == pytest.approx(0.5)
    assert sum(entry["n"] for entry in report["by_source"].values()) == 12
    assert all(entry["ci_low"] <= entry["value"] <= entry["ci_high"] for entry in report["by_source"].values())


def test_deterministic_and_seeded(gold, system):
    assert score("claim_stance", gold, system) == score("claim_stance", gold, system)
    other = score("claim_stance", gold, system, seed=1)
    assert other["headline"]["value"] == pytest.approx(6 / 7)
    assert other["bootstrap"]["seed"] == 1


def test_stance_and_claim_headlines(gold, write_predictions):
    # stance: the 7 claims; s02 (EN) predicted EB. EB: TP 4, predicted 5, support 4 -> F1 = 8/9;
    # EN: TP 2, predicted 2, support 3 -> F1 = 4/5; macro_f1 = (8/9 + 4/5)/2 = 38/45. Rows of no_claim: ignored.
    rows = [{"id": i, "label": "expects_breakthrough" if i == "s02" else r["label"]} for i, r in gold.items()]
    stance = score("stance", gold, write_predictions(rows))
    assert stance["n"] == 7 and stance["predictions"]["ignored_rows"] == 5
    assert stance["headline"]["name"] == "macro_f1" and stance["headline"]["value"] == pytest.approx(38 / 45)
    # claim: TP 1, predicted 2, support 2 -> F1(claim) = 0.5
    claim = score_arrays("claim", ["claim", "claim", "no_claim", "no_claim"],
                         ["claim", "no_claim", "no_claim", "claim"])
    assert claim["headline"]["name"] == "f1_claim" and claim["headline"]["value"] == pytest.approx(0.5)


def test_score_arrays_accepts_indices_or_labels():
    y_true, y_pred = [0, 1, 2, 2, 1], [0, 2, 2, 1, 1]
    labels = ["expects_breakthrough", "expects_none", "no_claim"]
    by_index = score_arrays("claim_stance", y_true, y_pred, langs=["en"] * 5)
    by_name = score_arrays("claim_stance", [labels[i] for i in y_true], [labels[i] for i in y_pred], langs=["en"] * 5)
    assert by_index == by_name
    assert by_index["by_lang"]["en"]["value"] == by_index["headline"]["value"]
    assert "by_source" not in by_index and "calibration" not in by_index


@pytest.mark.parametrize("kwargs, message", [
    ({"y_true": [], "y_pred": []}, "no statements"),
    ({"y_true": ["expects_none"], "y_pred": ["maybe"]}, "maybe"),
    ({"y_true": [0, 1], "y_pred": [0, 1], "langs": ["en"]}, "1 group names for 2 statements"),
    ({"y_true": [0, 1], "y_pred": [0, 1], "scores": [[1.0, 0.0, 0.0]]}, r"shape \(2, 3\)"),
    ({"y_true": [0, 1], "y_pred": [0, 1], "scores": [[1.0, 0.0], [0.0, 1.0]]}, r"got \(2, 2\)"),
])
def test_score_arrays_refuses_bad_arrays(kwargs, message):
    with pytest.raises(ValueError, match=message):
        score_arrays("claim_stance", **kwargs)


def test_calibration_in_report(gold, write_predictions):
    # Every row: scores 0.5 on its gold label and 0.25 on the two others (the third row sums to 2: normalised).
    # Brier per row = 0.5^2 + 0.25^2 + 0.25^2 = 0.375; every prediction right with confidence 0.5 -> ECE = 0.5.
    rows = []
    for index, (statement_id, record) in enumerate(gold.items()):
        factor = 2.0 if index == 2 else 1.0
        scores = {label: factor * (0.5 if label == record["label"] else 0.25)
                  for label in ("expects_breakthrough", "expects_none", "no_claim")}
        rows.append({"id": statement_id, "label": record["label"], "scores": scores})
    report = score("claim_stance", gold, write_predictions(rows))
    assert report["calibration"] == pytest.approx({"brier": 0.375, "ece": 0.5, "ece_bins": 10, "rows_normalised": 1})
    assert "1 score rows did not sum to 1" in format_report(report)


def test_format_report(gold, system):
    text = format_report(score("claim_stance", gold, system, expected_digest="abc"))
    assert "task claim_stance" in text and "n = 12" in text
    assert "f_avg     0.8571  95% CI [" in text
    assert "accuracy  0.8333" in text
    assert "no_claim                 0.8000  0.8000  0.8000        5" in text
    assert "dataset digest: absent" in text
    lines = text.splitlines()
    first_lang = lines[lines.index(next(line for line in lines if line.startswith("lang"))) + 1]
    assert first_lang.split()[:3] == ["en", "6", "0.8333"]


def test_compare_identical_and_different(gold, gold_predictions, system):
    same = compare("claim_stance", gold, system, system)
    assert same["difference"] == 0.0 and same["p_value"] == 1.0
    result = compare("claim_stance", gold, gold_predictions, system, n_resamples=500)
    assert result["a"] == 1.0 and result["b"] == pytest.approx(6 / 7)
    assert result["difference"] == pytest.approx(1 / 7)
    json.dumps(result)
    text = format_comparison(result)
    assert "difference (a - b): +0.1429" in text and str(system) in text and "p = " in text


def test_scorer_imports_no_heavy_library():
    code = ("import sys, benchmark.scoring.report; "
            "print(sorted({'sklearn', 'evaluate', 'datasets', 'mlflow', 'scipy'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
