"""Submissions: ``experiments/submissions/<slug>/`` holds ``submission.json`` (the typed metadata) and the predictions.

``submission.json`` is one JSON object: ``schema_version`` (1) and the fields of :class:`Submission`. The
predictions file is copied byte for byte (gzip input is stored decompressed), with its ``.meta.json`` sidecar
when there is one, after the official scorer has validated it against the gold of every listed task.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path

from benchmark.data import digest, gold
from benchmark.errors import InputError, shorten, unsafe_character
from benchmark.labels import TASKS
from benchmark.paths import BUILT, ROOT, SUBMISSIONS
from benchmark.scoring.predictions import SIDECAR_SUFFIX, load_predictions
from benchmark.scoring.report import SCORER_VERSION

SCHEMA_VERSION = 1
#: Fields that may span lines (newline and tab allowed); no field may hold another control character.
MULTILINE = ("description",)
SUBMISSION_FILE = "submission.json"
PREDICTIONS_FILE = "predictions.jsonl"
#: Optional: predictions for every row of the ``contrast`` configuration (its capability columns).
CONTRAST_FILE = "contrast_predictions.jsonl"
SLUG_MAX = 64
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_COMMIT = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Submission:
    """The metadata of one submission; constructing it validates every field (InputError on a bad one).

    Parameters
    ----------
    name: the system's name as shown on the leaderboard.
    slug: the folder name, ``[a-z0-9-]``, at most 64 characters (see :func:`slugify`).
    authors: at least one author.
    tasks: the task names the predictions answer (each one is scored on the same predictions file).
    dataset_digest: the digest of the dataset the predictions were made on.
    created: the submission date, ISO ``YYYY-MM-DD``.
    contact_or_url, description, training_data: free text (may be empty).
    config: the dataset configuration whose test split was predicted.
    parameter_count: the number of trained parameters, or None when unknown or not meaningful.
    scorer_version: the scorer version that validated the predictions.
    mlflow_run_id, git_commit: where the predictions came from, when known.
    baseline: whether the system is one of the benchmark's own baselines.
    code_url, paper_url, mlflow_run_url: http(s) addresses of the code, the paper and the public MLflow run, or
        None (links on the leaderboard).
    """

    name: str
    slug: str
    authors: list[str]
    tasks: list[str]
    dataset_digest: str
    created: str
    contact_or_url: str = ""
    description: str = ""
    training_data: str = ""
    config: str = "default"
    parameter_count: int | None = None
    scorer_version: str = SCORER_VERSION
    mlflow_run_id: str | None = None
    git_commit: str | None = None
    baseline: bool = False
    code_url: str | None = None
    paper_url: str | None = None
    mlflow_run_url: str | None = None

    def __post_init__(self):
        for name, check, wanted in _CHECKS:
            value = getattr(self, name)
            if not check(value):
                raise InputError(f"submission field {name!r} must be {wanted}, got {shorten(value)}")
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and (bad := unsafe_character(text, multiline=name in MULTILINE)):
                    raise InputError(f"submission field {name!r} holds the control or bidirectional-override "
                                     f"character {bad} (it could disguise what the leaderboard shows); remove it")
        if not _SLUG.fullmatch(self.slug) or len(self.slug) > SLUG_MAX:
            raise InputError(f"submission field 'slug' must be lowercase a-z, 0-9 and single '-' between them, at "
                             f"most {SLUG_MAX} characters, got {self.slug!r}")
        unknown = [task for task in self.tasks if task not in TASKS]
        if unknown or len(set(self.tasks)) != len(self.tasks):
            raise InputError(f"submission field 'tasks' must list distinct task names among {', '.join(TASKS)}, "
                             f"got {self.tasks!r}")
        try:
            date.fromisoformat(self.created)
        except ValueError:
            raise InputError(f"submission field 'created' must be a date YYYY-MM-DD, got {self.created!r}") from None

    @classmethod
    def from_dict(cls, data: object, path: Path | None = None) -> Submission:
        """Validate a ``submission.json`` object (with or without ``schema_version``) into a Submission."""
        try:
            if not isinstance(data, dict):
                raise InputError(f"a submission must be a JSON object, got {type(data).__name__}")
            data = dict(data)
            version = data.pop("schema_version", SCHEMA_VERSION)
            if version != SCHEMA_VERSION:
                raise InputError(f"unsupported schema_version {version!r}; this version reads {SCHEMA_VERSION}")
            known = {f.name for f in fields(cls)}
            unknown, missing = sorted(data.keys() - known), [name for name in _REQUIRED if name not in data]
            if unknown or missing:
                problems = [f"unknown field(s) {', '.join(unknown)}" if unknown else "",
                            f"missing field(s) {', '.join(missing)}" if missing else ""]
                raise InputError(f"{'; '.join(filter(None, problems))}; the fields are {', '.join(sorted(known))}")
            return cls(**data)
        except InputError as exc:
            if path is None:
                raise
            raise InputError(str(exc), path=path) from None

    def to_dict(self) -> dict:
        """The ``submission.json`` object: ``schema_version`` first, then the fields in declaration order."""
        return {"schema_version": SCHEMA_VERSION, **asdict(self)}


def is_web_address(value: object) -> bool:
    """Whether ``value`` is an absolute http(s) address with a host and no whitespace or control character."""
    from urllib.parse import urlsplit

    if not isinstance(value, str) or not value.isprintable() or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(map(_is_text, value))


#: (field, check, what the value must be) for every field.
_CHECKS = (
    ("name", _is_text, "a non-empty string"),
    ("slug", _is_str, "a string"),
    ("authors", _is_text_list, "a non-empty list of non-empty strings"),
    ("tasks", _is_text_list, "a non-empty list of task names"),
    ("dataset_digest", _is_text, "a non-empty string"),
    ("created", _is_str, "an ISO date string"),
    ("contact_or_url", _is_str, "a string"),
    ("description", _is_str, "a string"),
    ("training_data", _is_str, "a string"),
    ("config", _is_text, "a configuration name"),
    ("parameter_count", lambda v: v is None or (type(v) is int and v >= 0), "a non-negative integer or null"),
    ("scorer_version", _is_text, "a non-empty string"),
    ("mlflow_run_id", lambda v: v is None or _is_text(v), "a non-empty string or null"),
    ("git_commit", lambda v: v is None or (_is_str(v) and bool(_COMMIT.fullmatch(v))),
     "a 40-character lowercase hex commit or null"),
    ("baseline", lambda v: type(v) is bool, "true or false"),
    *((name, lambda v: v is None or is_web_address(v), "an http(s):// address without spaces, or null")
      for name in ("code_url", "paper_url", "mlflow_run_url")),
)
_REQUIRED = tuple(f.name for f in fields(Submission) if f.default is MISSING)


def slugify(name: str) -> str:
    """The folder name of a submission: ASCII-folded, lowercase, runs of other characters as one ``-``, <= 64."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:SLUG_MAX].rstrip("-")
    if not slug:
        raise InputError(f"the name {name!r} gives an empty slug; use a name with some Latin letters or digits")
    return slug


