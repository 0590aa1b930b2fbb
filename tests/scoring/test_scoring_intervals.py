"""Bootstrap intervals: seeded, deterministic, sensible, and equal in distribution to resampling statements."""
import numpy as np
import pytest

from benchmark.labels import get_task
from benchmark.scoring.intervals import bootstrap_interval, bootstrap_intervals, percentile_interval, resample_cells
from benchmark.scoring.metrics import confusion_matrix, metrics_from_confusion

TASK = get_task("claim_stance")
CM = np.array([[50, 10, 20], [10, 30, 5], [20, 20, 60]])  # n = 225


def test_seeded_and_deterministic():
    assert bootstrap_interval(TASK, CM, seed=7) == bootstrap_interval(TASK, CM, seed=7)
    assert bootstrap_interval(TASK, CM, seed=7) != bootstrap_interval(TASK, CM, seed=8)
    assert bootstrap_interval(TASK, CM) == bootstrap_interval(TASK, CM, seed=0, n_resamples=1000)


def test_contains_the_point_estimate_and_shrinks_with_n():
    point = metrics_from_confusion(TASK, CM)
    intervals = bootstrap_intervals(TASK, CM)
    for key in ("f_avg", "accuracy"):
        low, high = intervals[key]
        assert low < point[key] < high
    small = np.subtract(*bootstrap_interval(TASK, CM)[::-1])
    large = np.subtract(*bootstrap_interval(TASK, CM * 100)[::-1])
    assert large < small / 5  # width ~ 1/sqrt(n): 100x the statements, ~10x narrower


def test_resampled_tables_keep_n_and_shape():
    draws = resample_cells(CM, 50, np.random.default_rng(0))
    assert draws.shape == (50, 3, 3)
    assert (draws.reshape(50, -1).sum(axis=1) == CM.sum()).all()
    assert not (draws == CM).all()  # they are resamples, not copies
    zero_cell = np.array([[3, 0], [1, 2]])
    assert (resample_cells(zero_cell, 200, np.random.default_rng(0))[:, 0, 1] == 0).all()


def test_percentile_interval_by_hand():
    # np.arange(101): the 5% and 95% quantiles are exactly 5 and 95.
    assert percentile_interval(np.arange(101.0), 0.90) == pytest.approx((5.0, 95.0))
    with pytest.raises(ValueError):
        percentile_interval(np.arange(3.0), 1.5)


def test_refuses_empty_and_unknown_keys():
    with pytest.raises(ValueError, match="zero statements"):
        bootstrap_interval(TASK, np.zeros((3, 3), dtype=int))
    with pytest.raises(KeyError, match="f1_claim"):
        bootstrap_interval(TASK, CM, "f1_claim")


def test_per_class_keys_are_available():
    low, high = bootstrap_interval(TASK, CM, "f1/no_claim")
    assert low < metrics_from_confusion(TASK, CM)["f1/no_claim"] < high


def test_agrees_with_naive_sklearn_resampling():
    """The multinomial shortcut and resampling statement indices with sklearn give the same interval."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(11)
    n = 2000
    y_true = rng.integers(0, 3, n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, 3, n))
    naive = []
    for _ in range(300):
        index = rng.integers(0, n, n)
        naive.append(f1_score(y_true[index], y_pred[index], labels=[0, 1], average="macro"))
    naive_low, naive_high = np.quantile(naive, [0.025, 0.975])
    low, high = bootstrap_interval(TASK, confusion_matrix(y_true, y_pred, 3), n_resamples=300, seed=5)
    assert low == pytest.approx(naive_low, abs=0.01)
    assert high == pytest.approx(naive_high, abs=0.01)
    assert high - low == pytest.approx(naive_high - naive_low, rel=0.25)
