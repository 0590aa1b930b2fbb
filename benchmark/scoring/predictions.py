"""Read a predictions JSONL file and validate it against the gold statements of a task.

A predictions file holds one object per line, ``{"id": str, "label": str, "scores": {label: probability}}``
(``scores`` optional), after an optional first line ``{"_meta": {"dataset_digest": ..., ...}}``; the same
metadata may sit in a sidecar ``<predictions>.meta.json``. Every problem raises
:class:`benchmark.errors.InputError` with one message naming the file, the line when there is one, what is
wrong and what to do.

Files in the layout that ``json.dumps`` writes (``{"id": "...", "label": "...", "scores": {...}}`` per line,
default or compact separators, no escapes), in any row order, are checked, cut and aligned in bulk with numpy
(:func:`_parse_canonical`); any other file goes through :func:`benchmark.fileio.read_jsonl` line by line. When
the bulk path finds a problem, the file is read again line by line, whose message names the file and line.
"""
from __future__ import annotations

import gzip
import json
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np

from benchmark.errors import InputError, shorten
from benchmark.fileio import read_jsonl, read_limited
from benchmark.labels import LABELS, Task, get_task
from benchmark.scoring.calibration import invalid_rows

META_KEY = "_meta"
SIDECAR_SUFFIX = ".meta.json"
#: How many offending ids an error message lists.
EXAMPLES = 5
_ROW_HINT = 'every row needs {"id": "<statement id>", "label": "<label>"}'
_QUOTE, _NEWLINE = ord('"'), ord("\n")
#: A JSON number, whole (RFC 8259 section 6): what :func:`_numbers` accepts before converting it.
_JSON_NUMBER = r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$"


@dataclass(frozen=True)
class _Style:
    """The literal pieces of a canonical row: head + id + middle + label + (tail | scores + key colon value (comma
    key colon value)* close)."""

    head: bytes
    middle: bytes
    tail: bytes
    scores: bytes
    colon: bytes
    comma: bytes
    close: bytes = b"}}"


#: ``json.dumps`` with its default separators, and with the compact ones (``separators=(",", ":")``).
_STYLES = (_Style(b'{"id": "', b'", "label": "', b'"}', b'", "scores": {"', b'": ', b', "'),
           _Style(b'{"id":"', b'","label":"', b'"}', b'","scores":{"', b'":', b',"'))


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
    """The rows of a predictions file read line by line; ``lines[i]`` is the file line of row i."""

    ids: list[str]
    labels: list[str]
    lines: np.ndarray
    scores: list | None
    meta: dict

    def same_ids(self, ids: list[str]) -> bool:
        """Whether the rows hold exactly ``ids``, in that order."""
        return self.ids == ids

    def label_codes(self, labels: tuple[str, ...]) -> np.ndarray:
        """Index of each row's label in ``labels``, -1 where it is not one of them."""
        code = {label: index for index, label in enumerate(labels)}
        return np.fromiter(map(code.get, self.labels, repeat(-1)), np.int64, len(self.labels))

    def label(self, row: int) -> str:
        return self.labels[row]


