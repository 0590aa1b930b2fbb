"""Seeded, vectorised percentile bootstrap intervals over statements.

Every PERCÉE metric depends on the statements only through the confusion counts. Drawing n statements with
replacement puts each draw in cell (i, j) with probability c_ij / n, independently of the other draws, so the
resampled confusion matrix is exactly Multinomial(n, c / n) over the K*K cells. Drawing the B resampled
matrices from that multinomial is therefore the same bootstrap as resampling statement indices (equal in
distribution; the random streams differ), at a cost independent of n.
"""
from __future__ import annotations

import numpy as np

from benchmark.labels import Task
from benchmark.scoring.metrics import metric_arrays

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
DEFAULT_CONFIDENCE = 0.95


def resample_cells(counts, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap copies of a count array: shape ``(n_resamples, *counts.shape)``, each summing to ``counts.sum()``.

    Parameters
    ----------
    counts: non-negative integer cell counts (a confusion matrix, or any joint table of statements).
    n_resamples: number of bootstrap copies B.
    rng: the numpy Generator to draw from.
    """
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    if n == 0:
        raise ValueError("cannot bootstrap zero statements")
    draws = rng.multinomial(n, counts.ravel() / n, size=n_resamples)
    return draws.reshape((n_resamples, *counts.shape))


def percentile_interval(samples: np.ndarray, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """The central ``confidence`` percentile interval of ``samples`` (numpy's linear quantiles)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(samples, [tail, 1.0 - tail])
    return float(low), float(high)


def bootstrap_intervals(task: Task, cm, keys=None, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                        confidence: float = DEFAULT_CONFIDENCE) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of several metrics, all from the same B resampled confusion matrices.

    Parameters
    ----------
    task: the task whose metrics are computed.
    cm: the observed ``(K, K)`` confusion matrix (rows = gold).
    keys: metric names from :func:`benchmark.scoring.metrics.metric_arrays`; default the headline and accuracy.
    n_resamples, seed, confidence: B, the seed of ``numpy.random.default_rng`` and the interval's coverage.
    """
    keys = list(keys or (task.headline, "accuracy"))
    values = metric_arrays(task, resample_cells(cm, n_resamples, np.random.default_rng(seed)))
    unknown = [key for key in keys if key not in values]
    if unknown:
        raise KeyError(f"unknown metric(s) {unknown} for task {task.name}; known: {', '.join(values)}")
    return {key: percentile_interval(values[key], confidence) for key in keys}


def bootstrap_interval(task: Task, cm, key: str | None = None, n_resamples: int = DEFAULT_RESAMPLES,
                       seed: int = DEFAULT_SEED, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """The percentile bootstrap interval ``(low, high)`` of one metric (default: the task's headline)."""
    key = key or task.headline
    return bootstrap_intervals(task, cm, [key], n_resamples, seed, confidence)[key]
