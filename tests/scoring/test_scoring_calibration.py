"""Brier score and ECE against hand-computed values."""
import numpy as np
import pytest

from benchmark.scoring.calibration import brier_score, expected_calibration_error, invalid_rows, normalise_rows

# Five statements, three classes.
PROBS = np.array([
    [0.70, 0.20, 0.10],  # gold 0: argmax 0, correct,   conf 0.70 -> bin 7
    [0.10, 0.60, 0.30],  # gold 2: argmax 1, wrong,     conf 0.60 -> bin 6
    [0.30, 0.30, 0.40],  # gold 2: argmax 2, correct,   conf 0.40 -> bin 4
    [0.50, 0.50, 0.00],  # gold 1: argmax 0 (first tie), wrong, conf 0.50 -> bin 5
    [0.65, 0.35, 0.00],  # gold 0: argmax 0, correct,   conf 0.65 -> bin 6
])
GOLD = np.array([0, 2, 2, 1, 0])


def test_brier_by_hand():
    # row 1: 0.3^2 + 0.2^2 + 0.1^2 = 0.14      row 2: 0.1^2 + 0.6^2 + 0.7^2 = 0.86
    # row 3: 0.3^2 + 0.3^2 + 0.6^2 = 0.54      row 4: 0.5^2 + 0.5^2 + 0 = 0.50
    # row 5: 0.35^2 + 0.35^2 + 0 = 0.245       mean = 2.285 / 5 = 0.457
    assert brier_score(PROBS, GOLD) == pytest.approx(0.457)


def test_ece_by_hand():
    # bin 7: |1 - 0.70| = 0.30 (1 statement)     bin 4: |1 - 0.40| = 0.60     bin 5: |0 - 0.50| = 0.50
    # bin 6 (2 statements): accuracy 1/2, mean confidence 0.625 -> 2/5 * |0.5 - 0.625| = 0.25 / 5
    # ECE = (0.30 + 0.60 + 0.50 + 0.25) / 5 = 0.33 (a per-statement average of gaps would give 0.47)
    assert expected_calibration_error(PROBS, GOLD) == pytest.approx(0.33)


def test_perfect_and_worst_predictions():
    onehot = np.eye(3)[[0, 1, 2, 1]]
    assert brier_score(onehot, [0, 1, 2, 1]) == 0.0
    assert expected_calibration_error(onehot, [0, 1, 2, 1]) == 0.0
    assert brier_score(onehot, [1, 2, 0, 0]) == pytest.approx(2.0)
    assert expected_calibration_error(onehot, [1, 2, 0, 0]) == pytest.approx(1.0)


def test_normalise_rows_reports_how_many():
    probs, rescaled = normalise_rows([[0.2, 0.2, 0.1], [0.5, 0.25, 0.25], [0.3, 0.3, 0.4 + 5e-7]])
    np.testing.assert_allclose(probs[0], [0.4, 0.4, 0.2])
    np.testing.assert_allclose(probs[1], [0.5, 0.25, 0.25])
    assert probs[2, 2] == 0.4 + 5e-7  # within 1e-6 of 1: left as given
    assert rescaled == 1


@pytest.mark.parametrize("row", [[np.nan, 0.5, 0.5], [-0.1, 0.6, 0.5], [1.5, 0.0, 0.0], [0.0, 0.0, 0.0],
                                 [np.inf, 0.0, 0.0]])
def test_unusable_rows_are_refused(row):
    scores = np.array([[0.2, 0.3, 0.5], row])
    np.testing.assert_array_equal(invalid_rows(scores), [False, True])
    with pytest.raises(ValueError, match="row 1"):
        normalise_rows(scores)
