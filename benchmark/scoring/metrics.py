"""Every metric of PERCÉE, computed from confusion counts (rows = gold label, columns = predicted label).

Because all metrics are functions of the confusion matrix, the same formulas serve one matrix and a stack of
bootstrap matrices: :func:`metric_arrays` works on any array of shape ``(..., K, K)``.

Formulas, per class ``c`` (TP = diagonal cell, predicted = column sum, support = row sum):
precision = TP / predicted, recall = TP / support, F1 = 2 TP / (predicted + support), each 0.0 when its
denominator is 0 (F1 equals the harmonic mean of precision and recall whenever TP > 0, and 0 otherwise).
The headline (``task.headline``) is the mean F1 of ``task.positive``: ``f_avg`` for claim_stance (SemEval-2016
Task 6: ``no_claim`` is not averaged, yet confusions with it cost precision and recall), ``macro_f1`` for
stance, ``f1_claim`` for claim.
"""
from __future__ import annotations

import numpy as np

from benchmark.labels import Task


def confusion_matrix(y_true_idx, y_pred_idx, n_classes: int) -> np.ndarray:
    """Count (gold, predicted) pairs into an ``(n_classes, n_classes)`` int64 matrix (rows = gold).

    Parameters
    ----------
    y_true_idx, y_pred_idx: integer class indices in ``[0, n_classes)``, same length.
    n_classes: number of classes K.
    """
    y_true = np.asarray(y_true_idx, dtype=np.int64)
    y_pred = np.asarray(y_pred_idx, dtype=np.int64)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D and of equal length, got {y_true.shape} and {y_pred.shape}")
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if values.size and (values.min() < 0 or values.max() >= n_classes):
            raise ValueError(f"{name} holds class indices outside [0, {n_classes})")
    cells = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return cells.reshape(n_classes, n_classes)


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Elementwise ``numerator / denominator`` with 0.0 where the denominator is 0."""
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def metric_arrays(task: Task, cms) -> dict[str, np.ndarray]:
    """All metrics of ``task`` for confusion matrices of shape ``(..., K, K)``; each value has shape ``(...)``.

    Keys: ``accuracy``, ``macro_f1`` (mean F1 over all task labels), ``precision/<label>``, ``recall/<label>``,
    ``f1/<label>``, ``support/<label>`` and the headline ``task.headline`` (mean F1 over ``task.positive``).
    """
    cms = np.asarray(cms, dtype=np.float64)
    tp = np.diagonal(cms, axis1=-2, axis2=-1)
    predicted = cms.sum(axis=-2)
    support = cms.sum(axis=-1)
    f1 = _safe_divide(2.0 * tp, predicted + support)
    out = {"accuracy": _safe_divide(tp.sum(axis=-1), support.sum(axis=-1))}
    precision = _safe_divide(tp, predicted)
    recall = _safe_divide(tp, support)
    for index, label in enumerate(task.labels):
        out[f"precision/{label}"] = precision[..., index]
        out[f"recall/{label}"] = recall[..., index]
        out[f"f1/{label}"] = f1[..., index]
        out[f"support/{label}"] = support[..., index]
    out["macro_f1"] = f1.mean(axis=-1)
    positive = [task.labels.index(label) for label in task.positive]
    out[task.headline] = f1[..., positive].mean(axis=-1)
    return out


def metrics_from_confusion(task: Task, cm) -> dict[str, float | int]:
    """The metrics of one confusion matrix as plain Python numbers (supports as ints)."""
    cm = np.asarray(cm)
    if cm.shape != (len(task.labels), len(task.labels)):
        raise ValueError(f"task {task.name} needs a {len(task.labels)}x{len(task.labels)} matrix, got {cm.shape}")
    return {key: int(value) if key.startswith("support/") else float(value)
            for key, value in metric_arrays(task, cm).items()}


def metric_batch(task: Task, cms, key: str | None = None) -> np.ndarray:
    """One metric (default: the headline) for each matrix of a ``(B, K, K)`` stack: shape ``(B,)``."""
    values = metric_arrays(task, cms)
    key = key or task.headline
    if key not in values:
        raise KeyError(f"unknown metric {key!r} for task {task.name}; known: {', '.join(values)}")
    return values[key]
