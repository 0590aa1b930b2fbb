"""The official score of a predictions file (or of in-memory arrays), its comparison with another, and their text.

A report is a JSON-serialisable dict: task, n, the headline with its bootstrap interval, accuracy with its
interval, macro F1, per-class precision/recall/F1/support, the confusion matrix, ``by_lang`` and ``by_source``
breakdowns (headline, n, interval), calibration when scores were given, and ``scorer_version``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from benchmark.labels import Task, get_task
from benchmark.scoring.calibration import DEFAULT_BINS, brier_score, expected_calibration_error, normalise_rows
from benchmark.scoring.intervals import (DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_interval,
                                         bootstrap_intervals)
from benchmark.scoring.metrics import confusion_matrix, metric_batch, metrics_from_confusion
from benchmark.scoring.predictions import digest_status, load_predictions
from benchmark.scoring.significance import paired_bootstrap

SCORER_VERSION = "1.0"
BOOTSTRAP_METHOD = "percentile bootstrap over statements (multinomial draws of the confusion cells)"


def score(task_name: str, gold: Mapping[str, Mapping], predictions_path, expected_digest: str | None = None,
          force: bool = False, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
          confidence: float = DEFAULT_CONFIDENCE) -> dict:
    """Validate a predictions file against ``gold`` and score it (see :func:`score_arrays`).

    Parameters
    ----------
    task_name: ``claim``, ``stance`` or ``claim_stance``.
    gold: ``id -> {"label": <statement label>, "lang": str, "source": str}``.
    predictions_path: the predictions JSONL file.
    expected_digest: the gold dataset's digest; predictions made on another dataset are refused.
    force: score even when the dataset digests differ.
    n_resamples, seed, confidence: the bootstrap's B, seed and coverage.
    """
    predictions = load_predictions(task_name, gold, predictions_path, expected_digest, force)
    report = score_arrays(predictions.task, predictions.y_true, predictions.y_pred, predictions.langs,
                          predictions.sources, predictions.scores, n_resamples, seed, confidence)
    report["predictions"] = {"path": str(predictions.path), "meta": predictions.meta,
                             "digest": digest_status(predictions.meta, expected_digest),
                             "ignored_rows": predictions.n_ignored}
    return report


def score_arrays(task: Task | str, y_true, y_pred, langs: Sequence[str] | None = None,
                 sources: Sequence[str] | None = None, scores=None, n_resamples: int = DEFAULT_RESAMPLES,
                 seed: int = DEFAULT_SEED, confidence: float = DEFAULT_CONFIDENCE) -> dict:
    """Score aligned in-memory arrays.

    Parameters
    ----------
    task: a Task or its name.
    y_true, y_pred: task labels, as indices into ``task.labels`` or as label strings.
    langs, sources: per-statement group names for the ``by_lang`` / ``by_source`` breakdowns (optional).
    scores: ``(n, K)`` probabilities in ``task.labels`` order for Brier score and ECE (optional).
    n_resamples, seed, confidence: the bootstrap's B, seed and coverage.
    """
    task = get_task(task) if isinstance(task, str) else task
    y_true, y_pred = _indices(task, y_true, "y_true"), _indices(task, y_pred, "y_pred")
    cm = confusion_matrix(y_true, y_pred, len(task.labels))
    if not cm.sum():
        raise ValueError("no statements to score")
    values = metrics_from_confusion(task, cm)
    intervals = bootstrap_intervals(task, cm, [task.headline, "accuracy"], n_resamples, seed, confidence)
    report = {
        "scorer_version": SCORER_VERSION,
        "task": task.name,
        "n": int(cm.sum()),
        "headline": {"name": task.headline, **_with_interval(values[task.headline], intervals[task.headline])},
        "accuracy": _with_interval(values["accuracy"], intervals["accuracy"]),
        "macro_f1": values["macro_f1"],
        "per_class": {label: {key: values[f"{key}/{label}"] for key in ("precision", "recall", "f1", "support")}
                      for label in task.labels},
        "confusion_matrix": {"labels": list(task.labels), "rows": "gold", "columns": "predicted",
                             "counts": cm.tolist()},
        "bootstrap": {"method": BOOTSTRAP_METHOD, "n_resamples": n_resamples, "seed": seed,
                      "confidence": confidence},
    }
    for key, groups in (("by_lang", langs), ("by_source", sources)):
        if groups is not None:
            report[key] = _breakdown(task, y_true, y_pred, groups, n_resamples, seed, confidence)
    if scores is not None:
        report["calibration"] = _calibration(task, scores, y_true)
    return report


def compare(task_name: str, gold: Mapping[str, Mapping], path_a, path_b, expected_digest: str | None = None,
            force: bool = False, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
            confidence: float = DEFAULT_CONFIDENCE) -> dict:
    """Paired bootstrap comparison of two predictions files on the same gold (difference = a − b).

    Parameters are those of :func:`score`; see :mod:`benchmark.scoring.significance` for the test.
    """
    a = load_predictions(task_name, gold, path_a, expected_digest, force)
    b = load_predictions(task_name, gold, path_b, expected_digest, force)
    result = paired_bootstrap(a.task, a.y_true, a.y_pred, b.y_pred, n_resamples, seed, confidence)
    return {"scorer_version": SCORER_VERSION, "task": a.task.name, "path_a": str(Path(path_a)),
            "path_b": str(Path(path_b)), **result}


def _indices(task: Task, values, name: str) -> np.ndarray:
    """Class indices from indices or label strings."""
    array = np.asarray(values)
    if array.dtype.kind in "iu" or array.size == 0:
        return array.astype(np.int64, copy=False)
    code = {label: index for index, label in enumerate(task.labels)}
    unknown = set(array.tolist()) - code.keys()
    if array.dtype.kind not in "UO" or unknown:
        raise ValueError(f"{name} must hold indices or labels of task {task.name} ({', '.join(task.labels)}); "
                         f"found {sorted(map(str, unknown))[:5] or array.dtype}")
    return np.fromiter((code[value] for value in array.tolist()), np.int64, len(array))


def _with_interval(value: float, interval: tuple[float, float]) -> dict:
    return {"value": value, "ci_low": interval[0], "ci_high": interval[1]}


def _breakdown(task: Task, y_true: np.ndarray, y_pred: np.ndarray, groups: Sequence[str], n_resamples: int,
               seed: int, confidence: float) -> dict:
    """Headline, n and interval per group, groups sorted by name."""
    if len(groups) != len(y_true):
        raise ValueError(f"got {len(groups)} group names for {len(y_true)} statements")
    names = {name: index for index, name in enumerate(dict.fromkeys(groups))}
    group = np.fromiter(map(names.__getitem__, groups), np.int64, len(groups))
    k = len(task.labels)
    cms = np.bincount((group * k + y_true) * k + y_pred, minlength=len(names) * k * k).reshape(-1, k, k)
    headlines = metric_batch(task, cms)
    return {name: {"n": int(cms[index].sum()), **_with_interval(
        float(headlines[index]), bootstrap_interval(task, cms[index], None, n_resamples, seed, confidence))}
        for name, index in sorted(names.items())}


def _calibration(task: Task, scores, y_true: np.ndarray) -> dict:
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (len(y_true), len(task.labels)):
        raise ValueError(f"scores must have shape ({len(y_true)}, {len(task.labels)}): one row per statement, one "
                         f"column per label of task {task.name}; got {scores.shape}")
    probabilities, rescaled = normalise_rows(scores)
    return {"brier": brier_score(probabilities, y_true), "ece": expected_calibration_error(probabilities, y_true),
            "ece_bins": DEFAULT_BINS, "rows_normalised": rescaled}


# ---------------------------------------------------------------- text


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    """Align rows of cells into columns; column indices in ``right`` are right-aligned."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.rjust(width) if column in right else cell.ljust(width)
                      for column, (cell, width) in enumerate(zip(row, widths))).rstrip() for row in rows]


