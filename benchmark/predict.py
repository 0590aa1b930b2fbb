"""``percee predict``: a logged or saved model on new statements, or on raw documents through the builder's
extraction (each prediction keeping its document provenance)."""
from __future__ import annotations

from pathlib import Path

from benchmark.errors import InputError, control_character, shorten
from benchmark.fileio import dumps_jsonl, read_jsonl, write_atomic
from benchmark.models.inputs import FEATURES

#: Provenance kept for each statement extracted from a document.
#: Metadata of an exported statements file (``percee export``) carried into the predictions.
CARRIED = ("dataset_digest", "config", "split")
PROVENANCE = ("doc_id", "sentence_index", "char_start", "char_end", "text", "lang", "holder", "holder_kind", "event")
_HINT = 'each line must be {"id": "...", "text": "...", "lang": "en|fr|ru"}'


def read_statements(path: Path, meta: dict | None = None) -> list[dict]:
    """The statements of a JSONL file; every row needs a unique non-empty ``id``, a ``text`` and a known ``lang``.

    A first row ``{"_meta": {...}}`` (as ``percee export`` writes) is skipped; its ``dataset_digest``, ``config``
    and ``split`` are copied into ``meta`` when given.
    """
    from benchmark.data.lexicon import LANGUAGES

    rows, seen = [], {}
    for index, (line, row) in enumerate(read_jsonl(path)):
        if index == 0 and isinstance(row.get("_meta"), dict):
            if meta is not None:
                meta.update({key: row["_meta"][key] for key in CARRIED if key in row["_meta"]})
            continue
        for field in ("id", *FEATURES):
            if not isinstance(row.get(field), str) or not row[field].strip():
                raise InputError(f"missing or empty field {field!r}; {_HINT}", path=path, line=line)
        if row["lang"] not in LANGUAGES:
            raise InputError(f"unknown language {shorten(row['lang'])}; supported: {', '.join(LANGUAGES)}", path=path,
                             line=line)
        if bad := control_character(row["text"]):
            raise InputError(f"text holds the control character {bad}; remove it", path=path, line=line)
        if row["id"] in seen:
            raise InputError(f"id {shorten(row['id'])} already on line {seen[row['id']]}; ids must be unique",
                             path=path, line=line)
        seen[row["id"]] = line
        rows.append({"id": row["id"], "text": row["text"], "lang": row["lang"]})
    if not rows:
        raise InputError(f"no statements in the file; {_HINT}", path=path)
    return rows


def extract_statements(path: Path) -> list[dict]:
    """Run the builder's extraction on raw documents (``doc_id``, ``lang``, ``text``, optional ``date``, ``title``)."""
    from benchmark.data.extract import extract
    from benchmark.data.lexicon import lexicon_for
    from benchmark.data.sources import Source, read_source

    documents = list(read_source(Source("input", Path(path).name, "documents given to percee predict"), path))
    if not documents:
        raise InputError('no documents in the file; each line must be {"doc_id": ..., "lang": ..., "text": ...}',
                         path=path)
    return [{"id": statement.id, **{key: getattr(statement, key) for key in PROVENANCE}}
            for document in documents for statement in extract(document, lexicon_for(document.lang))]


def predict(model: str, output: Path, statements: Path | None = None, documents: Path | None = None,
            tracking_uri: str | None = None, trust: bool = False, own_store: str | None = None) -> int:
    """Predict every statement (given, or extracted from documents) and write the predictions JSONL.

    Rows are ``{"id", "label", "scores"}`` (plus provenance for documents) after a ``_meta`` row naming the
    model and its task. Returns the number of predictions. ``trust`` and ``own_store``: see
    :func:`benchmark.tracking.load_model`.
    """
    import pandas as pd

    from benchmark import tracking
    from benchmark.experiment import class_scores

    if Path(output).is_dir():
        raise InputError("is a folder; give the path of the predictions file to write", path=output)
    carried = {}
    rows = read_statements(statements, carried) if statements is not None else extract_statements(documents)
    estimator, metadata = tracking.load_model(model, tracking_uri, trust=trust, own_store=own_store)
    labels = tuple(metadata.get("labels") or map(str, getattr(estimator, "classes_", ())))
    meta = {**carried, "model": model, "task": metadata.get("task"),
            "trained_on_dataset": metadata.get("dataset_digest"), "input": str(statements or documents)}
    out = [{"_meta": meta}]
    if rows:
        X = pd.DataFrame({feature: [row[feature] for row in rows] for feature in FEATURES})
        predicted = [str(label) for label in estimator.predict(X)]
        scores, meta["scores"] = class_scores(estimator, X, labels)
        for index, (row, label) in enumerate(zip(rows, predicted)):
            entry = {"id": row["id"], "label": label}
            if scores is not None:
                entry["scores"] = dict(zip(labels, scores[index].tolist()))
            if documents is not None:
                entry.update({key: row[key] for key in PROVENANCE})
            out.append(entry)
    write_atomic(Path(output), dumps_jsonl(out))
    return len(rows)