def built_digest(dataset: Path = BUILT, force: bool = False) -> str:
    """The digest of the built dataset at ``dataset``, its files checked against its manifest (InputError when it
    is not built, or a file differs unless ``force``)."""
    try:
        return digest(dataset, force)
    except (OSError, ValueError, KeyError):
        raise InputError("no readable built dataset here; run `percee build` (or `make build`) first",
                         path=dataset) from None


def current_commit(root: Path = ROOT) -> str | None:
    """``git rev-parse HEAD`` of ``root``, or None outside a git checkout."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and _COMMIT.fullmatch(commit) else None


def from_run(metadata: Mapping, tracking_uri: str) -> dict:
    """Check that ``metadata["mlflow_run_id"]`` names a run of the store at ``tracking_uri`` (InputError when it
    does not) and take ``parameter_count`` from the run's logged model when it recorded one: filled in when
    absent, refused when the given count differs."""
    from benchmark import tracking

    record = tracking.run_record(metadata["mlflow_run_id"], tracking_uri)
    logged = record["tags"].get(tracking.PARAMETER_COUNT_TAG)
    out = dict(metadata)
    if logged is not None and str(logged).isdigit():
        given = out.get("parameter_count")
        if given is None:
            out["parameter_count"] = int(logged)
        elif given != int(logged):
            raise InputError(f"--parameter-count {given} differs from the {int(logged)} parameters of run "
                             f"{metadata['mlflow_run_id']}'s logged model; leave it out to use the run's count")
    return out


def submit(predictions: Path, metadata: Mapping, *, root: Path = SUBMISSIONS, dataset: Path = BUILT,
           replace_existing: bool = False, force: bool = False, contrast: Path | None = None,
           baselines: set[str] | None = None) -> Path:
    """Validate ``predictions`` and ``metadata``, then write ``root/<slug>/`` atomically; return that folder.

    Parameters
    ----------
    predictions: the predictions file (JSONL, ``.gz`` accepted) for the test split of ``metadata["config"]``.
    metadata: the fields of :class:`Submission`; ``slug`` (from the name), ``dataset_digest``, ``created``
        (today), ``scorer_version`` and ``git_commit`` (``git rev-parse HEAD``) are filled in when absent.
    root: the submissions folder.
    dataset: the built dataset whose gold validates the predictions.
    replace_existing: replace a submission with the same slug (swapped in atomically).
    force: accept predictions whose dataset digest differs from the built dataset's.
    contrast: optional predictions for the ``contrast`` configuration (validated the same way, stored as
        ``contrast_predictions.jsonl``).
    baselines: the slugs allowed the baseline tag (default: those ``experiments/baselines.lock.json`` names).

    Raises InputError, writing nothing, on any bad field, slug clash or invalid predictions file.
    """
    current = built_digest(dataset, force)
    fields_ = {"dataset_digest": current, "created": date.today().isoformat(), **metadata}
    if fields_.get("git_commit") is None:
        fields_["git_commit"] = current_commit()
    if "slug" not in fields_ and isinstance(fields_.get("name"), str) and fields_["name"].strip():
        fields_["slug"] = slugify(fields_["name"])
    submission = Submission.from_dict(fields_)
    check_baseline(submission, baselines)
    target = _target(root, submission.slug, replace_existing)
    reference = gold(submission.config, "test", dataset, force)
    contrast_reference = gold("contrast", "test", dataset, force) if contrast is not None else None
    meta = {}
    for task in submission.tasks:
        meta = load_predictions(task, reference, predictions, current, force).meta
        if contrast is not None:
            load_predictions(task, contrast_reference, contrast, current, force)
    if isinstance(meta.get("dataset_digest"), str) and meta["dataset_digest"]:
        submission = replace(submission, dataset_digest=meta["dataset_digest"])
    _write(submission, Path(predictions), root, target, replace_existing, contrast)
    return target


def check_baseline(submission: Submission, baselines: set[str] | None = None) -> None:
    """Refuse the baseline tag on a submission that the baselines lock does not name (``baselines``: the allowed
    slugs; default from ``experiments/baselines.lock.json``)."""
    if not submission.baseline:
        return
    if baselines is None:
        from benchmark.verify import baseline_slugs

        baselines = baseline_slugs()
    if submission.slug not in baselines:
        raise InputError(f"submission {submission.slug!r} claims the baseline tag, but the baselines lock names no "
                         "such baseline; only PERCÉE's locked baselines carry it (drop --baseline / set "
                         '"baseline": false)')


def _target(root: Path, slug: str, replace_existing: bool) -> Path:
    """``root/slug``, checked to stay inside ``root`` and not to exist unless replacing."""
    from benchmark.fileio import recover_dir

    target = Path(root) / slug
    recover_dir(target)
    if target.resolve().parent != Path(root).resolve():
        raise InputError(f"the slug {slug!r} leads outside the submissions folder; choose another name", path=root)
    if target.exists() and not replace_existing:
        raise InputError(f"a submission called {slug!r} exists already; pass --replace to replace it, or choose "
                         "another name", path=target)
    return target


def _write(submission: Submission, predictions: Path, root: Path, target: Path, replace_existing: bool,
           contrast: Path | None) -> None:
    """Write the folder into a temporary sibling, then rename it into place (or swap it with the old one)."""
    from benchmark.fileio import copy_limited, replace_dir, staging_dir

    staging = staging_dir(target)
    try:
        for source, name in ((predictions, PREDICTIONS_FILE), (contrast, CONTRAST_FILE)):
            if source is not None:
                copy_limited(Path(source), staging / name)
        sidecar = predictions.with_name(predictions.name + SIDECAR_SUFFIX)
        if sidecar.exists():
            shutil.copyfile(sidecar, staging / (PREDICTIONS_FILE + SIDECAR_SUFFIX))
        text = json.dumps(submission.to_dict(), indent=2, ensure_ascii=False) + "\n"
        (staging / SUBMISSION_FILE).write_text(text, encoding="utf-8")
        if replace_existing:
            replace_dir(staging, target)
        else:
            os.rename(staging, target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write the submission ({exc})", path=target) from None
        raise


def latest_date(root: Path = SUBMISSIONS) -> str | None:
    """The date of the latest submission under ``root`` (the leaderboard's date line), None when there is none."""
    return max((submission.created for submission, _ in read_submissions(root)), default=None)


def read_submissions(root: Path = SUBMISSIONS) -> list[tuple[Submission, Path]]:
    """Every submission under ``root`` (folders starting with ``.`` skipped), sorted by slug, with its folder."""
    from benchmark.fileio import recover_children

    recover_children(root)
    found = []
    for folder in sorted(Path(root).iterdir()) if Path(root).is_dir() else ():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        path = folder / SUBMISSION_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"no {SUBMISSION_FILE} here; add it with `percee submit` or remove the folder",
                             path=folder) from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"cannot read the submission ({exc}); it must be one UTF-8 JSON object",
                             path=path) from None
        submission = Submission.from_dict(data, path)
        if submission.slug != folder.name:
            raise InputError(f"the slug {submission.slug!r} differs from the folder name {folder.name!r}; "
                             "rename one of them", path=path)
        found.append((submission, folder))
    return found
