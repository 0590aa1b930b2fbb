"""Contrast-set metrics per capability: accuracy on the edits, contrast consistency, and invariance.

For each capability, over its pairs (edited statement, the gold statement it was written from) that belong to
the task: ``accuracy`` is the share of edited statements predicted right; ``consistency`` the share of pairs
where both the original and the edit are predicted right (Gardner et al., 2020); for invariant capabilities
``unchanged`` is the share of pairs whose edit gets the same prediction as its original. Each share comes with
a 95% percentile bootstrap interval over pairs: a resampled share of n pairs is Binomial(n, share) / n.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from benchmark.data.contrast import CAPABILITIES, EDIT
from benchmark.labels import LABELS, Task, get_task
from benchmark.scoring.intervals import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, percentile_interval


def share_with_interval(hits: np.ndarray, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                        confidence: float = DEFAULT_CONFIDENCE) -> dict:
    """``{"value", "ci_low", "ci_high", "n"}`` of the share of True in ``hits`` (a bootstrap over its items)."""
    n = len(hits)
    value = float(np.mean(hits)) if n else float("nan")
    if not n:
        return {"value": value, "ci_low": value, "ci_high": value, "n": 0}
    draws = np.random.default_rng(seed).binomial(n, value, size=n_resamples) / n
    low, high = percentile_interval(draws, confidence)
    return {"value": value, "ci_low": low, "ci_high": high, "n": n}


def contrast_report(task: Task | str, rows: Sequence[Mapping], predicted: Mapping[str, str],
                    n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> dict:
    """Per-capability metrics.

    Parameters
    ----------
    task: the task (statement labels are mapped with ``task.target``; pairs outside the task are left out).
    rows: the ``contrast`` configuration's rows (``id``, ``role``, ``capability``, ``source_id``, ``label``
        as a LABELS index or name).
    predicted: ``id -> predicted task label`` for every edited statement and original.
    """
    task = get_task(task) if isinstance(task, str) else task

    def gold(row):
        label = row["label"]
        return task.target(LABELS[label] if isinstance(label, (int, np.integer)) else label)

    originals = {row["id"]: row for row in rows if row["role"] != EDIT}
    report = {}
    for name, capability in CAPABILITIES.items():
        pairs = [(row, originals[row["source_id"]]) for row in rows
                 if row["role"] == EDIT and row["capability"] == name]
        pairs = [(edit, original) for edit, original in pairs if gold(edit) is not None and gold(original) is not None]
        edit_right = np.array([predicted[e["id"]] == gold(e) for e, _ in pairs], dtype=bool)
        both_right = edit_right & np.array([predicted[o["id"]] == gold(o) for _, o in pairs], dtype=bool)
        entry = {"pairs": len(pairs),
                 "accuracy": share_with_interval(edit_right, n_resamples, seed),
                 "consistency": share_with_interval(both_right, n_resamples, seed)}
        if capability.invariant:
            same = np.array([predicted[e["id"]] == predicted[o["id"]] for e, o in pairs], dtype=bool)
            entry["unchanged"] = share_with_interval(same, n_resamples, seed)
        report[name] = entry
    return report


def format_contrast(report: Mapping) -> str:
    """The per-capability report as a plain-text table."""
    def cell(entry):
        return f"{entry['value']:.3f} [{entry['ci_low']:.3f}, {entry['ci_high']:.3f}]" if entry["n"] else "–"

    lines = [f"{'capability':<14}{'pairs':>6}  {'accuracy (edits)':<24}{'consistency':<24}unchanged"]
    for name, entry in report.items():
        unchanged = cell(entry["unchanged"]) if "unchanged" in entry else ""
        lines.append(f"{name:<14}{entry['pairs']:>6}  {cell(entry['accuracy']):<24}{cell(entry['consistency']):<24}"
                     f"{unchanged}")
    return "\n".join(lines)
