"""Threat: a run killed while it is recorded, or a disk that fills during artifact logging. No run stays
RUNNING forever: the next start marks runs whose recording process is gone FAILED, a failure while logging
ends the run FAILED at once, and a model of a run that did not finish is never loaded as whole (see
test_model_loading)."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest
from omegaconf import OmegaConf

from benchmark import tracking
from benchmark.run import compose


def config_for(folder, *overrides) -> dict:
    return OmegaConf.to_container(compose([f"tracking.uri=sqlite:///{folder}/mlflow.db",
                                           f"tracking.artifact_location={folder}/artifacts", "model=majority",
                                           *overrides]), resolve=True)


def runs(config) -> list:
    import mlflow

    client = mlflow.MlflowClient(config["tracking"]["uri"])
    experiment = client.get_experiment_by_name(config["tracking"]["experiment"])
    return client.search_runs([experiment.experiment_id])


def test_a_run_killed_while_logging_is_marked_failed_at_the_next_start(built, tmp_path):
    config = config_for(tmp_path)
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        import mlflow
        from benchmark import tracking
        from benchmark.artifacts import write_outputs
        from benchmark.experiment import run_experiment
        config = {config!r}
        result = run_experiment(config)
        folder = write_outputs(result, Path({str(tmp_path / 'outputs')!r}), "")
        mlflow.log_artifacts = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)  # killed mid-way
        tracking.log_run(result, config, folder)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    [stuck] = runs(config)
    assert stuck.info.status == "RUNNING"
    tracking.prepare(config["tracking"])  # what the next `percee run` does first
    [run] = runs(config)
    assert run.info.status == "FAILED" and "stopped while recording" in run.data.tags[tracking.FAILURE_TAG]


def test_a_running_run_of_a_live_process_is_left_alone(built, tmp_path):
    import mlflow

    config = config_for(tmp_path)
    experiment = tracking.prepare(config["tracking"])
    with mlflow.start_run(experiment_id=experiment, tags=tracking._owner()):
        assert tracking.fail_abandoned_runs(experiment) == []
        assert runs(config)[0].info.status == "RUNNING"


def test_a_failure_while_logging_artifacts_ends_the_run_failed_with_one_message(built, tmp_path):
    from benchmark.artifacts import write_outputs
    from benchmark.errors import InputError
    from benchmark.experiment import run_experiment

    blocked = tmp_path / "artifacts"
    blocked.write_text("a file where the artifact folder should be: writing fails as on a full disk")
    config = config_for(tmp_path)
    result = run_experiment(config)
    with pytest.raises(InputError, match="MLflow could not record the run"):
        tracking.log_run(result, config, write_outputs(result, tmp_path / "outputs", ""))
    [run] = runs(config)
    assert run.info.status == "FAILED"
