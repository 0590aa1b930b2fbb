"""The annotator ceiling: the second annotators' labels scored against gold, like a system's predictions.

On the double-annotated statements of a split (``label_second`` set), the second annotation is scored with the
official scorer against the gold label (the adjudicated one). Statements outside the task on either side (for
``stance``: a gold claim the second annotator called ``no_claim``, or the reverse) are left out, as in the
agreement table. It is a reference point, not a system: it is computed on a subset of the test split, and the
gold labels were adjudicated with the second annotation in view, so it is an upper bound.
"""
from __future__ import annotations

from pathlib import Path

from benchmark.labels import LABELS, get_task
from benchmark.paths import BUILT

NAME = "Annotator ceiling (second annotator vs gold)"


def ceiling_pairs(config: str = "default", split: str = "test", path: Path | str = BUILT) -> list[tuple[str, str, str]]:
    """``(lang, gold label, second label)`` of the double-annotated gold statements of ``config``'s ``split``."""
    from benchmark.data import load

    dataset = load(config, path)
    if split not in dataset or "label_second" not in dataset[split].column_names:
        return []
    rows = dataset[split].select_columns(["lang", "label", "label_source", "label_second"]).to_dict()
    return [(lang, LABELS[label], second) for lang, label, origin, second in
            zip(rows["lang"], rows["label"], rows["label_source"], rows["label_second"])
            if origin == "gold" and second]


def ceiling_report(task_name: str, pairs: list[tuple[str, str, str]], **settings) -> dict | None:
    """The scorer's report of the second annotation against gold for ``task_name`` (None without pairs);
    ``settings``: the bootstrap's ``n_resamples``, ``seed`` and ``confidence``."""
    from benchmark.scoring.report import score_arrays

    task = get_task(task_name)
    mapped = [(lang, task.target(gold), task.target(second)) for lang, gold, second in pairs]
    mapped = [(lang, gold, second) for lang, gold, second in mapped if gold is not None and second is not None]
    if not mapped:
        return None
    return score_arrays(task, [m[1] for m in mapped], [m[2] for m in mapped], [m[0] for m in mapped], **settings)
