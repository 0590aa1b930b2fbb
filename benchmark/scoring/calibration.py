"""Calibration of per-label scores: multi-class Brier score and expected calibration error (ECE).

Scores are an ``(n, K)`` matrix, columns in the task's label order, every entry a probability in [0, 1].
Rows that do not sum to 1 (within 1e-6) are divided by their sum first; the report says how many were.
"""
from __future__ import annotations

import numpy as np

ROW_SUM_TOLERANCE = 1e-6
DEFAULT_BINS = 10


def invalid_rows(scores) -> np.ndarray:
    """Boolean mask of rows that are not usable probabilities: a non-finite entry, one outside [0, 1], or sum 0."""
    scores = np.asarray(scores, dtype=np.float64)
    finite = np.isfinite(scores)
    in_range = finite & (scores >= 0.0) & (scores <= 1.0)
    return ~in_range.all(axis=1) | (np.where(finite, scores, 0.0).sum(axis=1) <= 0.0)


def normalise_rows(scores) -> tuple[np.ndarray, int]:
    """Return ``(probabilities, number of rows rescaled)``: rows whose sum is off 1 by more than 1e-6 are rescaled.

    Raises ValueError when a row is not usable (see :func:`invalid_rows`).
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError(f"scores must be an (n, K) matrix, got shape {scores.shape}")
    bad = invalid_rows(scores)
    if bad.any():
        raise ValueError(f"score row {int(np.argmax(bad))} is not a probability vector: entries must be finite, "
                         "in [0, 1], with a positive sum")
    sums = scores.sum(axis=1, keepdims=True)
    off = np.abs(sums[:, 0] - 1.0) > ROW_SUM_TOLERANCE
    return np.where(off[:, None], scores / sums, scores), int(np.count_nonzero(off))


def brier_score(probabilities, y_true) -> float:
    """Mean over statements of ``sum_k (p_k - 1[k = gold])**2`` (0 is perfect, 2 is the worst)."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    onehot = np.zeros_like(probabilities)
    onehot[np.arange(len(probabilities)), np.asarray(y_true)] = 1.0
    return float(((probabilities - onehot) ** 2).sum(axis=1).mean())


def expected_calibration_error(probabilities, y_true, n_bins: int = DEFAULT_BINS) -> float:
    """Top-label ECE: ``sum_b (n_b / n) * |accuracy_b - mean confidence_b|``.

    Confidence is a row's largest probability and the prediction its arg-max (first on ties); bin b holds
    confidences in ``[b / n_bins, (b + 1) / n_bins)``, the last bin also holding 1.0.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    confidence = probabilities.max(axis=1)
    correct = (probabilities.argmax(axis=1) == np.asarray(y_true)).astype(np.float64)
    bins = np.minimum((confidence * n_bins).astype(np.int64), n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    gap = np.bincount(bins, weights=correct - confidence, minlength=n_bins)
    return float(np.abs(gap).sum() / count.sum())
