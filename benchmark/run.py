"""``percee run``: the Hydra application that composes task, model, data, tracking and seed, runs the
experiment, writes its files, records it in MLflow and prints the official score tables."""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import hydra
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, MissingMandatoryValue, OmegaConf, open_dict

from benchmark import paths
from benchmark.errors import InputError

OmegaConf.register_new_resolver("percee.path", lambda name: str(getattr(paths, name)), replace=True)
log = logging.getLogger(__name__)
#: What each job of a sweep leaves in its folder for the sweep's summary table.
JOB_SUMMARY = "run.json"
#: What each job of a sweep writes in its folder when it starts, for the sweep's progress lines.
JOB_START = "job.json"
#: The launcher that runs a sweep's jobs one after the other in the sweep's own process.
BASIC_LAUNCHER = "hydra._internal.core_plugins.basic_launcher.BasicLauncher"
#: Hydra options that print and exit without running anything.
_INFO_FLAGS = ("--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c", "--shell-completion", "-sc",
               "--resolve", "--package", "-p")


class PrepareTracking(Callback):
    """A sweep's bookends: before the jobs, check the server, create the store and experiment once and open the
    parent run the jobs nest under; after them, print one summary table and close the parent run with it."""

    parent: str | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs) -> None:
        if config.tracking.enabled:
            from benchmark import tracking

            settings = OmegaConf.to_container(config.tracking, resolve=True)
            try:
                tracking.check_server(settings["uri"])
            except InputError as exc:
                print(f"percee run: error: {exc}", file=sys.stderr)
                sys.exit(2)
            self.parent = tracking.start_sweep(settings, f"sweep {Path(str(config.hydra.sweep.dir)).name}")
            os.environ[tracking.PARENT_ENV] = self.parent

    def on_multirun_end(self, config: DictConfig, **kwargs) -> None:
        table = sweep_table(Path(str(config.hydra.sweep.dir)))
        print(table, flush=True)
        if self.parent:
            from benchmark import tracking

            tracking.end_sweep(self.parent, table)
            os.environ.pop(tracking.PARENT_ENV, None)


class SweepProgress(Callback):
    """Progress of a sweep whose jobs run in other processes (joblib, submitit_local, SLURM): the sweep's own
    process prints a line when each job starts and when it ends (run, model, task, data, seed, seconds), read
    from the files the jobs write in their folders (``JOB_START``, then ``JOB_SUMMARY``). Under the basic
    launcher the jobs run in the sweep's process and print their own progress."""

    #: Seconds between two looks at the sweep's folder.
    interval = 0.5

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._said: dict[str, str] = {}

    def __getstate__(self) -> dict:
        return {}  # launchers pickle the callbacks for their jobs: the watcher stays with the sweep's process

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def on_multirun_start(self, config: DictConfig, **kwargs) -> None:
        if config.hydra.launcher.get("_target_") == BASIC_LAUNCHER:
            return
        folder = Path(str(config.hydra.sweep.dir))
        self._thread = threading.Thread(target=self._watch, args=(folder,), name="percee-sweep-progress",
                                        daemon=True)
        self._thread.start()

    def on_multirun_end(self, config: DictConfig, **kwargs) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()

    def _watch(self, folder: Path) -> None:
        while not self._stop.wait(self.interval):
            self.report(folder)
        self.report(folder)  # the jobs that ended since the last look

    def report(self, folder: Path) -> None:
        """Print a line for each job of the sweep in ``folder`` that started or ended since the last call."""
        starts = sorted(folder.glob(f"*/{JOB_START}"), key=lambda path: (len(path.parent.name), path.parent.name))
        for start in starts:
            run = start.parent.name
            try:
                if run not in self._said:
                    job = json.loads(start.read_text(encoding="utf-8"))
                    print(f"sweep: run {run} started: model {job['model']} | task {job['task']} | data {job['data']} "
                          f"| seed {job['seed']}", flush=True)
                    self._said[run] = "started"
                if self._said[run] == "started" and (start.parent / JOB_SUMMARY).exists():
                    job = json.loads((start.parent / JOB_SUMMARY).read_text(encoding="utf-8"))
                    test = job["test"]
                    print(f"sweep: run {run} ended in {job['seconds']:.1f} s: model {job['model']} | task "
                          f"{job['task']} | data {job['data']} | seed {job['seed']} | test {test['name']} "
                          f"{test['value']:.4f}", flush=True)
                    self._said[run] = "ended"
            except (OSError, ValueError, KeyError):
                continue  # a file of an older layout, or unreadable: no line for it


