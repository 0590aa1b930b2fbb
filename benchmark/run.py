"""``percee run``: the Hydra application that composes task, model, data, tracking and seed, runs the
experiment, writes its files, records it in MLflow and prints the official score tables."""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import hydra
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, MissingMandatoryValue, OmegaConf, open_dict

from benchmark import paths
from benchmark.errors import InputError

OmegaConf.register_new_resolver("percee.path", lambda name: str(getattr(paths, name)), replace=True)


class PrepareTracking(Callback):
    """Create the tracking store and experiment once, before a sweep's jobs start writing to it in parallel."""

    def on_multirun_start(self, config: DictConfig, **kwargs) -> None:
        if config.tracking.enabled:
            from benchmark import tracking

            tracking.prepare(OmegaConf.to_container(config.tracking, resolve=True))


def compose(overrides: Sequence[str] = ()) -> DictConfig:
    """The config ``percee run <overrides>`` would use (outside a Hydra application: for tests and verify)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    with initialize_config_dir(version_base="1.3", config_dir=str(paths.CONFIGS)):
        return hydra_compose(config_name="config", overrides=list(overrides))


def execute(config: DictConfig, output_dir: Path, model_name: str | None = None, background: bool = False):
    """Run the experiment of ``config``, write its files to ``output_dir`` and track it when tracking is on.

    ``background``: record the run from a helper process that imports MLflow while the model trains (worth it
    for a single run in a fresh process; a sweep or a caller that already imported MLflow logs in-process).
    Returns the :class:`benchmark.experiment.Result` and the MLflow run id (None without tracking).
    """
    from benchmark import tracking
    from benchmark.artifacts import write_outputs
    from benchmark.experiment import run_experiment

    try:
        resolved = OmegaConf.to_container(config, resolve=True, throw_on_missing=True)
    except MissingMandatoryValue as exc:
        raise InputError(f"{exc.full_key} has no value; give one on the command line ({exc.full_key}=...)") from None
    enabled = resolved["tracking"]["enabled"]
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
    if logger:
        return result, logger.log(result, resolved, output_dir)
    return result, tracking.log_run(result, resolved, output_dir)


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

    hydra_config = HydraConfig.get()
    output_dir = Path(hydra_config.runtime.output_dir)
    single = hydra_config.mode == RunMode.RUN and "mlflow" not in sys.modules
    for key in command_line_wins(config, hydra_config.overrides.task):
        print(f"model.{key}={config.model[key]} is given on the command line: it wins over the grid's values for "
              f"{key}, which are not searched", flush=True)
    try:
        result, run_id = execute(config, output_dir, hydra_config.runtime.choices.get("model"), background=single)
    except InputError as exc:
        print(f"percee run: error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(summary(result, run_id, output_dir, config.tracking.uri), flush=True)
    return result.reports["validation"]["headline"]["value"]


def main(argv: list[str]) -> int:
    """``percee run ARGS``: Hydra parses ``ARGS``; models named by ``_target_`` may live in the working folder."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("HF_DATASETS_OFFLINE", "1"), ("MLFLOW_DISABLE_TELEMETRY", "true")):
        os.environ.setdefault(name, value)
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    sys.argv = ["percee run", *argv]
    try:
        app()
    except SystemExit as exc:
        if exc.code == 1:  # Hydra's exit for a config error (it printed the message): bad input, code 2
            return 2
        raise
    return 0
