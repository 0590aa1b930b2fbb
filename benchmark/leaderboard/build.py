"""Score every submission with the official scorer and rank the systems of each (configuration, task) table.

Ranking. Systems are compared on the task's headline with the scorer's paired bootstrap
(:func:`benchmark.scoring.report.compare`: paired bootstrap over statements, two-sided). System a is
*significantly better* than b when a's headline is higher and p < ``ALPHA``. A system's rank is 1 + the number
of systems significantly better than it: the leader, and every system that no other system significantly
beats, share rank 1, and the same rule ties systems further down. Rows are ordered by rank, then headline
(descending), then slug.

The structure returned by :func:`build_leaderboard` (and written as ``leaderboard.json``) is :class:`Leaderboard`;
``LEADERBOARD_VERSION`` changes whenever a field changes meaning or disappears.
"""
from __future__ import annotations

from pathlib import Path
from typing import NotRequired, TypedDict

from benchmark.data import gold
from benchmark.errors import InputError
from benchmark.labels import get_task
from benchmark.paths import BUILT, SUBMISSIONS
from benchmark.scoring.intervals import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED
from benchmark.scoring.ceiling import NAME as CEILING_NAME
from benchmark.scoring.ceiling import ceiling_pairs, ceiling_report
from benchmark.scoring.report import SCORER_VERSION, compare, score
from benchmark.submissions import CONTRAST_FILE, PREDICTIONS_FILE, Submission, built_digest, read_submissions
from benchmark.verify import baseline_slugs

LEADERBOARD_VERSION = 1
#: Two-sided significance level of the paired test that separates ranks.
ALPHA = 0.05
RULE = "rank = 1 + the number of systems whose headline is higher with paired p < alpha"


class Interval(TypedDict):
    """A metric value with its percentile bootstrap interval."""

    value: float
    ci_low: float
    ci_high: float


class LanguageScore(Interval):
    """The headline on one language's statements (``n`` statements)."""

    n: int


class VersusLeader(TypedDict):
    """The paired comparison of the leader with this system: difference = leader − system."""

    difference: float
    ci_low: float
    ci_high: float
    p_value: float


class Entry(TypedDict):
    """One system in one table: its submission metadata, scores and rank.

    ``groups`` maps the name of an extra metric group (e.g. contrast sets) to its metrics; empty for now.
    ``vs_leader`` is None for the leader itself; ``better_systems`` lists the slugs significantly better.
    """

    rank: int
    slug: str
    name: str
    authors: list[str]
    contact_or_url: str
    description: str
    training_data: str
    parameter_count: int | None
    baseline: bool
    created: str
    mlflow_run_id: str | None
    git_commit: str | None
    code_url: str | None
    paper_url: str | None
    mlflow_run_url: str | None
    dataset_digest_match: bool
    headline: Interval
    accuracy: Interval
    macro_f1: float
    by_lang: dict[str, LanguageScore]
    vs_leader: VersusLeader | None
    better_systems: list[str]
    groups: dict[str, dict]


class Reference(TypedDict):
    """A reference row shown beside the ranked systems, never ranked: the annotator ceiling (the second
    annotation scored against gold on the ``n`` double-annotated statements of the split)."""

    name: str
    description: str
    n: int
    headline: Interval
    accuracy: Interval
    by_lang: dict[str, LanguageScore]


class Table(TypedDict):
    """The systems answering one task on one configuration's test split (``languages``: statements per language;
    ``references``: unranked reference rows)."""

    task: str
    config: str
    split: str
    headline: str
    description: str
    n: int
    languages: dict[str, int]
    entries: list[Entry]
    references: list[Reference]


class Ranking(TypedDict):
    """How intervals and ranks were computed."""

    test: str
    n_resamples: int
    seed: int
    confidence: float
    alpha: float
    rule: str


