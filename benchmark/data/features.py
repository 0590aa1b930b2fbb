"""The columns of a PERCÉE statement row and their Hugging Face feature types (one definition)."""
from __future__ import annotations

from benchmark.labels import LABELS

#: (column, type) in column order; "label" types are ClassLabel over LABELS, lists are sequences of strings,
#: "floats" sequences of float32 (``weak_probs``: the label model's P(label | votes) in LABELS order).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("text", "string"), ("lang", "string"), ("label", "label"), ("label_source", "string"),
    ("source", "string"), ("doc_id", "string"), ("date", "string"), ("year", "int32"), ("title", "string"),
    ("context", "string"), ("sentence_index", "int32"), ("char_start", "int32"), ("char_end", "int32"),
    ("line_index", "int32"), ("holder", "string"), ("holder_kind", "string"), ("event", "string"),
    ("expectation_cues", "list"), ("outcome_cues", "list"), ("weak_label", "label"), ("weak_rules", "list"),
    ("weak_outcome", "string"), ("annotator", "string"), ("guideline_version", "string"),
    ("label_first", "string"), ("label_second", "string"), ("group", "string"), ("translation_group", "string"),
    ("translation_of", "string"), ("translator", "string"), ("train_only", "bool"),
    ("pool", "string"), ("weak_probs", "floats"),
)


#: The columns of the ``contrast`` configuration: edited statements and the originals they were written from.
CONTRAST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("text", "string"), ("lang", "string"), ("label", "label"), ("role", "string"),
    ("capability", "string"), ("source_id", "string"), ("edit", "string"), ("writer", "string"),
    ("checker", "string"), ("version", "string"),
)


def features(columns: tuple[tuple[str, str], ...] = COLUMNS):
    """The ``datasets.Features`` of ``columns`` (label columns are ClassLabel; -1 means none)."""
    from datasets import ClassLabel, Features, List, Value

    def feature(kind: str):
        if kind == "label":
            return ClassLabel(names=list(LABELS))
        if kind == "list":
            return List(Value("string"))
        if kind == "floats":
            return List(Value("float32"))
        return Value(kind)

    return Features({name: feature(kind) for name, kind in columns})
