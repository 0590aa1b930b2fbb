"""``percee verify``: re-run every baseline and compare its scores with ``experiments/baselines.lock.json``.

The lock records, per baseline (the sweep of ``configs/experiment/baselines.yaml``), its Hydra overrides, the
seed, the dataset digest and the validation and test scores. A baseline drifts when the dataset digest changed
or a score differs from the lock by more than the lock's tolerance; ``--update`` rewrites the lock on purpose.
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
    if lock.get("version") != LOCK_VERSION or not isinstance(lock.get("baselines"), list):
        raise InputError(f"not a version {LOCK_VERSION} baselines lock", path=path)
    return lock


def compare(expected: dict, measured: dict, tolerance: float) -> list[dict]:
    """One row per (baseline, split, metric): expected, measured, difference, and whether it drifted."""
    rows = []
    for split in SPLITS:
        for metric, value in measured["scores"][split].items():
            want = expected["scores"].get(split, {}).get(metric)
            difference = None if want is None else value - want
            rows.append({"name": measured["name"], "split": split, "metric": metric, "expected": want,
                         "measured": value, "difference": difference,
                         "drift": difference is None or abs(difference) > tolerance
                         or expected["dataset_digest"] != measured["dataset_digest"]})
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
        rows += compare(expected[entry["name"]], entry, float(lock["tolerance"]))
    missing = set(expected) - {entry["name"] for entry in measured}
    rows += [{"name": name, "split": "-", "metric": "(not re-run)", "expected": None, "measured": None,
              "difference": None, "drift": True} for name in sorted(missing)]
    return rows, not any(row["drift"] for row in rows)


def format_rows(rows: list[dict], tolerance: float = TOLERANCE) -> str:
    """The verification table."""
    def number(value):
        return "–" if value is None else f"{value:.6f}"

    lines = [f"{'baseline':<40}{'split':<11}{'metric':<10}{'expected':>10}{'measured':>10}{'diff':>11}  status"]
    for row in rows:
        difference = "–" if row["difference"] is None else f"{row['difference']:+.2e}"
        lines.append(f"{row['name']:<40}{row['split']:<11}{row['metric']:<10}{number(row['expected']):>10}"
                     f"{number(row['measured']):>10}{difference:>11}  {'DRIFT' if row['drift'] else 'ok'}")
    lines.append(f"tolerance {tolerance:g} (absolute); dataset digest must match")
    return "\n".join(lines)