class _CanonicalRows:
    """The rows of a canonical file, kept as byte spans of ``data``: strings are only made when needed.

    ``scores`` is None or the ``(n, K)`` score values in the file's key order ``score_keys``.
    """

    scores: np.ndarray | None = None
    score_keys: tuple[str, ...] = ()

    def __init__(self, data: bytes, text: str, id_spans: tuple[np.ndarray, np.ndarray],
                 label_spans: tuple[np.ndarray, np.ndarray], first_line: int, meta: dict):
        self.data, self.text, self.id_spans, self.label_spans, self.meta = data, text, id_spans, label_spans, meta
        self.buf = np.frombuffer(data, dtype=np.uint8)
        self.lines = np.arange(first_line, first_line + len(id_spans[0]))

    @cached_property
    def ids(self) -> list[str]:
        pairs = zip(*(bound.tolist() for bound in self.id_spans))
        if len(self.text) == len(self.data):  # ASCII: byte offsets are character offsets
            return [self.text[start:end] for start, end in pairs]
        return [self.data[start:end].decode("utf-8") for start, end in pairs]

    def same_ids(self, ids: list[str]) -> bool:
        """Whether the rows hold exactly ``ids`` in that order, compared in bulk for ASCII ids."""
        starts, ends = self.id_spans
        if len(ids) != len(starts):
            return False
        probes = np.unique(np.linspace(0, len(ids) - 1, num=min(len(ids), 16)).astype(np.int64)).tolist()
        if any(self.data[starts[i]:ends[i]] != ids[i].encode("utf-8") for i in probes):
            return False  # another order (the usual case for a shuffled file): told by a few rows
        lengths = ends - starts
        if not np.array_equal(lengths, np.fromiter(map(len, ids), np.int64, len(ids))):
            return self.ids == ids  # differ, unless non-ASCII ids make byte and character lengths differ
        for length in np.flatnonzero(np.bincount(lengths)):
            same_length = lengths == length
            expected = "".join(compress(ids, same_length))
            if not expected.isascii():
                return self.ids == ids
            if _windows(self.buf, starts[same_length], length).tobytes() != expected.encode("ascii"):
                return False
        return True

    def match(self, ids: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """``(order, rest)``: the row of each of ``ids`` and the rows holding none of them, found by sorting
        fixed-width keys; None when that cannot decide (non-ASCII or long ids, a hash collision, an id missing
        or repeated), for :func:`_align`'s dictionary to decide and explain."""
        starts, ends = self.id_spans
        wanted = "".join(ids)
        if len(self.text) != len(self.data) or not wanted.isascii():
            return None
        lengths = np.fromiter(map(len, ids), np.int64, len(ids))
        width = -(-max(int(lengths.max()), int((ends - starts).max())) // 8) * 8
        if width > 64:
            return None
        mine = _keys(self.buf, starts, ends - starts, width)
        theirs = _keys(np.frombuffer(wanted.encode("ascii"), np.uint8), np.cumsum(lengths) - lengths, lengths, width)
        hashes = _hash(theirs)
        by_hash = np.argsort(hashes)
        sorted_hashes = hashes[by_hash]
        if (sorted_hashes[1:] == sorted_hashes[:-1]).any():
            return None
        mine_hashes = _hash(mine)
        if len(mine_hashes) == len(ids):  # the usual case, one row per id: the sorted hashes pair them up
            mine_by_hash = np.argsort(mine_hashes)
            if np.array_equal(mine_hashes[mine_by_hash], sorted_hashes):
                order = np.empty(len(ids), dtype=np.int64)
                order[by_hash] = mine_by_hash
                same = (mine[order] == theirs).all()
                return (order, np.empty(0, dtype=np.int64)) if same else None
        candidate = by_hash[np.minimum(np.searchsorted(sorted_hashes, mine_hashes), len(ids) - 1)]
        found = (hashes[candidate] == mine_hashes) & (mine == theirs[candidate]).all(axis=1)
        rows = np.flatnonzero(found)
        if len(rows) != len(ids) or (np.bincount(candidate[rows], minlength=len(ids)) != 1).any():
            return None
        order = np.empty(len(ids), dtype=np.int64)
        order[candidate[rows]] = rows
        return order, np.flatnonzero(~found)

    def label_codes(self, labels: tuple[str, ...]) -> np.ndarray:
        """Index of each row's label in ``labels``, -1 where it is not one of them (compared byte by byte)."""
        starts, ends = self.label_spans
        codes = np.full(len(starts), -1, dtype=np.int64)
        for code, label in enumerate(labels):
            raw = label.encode("utf-8")
            rows = np.flatnonzero(ends - starts == len(raw))
            matches = (_windows(self.buf, starts[rows], len(raw)) == np.frombuffer(raw, dtype=np.uint8)).all(axis=1)
            codes[rows[matches]] = code
        return codes

    def label(self, row: int) -> str:
        return self.data[self.label_spans[0][row]:self.label_spans[1][row]].decode("utf-8")


def _windows(buf: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """The ``(len(starts), width)`` bytes of ``buf`` that begin at each of ``starts`` (all in bounds)."""
    return np.lib.stride_tricks.sliding_window_view(buf, width)[starts]


def _keys(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """The byte strings ``buf[start:start + length]`` zero-padded to ``width`` bytes, as ``(n, width // 8)`` words."""
    out = np.zeros((len(starts), width), dtype=np.uint8)
    for length in np.flatnonzero(np.bincount(lengths)):
        rows = np.flatnonzero(lengths == length)
        out[rows, :length] = _windows(buf, starts[rows], int(length))
    return out.view("<u8")


def _hash(words: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row of ``words`` (multiply-xor; equal rows give equal hashes)."""
    hashes = np.zeros(len(words), dtype=np.uint64)
    for column in words.T:
        hashes = (hashes ^ column) * np.uint64(0x9E3779B97F4A7C15)
        hashes ^= hashes >> np.uint64(29)
    return hashes


#: Either kind of rows: both offer ``lines``, ``meta``, ``scores``, ``ids``, ``same_ids``, ``label_codes``, ``label``.
_AnyRows = _Rows | _CanonicalRows


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


def read_meta(path) -> dict:
    """The metadata of a predictions file (its ``_meta`` first line and its sidecar), read without the rows; {}
    when it has none or cannot be read (reading the rows reports that)."""
    path = Path(path)
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as handle:
            first = json.loads(handle.readline() or b"{}")
        in_file = first.get(META_KEY) if isinstance(first, dict) else None
        return {**_read_sidecar(path), **(in_file if isinstance(in_file, dict) else {})}
    except (OSError, EOFError, zlib.error, ValueError, InputError):
        return {}


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
    try:
        return _load(task, gold, path, rows, expected_digest, force)
    except InputError:
        if not isinstance(rows, _CanonicalRows):
            raise
    return _load(task, gold, path, _parse_lines(path), expected_digest, force)  # its message names the line


def _load(task: Task, gold: Mapping[str, Mapping], path: Path, rows: _AnyRows, expected_digest: str | None,
          force: bool) -> Predictions:
    meta = _merge_meta(rows.meta, _read_sidecar(path), path)
    if not len(rows.lines):
        raise InputError(f"no predictions in the file; write one line per statement, {_ROW_HINT}", path=path)
    _check_digest(meta, expected_digest, force, path)
    reference = gold_arrays(task, gold)
    order, n_ignored = _align(task, rows, reference, gold, path)
    if _statement_labels(task, rows, order):
        y_pred, scores = _derived(task, rows, order, path)
        meta = {**meta, "derived_from": "claim_stance"}
    else:
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


def _read_rows(path: Path) -> _AnyRows:
    """The file's rows: the bulk path when the file is canonical, else the line-by-line path."""
    try:
        data = read_limited(path)
    except zlib.error as exc:
        raise InputError(f"corrupt gzip data ({exc}); compress the file again", path=path) from None
    except (OSError, EOFError):
        data = None  # the line-by-line path reports it
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


def _parse_canonical(data: bytes, path: Path) -> _CanonicalRows | None:
    """Check a file in the layout ``json.dumps`` writes with numpy, or return None if it is not in that layout.

    A row is ``{"id": "X", "label": "Y"}`` or ``{"id": "X", "label": "Y", "scores": {"A": a, "B": b, ...}}``,
    with the default separators (``", "``, ``": "``) or the compact ones (``","``, ``":"``) throughout the file
    and the same score keys in the same order on every row; X, Y and the keys are non-empty, and the file has no
    backslash and no control character but line ends. Every row then holds the same number of quotes, all of them
    the template's, so no string contains a quote and every string is its raw UTF-8 text. The score values must
    be JSON numbers and are read as the line-by-line path reads them (:func:`_numbers`).
    """
    meta, first_line = {}, 1
    if data.startswith(b'{"' + META_KEY.encode() + b'"'):
        end = data.find(b"\n")
        try:
            head = json.loads(data[:end])
        except ValueError:
            return None  # also when there is no newline (end == -1): the line-by-line path takes over
        meta, first_line, data = _meta_of(head, path, 1), 2, data[end + 1:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    scratch = np.empty(len(buf), dtype=bool)  # one mask buffer for every scan: fresh 50 MB arrays are slow
    ends = np.flatnonzero(np.equal(buf, _NEWLINE, out=scratch))
    newlines = len(ends)
    if len(buf) and buf[-1] != _NEWLINE:
        ends = np.append(ends, len(buf))
    if b"\\" in data or np.count_nonzero(np.less(buf, 32, out=scratch)) != newlines:
        return None
    if not len(ends):
        return _CanonicalRows(data, text, (ends, ends), (ends, ends), first_line, meta)
    style = next((style for style in _STYLES if data.startswith(style.head)), None)
    quotes = np.flatnonzero(np.equal(buf, _QUOTE, out=scratch))
    per_row, left = divmod(len(quotes), len(ends))
    if style is None or left or per_row < 8 or per_row % 2 or per_row == 10:
        return None
    starts = np.concatenate(([0], ends[:-1] + 1))
    quotes = quotes.reshape(len(ends), per_row)
    if not ((quotes[:, 0] > starts) & (quotes[:, -1] < ends)).all():
        return None  # the rows hold different numbers of quotes
    id_spans = (starts + len(style.head), quotes[:, 3])
    label_spans = (quotes[:, 3] + len(style.middle), quotes[:, 7])
    checks = [(starts, style.head), (quotes[:, 3], style.middle)]
    if per_row == 8:
        checks.append((quotes[:, 7], style.tail))
        tail_ends = quotes[:, 7] + len(style.tail)
        keys, values = (), None
    else:
        tail_ends = ends
        keys = tuple(data[quotes[0, k] + 1:quotes[0, k + 1]].decode("utf-8") for k in range(10, per_row, 2))
        value_starts = quotes[:, 11::2] + len(style.colon)
        value_ends = np.column_stack([quotes[:, 12::2] - len(style.comma) + 1, ends - len(style.close)])
        # each key is checked with the literal before it, which ends at its opening quote: fewer, longer checks
        named = [key.encode("utf-8") + style.colon for key in keys]
        checks += [(quotes[:, 7], style.scores + named[0]), (ends - len(style.close), style.close)]
        checks += [(column, style.comma + key) for column, key in zip(value_ends[:, :-1].T, named[1:])]
        if not all(keys) or len(set(keys)) != len(keys) or not (value_starts < value_ends).all():
            return None
    if not ((id_spans[0] < id_spans[1]) & (label_spans[0] < label_spans[1]) & (tail_ends == ends)).all():
        return None
    if not all(_occurs_at(data, at, literal) for at, literal in checks):
        return None
    rows = _CanonicalRows(data, text, id_spans, label_spans, first_line, meta)
    if keys:
        values = _numbers(data, value_starts.ravel(), value_ends.ravel())
        if values is None:
            return None
        rows.scores, rows.score_keys = values.reshape(len(ends), len(keys)), keys
    return rows


def _numbers(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray | None:
    """The JSON numbers at the byte spans ``[starts, ends)`` of ``data`` (None when a span is not one number).

    Columnar, with pyarrow: the spans are cut out of ``data`` without a copy (as the even strings of one string
    array whose offsets alternate span starts and ends), gathered, matched against JSON's number grammar and cast
    to float64. Arrow's parser rounds correctly, as Python's ``float`` (and so ``json``) does: every value is the
    double the line-by-line path reads. Any failure returns None, for the line-by-line path to explain.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    bounds = np.empty(2 * len(starts), dtype=np.int64)
    bounds[0::2], bounds[1::2] = starts, ends
    try:
        spans = pa.Array.from_buffers(pa.large_string(), len(bounds) - 1,
                                      [None, pa.py_buffer(bounds), pa.py_buffer(data)])
        numbers = spans.take(pa.array(np.arange(0, len(bounds) - 1, 2)))
        if not pc.all(pc.match_substring_regex(numbers, _JSON_NUMBER)).as_py():
            return None
        values = pc.cast(numbers, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowException, ValueError):
        return None
    integer_zeros = [index for index in np.flatnonzero(np.signbit(values) & (values == 0)).tolist()
                     if data[starts[index]:ends[index]] == b"-0"]
    if integer_zeros:  # "-0" is the JSON integer 0, which Python reads as +0.0
        values = values.copy()
        values[integer_zeros] = 0.0
    return values


def _occurs_at(data: bytes, at: np.ndarray, literal: bytes) -> bool:
    """Whether ``literal`` occurs at every offset of ``at``, compared up to 8 bytes at a time as integers."""
    width = next(width for width in (8, 4, 2, 1) if width <= len(literal))
    words = np.ndarray((len(data) - width + 1,), dtype=f"<u{width}", buffer=data, strides=(1,))
    for offset in {*range(0, len(literal) - width, width), len(literal) - width}:
        if not (words[at + offset] == int.from_bytes(literal[offset:offset + width], "little")).all():
            return False
    return True


def _text_field(row: dict, key: str, path: Path, line: int) -> str:
    value = row.get(key)
    if isinstance(value, str) and value:
        return value
    if key == "label" and type(value) is int:
        names = ", ".join(f"{index} = {label}" for index, label in enumerate(LABELS))
        raise InputError(f'"label" is the integer {value}: give label names, not class ids (the dataset\'s '
                         f"ClassLabel ids are {names}; for task claim the names are claim and no_claim)",
                         path=path, line=line)
    problem = f'has no "{key}"' if key not in row else f'has "{key}": {shorten(value)}, not a non-empty string'
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


def _align(task: Task, rows: _AnyRows, reference: GoldArrays, gold: Mapping, path: Path) -> tuple[np.ndarray, int]:
    """Row index of each gold statement, and the number of rows for gold statements outside the task."""
    n = len(rows.lines)
    if rows.same_ids(reference.ids):
        return np.arange(n), 0
    matched = rows.match(reference.ids) if isinstance(rows, _CanonicalRows) else None
    if matched is not None:
        order, rest = matched
        rest_ids = [rows.data[rows.id_spans[0][i]:rows.id_spans[1][i]].decode("ascii") for i in rest.tolist()]
        if len(set(rest_ids)) == len(rest_ids) and all(i in gold for i in rest_ids):
            return order, len(rest_ids)
    position = dict(zip(rows.ids, range(n)))
    if len(position) != n:
        raise _duplicates(rows, path)
    order = np.fromiter(map(position.get, reference.ids, repeat(-1)), np.int64, len(reference.ids))
    missing = order < 0
    extra = np.ones(n, dtype=bool)
    extra[order[~missing]] = False
    unknown = [int(i) for i in np.flatnonzero(extra) if rows.ids[i] not in gold]
    if unknown:
        shown = ", ".join(f"{shorten(rows.ids[i])} (line {rows.lines[i]})" for i in unknown[:EXAMPLES])
        raise InputError(f"{len(unknown)} id(s) are not in the gold, e.g. {shown}; check that the predictions are "
                         "for this dataset and split", path=path)
    if missing.any():
        absent = list(compress(reference.ids, missing))
        shown = ", ".join(shorten(i) for i in absent[:EXAMPLES])
        raise InputError(f"{len(absent)} statement(s) of task {task.name} have no prediction, e.g. {shown}; "
                         "predict every statement of the split", path=path)
    return order, int(np.count_nonzero(extra))


def _duplicates(rows: _AnyRows, path: Path) -> InputError:
    repeated = [i for i, count in Counter(rows.ids).items() if count > 1]
    wanted = set(repeated[:EXAMPLES])
    lines: dict[str, list[int]] = {}
    for statement_id, line in zip(rows.ids, rows.lines.tolist()):
        if statement_id in wanted:
            lines.setdefault(statement_id, []).append(line)
    shown = "; ".join(f"{shorten(i)} on lines {', '.join(map(str, lines[i]))}" for i in repeated[:EXAMPLES])
    return InputError(f"{len(repeated)} id(s) appear more than once: {shown}; keep one prediction per id",
                      path=path)


def _label_indices(task: Task, rows: _AnyRows, order: np.ndarray, path: Path) -> np.ndarray:
    y_pred = rows.label_codes(task.labels)[order]
    bad = np.flatnonzero(y_pred < 0)
    if bad.size:
        row = int(order[bad[0]])
        raise InputError(f"{bad.size} prediction(s) have a label outside task {task.name}, e.g. "
                         f"{shorten(rows.label(row))}; allowed labels: {', '.join(task.labels)}",
                         path=path, line=int(rows.lines[row]))
    return y_pred


def _statement_labels(task: Task, rows: _AnyRows, order: np.ndarray) -> bool:
    """Whether a file for task ``claim`` or ``stance`` holds the three statement labels instead (some row has a
    label outside the task, and every row one of the statement labels)."""
    if task.labels == LABELS or (rows.label_codes(task.labels)[order] >= 0).all():
        return False
    return bool((rows.label_codes(LABELS)[order] >= 0).all())


def _derived(task: Task, rows: _AnyRows, order: np.ndarray, path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    """Task labels (and scores) derived from three-label predictions as the task defines them (``Task.target``):
    for ``claim``, either claim label is ``claim`` (its score the sum of theirs); for ``stance``, a claim label is
    kept, and a ``no_claim`` prediction of a claim takes the likelier claim label by the scores (the scores
    restricted to the two claim labels, renormalised)."""
    statement = rows.label_codes(LABELS)[order]
    full = None if rows.scores is None else _score_matrix(get_task("claim_stance"), rows, order, path)
    target = np.array([-1 if task.target(label) is None else task.labels.index(task.target(label))
                       for label in LABELS])
    y_pred = target[statement]
    if full is None:
        scores = None
    elif task.name == "claim":
        scores = np.column_stack([full[:, :2].sum(axis=1), full[:, 2]])
    else:
        claims = full[:, :2]
        total = claims.sum(axis=1, keepdims=True)
        scores = np.divide(claims, total, out=np.full_like(claims, 0.5), where=total > 0)
    undecided = np.flatnonzero(y_pred < 0)
    if undecided.size:
        if scores is None:
            row = int(order[undecided[0]])
            raise InputError(f"{undecided.size} claim(s) are predicted no_claim, which task {task.name} cannot "
                             f"score without scores: add \"scores\" to the rows (the likelier of "
                             f"{' and '.join(task.labels)} is taken), or predict one of them",
                             path=path, line=int(rows.lines[row]))
        y_pred[undecided] = scores[undecided].argmax(axis=1)
    return y_pred, scores


def _score_matrix(task: Task, rows: _AnyRows, order: np.ndarray, path: Path) -> np.ndarray:
    """The ``(n, K)`` score matrix in gold order; every aligned row must carry valid scores."""
    allowed = set(task.labels)
    if isinstance(rows, _CanonicalRows):
        if set(rows.score_keys) != allowed:
            raise InputError('"scores" keys differ from the task labels', path=path)  # explained line by line
        matrix = rows.scores[order][:, [rows.score_keys.index(label) for label in task.labels]]
        if invalid_rows(matrix).any():
            raise InputError('"scores" are not probabilities', path=path)  # explained line by line
        return matrix
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
            raise InputError(f'"scores" values must be numbers, got {shorten(given)}', path=path, line=line)
        try:
            matrix[target] = values
        except OverflowError:  # an integer too large for a float
            raise InputError(f'"scores" {shorten(given)} has a value too large to be a probability; scores must be '
                             "in [0, 1]", path=path, line=line) from None
    bad = np.flatnonzero(invalid_rows(matrix))
    if bad.size:
        row = int(order[bad[0]])
        raise InputError(f'"scores" {shorten(rows.scores[row])} {_probability_problem(matrix[bad[0]])}; scores must be '
                         f"probabilities, finite and in [0, 1] with a positive sum ({bad.size} row(s) affected)",
                         path=path, line=int(rows.lines[row]))
    return matrix


def _probability_problem(values: np.ndarray) -> str:
    if not np.isfinite(values).all():
        return "has a non-finite value"
    if (values < 0).any():
        return "has a negative value"
    return "has a value above 1" if (values > 1).any() else "sums to 0"
