"""``percee verify``: re-run every baseline and compare its scores with ``experiments/baselines.lock.json``.

The lock records, per baseline (the sweep of ``configs/experiment/baselines.yaml``), its Hydra overrides, the
seed, the dataset digest and the validation and test scores. A baseline drifts when the dataset digest changed
or a score differs from the lock by more than ``TOLERANCE`` (the code's constant: the ``tolerance`` a lock
records is informative and can never widen it); ``--update`` rewrites the lock on purpose. The lock is checked
before any baseline runs.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from benchmark.errors import InputError
from benchmark.fileio import write_atomic
from benchmark.paths import BASELINES_LOCK, CONFIGS

LOCK_VERSION = 1
#: Largest absolute score difference still counted as the same result (scores are deterministic).
TOLERANCE = 1e-9
SPLITS = ("validation", "test")


def baseline_overrides(config_dir: Path = CONFIGS) -> list[list[str]]:
    """One override list per baseline of the suite preset (task × model), seeded as the preset says."""
    import yaml

    preset = yaml.safe_load((config_dir / "experiment" / "baselines.yaml").read_text(encoding="utf-8"))
    params = preset["hydra"]["sweeper"]["params"]
    grid = [[f"{key}={value.strip()}" for value in str(values).split(",")] for key, values in params.items()]
    return [[*combo, f"seed={preset['seed']}", "tracking=off"] for combo in itertools.product(*grid)]


def measure(overrides: list[str]) -> dict:
    """Run one baseline in this process; return its lock entry."""
    from omegaconf import OmegaConf

    from benchmark.experiment import run_experiment
    from benchmark.run import compose

    resolved = OmegaConf.to_container(compose(overrides), resolve=True)
    result = run_experiment(resolved)
    scores = {split: {result.reports[split]["headline"]["name"]: result.reports[split]["headline"]["value"],
                      "accuracy": result.reports[split]["accuracy"]["value"]} for split in SPLITS}
    return {"name": " ".join(o for o in overrides if o.startswith(("task=", "model="))), "overrides": overrides,
            "seed": result.seed, "dataset_digest": result.dataset_digest, "scores": scores}


def read_lock(path: Path) -> dict:
    try:
        lock = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no baselines lock; create it with `percee verify --update`", path=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON ({exc.msg}, line {exc.lineno}); restore it or run `percee verify --update`",
                         path=path) from None
    if not isinstance(lock, dict) or lock.get("version") != LOCK_VERSION or not isinstance(lock.get("baselines"), list):
        raise InputError(f"not a version {LOCK_VERSION} baselines lock", path=path)
    for number, entry in enumerate(lock["baselines"], start=1):
        problem = _entry_problem(entry)
        if problem:
            raise InputError(f"baseline {number} of the lock {problem}; restore the lock (git checkout) or run "
                             "`percee verify --update`", path=path)
    return lock


def _entry_problem(entry: object) -> str | None:
    """What is wrong with one lock entry, or None."""
    if not isinstance(entry, dict):
        return "is not an object"
    for key in ("name", "dataset_digest"):
        if not isinstance(entry.get(key), str):
            return f"has no {key!r} string"
    scores = entry.get("scores")
    if not isinstance(scores, dict) or not all(
            isinstance(scores.get(split), dict) and scores[split]
            and all(type(v) in (int, float) for v in scores[split].values()) for split in SPLITS):
        return f"needs 'scores' with numbers for {' and '.join(SPLITS)}"
    return None


def baseline_slug(name: str) -> str:
    """The submission folder of the baseline a lock entry names (``task=claim model=tfidf_lr`` ->
    ``baseline-tfidf-lr-claim``): the only submissions that carry the baseline tag."""
    choice = dict(part.split("=", 1) for part in name.split() if "=" in part)
    return f"baseline-{choice.get('model', '').replace('_', '-')}-{choice.get('task', '').replace('_', '-')}"


def baseline_slugs(path: Path = BASELINES_LOCK) -> set[str]:
    """The submission slugs of every baseline the lock names (empty when there is no lock)."""
    if not Path(path).exists():
        return set()
    return {baseline_slug(entry["name"]) for entry in read_lock(path)["baselines"]}


def compare(expected: dict, measured: dict, tolerance: float = TOLERANCE) -> list[dict]:
    """One row per (baseline, split, metric): expected, measured, difference, and whether it drifted."""
    rows = []
    for split in SPLITS:
        for metric, value in measured["scores"][split].items():
            want = expected["scores"].get(split, {}).get(metric)
            difference = None if want is None else value - want
            changed = expected["dataset_digest"] != measured["dataset_digest"]
            rows.append({"name": measured["name"], "split": split, "metric": metric, "expected": want,
                         "measured": value, "difference": difference,
                         "drift": difference is None or abs(difference) > tolerance or changed,
                         "digests": (expected["dataset_digest"], measured["dataset_digest"]) if changed else None})
    return rows


def verify(lock_path: Path = BASELINES_LOCK, update: bool = False) -> tuple[list[dict], bool]:
    """Re-run every baseline; return the comparison rows and whether all held (``update`` rewrites the lock)."""
    lock = None if update else read_lock(lock_path)
    measured = [measure(overrides) for overrides in baseline_overrides()]
    if update:
        lock = {"version": LOCK_VERSION, "tolerance": TOLERANCE, "baselines": measured}
        write_atomic(lock_path, json.dumps(lock, indent=1) + "\n")
    expected = {entry["name"]: entry for entry in lock["baselines"]}
    rows = []
    for entry in measured:
        if entry["name"] not in expected:
            rows.append({"name": entry["name"], "split": "-", "metric": "(not in lock)", "expected": None,
                         "measured": None, "difference": None, "drift": True})
            continue
        rows += compare(expected[entry["name"]], entry)
    missing = set(expected) - {entry["name"] for entry in measured}
    rows += [{"name": name, "split": "-", "metric": "(not re-run)", "expected": None, "measured": None,
              "difference": None, "drift": True} for name in sorted(missing)]
    return rows, not any(row["drift"] for row in rows)


def format_rows(rows: list[dict], tolerance: float = TOLERANCE) -> str:
    """The verification table."""
    def number(value):
        return "–" if value is None else f"{value:.6f}"

    changed = sorted({row["digests"] for row in rows if row.get("digests")})
    lines = [f"CAUSE: the dataset changed: the lock was made on digest {old[:16]}..., the built dataset has "
             f"{new[:16]}...; every baseline on it is marked DRIFT, whatever its scores. If the change is "
             "deliberate, re-lock and re-submit with `make baselines`; else rebuild the dataset the lock names."
             for old, new in changed]
    lines += [f"{'baseline':<40}{'split':<11}{'metric':<10}{'expected':>10}{'measured':>10}{'diff':>11}  status"]
    for row in rows:
        difference = "–" if row["difference"] is None else f"{row['difference']:+.2e}"
        lines.append(f"{row['name']:<40}{row['split']:<11}{row['metric']:<10}{number(row['expected']):>10}"
                     f"{number(row['measured']):>10}{difference:>11}  {'DRIFT' if row['drift'] else 'ok'}")
    lines.append(f"tolerance {tolerance:g} (absolute); dataset digest must match")
    return "\n".join(lines)
