"""The paired bootstrap test between two systems."""
import numpy as np
import pytest

from benchmark.labels import get_task
from benchmark.scoring.metrics import confusion_matrix, metrics_from_confusion
from benchmark.scoring.significance import joint_counts, paired_bootstrap

TASK = get_task("claim_stance")


def _system(y_true, accuracy, seed):
    rng = np.random.default_rng(seed)
    return np.where(rng.random(len(y_true)) < accuracy, y_true, rng.integers(0, 3, len(y_true)))


@pytest.fixture
def y_true():
    return np.random.default_rng(0).integers(0, 3, 400)


def test_joint_counts_by_hand():
    # statements (gold, a, b): (0,0,0), (0,0,1), (2,1,1), (0,0,1) -> cell [0,0,1] holds 2.
    table = joint_counts([0, 0, 2, 0], [0, 0, 1, 0], [0, 1, 1, 1], 3)
    assert table.shape == (3, 3, 3) and table.sum() == 4
    assert (table[0, 0, 0], table[0, 0, 1], table[2, 1, 1]) == (1, 2, 1)
    with pytest.raises(ValueError):
        joint_counts([0, 3], [0, 0], [0, 0], 3)


def test_identical_systems_give_zero_and_p_one(y_true):
    a = _system(y_true, 0.7, 1)
    result = paired_bootstrap(TASK, y_true, a, a.copy())
    assert result["difference"] == 0.0
    assert result["p_value"] == 1.0
    assert (result["ci_low"], result["ci_high"]) == (0.0, 0.0)


def test_equal_headlines_give_p_one():
    # a: F1(EB) = 2*1/(1+2) = 2/3, F1(EN) = 2*2/(3+2) = 4/5; b mirrors the error: F1(EB) = 4/5, F1(EN) = 2/3.
    # Same f_avg, different predictions: every |delta* - 0| >= 0, so p = 1.
    y = np.array([0, 0, 1, 1, 2, 2])
    a = np.array([0, 1, 1, 1, 2, 2])
    b = np.array([0, 0, 0, 1, 2, 2])
    result = paired_bootstrap(TASK, y, a, b, n_resamples=200)
    assert result["a"] == pytest.approx(result["b"]) and result["difference"] == pytest.approx(0.0)
    assert result["p_value"] == 1.0


def test_clearly_better_system_is_significant(y_true):
    a, b = _system(y_true, 0.9, 1), _system(y_true, 0.5, 2)
    result = paired_bootstrap(TASK, y_true, a, b)
    expected = (metrics_from_confusion(TASK, confusion_matrix(y_true, a, 3))["f_avg"]
                - metrics_from_confusion(TASK, confusion_matrix(y_true, b, 3))["f_avg"])
    assert result["difference"] == pytest.approx(expected)
    assert result["difference"] > 0.2
    assert result["p_value"] < 0.05
    assert result["p_value"] == pytest.approx(1 / 1001)
    assert 0 < result["ci_low"] < result["difference"] < result["ci_high"]


def test_swapping_systems_negates_the_difference(y_true):
    a, b = _system(y_true, 0.62, 1), _system(y_true, 0.58, 2)
    ab = paired_bootstrap(TASK, y_true, a, b, seed=3)
    ba = paired_bootstrap(TASK, y_true, b, a, seed=3)
    assert ba["difference"] == pytest.approx(-ab["difference"])
    # The K^3 cells are ordered (gold, a, b), so swapping draws other random numbers: equal up to Monte Carlo error.
    assert ba["p_value"] == pytest.approx(ab["p_value"], abs=0.05)
    assert (ba["ci_low"], ba["ci_high"]) == pytest.approx((-ab["ci_high"], -ab["ci_low"]), abs=0.01)
    assert 0.05 < ab["p_value"] < 1.0  # a small difference on 400 statements is not significant


def test_interval_agrees_with_naive_paired_resampling(y_true):
    from sklearn.metrics import f1_score

    a, b = _system(y_true, 0.75, 1), _system(y_true, 0.6, 2)
    rng = np.random.default_rng(9)
    deltas = []
    for _ in range(300):
        index = rng.integers(0, len(y_true), len(y_true))
        deltas.append(f1_score(y_true[index], a[index], labels=[0, 1], average="macro")
                      - f1_score(y_true[index], b[index], labels=[0, 1], average="macro"))
    naive = np.quantile(deltas, [0.025, 0.975])
    result = paired_bootstrap(TASK, y_true, a, b, n_resamples=300, seed=4)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(tuple(naive), abs=0.02)