class Leaderboard(TypedDict):
    """The whole leaderboard (``generated`` is a caller-given label, None by default, for byte-identical output)."""

    leaderboard_version: int
    generated: str | None
    scorer_version: str
    dataset_digest: str
    ranking: Ranking
    tables: list[Table]
    #: Only with --force on a dataset whose files differ from its manifest: those files.
    dataset_files_modified: NotRequired[list[str]]


def build_leaderboard(submissions: Path = SUBMISSIONS, dataset: Path = BUILT, force: bool = False,
                      generated: str | None = None) -> Leaderboard:
    """Score and rank every submission under ``submissions`` against the built dataset at ``dataset``.

    Parameters
    ----------
    submissions: the submissions folder.
    dataset: the built dataset (its test gold and digest).
    force: score submissions made on another dataset digest (flagged ``dataset_digest_match: false``).
    generated: an optional label (e.g. a date) printed on the pages.

    Intervals and paired tests use the scorer's default bootstrap (resamples, seed, confidence).
    """
    from benchmark.data import check

    digest = built_digest(dataset, force)
    found = read_submissions(submissions)
    if not found:
        raise InputError("no submissions here; add one with `percee submit`", path=submissions)
    stale = [submission.slug for submission, _ in found if submission.dataset_digest != digest]
    if stale and not force:
        raise InputError(f"{len(stale)} submission(s) were made on another dataset digest ({', '.join(stale)}); "
                         "submit predictions for the current dataset again (percee submit --replace), or pass "
                         "--force to rank them anyway", path=submissions)
    settings = {"n_resamples": DEFAULT_RESAMPLES, "seed": DEFAULT_SEED, "confidence": DEFAULT_CONFIDENCE}
    keys = sorted({(submission.config, task) for submission, _ in found for task in submission.tasks},
                  key=lambda key: (key[0] != "default", key[0], key[1]))
    golds: dict[str, dict] = {}
    pairs: dict[str, list] = {}
    tables = []
    for config, task in keys:
        if config not in golds:
            golds[config] = gold(config, "test", dataset, force)
            pairs[config] = ceiling_pairs(config, "test", dataset) if config != "contrast" else []
        members = [(submission, folder / PREDICTIONS_FILE) for submission, folder in found
                   if submission.config == config and task in submission.tasks]
        table = _table(task, config, golds[config], members, digest, force, settings,
                       _contrast_reference(dataset, found, force))
        table["references"] = _references(task, pairs[config], settings)
        tables.append(table)
    board = Leaderboard(leaderboard_version=LEADERBOARD_VERSION, generated=generated, scorer_version=SCORER_VERSION,
                        dataset_digest=digest, ranking=Ranking(
                            test=f"paired bootstrap over statements, two-sided, scorer {SCORER_VERSION}",
                            alpha=ALPHA, rule=RULE, **settings), tables=tables)
    modified = check(dataset, force).modified
    if modified:
        board["dataset_files_modified"] = list(modified)
    return board


def _table(task: str, config: str, reference: dict, members: list[tuple[Submission, Path]], digest: str,
           force: bool, settings: dict, contrast: tuple[dict, list] | None) -> Table:
    """Score, compare and rank the systems of one table (``reference``: the test gold of ``config``)."""
    reports = [score(task, reference, path, digest, force, **settings) for _, path in members]
    order = sorted(range(len(members)), key=lambda i: (-reports[i]["headline"]["value"], members[i][0].slug))
    better: dict[int, list[str]] = {i: [] for i in order}
    versus: dict[int, VersusLeader] = {}
    for position, a in enumerate(order):
        for b in order[position + 1:]:
            result = compare(task, reference, members[a][1], members[b][1], digest, force, **settings)
            if position == 0:
                versus[b] = VersusLeader(difference=result["difference"], ci_low=result["ci_low"],
                                         ci_high=result["ci_high"], p_value=result["p_value"])
            if result["p_value"] < ALPHA and result["difference"] != 0:
                winner, loser = (a, b) if result["difference"] > 0 else (b, a)
                better[loser].append(members[winner][0].slug)
    entries = [_entry(members[i][0], reports[i], 1 + len(better[i]), versus.get(i), sorted(better[i]), digest,
                      _contrast_group(task, members[i][1].parent, digest, force, contrast))
               for i in order]
    entries.sort(key=lambda entry: (entry["rank"], -entry["headline"]["value"], entry["slug"]))
    first = reports[0]
    return Table(task=task, config=config, split="test", headline=first["headline"]["name"],
                 description=get_task(task).description, n=first["n"],
                 languages={lang: group["n"] for lang, group in first.get("by_lang", {}).items()}, entries=entries,
                 references=[])


