"""PERCÉE's official metrics as a local Hugging Face ``evaluate`` module.

Load it offline with ``evaluate.load("<repo>/benchmark/scoring/percee_metric")``. The numbers come from
``benchmark.scoring.metrics``, the scorer's own code, so they equal ``percee score`` exactly (without intervals).
"""
import importlib
import sys
from pathlib import Path

import datasets
import evaluate

_CITATION = """\
@inproceedings{mohammad-etal-2016-semeval,
    title = "{S}em{E}val-2016 Task 6: Detecting Stance in Tweets",
    author = "Mohammad, Saif and Kiritchenko, Svetlana and Sobhani, Parinaz and Zhu, Xiaodan and Cherry, Colin",
    booktitle = "Proceedings of the 10th International Workshop on Semantic Evaluation (SemEval-2016)",
    year = "2016",
    publisher = "Association for Computational Linguistics",
    pages = "31--41",
}
"""

_DESCRIPTION = """\
PERCÉE scores statements on whether their holder expects an event (a summit, a round of talks, a council) to
produce a breakthrough. Tasks: `claim_stance` (expects_breakthrough / expects_none / no_claim; headline F_avg,
the mean F1 of the two claim labels, as in SemEval-2016 Task 6), `stance` (claims only; headline macro F1) and
`claim` (claim / no_claim; headline F1 of `claim`). Also returns accuracy, macro F1 and per-label
precision, recall, F1 and support.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of str): predicted labels of the task.
    references (list of str): gold labels of the task, aligned with the predictions.
    task (str): "claim_stance" (default), "stance" or "claim".
Returns:
    dict with the task's headline ("f_avg", "macro_f1" or "f1_claim"), "accuracy", "macro_f1" and
    "precision/<label>", "recall/<label>", "f1/<label>", "support/<label>" for every label of the task.
Examples:
    >>> metric = evaluate.load("benchmark/scoring/percee_metric")
    >>> result = metric.compute(predictions=["expects_none", "no_claim"],
    ...                         references=["expects_none", "expects_breakthrough"])
    >>> result["f_avg"]
    0.5
"""


def _scorer():
    """Import ``benchmark.scoring.metrics`` and ``benchmark.labels``, adding the PERCÉE checkout to sys.path if needed.

    ``evaluate`` runs a copy of this file from its module cache, so the checkout is looked for above this file
    and above the working directory.
    """
    try:
        return importlib.import_module("benchmark.scoring.metrics"), importlib.import_module("benchmark.labels")
    except ModuleNotFoundError:
        for start in (Path(__file__).resolve(), Path.cwd().resolve() / "_"):
            root = next((p for p in start.parents if (p / "benchmark" / "scoring" / "metrics.py").is_file()), None)
            if root is not None:
                sys.path.insert(0, str(root))
                return importlib.import_module("benchmark.scoring.metrics"), importlib.import_module("benchmark.labels")
    raise ImportError("cannot import PERCÉE's scorer (benchmark.scoring): install the project (pip install -e .) "
                      "or run from its repository")


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class PerceeMetric(evaluate.Metric):
    """PERCÉE's headline, accuracy and per-label metrics, computed by the official scorer."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
            reference_urls=["https://aclanthology.org/S16-1003/"],
        )

    def _compute(self, predictions, references, task="claim_stance"):
        metrics, labels = _scorer()
        task = labels.get_task(task)
        code = {label: index for index, label in enumerate(task.labels)}
        unknown = sorted((set(predictions) | set(references)) - code.keys())
        if unknown:
            raise ValueError(f"labels {unknown} are not in task {task.name}; allowed: {', '.join(task.labels)}")
        cm = metrics.confusion_matrix([code[label] for label in references], [code[label] for label in predictions],
                                      len(task.labels))
        return metrics.metrics_from_confusion(task, cm)
