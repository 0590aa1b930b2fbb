"""The evaluate module returns exactly the scorer's numbers, offline."""
import numpy as np
import pytest

from benchmark.labels import TASKS
from benchmark.paths import METRIC_MODULE
from benchmark.scoring.metrics import confusion_matrix, metrics_from_confusion


@pytest.fixture
def percee_metric(monkeypatch):
    for variable in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "HF_EVALUATE_OFFLINE"):
        monkeypatch.setenv(variable, "1")
    import evaluate

    return evaluate.load(str(METRIC_MODULE))


@pytest.mark.parametrize("task", sorted(TASKS.values(), key=lambda task: task.name), ids=lambda task: task.name)
def test_same_numbers_as_the_scorer(percee_metric, task):
    rng = np.random.default_rng(len(task.name))
    y_true, y_pred = rng.integers(0, len(task.labels), 300), rng.integers(0, len(task.labels), 300)
    expected = metrics_from_confusion(task, confusion_matrix(y_true, y_pred, len(task.labels)))
    result = percee_metric.compute(predictions=[task.labels[i] for i in y_pred],
                                   references=[task.labels[i] for i in y_true], task=task.name)
    assert result == expected
    assert task.headline in result


def test_default_task_and_hand_value(percee_metric):
    # EB right; EN: TP 1, predicted 2, support 2 -> F1 = 0.5; f_avg = (1 + 0.5)/2 = 0.75
    result = percee_metric.compute(predictions=["expects_breakthrough", "expects_none", "no_claim", "expects_none"],
                                   references=["expects_breakthrough", "expects_none", "expects_none", "no_claim"])
    assert result["f_avg"] == 0.75


def test_unknown_label_is_refused(percee_metric):
    with pytest.raises(ValueError, match="'claim'.*expects_breakthrough, expects_none"):
        percee_metric.compute(predictions=["claim"], references=["expects_none"], task="stance")