def _references(task: str, pairs: list, settings: dict) -> list[Reference]:
    """The annotator ceiling of ``task`` from ``(lang, gold, second)`` pairs (none without double annotation)."""
    report = ceiling_report(task, pairs, **settings)
    if report is None:
        return []
    headline = report["headline"]
    return [Reference(name=CEILING_NAME, description="the second annotators' labels scored against gold on the "
                      "double-annotated statements of the test split (not ranked; an upper bound: gold was "
                      "adjudicated with the second annotation in view)", n=report["n"],
                      headline=Interval(value=headline["value"], ci_low=headline["ci_low"],
                                        ci_high=headline["ci_high"]),
                      accuracy=Interval(**report["accuracy"]),
                      by_lang={lang: LanguageScore(**group) for lang, group in report.get("by_lang", {}).items()})]


def _contrast_reference(dataset: Path, found: list[tuple[Submission, Path]], force: bool) -> tuple[dict, list] | None:
    """The contrast gold and rows of ``dataset`` when some submission has contrast predictions, else None."""
    if not any((folder / CONTRAST_FILE).exists() for _, folder in found):
        return None
    from benchmark.data import contrast_gold, load

    rows = load("contrast", dataset, force)["test"]
    return contrast_gold(rows), list(rows)


def _contrast_group(task: str, folder: Path, digest: str, force: bool, contrast: tuple[dict, list] | None) -> dict:
    """``{"contrast": {capability: consistency (and unchanged), with intervals}}`` for a submission with contrast
    predictions, else ``{}``."""
    from benchmark.scoring.contrast import contrast_report
    from benchmark.scoring.predictions import load_predictions

    path = Path(folder) / CONTRAST_FILE
    if contrast is None or not path.exists():
        return {}
    reference, rows = contrast
    predictions = load_predictions(task, reference, path, digest, force)
    predicted = {i: predictions.task.labels[p] for i, p in zip(predictions.ids, predictions.y_pred)}
    report = contrast_report(task, rows, predicted)
    return {"contrast": {name: {key: entry[key] for key in ("consistency", "unchanged") if key in entry}
                         for name, entry in report.items()}}


def _entry(submission: Submission, report: dict, rank: int, versus: VersusLeader | None, better: list[str],
           digest: str, groups: dict) -> Entry:
    headline = report["headline"]
    return Entry(rank=rank, slug=submission.slug, name=submission.name, authors=submission.authors,
                 contact_or_url=submission.contact_or_url, description=submission.description,
                 training_data=submission.training_data, parameter_count=submission.parameter_count,
                 baseline=submission.baseline and submission.slug in baseline_slugs(),  # a hand-edited tag is ignored
                 created=submission.created, mlflow_run_id=submission.mlflow_run_id,
                 git_commit=submission.git_commit, code_url=submission.code_url, paper_url=submission.paper_url,
                 mlflow_run_url=submission.mlflow_run_url, dataset_digest_match=submission.dataset_digest == digest,
                 headline=Interval(value=headline["value"], ci_low=headline["ci_low"], ci_high=headline["ci_high"]),
                 accuracy=Interval(**report["accuracy"]), macro_f1=report["macro_f1"],
                 by_lang={lang: LanguageScore(**group) for lang, group in report.get("by_lang", {}).items()},
                 vs_leader=versus, better_systems=better, groups=groups)
