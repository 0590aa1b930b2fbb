"""Paired bootstrap test between two systems scored on the same gold statements.

The test. Let H be the task's headline and Δ̂ = H(a) − H(b) on the n statements. Each statement falls in one
joint cell (gold, prediction of a, prediction of b) of a K×K×K table. A bootstrap replicate draws n statements
with replacement, keeping each statement's two predictions together (the pairing); as in
:mod:`benchmark.scoring.intervals`, that is exactly a Multinomial(n, cell counts / n) draw of the K³ table,
from which both confusion matrices follow by summing out the other system. With B replicates Δ*_1..Δ*_B:

- interval: the central percentile interval of the Δ*_b;
- p-value (two-sided, H0: no difference): the bootstrap distribution recentred on zero, Δ*_b − Δ̂, stands for
  the null distribution of Δ̂, so p = (1 + #{b : |Δ*_b − Δ̂| ≥ |Δ̂|}) / (B + 1). Identical systems give Δ̂ = 0
  and p = 1; the smallest reachable p is 1 / (B + 1).
"""
from __future__ import annotations

import numpy as np

from benchmark.labels import Task
from benchmark.scoring.intervals import (DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, percentile_interval,
                                         resample_cells)
from benchmark.scoring.metrics import metric_batch

#: Slack for float ties when counting |Δ*_b − Δ̂| ≥ |Δ̂|.
_TIE_TOLERANCE = 1e-12


def joint_counts(y_true, y_pred_a, y_pred_b, n_classes: int) -> np.ndarray:
    """Count statements per (gold, a, b) cell: a ``(K, K, K)`` int64 table (raises ValueError on bad indices)."""
    shape = (n_classes,) * 3
    codes = np.ravel_multi_index([np.asarray(v, dtype=np.int64) for v in (y_true, y_pred_a, y_pred_b)], shape)
    return np.bincount(codes, minlength=n_classes ** 3).reshape(shape)


def paired_bootstrap(task: Task, y_true, y_pred_a, y_pred_b, n_resamples: int = DEFAULT_RESAMPLES,
                     seed: int = DEFAULT_SEED, confidence: float = DEFAULT_CONFIDENCE) -> dict:
    """Compare systems a and b on the task's headline with the paired bootstrap described in the module doc.

    Parameters
    ----------
    task: the task (its headline is compared).
    y_true, y_pred_a, y_pred_b: class indices of the gold and of both systems, aligned statement by statement.
    n_resamples, seed, confidence: B, the ``numpy.random.default_rng`` seed and the interval's coverage.

    Returns a dict with ``metric``, ``a``, ``b``, ``difference`` (a − b), ``ci_low``, ``ci_high``, ``p_value``.
    """
    table = joint_counts(y_true, y_pred_a, y_pred_b, len(task.labels))
    draws = resample_cells(table, n_resamples, np.random.default_rng(seed))
    deltas = metric_batch(task, draws.sum(axis=3)) - metric_batch(task, draws.sum(axis=2))
    a, b = metric_batch(task, np.stack([table.sum(axis=2), table.sum(axis=1)]))
    difference = float(a - b)
    extreme = np.abs(deltas - difference) >= abs(difference) - _TIE_TOLERANCE
    low, high = percentile_interval(deltas, confidence)
    return {"metric": task.headline, "a": float(a), "b": float(b), "difference": difference, "ci_low": low,
            "ci_high": high, "p_value": float((1 + np.count_nonzero(extreme)) / (n_resamples + 1)),
            "n": int(table.sum()), "n_resamples": n_resamples, "seed": seed, "confidence": confidence}
