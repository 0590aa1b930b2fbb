"""`percee run`: every config composes and every model instantiates; an experiment fits on train, chooses on
validation only, reports validation and test with the official scorer and repeats exactly; end to end, runs
and sweeps (basic, joblib, submitit_local launchers) land in MLflow."""
import http.server
import json
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from omegaconf import OmegaConf

from benchmark.errors import InputError
from benchmark.experiment import (AUTO, TRAIN_ON, build_estimator, candidates, gold_of, prediction_rows,
                                  run_experiment, select, task_frames, train_options)
from benchmark.fileio import dumps_jsonl
from benchmark.labels import CLAIM_LABELS, get_task
from benchmark.paths import CONFIGS, ROOT, RUNS
from benchmark.run import BASIC_LAUNCHER, JOB_START, JOB_SUMMARY, SweepProgress, compose
from benchmark.scoring.report import score, score_arrays

GROUPS = ("task", "model", "data", "tracking", "experiment")
OPTIONS = [(group, path.stem) for group in GROUPS for path in sorted((CONFIGS / group).glob("*.yaml"))]
MODELS = [option for group, option in OPTIONS if group == "model"]
PERCEE = str(Path(sys.executable).with_name("percee"))
EXAMPLE = ROOT / "tests" / "configs"


def resolved(overrides=()) -> dict:
    return OmegaConf.to_container(compose(list(overrides)), resolve=True)


def test_every_group_has_its_options():
    assert {option for group, option in OPTIONS if group == "task"} == {"claim", "stance", "claim_stance"}
    assert {"in_language", "xling_fr", "xling_ru", "temporal"} <= {o for g, o in OPTIONS if g == "data"}
    assert {"local", "server", "off"} <= {o for g, o in OPTIONS if g == "tracking"}
    assert {"majority", "weak", "weak_lm", "tfidf_lr", "char_svm", "cnb", "e5_lr", "use_lr",
            "embed_lex_lr"} <= set(MODELS)


@pytest.mark.parametrize("group,option", OPTIONS)
def test_every_config_composes(group, option):
    extra = ["tracking.uri=http://127.0.0.1:5000"] if (group, option) == ("tracking", "server") else []
    config = resolved([f"{group}={option}", *extra])
    assert {"task", "model", "data", "tracking", "seed"} <= config.keys()
    assert get_task(config["task"]["name"])
    assert config["data"]["train_on"] in (*TRAIN_ON, AUTO)


def test_defaults_are_the_tfidf_baseline_on_claim_stance_tracked_locally():
    config = resolved()
    assert config["task"]["name"] == "claim_stance"
    assert config["model"]["_target_"].endswith("WordTfidfLogisticRegression")
    assert config["data"]["config"] == "default"
    assert config["tracking"]["uri"] == f"sqlite:///{RUNS}/mlflow.db"
    assert config["tracking"]["artifact_location"] == str(RUNS / "mlartifacts")


def test_hydra_outputs_go_under_the_ignored_runs_folder():
    with initialize_config_dir(version_base="1.3", config_dir=str(CONFIGS)):
        config = hydra_compose(config_name="config", return_hydra_config=True)
    assert config.hydra.run.dir.startswith(str(RUNS))
    assert config.hydra.sweep.dir.startswith(str(RUNS))
    assert ".percee/" in (ROOT / ".gitignore").read_text()


def test_baseline_suite_preset_sweeps_every_core_model_on_every_task():
    with initialize_config_dir(version_base="1.3", config_dir=str(CONFIGS)):
        config = hydra_compose(config_name="config", overrides=["experiment=baselines"], return_hydra_config=True)
    params = config.hydra.sweeper.params
    assert set(params.task.split(",")) == {"claim", "stance", "claim_stance"}
    assert set(params.model.split(",")) == {"majority", "weak", "weak_lm", "tfidf_lr", "e5_lr", "use_lr",
                                            "embed_lex_lr"}


