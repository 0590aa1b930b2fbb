"""Contrast sets: hand-written minimal edits of gold statements, one JSONL file per capability.

Each row of ``datasets/contrast/<capability>.jsonl`` is an edited statement ``{id, capability, lang, text,
label, source_id, edit, writer, checker, check, version}``: ``source_id`` names the real gold statement it was
written from, ``edit`` says in words what changed and why the label is kept or changed, ``writer`` and
``checker`` are annotator ids (the checker verified the edit against LABELS.md: ``check`` is ``accepted`` or
``corrected``; ``rejected`` rows are kept for the record and left out of the dataset).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmark.data.annotations import ANNOTATOR_ID
from benchmark.data.lexicon import LANGUAGES
from benchmark.errors import InputError, control_character, shorten
from benchmark.fileio import read_jsonl
from benchmark.labels import LABELS

CONTRAST_VERSION = "1.0"
EDIT, ORIGINAL = "edit", "original"
CHECKS = ("accepted", "corrected", "rejected")
REQUIRED = ("id", "capability", "lang", "text", "label", "source_id", "edit", "writer", "checker", "check",
            "version")


@dataclass(frozen=True)
class Capability:
    """A capability a contrast set probes; ``invariant`` ones must not change the prediction at all."""

    name: str
    description: str
    invariant: bool = False


CAPABILITIES: dict[str, Capability] = {c.name: c for c in (
    Capability("negation", "negation scope: expects / does not expect / did not say he expects no breakthrough"),
    Capability("modality", "hedging and modality: will / might / is unlikely to"),
    Capability("holder", "holder versus writer: attributed, denied by the writer, reported to be rejected"),
    Capability("time", "time: an expectation before the event versus a report after it"),
    Capability("wish_forecast", "wish or demand versus forecast: we must / we will reach an agreement"),
    Capability("invariance", "names, places, dates and event type changed: the label must not change",
               invariant=True),
    Capability("translation", "the English, French and Russian versions carry the same label", invariant=True),
)}


def _row(record: dict, path: Path, line: int, gold: dict[str, dict]) -> dict:
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        raise InputError(f"missing field(s) {missing}; contrast rows need {list(REQUIRED)}", path=path, line=line)
    wrong = [key for key in REQUIRED if key != "version" and not isinstance(record[key], str)]
    if wrong:
        raise InputError(f"field(s) {', '.join(wrong)} must be strings, got "
                         f"{', '.join(shorten(record[key]) for key in wrong)}", path=path, line=line)
    if bad := control_character(record["text"]):
        raise InputError(f"text holds the control character {bad}; remove it", path=path, line=line)
    problems = []
    if record["capability"] != path.stem or record["capability"] not in CAPABILITIES:
        problems.append(f"capability {record['capability']!r} must be the file's name, one of {list(CAPABILITIES)}")
    if record["label"] not in LABELS:
        problems.append(f"label {record['label']!r} is not one of {list(LABELS)}")
    if record["lang"] not in LANGUAGES:
        problems.append(f"lang {record['lang']!r} is not one of {list(LANGUAGES)}")
    if record["check"] not in CHECKS:
        problems.append(f"check {record['check']!r} is not one of {list(CHECKS)}")
    for role in ("writer", "checker"):
        if not ANNOTATOR_ID.match(str(record[role])):
            problems.append(f"{role} {record[role]!r} is not an annotator id")
    if record["writer"] == record["checker"]:
        problems.append("the checker must be another annotator than the writer")
    source = gold.get(record["source_id"])
    if source is None:
        problems.append(f"source_id {record['source_id']!r} is not a gold statement")
    elif record["text"].strip() == source["text"].strip() or not str(record["edit"]).strip():
        problems.append("the edited text must differ from its source and the edit must be described")
    if problems:
        raise InputError(f"contrast row {record.get('id')!r}: " + "; ".join(problems), path=path, line=line)
    return {key: record[key] for key in REQUIRED}


def read_contrast(folder: Path, gold: dict[str, dict]) -> list[dict]:
    """Every validated contrast row of ``folder/<capability>.jsonl``; ``gold``: id -> {text, label, lang}."""
    rows, seen = [], {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        if path.name.startswith("_"):
            continue
        for line, record in read_jsonl(path):
            row = _row(record, path, line, gold)
            if row["id"] in seen:
                raise InputError(f"duplicate contrast id {row['id']!r} (first at {seen[row['id']]})", path=path,
                                 line=line)
            seen[row["id"]] = f"{path}:{line}"
            rows.append(row)
    return rows


def contrast_split(rows: list[dict], gold: dict[str, dict]) -> list[dict]:
    """The contrast configuration's rows: every kept edit, then each source statement once (role ``original``)."""
    edits = [{**{k: r[k] for k in ("id", "capability", "lang", "text", "source_id", "edit", "writer", "checker",
                                   "version")},
              "label": LABELS.index(r["label"]), "role": EDIT} for r in rows if r["check"] != "rejected"]
    sources = sorted({r["source_id"] for r in edits})
    originals = [{"id": s, "capability": None, "lang": gold[s]["lang"], "text": gold[s]["text"], "source_id": s,
                  "edit": None, "writer": None, "checker": None, "version": CONTRAST_VERSION,
                  "label": LABELS.index(gold[s]["label"]), "role": ORIGINAL} for s in sources]
    return edits + originals
