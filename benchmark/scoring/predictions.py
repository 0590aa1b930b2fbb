"""Read a predictions JSONL file and validate it against the gold statements of a task.

A predictions file holds one object per line, ``{"id": str, "label": str, "scores": {label: probability}}``
(``scores`` optional), after an optional first line ``{"_meta": {"dataset_digest": ..., ...}}``; the same
metadata may sit in a sidecar ``<predictions>.meta.json``. Every problem raises
:class:`benchmark.errors.InputError` with one message naming the file, the line when there is one, what is
wrong and what to do.

Files in the canonical layout that ``json.dumps`` writes (``{"id": "...", "label": "..."}`` per line, no
escapes, no scores) are checked and cut in bulk with numpy; any other file goes through
:func:`benchmark.fileio.read_jsonl` line by line, which also yields the exact error messages.
"""
from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np

from benchmark.errors import InputError
from benchmark.fileio import read_jsonl
from benchmark.labels import LABELS, Task, get_task
from benchmark.scoring.calibration import invalid_rows

META_KEY = "_meta"
SIDECAR_SUFFIX = ".meta.json"
#: How many offending ids an error message lists.
EXAMPLES = 5
_ROW_HINT = 'every row needs {"id": "<statement id>", "label": "<label>"}'
_QUOTE, _BACKSLASH, _NEWLINE, _OPEN, _CLOSE = 34, 92, 10, ord("{"), ord("}")
#: Literal text between the 8 quotes of a canonical row ``{"id": "X", "label": "Y"}`` (segment after quote k).
_CANONICAL_SEGMENTS = ((0, b"id"), (1, b": "), (3, b", "), (4, b"label"), (5, b": "))


@dataclass(frozen=True)
class GoldArrays:
    """The gold statements of one task, in the gold mapping's order (statements outside the task dropped)."""

    ids: list[str]
    y_true: np.ndarray
    langs: list[str]
    sources: list[str]


@dataclass(frozen=True)
class Predictions:
    """A validated predictions file aligned with the gold order of its task.

    ``y_true``/``y_pred`` are indices into ``task.labels``; ``scores`` is ``(n, K)`` in that label order or
    None; ``n_ignored`` counts rows for gold statements that the task leaves out (e.g. no_claim for stance).
    """

    path: Path
    task: Task
    ids: list[str]
    y_true: np.ndarray
    y_pred: np.ndarray
    langs: list[str]
    sources: list[str]
    scores: np.ndarray | None
    meta: dict
    n_ignored: int


@dataclass(frozen=True)
class _Rows:
    """The rows of a predictions file as columns; ``lines[i]`` is the file line of row i."""

    ids: list[str]
    labels: list[str]
    lines: np.ndarray
    scores: list | None
    meta: dict


def gold_arrays(task: Task, gold: Mapping[str, Mapping]) -> GoldArrays:
    """Map the gold statement labels to ``task`` (``task.target``) and keep the statements in the task.

    Parameters
    ----------
    task: the task.
    gold: ``id -> {"label": <statement label>, "lang": str, "source": str}``.
    """
    targets = {label: task.target(label) for label in LABELS}
    code = {label: -1 if target is None else task.labels.index(target) for label, target in targets.items()}
    ids, records = list(gold), list(gold.values())
    try:
        labels = map(itemgetter("label"), records)
        y_true = np.fromiter(map(code.__getitem__, labels), np.int64, len(records))
        keep = y_true >= 0
        if not keep.all():
            ids, records, y_true = list(compress(ids, keep)), list(compress(records, keep)), y_true[keep]
        langs = list(map(itemgetter("lang"), records))
        sources = list(map(itemgetter("source"), records))
    except (KeyError, TypeError):
        raise _gold_error(gold) from None
    if not ids:
        raise InputError(f"the gold has no statement in task {task.name}; check the split and the task")
    return GoldArrays(ids, y_true, langs, sources)