@pytest.mark.parametrize("option", MODELS)
def test_every_model_instantiates_at_every_grid_point_with_the_seed(option):
    model = resolved([f"model={option}", "seed=7"])["model"]
    for params in candidates(model):
        estimator = build_estimator(model, **params)
        assert callable(estimator.fit) and callable(estimator.predict)
        settings = estimator.get_params()
        assert all(settings[key] == value for key, value in params.items())
        assert settings.get("random_state", 7) == 7


# ---------------------------------------------------------------- the experiment on the real dataset


@pytest.fixture(scope="module")
def claim_run(built):
    return run_experiment(resolved(["task=claim", "model=tfidf_lr"]), "tfidf_lr")


def test_hyperparameters_are_chosen_on_validation_without_the_test_split(claim_run, built):
    config = resolved(["model=tfidf_lr"])
    task, model = claim_run.task, config["model"]
    frames = {split: claim_run.frames[split] for split in ("train", "validation")}
    chosen, params, selection, labels = select(task, model, frames, config["data"])
    options = train_options(model, config["data"])
    assert [{k: v for k, v in entry["params"].items() if k not in ("train_on", "class_weights")}
            for entry in selection] == candidates(model) * len(options)
    assert [entry["params"]["train_on"] for entry in selection] == [o for o in options for _ in candidates(model)]
    best = max(entry["validation_headline"] for entry in selection)
    assert params == next(e["params"] for e in selection if e["validation_headline"] == best)
    assert (params, selection) == (claim_run.params, claim_run.selection)
    assert labels.tolist() == claim_run.predictions["validation"]["label"]  # the run's validation predictions
    assert labels.tolist() == chosen.predict(frames["validation"][["text", "lang"]]).tolist()


def test_validation_and_test_are_scored_by_the_official_scorer(claim_run):
    for split in ("validation", "test"):
        frame, block = claim_run.frames[split], claim_run.predictions[split]
        assert block["id"] == frame["id"].tolist()
        expected = score_arrays(claim_run.task, frame["y"].to_numpy(), block["label"], frame["lang"].tolist(),
                                frame["source"].tolist(), block["scores"])
        assert claim_run.reports[split] == expected
        assert claim_run.reports[split]["n"] == len(frame)


def test_every_run_reports_the_contrast_sets_per_capability(claim_run, built):
    from benchmark.data import load
    from benchmark.data.contrast import CAPABILITIES
    from benchmark.scoring.contrast import contrast_report

    rows = load("contrast", built)["test"]
    block = claim_run.predictions["contrast"]
    assert block["id"] == rows["id"]
    assert claim_run.contrast == contrast_report(claim_run.task, rows, dict(zip(block["id"], block["label"])))
    assert set(claim_run.contrast) == set(CAPABILITIES)


def test_predictions_files_are_scoreable_and_score_the_same(claim_run, tmp_path):
    for split in ("validation", "test"):
        path = tmp_path / f"{split}.jsonl"
        path.write_text(dumps_jsonl(prediction_rows(claim_run, split)), encoding="utf-8")
        report = score("claim", gold_of(claim_run.frames[split]), path, expected_digest=claim_run.dataset_digest)
        assert report["predictions"]["digest"] == "match"
        assert {k: v for k, v in report.items() if k != "predictions"} == claim_run.reports[split]


def test_same_config_and_seed_give_identical_predictions_and_scores(claim_run):
    again = run_experiment(resolved(["task=claim", "model=tfidf_lr"]), "tfidf_lr")
    for split in ("validation", "test"):
        assert prediction_rows(again, split) == prediction_rows(claim_run, split)
        assert again.reports[split] == claim_run.reports[split]


def test_stance_trains_and_scores_on_claims_only(built):
    task = get_task("stance")
    frames, _ = task_frames(task, resolved(["task=stance"])["data"])
    for frame in frames.values():
        assert set(frame["y"]) <= set(CLAIM_LABELS)
    result = run_experiment(resolved(["task=stance", "model=majority"]))
    assert set(result.predictions["test"]["label"]) <= set(CLAIM_LABELS)
    assert result.reports["test"]["n"] == len(frames["test"])


