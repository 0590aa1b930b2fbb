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
#: The shipped embedding cache (float16 vectors keyed by text sha256, one file per encoder version).
EMBEDDINGS = DATASETS / "embeddings"
BUILT = DATASETS / "percee"
EXPERIMENTS = ROOT / "experiments"
SUBMISSIONS = EXPERIMENTS / "submissions"
LEADERBOARD = EXPERIMENTS / "leaderboard"
BASELINES_LOCK = EXPERIMENTS / "baselines.lock.json"
METRIC_MODULE = ROOT / "benchmark" / "scoring" / "percee_metric"
#: Run outputs (Hydra outputs, the embedded MLflow store): git-ignored.
RUNS = ROOT / ".percee"
#: Embeddings a run had to compute that the shipped cache lacks (git-ignored, beside the runs).
LOCAL_EMBEDDINGS = RUNS / "embeddings"