def _gold_error(gold: Mapping[str, Mapping]) -> InputError:
    """Describe the first malformed gold record."""
    for statement_id, record in gold.items():
        if not isinstance(record, Mapping) or not {"label", "lang", "source"} <= record.keys():
            return InputError(f"gold statement {statement_id!r} needs a mapping with label, lang and source, "
                              f"got {record!r}; rebuild the dataset")
        if record["label"] not in LABELS:
            return InputError(f"gold statement {statement_id!r} has label {record['label']!r}, not one of "
                              f"{', '.join(LABELS)}; rebuild the dataset")
    return InputError("the gold mapping is malformed; rebuild the dataset")


def load_predictions(task: Task | str, gold: Mapping[str, Mapping], path, expected_digest: str | None = None,
                     force: bool = False) -> Predictions:
    """Read ``path``, check it against ``gold`` for ``task`` and align it with the gold order.

    Parameters
    ----------
    task: a Task or its name.
    gold: ``id -> {"label", "lang", "source"}`` (statement labels; see :func:`gold_arrays`).
    path: the predictions JSONL file (``.gz`` accepted).
    expected_digest: the gold dataset's digest; a different ``dataset_digest`` in the metadata is refused.
    force: score even when the digests differ.
    """
    task = get_task(task) if isinstance(task, str) else task
    path = Path(path)
    rows = _read_rows(path)
    meta = _merge_meta(rows.meta, _read_sidecar(path), path)
    if not rows.ids:
        raise InputError(f"no predictions in the file; write one line per statement, {_ROW_HINT}", path=path)
    _check_digest(meta, expected_digest, force, path)
    reference = gold_arrays(task, gold)
    order, n_ignored = _align(task, rows, reference, gold, path)
    y_pred = _label_indices(task, rows, order, path)
    scores = None if rows.scores is None else _score_matrix(task, rows, order, path)
    return Predictions(path, task, reference.ids, reference.y_true, y_pred, reference.langs, reference.sources,
                       scores, meta, n_ignored)


def digest_status(meta: Mapping, expected_digest: str | None) -> str:
    """``match``, ``mismatch``, ``absent`` (no digest in the metadata) or ``not checked`` (none expected)."""
    if expected_digest is None:
        return "not checked"
    if "dataset_digest" not in meta:
        return "absent"
    return "match" if meta["dataset_digest"] == expected_digest else "mismatch"


def _check_digest(meta: Mapping, expected_digest: str | None, force: bool, path: Path) -> None:
    if digest_status(meta, expected_digest) == "mismatch" and not force:
        raise InputError(f"the predictions were made on the dataset with digest {meta['dataset_digest']!r}, but the "
                         f"gold's digest is {expected_digest!r}; predict the current dataset again, or force scoring "
                         "(force=True)",
                         path=path)


# ---------------------------------------------------------------- reading


def _read_rows(path: Path) -> _Rows:
    """The file's rows: the bulk path when the file is canonical, else the line-by-line path."""
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError):
        data = None
    rows = None if data is None else _parse_canonical(data, path)
    return rows if rows is not None else _parse_lines(path)


def _parse_lines(path: Path) -> _Rows:
    """Read any JSONL file row by row (exact line numbers in every error)."""
    ids, labels, lines, scores, meta = [], [], [], [], {}
    for index, (number, row) in enumerate(read_jsonl(path)):
        if index == 0 and META_KEY in row:
            meta = _meta_of(row, path, number)
            continue
        ids.append(_text_field(row, "id", path, number))
        labels.append(_text_field(row, "label", path, number))
        lines.append(number)
        scores.append(row.get("scores"))
    has_scores = any(given is not None for given in scores)
    return _Rows(ids, labels, np.asarray(lines, dtype=np.int64), scores if has_scores else None, meta)


