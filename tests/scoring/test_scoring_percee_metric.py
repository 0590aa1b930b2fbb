"""The evaluate module returns exactly the scorer's numbers, offline."""
import os
import subprocess
import sys

import numpy as np
import pytest

from benchmark.labels import TASKS
from benchmark.paths import METRIC_MODULE, ROOT
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


@pytest.mark.slow
def test_finds_the_checkout_when_benchmark_is_not_importable():
    """Run from a sub-folder of the checkout, where ``import benchmark`` alone fails: the module finds the root."""
    code = ("import evaluate, sys; m = evaluate.load(sys.argv[1]); "
            "print(m.compute(predictions=['claim'], references=['no_claim'], task='claim')['f1_claim'])")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", HF_EVALUATE_OFFLINE="1")
    result = subprocess.run([sys.executable, "-c", code, str(METRIC_MODULE)], cwd=ROOT / "benchmark", env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "0.0"


@pytest.mark.slow
def test_the_readmes_evaluate_example_runs_from_any_working_directory(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(part for part in readme.split("```python\n")[1:] if "evaluate.load" in part).split("```")[0]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_EVALUATE_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-c", block.replace("metric.compute(", "print(metric.compute(") + ")"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "'f_avg'" in result.stdout
