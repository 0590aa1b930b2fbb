"""``percee export``: the blind file of a split (its statements without labels, for researchers to predict), or
its gold labels (for maintainers who keep them private and score with ``percee score --labels``).

Both files are JSONL after a first ``{"_meta": {...}}`` row naming the dataset digest, configuration and split;
``percee predict`` carries that metadata into its predictions, so ``percee score`` checks the digest and finds
the split by itself.
"""
from __future__ import annotations

from pathlib import Path

from benchmark.errors import InputError
from benchmark.fileio import dumps_jsonl, write_atomic

#: Splits that hold gold labels only (train mixes gold and weak labels and ships with them).
SPLITS = ("test", "validation")
STATEMENT_FIELDS = ("id", "text", "lang")
LABEL_FIELDS = ("id", "label", "lang", "source")


def export_rows(config: str, split: str, dataset: Path, labels: bool = False) -> list[dict]:
    """The ``_meta`` row and one row per statement: ``id, text, lang`` or, with ``labels``, the gold
    ``id, label, lang, source`` (label names; for the contrast sets, ``source`` is the capability)."""
    from benchmark.data import contrast_gold, digest, gold, load

    if split not in SPLITS:
        raise InputError(f"export the test or validation split, not {split!r} (train ships with its labels)")
    rows = load(config, dataset)
    if split not in rows:
        raise InputError(f"configuration {config!r} has no split {split!r}; it has {', '.join(rows)}", path=dataset)
    meta = {"dataset_digest": digest(dataset), "config": config, "split": split,
            "content": "gold labels" if labels else "statements without labels"}
    out = [{"_meta": meta}]
    if labels:
        records = contrast_gold(rows[split]) if config == "contrast" else gold(config, split, dataset)
        out += [{"id": i, **record} for i, record in records.items()]
    else:
        columns = rows[split].select_columns(list(STATEMENT_FIELDS)).to_dict()
        out += [dict(zip(STATEMENT_FIELDS, values)) for values in zip(*(columns[key] for key in STATEMENT_FIELDS))]
    return out


def export(output: Path, config: str, split: str, dataset: Path, labels: bool = False) -> int:
    """Write the export atomically to ``output``; return the number of statements."""
    rows = export_rows(config, split, dataset, labels)
    write_atomic(Path(output), dumps_jsonl(rows))
    return len(rows) - 1