def _ci(entry: Mapping, confidence: float) -> str:
    return f"{entry['value']:.4f}  {confidence:.0%} CI [{entry['ci_low']:.4f}, {entry['ci_high']:.4f}]"


def format_report(report: Mapping) -> str:
    """A plain-text rendering of :func:`score` / :func:`score_arrays` output."""
    confidence = report["bootstrap"]["confidence"]
    headline = report["headline"]
    labels = report["confusion_matrix"]["labels"]
    lines = [f"PERCÉE scorer {report['scorer_version']} | task {report['task']} | n = {report['n']} | "
             f"{report['bootstrap']['n_resamples']} bootstrap resamples, seed {report['bootstrap']['seed']}", ""]
    lines += _table([[headline["name"], _ci(headline, confidence)],
                     ["accuracy", _ci(report["accuracy"], confidence)],
                     ["macro_f1", f"{report['macro_f1']:.4f}"]], set())
    per_class = [["label", "precision", "recall", "f1", "support"]]
    per_class += [[label, *(f"{values[key]:.4f}" for key in ("precision", "recall", "f1")), str(values["support"])]
                  for label, values in report["per_class"].items()]
    lines += ["", *_table(per_class, {1, 2, 3, 4})]
    matrix = [["gold \\ predicted", *labels]]
    matrix += [[label, *map(str, counts)] for label, counts in zip(labels, report["confusion_matrix"]["counts"])]
    lines += ["", *_table(matrix, set(range(1, len(labels) + 1)))]
    for key in ("by_lang", "by_source"):
        if key in report:
            groups = [[key.removeprefix("by_"), "n", headline["name"], f"{confidence:.0%} CI"]]
            groups += [[name, str(entry["n"]), f"{entry['value']:.4f}",
                        f"[{entry['ci_low']:.4f}, {entry['ci_high']:.4f}]"] for name, entry in report[key].items()]
            lines += ["", *_table(groups, {1, 2})]
    if "calibration" in report:
        calibration = report["calibration"]
        note = (f" ({calibration['rows_normalised']} score rows did not sum to 1 and were normalised)"
                if calibration["rows_normalised"] else "")
        lines += ["", f"calibration: Brier {calibration['brier']:.4f}, ECE ({calibration['ece_bins']} bins) "
                      f"{calibration['ece']:.4f}{note}"]
    if "predictions" in report:
        source = report["predictions"]
        lines += ["", f"predictions: {source['path']} | dataset digest: {source['digest']}"
                      f" | rows outside the task ignored: {source['ignored_rows']}"]
    return "\n".join(lines) + "\n"


def format_comparison(comparison: Mapping) -> str:
    """A plain-text rendering of :func:`compare` output."""
    metric = comparison["metric"]
    rows = [["system", "predictions", metric],
            ["a", comparison["path_a"], f"{comparison['a']:.4f}"],
            ["b", comparison["path_b"], f"{comparison['b']:.4f}"]]
    return "\n".join([
        f"PERCÉE paired bootstrap | task {comparison['task']} | n = {comparison['n']} | "
        f"{comparison['n_resamples']} resamples, seed {comparison['seed']}", "",
        *_table(rows, {2}), "",
        f"difference (a - b): {comparison['difference']:+.4f}  {comparison['confidence']:.0%} CI "
        f"[{comparison['ci_low']:+.4f}, {comparison['ci_high']:+.4f}]  p = {comparison['p_value']:.4f}",
    ]) + "\n"
