"""Threat: a run that ends in a traceback, exits 0 on a bad value, or stores a model's wrong output. Bad values,
faulty user models, Hydra config errors and an unwritable store each give one message and exit code 2; a
command-line value that the grid would replace wins, and the run says so."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from benchmark.errors import InputError
from benchmark.experiment import run_experiment
from benchmark.paths import ROOT
from benchmark.run import compose

HERE = Path(__file__).parent


def percee_run(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "MLFLOW_DISABLE_TELEMETRY": "true",
           "PYTHONPATH": str(HERE)}
    return subprocess.run([str(ROOT / ".venv" / "bin" / "percee"), "run", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("target,message", [
    ("RaisesInFit", "failed in fit: RuntimeError: out of cheese"),
    ("WrongCount", "returned"),
    ("OutsideTask", "predicted label(s) outside task claim_stance (maybe)"),
    ("ReturnsNone", "returned None from predict"),
])
def test_a_faulty_model_is_one_message_naming_the_model_and_the_fault(built, target, message):
    config = OmegaConf.to_container(compose(["tracking=off", "model=majority"]), resolve=True)
    config["model"] = {"_target_": f"faulty_models.{target}"}
    with pytest.raises(InputError, match=f"model {target} \\(faulty_models.{target}\\)") as raised:
        run_experiment(config)
    assert message in str(raised.value)


def test_a_seed_that_is_not_a_number_is_refused(built):
    with pytest.raises(InputError, match="seed must be an integer, got 'abc'"):
        run_experiment(OmegaConf.to_container(compose(["tracking=off", "seed=abc"]), resolve=True))


@pytest.mark.parametrize("args,message", [
    (["model.C=notanumber"], "it wins over the grid's values for C"),
    (["model=nosuch"], "Could not find 'model/nosuch'"),
    (["task.name=bogus"], "unknown task 'bogus'"),
])
def test_bad_values_and_config_errors_exit_2_without_a_traceback(built, tmp_path, args, message):
    done = percee_run(*args, "tracking=off", f"hydra.run.dir={tmp_path}/run")
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert message in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_a_command_line_value_wins_over_the_grid_and_the_run_says_so(built, tmp_path):
    done = percee_run("model=tfidf_lr", "model.C=0.5", "tracking=off", f"hydra.run.dir={tmp_path}/run")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "model.C=0.5 is given on the command line: it wins over the grid's values for C" in done.stdout
    (chosen,) = [line for line in done.stdout.splitlines() if "chosen on validation:" in line]
    assert "train_on=" in chosen and "C=" not in chosen  # the grid's C is not searched


def test_a_sweep_against_a_read_only_store_is_a_message(built, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "mlflow.db").write_bytes(b"")
    os.chmod(store / "mlflow.db", stat.S_IRUSR)
    os.chmod(store, stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(store / "mlflow.db", os.W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        done = percee_run("-m", "model=majority", f"tracking.uri=sqlite:///{store}/mlflow.db",
                          f"hydra.sweep.dir={tmp_path}/multirun")
    finally:
        os.chmod(store, stat.S_IRWXU)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "MLflow could not record the run" in done.stdout + done.stderr


def test_a_sweep_against_a_store_that_cannot_be_written_is_a_message(built, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder should be")
    done = percee_run("-m", "model=majority", f"tracking.uri=sqlite:///{blocked}/mlflow.db",
                      f"hydra.sweep.dir={tmp_path}/multirun")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "MLflow could not record the run" in done.stdout + done.stderr
