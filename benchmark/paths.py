"""Every path the project knows, defined once, relative to the repository root."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"
BUILD_CONFIGS = CONFIGS / "build"
DATASETS = ROOT / "datasets"
RAW = DATASETS / "raw"
ANNOTATIONS = DATASETS / "annotations"
CONTRAST = DATASETS / "contrast"
RECALL = DATASETS / "recall"
BUILT = DATASETS / "percee"
EXPERIMENTS = ROOT / "experiments"
SUBMISSIONS = EXPERIMENTS / "submissions"
LEADERBOARD = EXPERIMENTS / "leaderboard"
BASELINES_LOCK = EXPERIMENTS / "baselines.lock.json"
METRIC_MODULE = ROOT / "benchmark" / "scoring" / "percee_metric"
#: Run outputs (Hydra outputs, the embedded MLflow store): git-ignored.
RUNS = ROOT / ".percee"
