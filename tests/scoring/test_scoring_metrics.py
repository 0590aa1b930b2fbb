"""Metrics from confusion counts, checked against values computed by hand."""
import numpy as np
import pytest

from benchmark.labels import get_task
from benchmark.scoring.metrics import confusion_matrix, metric_arrays, metric_batch, metrics_from_confusion

CLAIM_STANCE = get_task("claim_stance")
STANCE = get_task("stance")
CLAIM = get_task("claim")

# claim_stance example (rows gold, columns predicted; order expects_breakthrough, expects_none, no_claim):
#            EB  EN  NC   | support
#   EB    [   5,  1,  2 ] |  8
#   EN    [   1,  3,  0 ] |  4
#   NC    [   2,  2,  6 ] | 10
#   predicted  8   6   8     n = 22, trace = 14
# EB: P = 5/8 = 0.625, R = 5/8 = 0.625, F1 = 2*5/(8+8) = 0.625
# EN: P = 3/6 = 0.5,   R = 3/4 = 0.75,  F1 = 2*3/(6+4) = 0.6
# NC: P = 6/8 = 0.75,  R = 6/10 = 0.6,  F1 = 2*6/(8+10) = 2/3
# accuracy = 14/22; f_avg = (0.625 + 0.6)/2 = 0.6125; macro_f1 = (0.625 + 0.6 + 2/3)/3
CM3 = np.array([[5, 1, 2], [1, 3, 0], [2, 2, 6]])


def test_claim_stance_by_hand():
    m = metrics_from_confusion(CLAIM_STANCE, CM3)
    assert m["accuracy"] == pytest.approx(14 / 22)
    assert m["precision/expects_breakthrough"] == pytest.approx(0.625)
    assert m["recall/expects_breakthrough"] == pytest.approx(0.625)
    assert m["f1/expects_breakthrough"] == pytest.approx(0.625)
    assert m["precision/expects_none"] == pytest.approx(0.5)
    assert m["recall/expects_none"] == pytest.approx(0.75)
    assert m["f1/expects_none"] == pytest.approx(0.6)
    assert m["precision/no_claim"] == pytest.approx(0.75)
    assert m["recall/no_claim"] == pytest.approx(0.6)
    assert m["f1/no_claim"] == pytest.approx(2 / 3)
    assert (m["support/expects_breakthrough"], m["support/expects_none"], m["support/no_claim"]) == (8, 4, 10)
    assert isinstance(m["support/no_claim"], int)
    assert m["f_avg"] == pytest.approx(0.6125)
    assert m["macro_f1"] == pytest.approx((0.625 + 0.6 + 2 / 3) / 3)


def test_f_avg_counts_no_claim_confusions():
    # Moving the 2 no_claim statements predicted expects_none to no_claim raises EN precision 3/6 -> 3/4:
    # F1(EN) = 2*3/(4+4) = 0.75, f_avg = (0.625 + 0.75)/2 = 0.6875, though no_claim is not averaged.
    better = CM3.copy()
    better[2] = [2, 0, 8]
    assert metrics_from_confusion(CLAIM_STANCE, better)["f_avg"] == pytest.approx(0.6875)


def test_stance_headline_by_hand():
    #        EB EN
    #   EB [ 4, 1 ]   F1(EB) = 2*4/(6+5) = 8/11
    #   EN [ 2, 3 ]   F1(EN) = 2*3/(4+5) = 2/3      macro_f1 = (8/11 + 2/3)/2 = 23/33
    m = metrics_from_confusion(STANCE, [[4, 1], [2, 3]])
    assert m["macro_f1"] == pytest.approx(23 / 33)
    assert m["precision/expects_breakthrough"] == pytest.approx(4 / 6)
    assert m["recall/expects_none"] == pytest.approx(3 / 5)
    assert m["accuracy"] == pytest.approx(0.7)


def test_claim_headline_by_hand():
    #            claim no_claim
    #   claim  [   6,   2 ]   P = 6/9, R = 6/8, F1 = 2*6/(9+8) = 12/17
    #   no     [   3,   9 ]   F1(no_claim) = 2*9/(11+12) = 18/23 (not in the headline)
    m = metrics_from_confusion(CLAIM, [[6, 2], [3, 9]])
    assert m["f1_claim"] == pytest.approx(12 / 17)
    assert m["f1/no_claim"] == pytest.approx(18 / 23)
    assert m["macro_f1"] == pytest.approx((12 / 17 + 18 / 23) / 2)


def test_zero_denominators_give_zero():
    # expects_none never predicted and never gold: P, R and F1 are 0/0 -> 0.0.
    # expects_breakthrough gold twice, never predicted: P = 0/0 -> 0.0, R = 0/2 = 0, F1 = 0.
    cm = [[0, 0, 2], [0, 0, 0], [0, 0, 3]]
    m = metrics_from_confusion(CLAIM_STANCE, cm)
    for key in ("precision", "recall", "f1"):
        assert m[f"{key}/expects_none"] == 0.0
        assert m[f"{key}/expects_breakthrough"] == 0.0
    assert m["f_avg"] == 0.0
    assert m["f1/no_claim"] == pytest.approx(2 * 3 / (5 + 3))
    empty = metrics_from_confusion(CLAIM_STANCE, np.zeros((3, 3), dtype=int))
    assert empty["accuracy"] == 0.0 and empty["f_avg"] == 0.0


def test_confusion_matrix_counts_gold_rows_predicted_columns():
    cm = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 2, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(cm, [[1, 0, 1], [0, 1, 0], [1, 0, 2]])
    assert cm.dtype == np.int64


@pytest.mark.parametrize("y_true, y_pred", [([0, 3], [0, 1]), ([0, -1], [0, 1]), ([0, 1], [0])])
def test_confusion_matrix_rejects_bad_indices(y_true, y_pred):
    with pytest.raises(ValueError):
        confusion_matrix(y_true, y_pred, 3)


def test_batch_matches_single_matrices():
    other = np.array([[2, 0, 0], [0, 2, 1], [1, 0, 4]])
    stack = np.stack([CM3, other])
    np.testing.assert_allclose(metric_batch(CLAIM_STANCE, stack),
                               [0.6125, metrics_from_confusion(CLAIM_STANCE, other)["f_avg"]])
    np.testing.assert_allclose(metric_batch(CLAIM_STANCE, stack, "accuracy"), [14 / 22, 8 / 10])
    assert metric_arrays(CLAIM_STANCE, stack)["f1/no_claim"].shape == (2,)
    with pytest.raises(KeyError, match="f1_claim"):
        metric_batch(CLAIM_STANCE, stack, "f1_claim")


def test_agrees_with_sklearn_on_random_labels():
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 3, 500), rng.integers(0, 3, 500)
    m = metrics_from_confusion(CLAIM_STANCE, confusion_matrix(y_true, y_pred, 3))
    assert m["f_avg"] == pytest.approx(f1_score(y_true, y_pred, labels=[0, 1], average="macro"))
    assert m["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert m["accuracy"] == pytest.approx(accuracy_score(y_true, y_pred))
    precision, recall, _, _ = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    assert m["precision/expects_none"] == pytest.approx(precision[1])
    assert m["recall/no_claim"] == pytest.approx(recall[2])


def test_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="3x3"):
        metrics_from_confusion(CLAIM_STANCE, [[1, 0], [0, 1]])
