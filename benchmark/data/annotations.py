"""Gold labels: read ``datasets/annotations/*.jsonl``, validate every row, resolve each statement's label."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmark.errors import InputError
from benchmark.fileio import read_jsonl
from benchmark.labels import LABELS

PRIMARY, SECOND, ADJUDICATION = "primary", "second", "adjudication"
#: A primary row with ``"pool": "train"`` was drawn to enrich train (likely claims): its statement never
#: enters validation or test.
TRAIN_POOL = "train"
#: A primary row with ``"pool": "evaluation"`` was drawn at random among the candidates of validation and test
#: after the splits were dealt: it stays in its group's split and never changes how splits are dealt.
EVALUATION_POOL = "evaluation"
POOLS = ("", TRAIN_POOL, EVALUATION_POOL)
ROLES = (PRIMARY, SECOND, ADJUDICATION)
REQUIRED = ("id", "label", "annotator", "guideline_version", "role")
#: Annotator ids name people or annotator sessions (``ann-01``, ``adj-lead``), never a labelling rule.
ANNOTATOR_ID = re.compile(r"^(?:ann|adj)-[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Annotation:
    """One row of an annotation file, with where it came from."""

    id: str
    label: str
    annotator: str
    guideline_version: str
    role: str
    note: str
    where: str
    pool: str = ""


@dataclass(frozen=True)
class Gold:
    """The resolved gold label of one statement, with the labels it was resolved from."""

    label: str
    annotator: str
    guideline_version: str
    label_first: str
    label_second: str | None
    note: str
    pool: str = ""

    @property
    def train_only(self) -> bool:
        return self.pool == TRAIN_POOL


def _row(record: dict, path: Path, line: int) -> Annotation:
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        raise InputError(f"missing field(s) {missing}; each row needs {list(REQUIRED)} and may have 'note'",
                         path=path, line=line)
    if record["label"] not in LABELS:
        raise InputError(f"unknown label {record['label']!r} for {record['id']}; use one of {list(LABELS)}",
                         path=path, line=line)
    if record["role"] not in ROLES:
        raise InputError(f"unknown role {record['role']!r}; use one of {list(ROLES)}", path=path, line=line)
    if not isinstance(record["annotator"], str) or not ANNOTATOR_ID.match(record["annotator"]):
        raise InputError(f"annotator {record['annotator']!r} is not an annotator id like 'ann-01' or 'adj-lead'",
                         path=path, line=line)
    if record.get("pool", "") not in POOLS:
        raise InputError(f"unknown pool {record['pool']!r}; omit it, or write {TRAIN_POOL!r} for a statement drawn "
                         f"to enrich train, {EVALUATION_POOL!r} for one drawn after the splits were dealt",
                         path=path, line=line)
    return Annotation(id=str(record["id"]), label=record["label"], annotator=record["annotator"],
                      guideline_version=str(record["guideline_version"]), role=record["role"],
                      note=str(record.get("note") or ""), where=f"{path}:{line}", pool=record.get("pool", ""))


def read_annotations(folder: Path) -> list[Annotation]:
    """Every annotation row of ``folder/*.jsonl`` (sorted by file name), validated."""
    return [_row(record, path, line) for path in sorted(Path(folder).glob("*.jsonl"))
            for line, record in read_jsonl(path)]


def resolve(annotations: list[Annotation], known_ids: set[str]) -> dict[str, Gold]:
    """Join annotations into one gold label per statement.

    Errors (InputError): an id that is not a candidate statement; one annotator giving one statement two
    different labels; first and second annotations that disagree without an adjudication row.
    """
    by_id: dict[str, list[Annotation]] = defaultdict(list)
    for row in annotations:
        if row.id not in known_ids:
            raise InputError(f"annotation for unknown statement id {row.id!r}: the statement no longer exists; "
                             "re-annotate it or remove the row", path=row.where)
        by_id[row.id].append(row)
    return {statement_id: _resolve_one(statement_id, rows) for statement_id, rows in sorted(by_id.items())}


def _resolve_one(statement_id: str, rows: list[Annotation]) -> Gold:
    by_annotator: dict[str, Annotation] = {}
    for row in rows:
        earlier = by_annotator.setdefault(row.annotator, row)
        if earlier.label != row.label:
            raise InputError(f"annotator {row.annotator} gave {statement_id} two labels: {earlier.label} "
                             f"({earlier.where}) and {row.label} ({row.where}); keep one")
    by_role = {role: [r for r in rows if r.role == role] for role in ROLES}
    if not by_role[PRIMARY]:
        raise InputError(f"{statement_id} has no primary annotation ({rows[0].where})")
    first = by_role[PRIMARY][0]
    second = by_role[SECOND][0] if by_role[SECOND] else None
    if by_role[ADJUDICATION]:
        decided = by_role[ADJUDICATION][-1]
    elif second is not None and second.label != first.label:
        raise InputError(f"{statement_id}: {first.annotator} says {first.label} ({first.where}), {second.annotator} "
                         f"says {second.label} ({second.where}); add an adjudication row")
    else:
        decided = first
    return Gold(label=decided.label, annotator=decided.annotator, guideline_version=decided.guideline_version,
                label_first=first.label, label_second=second.label if second else None, note=decided.note,
                pool=first.pool)