def sweep_table(folder: Path) -> str:
    """One line per job of the sweep in ``folder``: job, model, task, data, seed, test headline, MLflow run id."""
    rows = [["run", "model", "task", "data", "seed", "test headline [95% CI]", "MLflow run"]]
    jobs = sorted(folder.glob(f"*/{JOB_SUMMARY}"), key=lambda path: (len(path.parent.name), path.parent.name))
    for path in jobs:
        job = json.loads(path.read_text(encoding="utf-8"))
        test = job["test"]
        headline = f"{test['name']} {test['value']:.4f} [{test['ci_low']:.4f}, {test['ci_high']:.4f}]"
        rows.append([path.parent.name, job["model"], job["task"], job["data"], str(job["seed"]), headline,
                     job["run_id"] or "-"])
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return "\n".join([f"== sweep summary: {len(jobs)} run(s) in {folder}", *lines])


def compose(overrides: Sequence[str] = ()) -> DictConfig:
    """The config ``percee run <overrides>`` would use (outside a Hydra application: for tests and verify)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    with initialize_config_dir(version_base="1.3", config_dir=str(paths.CONFIGS)):
        return hydra_compose(config_name="config", overrides=list(overrides))


class TrackingFailed(InputError):
    """The run trained, scored and wrote its folder, but MLflow could not record it: ``result`` keeps the scores."""

    def __init__(self, message: str, result):
        super().__init__(message)
        self.result = result


def execute(config: DictConfig, output_dir: Path, model_name: str | None = None, background: bool = False,
            started: float | None = None):
    """Run the experiment of ``config``, write its files to ``output_dir`` and track it when tracking is on.

    A tracking server is checked before anything trains (InputError within seconds when it does not answer).
    ``background``: record the run from a helper process that imports MLflow while the model trains (worth it
    for a single run in a fresh process; a sweep or a caller that already imported MLflow logs in-process).
    ``started``: when the run began (``time.time()``, default now): the MLflow run's start time.
    Returns the :class:`benchmark.experiment.Result` and the MLflow run id (None without tracking); raises
    :class:`TrackingFailed`, holding the result, when the run's files are written but MLflow fails.
    """
    from benchmark import tracking
    from benchmark.artifacts import write_outputs
    from benchmark.experiment import run_experiment

    started = time.time() if started is None else started
    try:
        resolved = OmegaConf.to_container(config, resolve=True, throw_on_missing=True)
    except MissingMandatoryValue as exc:
        raise InputError(f"{exc.full_key} has no value; give one on the command line ({exc.full_key}=...)") from None
    enabled = resolved["tracking"]["enabled"]
    if enabled:
        tracking.check_server(resolved["tracking"]["uri"])
    logger = None
    if enabled and background:
        logger = tracking.BackgroundLogger(resolved["tracking"], resolved["model"]["_target_"].rpartition(".")[0])
    try:
        result = run_experiment(resolved, model_name)
        write_outputs(result, output_dir, OmegaConf.to_yaml(resolved))
    except BaseException:
        if logger:
            logger.cancel()
        raise
    if not enabled:
        return result, None
    log.info("recording the run in MLflow (%s)", resolved["tracking"]["uri"])
    try:
        if logger:
            return result, logger.log(result, resolved, output_dir, started)
        return result, tracking.log_run(result, resolved, output_dir, started)
    except Exception as exc:  # the scores are computed and written: keep them, say what failed
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not isinstance(exc, InputError):
            message = f"MLflow could not record the run ({message}); check tracking.uri {resolved['tracking']['uri']!r}"
        raise TrackingFailed(message, result) from None


def summary(result, run_id: str | None, output_dir: Path, tracking_uri: str | None) -> str:
    """The score tables of a run (validation, then test) with what was chosen and where it was recorded."""
    from benchmark.scoring.report import format_report

    chosen = ", ".join(f"{key}={value}" for key, value in result.params.items()) or "no grid"
    lines = [f"model {result.model_name} | task {result.task.name} | data {result.data['config']} "
             f"(train on {result.data['train_on']}) | seed {result.seed} | chosen on validation: {chosen}", ""]
    for split in ("validation", "test"):
        lines += [f"== {split}", format_report(result.reports[split])]
    if result.contrast is not None:
        from benchmark.scoring.contrast import format_contrast

        lines += ["== contrast sets (per capability)", format_contrast(result.contrast), ""]
    lines.append(f"outputs: {output_dir}")
    if run_id:
        lines.append(f"MLflow run {run_id} in {tracking_uri} (model: runs:/{run_id}/model)")
    return "\n".join(lines)


def command_line_wins(config: DictConfig, overrides: Sequence[str]) -> list[str]:
    """Drop from ``model.grid`` every parameter that the command line sets (``model.C=0.5``): the value given wins
    over the grid that would otherwise replace it. Returns the parameters taken out of the grid."""
    grid = config.model.get("grid") or {}
    given = [o.lstrip("+~").split("=", 1)[0].removeprefix("model.") for o in overrides
             if o.lstrip("+~").startswith("model.") and "=" in o]
    won = [key for key in given if key in grid]
    if won:
        with open_dict(config):
            for key in won:
                del config.model.grid[key]
    return won


@hydra.main(version_base="1.3", config_path=str(paths.CONFIGS), config_name="config")
def app(config: DictConfig) -> float:
    """One job: returns the validation headline (what a Hydra sweeper would optimise)."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    started = time.time()
    hydra_config = HydraConfig.get()
    output_dir = Path(hydra_config.runtime.output_dir)
    single = hydra_config.mode == RunMode.RUN and "mlflow" not in sys.modules
    for key in command_line_wins(config, hydra_config.overrides.task):
        print(f"model.{key}={config.model[key]} is given on the command line: it wins over the grid's values for "
              f"{key}, which are not searched", flush=True)
    if hydra_config.mode == RunMode.MULTIRUN:
        _write_job_start(config, hydra_config.runtime.choices.get("model"), output_dir)
    failure = None
    try:
        result, run_id = execute(config, output_dir, hydra_config.runtime.choices.get("model"), background=single,
                                 started=started)
    except TrackingFailed as exc:
        result, run_id, failure = exc.result, None, exc
    except InputError as exc:
        print(f"percee run: error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(summary(result, run_id, output_dir, config.tracking.uri), flush=True)
    _write_job_summary(result, run_id, output_dir, time.time() - started)
    if failure is not None:
        print(f"percee run: error: {failure} (the scores above are in {output_dir})", file=sys.stderr)
        sys.exit(2)
    return result.reports["validation"]["headline"]["value"]


def _write_job_start(config: DictConfig, model_name: str | None, output_dir: Path) -> None:
    """What a sweep's progress line says when the job starts, as ``job.json`` in its folder."""
    from benchmark.experiment import model_name_of
    from benchmark.fileio import write_atomic

    write_atomic(output_dir / JOB_START, json.dumps({
        "model": model_name or model_name_of(config.model), "task": config.task.name, "data": config.data.config,
        "seed": config.seed}) + "\n")


def _write_job_summary(result, run_id: str | None, output_dir: Path, seconds: float) -> None:
    """The job's line of a sweep's summary table (and its progress line when it ends), as ``run.json``."""
    from benchmark.fileio import write_atomic

    headline = result.reports["test"]["headline"]
    write_atomic(output_dir / JOB_SUMMARY, json.dumps({
        "model": result.model_name, "task": result.task.name, "data": result.data["config"], "seed": result.seed,
        "test": {key: headline[key] for key in ("name", "value", "ci_low", "ci_high")}, "run_id": run_id,
        "seconds": round(seconds, 3)}) + "\n")


def main(argv: list[str]) -> int:
    """``percee run ARGS``: Hydra parses ``ARGS``; models named by ``_target_`` may live in the working folder."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("HF_DATASETS_OFFLINE", "1"), ("MLFLOW_DISABLE_TELEMETRY", "true")):
        os.environ.setdefault(name, value)
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    if not any(flag in argv for flag in _INFO_FLAGS):
        print(paths.where(), flush=True)
    sys.argv = ["percee run", *argv]
    try:
        app()
    except SystemExit as exc:
        if exc.code == 1:  # Hydra's exit for a config error (it printed the message): bad input, code 2
            return 2
        raise
    return 0