def _parse_canonical(data: bytes, path: Path) -> _Rows | None:
    """Cut a canonical file (after an optional ``_meta`` line) with numpy, or return None if it is not canonical.

    A row is canonical when it is exactly ``{"id": "X", "label": "Y"}`` with X non-empty and no backslash,
    quote or control character in X or Y: such a line is valid JSON whose strings are the raw text.
    """
    meta, first_line = {}, 1
    if data.startswith(b'{"' + META_KEY.encode() + b'"'):
        end = data.find(b"\n")
        try:
            head = json.loads(data[:end])
        except ValueError:
            return None  # includes end == -1 (no newline): the line-by-line path reports it
        meta, first_line, data = _meta_of(head, path, 1), 2, data[end + 1:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == _NEWLINE)
    if len(buf) and buf[-1] != _NEWLINE:
        ends = np.append(ends, len(buf))
    quotes = np.flatnonzero(buf == _QUOTE)
    n = len(ends)
    if (len(quotes) != 8 * n or np.count_nonzero(buf < 32) != np.count_nonzero(buf == _NEWLINE)
            or np.any(buf == _BACKSLASH)):
        return None
    quotes = quotes.reshape(n, 8)
    if n and not _canonical(buf, quotes, np.concatenate(([0], ends[:-1] + 1)), ends):
        return None
    ids = _cut(data, text, quotes[:, 2] + 1, quotes[:, 3])
    labels = _cut(data, text, quotes[:, 6] + 1, quotes[:, 7])
    return _Rows(ids, labels, np.arange(first_line, first_line + n), None, meta)


