"""Inter-annotator agreement: Cohen's kappa between first and second annotations, per language and task."""
from __future__ import annotations

from collections import Counter

from benchmark.labels import TASKS


def cohen_kappa(first: list[str], second: list[str]) -> float | None:
    """Cohen's kappa of two label lists (None when empty; 1.0 when both raters use one identical label)."""
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1.0 - expected)


def agreement_table(pairs: list[tuple[str, str, str]]) -> list[dict]:
    """Kappa per language (and ``all``) for each task, from ``(lang, first label, second label)`` triples."""
    rows = []
    for lang in sorted({p[0] for p in pairs}) + ["all"]:
        chosen = [p for p in pairs if lang in ("all", p[0])]
        for task in TASKS.values():
            mapped = [(task.target(a), task.target(b)) for _, a, b in chosen]
            mapped = [(a, b) for a, b in mapped if a is not None and b is not None]
            kappa = cohen_kappa([a for a, _ in mapped], [b for _, b in mapped])
            rows.append({"lang": lang, "task": task.name, "n": len(mapped),
                         "agreement": sum(a == b for a, b in mapped) / len(mapped) if mapped else None,
                         "kappa": kappa})
    return rows
