"""Every path the project knows, defined once.

Three places, found the way installed benchmarks find them (see ``where``):

- the **project**: a PERCÉE checkout (``configs/config.yaml`` beside ``benchmark/``): the working directory
  when it is one, else the checkout the package was imported from, else (a wheel install) the working
  directory. It holds the raw corpora, the annotations and ``experiments/``.
- the **configs**: the project's ``configs/`` when there is a checkout, else the copy inside the installed
  package (``benchmark/configs``, package data of the wheel).
- the **built dataset**: ``$PERCEE_DATA`` when set, else ``datasets/percee`` of the project.
- the **run outputs and the embedded MLflow store**: ``$PERCEE_HOME`` when set, else ``.percee/`` in the
  working directory: never inside the folder the package is installed in.
"""
from __future__ import annotations

import os
from pathlib import Path

#: The installed package's own folder.
PACKAGE = Path(__file__).resolve().parent
DATA_ENV, HOME_ENV = "PERCEE_DATA", "PERCEE_HOME"


def _checkout(folder: Path) -> Path | None:
    """``folder`` when it is a PERCÉE checkout, else None."""
    return folder if (folder / "configs" / "config.yaml").is_file() and (folder / "benchmark").is_dir() else None


_CWD = Path.cwd().resolve()
#: The project folder (a checkout, or the working directory for an installed package).
ROOT = _checkout(_CWD) or _checkout(PACKAGE.parent) or _CWD
IN_CHECKOUT = _checkout(ROOT) is not None
CONFIGS = ROOT / "configs" if IN_CHECKOUT else PACKAGE / "configs"
BUILD_CONFIGS = CONFIGS / "build"
DATASETS = ROOT / "datasets"
RAW = DATASETS / "raw"
ANNOTATIONS = DATASETS / "annotations"
CONTRAST = DATASETS / "contrast"
RECALL = DATASETS / "recall"
TRANSLATIONS = DATASETS / "translations"
#: The shipped embedding cache (float16 vectors keyed by text sha256, one file per encoder version).
EMBEDDINGS = DATASETS / "embeddings"
BUILT = Path(os.environ[DATA_ENV]).resolve() if os.environ.get(DATA_ENV) else DATASETS / "percee"
EXPERIMENTS = ROOT / "experiments"
SUBMISSIONS = EXPERIMENTS / "submissions"
LEADERBOARD = EXPERIMENTS / "leaderboard"
BASELINES_LOCK = EXPERIMENTS / "baselines.lock.json"
METRIC_MODULE = PACKAGE / "scoring" / "percee_metric"
#: Run outputs (Hydra outputs, sweeps, the embedded MLflow store): git-ignored in a checkout.
RUNS = Path(os.environ[HOME_ENV]).resolve() if os.environ.get(HOME_ENV) else _CWD / ".percee"
#: Embeddings a run had to compute that the shipped cache lacks (beside the runs).
LOCAL_EMBEDDINGS = RUNS / "embeddings"


def where() -> str:
    """Which configs, dataset and run folder this process uses, and why (the first lines of ``percee run``)."""
    configs = "checkout" if IN_CHECKOUT else "installed package"
    dataset = f"${DATA_ENV}" if os.environ.get(DATA_ENV) else ("checkout" if IN_CHECKOUT else "working directory")
    runs = f"${HOME_ENV}" if os.environ.get(HOME_ENV) else "working directory"
    return (f"configs: {CONFIGS} ({configs})\ndataset: {BUILT} ({dataset}; set ${DATA_ENV} or data.path=... "
            f"for another)\nruns and MLflow store: {RUNS} ({runs}; set ${HOME_ENV} for another)")