def _canonical(buf: np.ndarray, quotes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> bool:
    """Whether every line ``buf[starts[i]:ends[i]]`` is ``{"id": "X", "label": "Y"}`` with X non-empty."""
    ok = (quotes[:, 0] == starts + 1) & (quotes[:, 7] == ends - 2) & (quotes[:, 3] > quotes[:, 2] + 1)
    ok &= (buf[starts] == _OPEN) & (buf[ends - 1] == _CLOSE)
    last = len(buf) - 1
    for k, literal in _CANONICAL_SEGMENTS:
        ok &= quotes[:, k + 1] - quotes[:, k] - 1 == len(literal)
        for offset, byte in enumerate(literal, start=1):
            ok &= buf[np.minimum(quotes[:, k] + offset, last)] == byte
    return bool(ok.all())


def _cut(data: bytes, text: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """The strings at byte ranges ``[starts[i], ends[i])`` (sliced from the text directly when it is ASCII)."""
    pairs = zip(starts.tolist(), ends.tolist())
    if len(text) == len(data):
        return [text[start:end] for start, end in pairs]
    return [data[start:end].decode("utf-8") for start, end in pairs]


def _text_field(row: dict, key: str, path: Path, line: int) -> str:
    value = row.get(key)
    if isinstance(value, str) and value:
        return value
    problem = f'has no "{key}"' if key not in row else f'has "{key}": {value!r}, not a non-empty string'
    hint = f' (a "{META_KEY}" row is only allowed as the first line)' if META_KEY in row else ""
    raise InputError(f"row {problem}{hint}; {_ROW_HINT}", path=path, line=line)


def _meta_of(row: dict, path: Path, line: int | None) -> dict:
    meta = row.get(META_KEY) if isinstance(row, dict) else None
    if not isinstance(meta, dict):
        raise InputError(f'metadata must be {{"{META_KEY}": {{"dataset_digest": "...", ...}}}}, got {row!r}',
                         path=path, line=line)
    return meta


def _read_sidecar(path: Path) -> dict:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read the metadata file ({exc}); it must be one UTF-8 JSON object",
                         path=sidecar) from None
    if not isinstance(meta, dict):
        raise InputError('the metadata file must hold one JSON object such as {"dataset_digest": "..."}',
                         path=sidecar)
    return meta


def _merge_meta(in_file: dict, sidecar: dict, path: Path) -> dict:
    clashes = sorted(key for key in in_file.keys() & sidecar.keys() if in_file[key] != sidecar[key])
    if clashes:
        raise InputError(f"the {META_KEY} line and {path.name}{SIDECAR_SUFFIX} disagree on {', '.join(clashes)}; "
                         "keep one of them", path=path)
    return {**sidecar, **in_file}


# ---------------------------------------------------------------- checking against the gold


def _align(task: Task, rows: _Rows, reference: GoldArrays, gold: Mapping, path: Path) -> tuple[np.ndarray, int]:
    """Row index of each gold statement, and the number of rows for gold statements outside the task."""
    n = len(rows.ids)
    if rows.ids == reference.ids:
        return np.arange(n), 0
    position = dict(zip(rows.ids, range(n)))
    if len(position) != n:
        raise _duplicates(rows, path)
    order = np.fromiter(map(position.get, reference.ids, repeat(-1)), np.int64, len(reference.ids))
    missing = order < 0
    extra = np.ones(n, dtype=bool)
    extra[order[~missing]] = False
    unknown = [int(i) for i in np.flatnonzero(extra) if rows.ids[i] not in gold]
    if unknown:
        shown = ", ".join(f"{rows.ids[i]!r} (line {rows.lines[i]})" for i in unknown[:EXAMPLES])
        raise InputError(f"{len(unknown)} id(s) are not in the gold, e.g. {shown}; check that the predictions are "
                         "for this dataset and split", path=path)
    if missing.any():
        absent = list(compress(reference.ids, missing))
        shown = ", ".join(repr(i) for i in absent[:EXAMPLES])
        raise InputError(f"{len(absent)} statement(s) of task {task.name} have no prediction, e.g. {shown}; "
                         "predict every statement of the split", path=path)
    return order, int(np.count_nonzero(extra))


def _duplicates(rows: _Rows, path: Path) -> InputError:
    repeated = [i for i, count in Counter(rows.ids).items() if count > 1]
    wanted = set(repeated[:EXAMPLES])
    lines: dict[str, list[int]] = {}
    for statement_id, line in zip(rows.ids, rows.lines.tolist()):
        if statement_id in wanted:
            lines.setdefault(statement_id, []).append(line)
    shown = "; ".join(f"{i!r} on lines {', '.join(map(str, lines[i]))}" for i in repeated[:EXAMPLES])
    return InputError(f"{len(repeated)} id(s) appear more than once: {shown}; keep one prediction per id",
                      path=path)


def _label_indices(task: Task, rows: _Rows, order: np.ndarray, path: Path) -> np.ndarray:
    code = {label: index for index, label in enumerate(task.labels)}
    y_pred = np.fromiter(map(code.get, rows.labels, repeat(-1)), np.int64, len(rows.labels))[order]
    bad = np.flatnonzero(y_pred < 0)
    if bad.size:
        row = int(order[bad[0]])
        raise InputError(f"{bad.size} prediction(s) have a label outside task {task.name}, e.g. "
                         f"{rows.labels[row]!r}; allowed labels: {', '.join(task.labels)}",
                         path=path, line=int(rows.lines[row]))
    return y_pred


def _score_matrix(task: Task, rows: _Rows, order: np.ndarray, path: Path) -> np.ndarray:
    """The ``(n, K)`` score matrix in gold order; every aligned row must carry valid scores."""
    allowed = set(task.labels)
    matrix = np.empty((len(order), len(task.labels)))
    for target, row in enumerate(order.tolist()):
        given, line = rows.scores[row], int(rows.lines[row])
        if not isinstance(given, dict):
            raise InputError(f'"scores" is {given!r}, while other rows have scores; give a JSON object '
                             f'{{"<label>": probability}} on every row or on none', path=path, line=line)
        if given.keys() != allowed:
            unknown, absent = sorted(given.keys() - allowed), sorted(allowed - given.keys())
            problem = "; ".join(part for part in (unknown and f"unknown label key(s) {', '.join(unknown)}",
                                                  absent and f"missing {', '.join(absent)}") if part)
            raise InputError(f'"scores" must have exactly the labels of task {task.name} '
                             f"({', '.join(task.labels)}) as keys: {problem}", path=path, line=line)
        values = [given[label] for label in task.labels]
        if not all(type(value) in (int, float) for value in values):
            raise InputError(f'"scores" values must be numbers, got {given!r}', path=path, line=line)
        matrix[target] = values
    bad = np.flatnonzero(invalid_rows(matrix))
    if bad.size:
        row = int(order[bad[0]])
        raise InputError(f'"scores" {rows.scores[row]!r} {_probability_problem(matrix[bad[0]])}; scores must be '
                         f"probabilities, finite and in [0, 1] with a positive sum ({bad.size} row(s) affected)",
                         path=path, line=int(rows.lines[row]))
    return matrix


def _probability_problem(values: np.ndarray) -> str:
    if not np.isfinite(values).all():
        return "has a non-finite value"
    if (values < 0).any():
        return "has a negative value"
    return "has a value above 1" if (values > 1).any() else "sums to 0"