def test_train_on_gold_keeps_annotated_statements_only(built):
    task = get_task("claim_stance")
    gold, _ = task_frames(task, resolved(["data.train_on=gold"])["data"])
    both, _ = task_frames(task, resolved()["data"])
    assert set(gold["train"]["label_source"]) == {"gold"}
    assert len(gold["train"]) == (both["train"]["label_source"] == "gold").sum()
    with pytest.raises(InputError, match="train_on"):
        task_frames(task, resolved(["data.train_on=silver"])["data"])


# ---------------------------------------------------------------- end to end, through MLflow


def percee_run(*args, cwd=ROOT, check=True) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "MLFLOW_DISABLE_TELEMETRY": "true"}
    done = subprocess.run([PERCEE, "run", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def store_overrides(folder: Path) -> list[str]:
    return [f"tracking.uri=sqlite:///{folder}/mlflow.db", f"tracking.artifact_location={folder}/artifacts",
            f"hydra.run.dir={folder}/outputs/run", f"hydra.sweep.dir={folder}/multirun"]


def runs_in(folder: Path, parents: bool = False):
    """The runs of the store in ``folder`` (newest first): the jobs, or only the sweeps' parent runs."""
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{folder}/mlflow.db")
    runs = mlflow.search_runs(experiment_names=["percee"], output_format="list")
    return [run for run in runs if ("percee.sweep" in run.data.tags) == parents]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One MLflow store for the module's runs (creating a store costs seconds)."""
    return tmp_path_factory.mktemp("store")


@pytest.mark.slow
def test_default_run_prints_scores_and_records_params_input_metrics_artifacts_and_model(built, store):
    began = time.time()
    done = percee_run(*store_overrides(store))
    assert "== validation" in done.stdout and "== test" in done.stdout and "f_avg" in done.stdout
    (run,) = [r for r in runs_in(store) if r.data.tags["model"] == "tfidf_lr"]
    params, tags, metrics = run.data.params, run.data.tags, run.data.metrics
    assert params["task.name"] == "claim_stance" and params["seed"] == "0" and "selected.C" in params
    assert params["model._target_"] == "benchmark.models.text.WordTfidfLogisticRegression"
    assert tags["task"] == "claim_stance" and tags["git.commit"] and tags["git.dirty"] in ("true", "false", "unknown")
    assert tags["version.scikit-learn"] and tags["version.mlflow"]
    from benchmark.data import digest, load

    inputs = {i.dataset.name: i for i in run.inputs.dataset_inputs}
    assert set(inputs) == {f"percee/default/{split}" for split in ("train", "validation", "test")}
    assert {i.dataset.digest for i in inputs.values()} == {digest()[:36]}
    for key in ("f_avg", "f_avg_ci_low", "f_avg_ci_high", "f1/expects_none", "by_lang/fr/f_avg", "accuracy"):
        assert f"test/{key}" in metrics and f"validation/{key}" in metrics
    assert metrics["test/f_avg_ci_low"] <= metrics["test/f_avg"] <= metrics["test/f_avg_ci_high"]
    assert "contrast sets (per capability)" in done.stdout
    assert {"contrast/negation/consistency", "contrast/invariance/unchanged"} <= set(metrics)

    import mlflow

    folder = Path(mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path=""))
    expected = {"predictions_test.jsonl", "predictions_validation.jsonl", "config.yaml", "confusion_matrix.svg",
                "classification_report.txt", "report_test.json", "report_validation.json", "selection.json",
                "predictions_contrast.jsonl", "report_contrast.json"}
    assert expected <= {p.name for p in folder.iterdir()}
    log = (folder / "percee.log").read_text(encoding="utf-8")
    assert "grid point 4/4" in log and "recording the run in MLflow" in log
    first = time.mktime(time.strptime(log[1:20], "%Y-%m-%d %H:%M:%S"))
    assert began - 1 <= run.info.start_time / 1000 <= first + 1  # from the start, not from when recording began
    assert run.info.end_time / 1000 >= time.mktime(time.strptime(log.splitlines()[-1][1:20], "%Y-%m-%d %H:%M:%S"))
    assert [experiment.name for experiment in mlflow.search_experiments()] == ["percee"]  # no stray "Default"
    test_split = load("default")["test"]
    rows = (folder / "predictions_test.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(rows[0])["_meta"]["dataset_digest"] == digest()
    assert len(rows) - 1 == test_split.num_rows  # claim_stance keeps every statement
    assert run.outputs.model_outputs, "no model logged"


@pytest.mark.slow
def test_two_model_multirun_logs_both_runs_under_a_parent_and_prints_one_summary_table(built, store):
    before = len(runs_in(store))
    done = percee_run("-m", "model=majority,weak", "task=claim", *store_overrides(store))
    runs = runs_in(store)
    assert len(runs) == before + 2
    assert {r.data.tags["model"] for r in runs[:2]} == {"majority", "weak"}
    (parent,) = runs_in(store, parents=True)
    assert parent.info.status == "FINISHED"
    assert {r.data.tags["mlflow.parentRunId"] for r in runs[:2]} == {parent.info.run_id}
    table = done.stdout[done.stdout.index("== sweep summary: 2 run(s)"):].splitlines()
    assert table[1].split() == ["run", "model", "task", "data", "seed", "test", "headline", "[95%", "CI]", "MLflow",
                                "run"]
    assert [line.split()[:5] for line in table[2:4]] == [["0", "majority", "claim", "default", "0"],
                                                         ["1", "weak", "claim", "default", "0"]]
    assert {line.split()[-1] for line in table[2:4]} == {r.info.run_id for r in runs[:2]}


def test_sweep_progress_says_when_each_job_starts_and_ends(tmp_path, capsys):
    progress = SweepProgress()
    for run in ("0", "1", "10"):
        (tmp_path / run).mkdir()
    job = {"model": "weak", "task": "claim", "data": "default", "seed": 3}
    (tmp_path / "0" / JOB_START).write_text(json.dumps(job))
    progress.report(tmp_path)
    progress.report(tmp_path)  # nothing new: no line
    assert capsys.readouterr().out == "sweep: run 0 started: model weak | task claim | data default | seed 3\n"
    (tmp_path / "0" / JOB_SUMMARY).write_text(json.dumps({**job, "seconds": 12.34, "run_id": None, "test": {
        "name": "f1_claim", "value": 0.5, "ci_low": 0.4, "ci_high": 0.6}}))
    (tmp_path / "10" / JOB_START).write_text(json.dumps(job))
    (tmp_path / "1" / JOB_START).write_text("{")  # being written by a job of another layout: skipped
    progress.report(tmp_path)
    assert capsys.readouterr().out.splitlines() == [
        "sweep: run 0 ended in 12.3 s: model weak | task claim | data default | seed 3 | test f1_claim 0.5000",
        "sweep: run 10 started: model weak | task claim | data default | seed 3"]


def test_sweep_progress_watches_only_sweeps_whose_jobs_run_elsewhere(tmp_path):
    progress = SweepProgress()
    basic = OmegaConf.create({"hydra": {"launcher": {"_target_": BASIC_LAUNCHER}, "sweep": {"dir": str(tmp_path)}}})
    progress.on_multirun_start(basic)
    assert progress._thread is None
    other = OmegaConf.create({"hydra": {"launcher": {"_target_": "x.JoblibLauncher"}, "sweep": {"dir": str(tmp_path)}}})
    progress.on_multirun_start(other)
    assert progress._thread.is_alive()
    assert pickle.loads(pickle.dumps(progress))._thread is None  # what a launcher sends its jobs
    progress.on_multirun_end(other)
    assert not progress._thread.is_alive()


@pytest.mark.slow
@pytest.mark.parametrize("launcher", ["joblib", "submitit_local"])
def test_parallel_sweeps_lose_no_run_in_a_fresh_store(built, tmp_path, launcher):
    done = percee_run("-m", f"hydra/launcher={launcher}", "model=majority,weak", "task=stance",
                      *store_overrides(tmp_path))
    said = [" ".join(line.split()[2:4]).rstrip(":") for line in done.stdout.splitlines()
            if line.startswith("sweep: run ")]  # printed by the sweep's own process
    assert sorted(said) == ["0 ended", "0 started", "1 ended", "1 started"]
    assert said.index("0 started") < said.index("0 ended") and said.index("1 started") < said.index("1 ended")
    runs = runs_in(tmp_path)
    assert sorted(r.data.tags["model"] for r in runs) == ["majority", "weak"]
    assert {r.info.status for r in runs} == {"FINISHED"}
    (parent,) = runs_in(tmp_path, parents=True)
    assert {r.data.tags["mlflow.parentRunId"] for r in runs} == {parent.info.run_id}


@pytest.mark.slow
def test_two_processes_with_the_same_config_and_seed_write_identical_predictions(built, tmp_path):
    outputs = []
    for name in ("first", "second"):
        percee_run("model=tfidf_lr", "task=stance", "seed=3", "tracking=off", f"hydra.run.dir={tmp_path / name}")
        outputs.append([(tmp_path / name / f).read_bytes() for f in
                        ("predictions_validation.jsonl", "predictions_test.jsonl", "report_test.json")])
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_a_researchers_own_model_runs_from_their_config_folder(built, tmp_path):
    """The README's worked example: tests/configs/my_models.py + tests/configs/model/cue.yaml."""
    done = percee_run("--config-dir", str(EXAMPLE), "model=cue", "task=claim", "tracking=off",
                      f"hydra.run.dir={tmp_path}", cwd=EXAMPLE)
    assert "model cue | task claim" in done.stdout
    labels = {json.loads(line).get("label") for line in (tmp_path / "predictions_test.jsonl").open()}
    assert labels - {None} <= {"claim", "no_claim"}


def test_a_dead_tracking_server_stops_the_run_before_training_with_one_message_and_exit_code_2(tmp_path):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    began = time.monotonic()
    done = percee_run("tracking=server", f"tracking.uri=http://127.0.0.1:{port}", f"hydra.run.dir={tmp_path}",
                      check=False)
    assert done.returncode == 2 and time.monotonic() - began < 60
    assert f"no MLflow tracking server answers at 'http://127.0.0.1:{port}'" in done.stderr
    assert "Traceback" not in done.stderr and "grid point" not in done.stdout  # nothing trained


class _RefusingServer(http.server.BaseHTTPRequestHandler):
    """Answers /health like an MLflow server, and refuses every API call (a server that cannot record)."""

    def _answer(self):
        code, body = (200, b"OK") if self.path == "/health" else (400, b'{"error_code": "BAD_REQUEST"}')
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_a_server_that_cannot_record_keeps_the_printed_scores_and_the_run_folder(built, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RefusingServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = percee_run("tracking=server", f"tracking.uri=http://127.0.0.1:{server.server_port}", "task=claim",
                          "model=majority", f"hydra.run.dir={tmp_path}", check=False)
    finally:
        server.shutdown()
    assert done.returncode == 2
    assert "== test" in done.stdout and "f1_claim" in done.stdout
    assert "could not record the run" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "predictions_test.jsonl").exists() and (tmp_path / "report_test.json").exists()


def test_a_run_reads_parquet_and_draws_without_datasets_or_matplotlib(built, tmp_path):
    """What a run needs and no more: the splits come from parquet through pyarrow, the confusion matrices are SVG."""
    code = ("import sys; from benchmark.cli import main; "
            f"main(['run', 'model=majority', 'tracking=off', 'hydra.run.dir={tmp_path}']); "
            "print(sorted({'datasets', 'matplotlib', 'mlflow'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "[]" and (tmp_path / "confusion_matrix.svg").exists()


def test_bad_config_value_is_one_message_and_exit_code_2(built, tmp_path):
    done = percee_run("data.train_on=silver", "tracking=off", f"hydra.run.dir={tmp_path}", check=False)
    assert done.returncode == 2
    assert "train_on" in done.stderr and "Traceback" not in done.stderr
