"""`percee predict`: a logged or saved model on new statements or raw documents; bad input exits 2."""
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from benchmark import tracking
from benchmark.artifacts import write_outputs
from benchmark.cli import main
from benchmark.data.extract import extract
from benchmark.data.lexicon import lexicon_for
from benchmark.data.sources import Source, read_source
from benchmark.experiment import run_experiment
from benchmark.paths import RAW
from benchmark.run import compose

STATEMENTS = [
    {"id": "s1", "text": "Diplomats expect no agreement at the two days of talks.", "lang": "en"},
    {"id": "s2", "text": "Il ne faut pas s'attendre à des percées lors de ce sommet.", "lang": "fr"},
    {"id": "s3", "text": "От саммита не следует ожидать каких-либо прорывных решений.", "lang": "ru"},
    {"id": "s4", "text": "The leaders will discuss energy.", "lang": "en"},
]


def write_lines(path: Path, lines) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                            for line in lines), encoding="utf-8")
    return path


def read_output(path: Path) -> tuple[dict, list[dict]]:
    meta, *rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return meta["_meta"], rows


@pytest.mark.parametrize("lines,message", [
    ([{"id": "s1", "text": "A summit."}], "missing or empty field 'lang'"),
    ([{"id": "s1", "lang": "en"}], "missing or empty field 'text'"),
    ([{"text": "A summit.", "lang": "en"}], "missing or empty field 'id'"),
    (['{"id": "s1", "text": "A summit.", "lang": "en"'], "bad JSON"),
    ([{"id": "s1", "text": "A summit.", "lang": "de"}], "unknown language 'de'"),
    ([STATEMENTS[0], STATEMENTS[0]], "already on line 1"),
    ([], "no statements in the file"),
])
def test_bad_statements_give_one_message_and_exit_code_2(tmp_path, capsys, lines, message):
    source = write_lines(tmp_path / "statements.jsonl", lines)
    output = tmp_path / "predictions.jsonl"
    assert main(["predict", "--model", "runs:/0/model", "--input", str(source), "--output", str(output)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("percee predict: error: ") and message in error and len(error.splitlines()) == 1
    assert str(source) in error and not output.exists()


def test_bad_documents_give_one_message_and_exit_code_2(tmp_path, capsys):
    source = write_lines(tmp_path / "documents.jsonl", [{"doc_id": "d1", "lang": "en"}])
    assert main(["predict", "--model", "runs:/0/model", "--documents", str(source), "--output",
                 str(tmp_path / "out.jsonl")]) == 2
    assert "missing field 'text'" in capsys.readouterr().err


@pytest.mark.parametrize("model", ["/no/such/model/folder", "nosuchscheme://model"])
def test_unknown_model_gives_one_message_and_exit_code_2(tmp_path, capsys, model):
    source = write_lines(tmp_path / "statements.jsonl", STATEMENTS)
    assert main(["predict", "--model", model, "--input", str(source), "--output", str(tmp_path / "o.jsonl")]) == 2
    error = capsys.readouterr().err
    assert f"cannot load model {model!r}" in error and "Traceback" not in error


@pytest.fixture(scope="module")
def logged(built, tmp_path_factory):
    """The TF-IDF baseline on task claim logged to a fresh store, registered, and downloaded to a folder."""
    import mlflow

    folder = tmp_path_factory.mktemp("store")
    uri = f"sqlite:///{folder}/mlflow.db"
    config = OmegaConf.to_container(compose([f"tracking.uri={uri}", f"tracking.artifact_location={folder}/art",
                                             "task=claim", "model=tfidf_lr", "model.grid.C=[1.0]"]), resolve=True)
    result = run_experiment(config, "tfidf_lr")
    run_id = tracking.log_run(result, config, write_outputs(result, folder / "outputs", "{}\n"))
    version = mlflow.register_model(f"runs:/{run_id}/model", "percee-tfidf").version
    local = mlflow.artifacts.download_artifacts(f"runs:/{run_id}/model", dst_path=str(folder / "saved"))
    return {"uri": uri, "runs": f"runs:/{run_id}/model", "models": f"models:/percee-tfidf/{version}",
            "path": local}


@pytest.mark.slow
@pytest.mark.parametrize("form", ["runs", "models", "path"])
def test_predicts_one_row_per_statement_from_each_model_uri_form(logged, tmp_path, form):
    source = write_lines(tmp_path / "statements.jsonl", STATEMENTS)
    output = tmp_path / "predictions.jsonl"
    assert main(["predict", "--model", logged[form], "--input", str(source), "--output", str(output),
                 "--tracking-uri", logged["uri"]]) == 0
    meta, rows = read_output(output)
    assert meta["task"] == "claim" and meta["model"] == logged[form]
    assert [row["id"] for row in rows] == [s["id"] for s in STATEMENTS]
    for row in rows:
        assert row["label"] in ("claim", "no_claim")
        assert set(row["scores"]) == {"claim", "no_claim"} and abs(sum(row["scores"].values()) - 1) < 1e-9


@pytest.mark.slow
def test_documents_are_extracted_by_the_builder_and_keep_their_provenance(logged, tmp_path):
    with gzip.open(RAW / "seed" / "seed.jsonl.gz", "rt", encoding="utf-8") as handle:
        documents = [json.loads(line) for line in handle]
    source = write_lines(tmp_path / "documents.jsonl", documents)
    output = tmp_path / "predictions.jsonl"
    assert main(["predict", "--model", logged["path"], "--documents", str(source), "--output", str(output)]) == 0
    parsed = read_source(Source("input", source.name, ""), source)
    expected = [s for document in parsed for s in extract(document, lexicon_for(document.lang))]
    _, rows = read_output(output)
    assert expected and [row["id"] for row in rows] == [s.id for s in expected]
    for row, statement in zip(rows, expected):
        assert (row["doc_id"], row["char_start"], row["char_end"], row["text"], row["holder"]) == (
            statement.doc_id, statement.char_start, statement.char_end, statement.text, statement.holder)
        assert row["label"] in ("claim", "no_claim")


@pytest.mark.slow
def test_a_researchers_own_model_logged_by_percee_run_predicts_from_any_folder(built, tmp_path):
    """The README's own model (tests/configs/my_models.py): its code travels with the logged model."""
    example = Path(__file__).parent / "configs"
    percee = str(Path(sys.executable).with_name("percee"))
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "MLFLOW_DISABLE_TELEMETRY": "true"}
    done = subprocess.run([percee, "run", "--config-dir", str(example), "model=cue", "task=claim",
                           f"tracking.uri={uri}", f"tracking.artifact_location={tmp_path}/art",
                           f"hydra.run.dir={tmp_path}/run"], cwd=example, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    run_id = re.search(r"MLflow run (\w+)", done.stdout).group(1)
    source = write_lines(tmp_path / "statements.jsonl", STATEMENTS)
    for folder in (example, tmp_path):  # the module's own folder, and one where it is not importable
        output = folder / "predictions.jsonl" if folder == tmp_path else tmp_path / "from_example.jsonl"
        # A store named by --tracking-uri is not the user's default store: loading its code is an explicit choice.
        predicted = subprocess.run([percee, "predict", "--model", f"runs:/{run_id}/model", "--input", str(source),
                                    "--output", str(output), "--tracking-uri", uri, "--trust-model"], cwd=folder, env=env,
                                   capture_output=True, text=True, timeout=300)
        assert predicted.returncode == 0, predicted.stderr[-2000:]
        assert {row["label"] for row in read_output(output)[1]} <= {"claim", "no_claim"}


def test_a_model_whose_code_cannot_be_imported_is_one_message_and_exit_code_2(tmp_path, capsys):
    code = tmp_path / "code"
    code.mkdir()
    (code / "vanishing_models.py").write_text(
        "class Constant:\n    def fit(self, X, y):\n        self.classes_ = ['claim']\n        return self\n"
        "    def predict(self, X):\n        return ['claim'] * len(X)\n")
    save = ("import sys; sys.path.insert(0, sys.argv[1]); import mlflow.sklearn, vanishing_models; "
            "mlflow.sklearn.save_model(vanishing_models.Constant().fit(None, None), sys.argv[2], "
            "serialization_format='pickle')")
    subprocess.run([sys.executable, "-c", save, str(code), str(tmp_path / "model")], check=True, capture_output=True,
                   env={**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"})
    source = write_lines(tmp_path / "statements.jsonl", STATEMENTS)
    assert main(["predict", "--model", str(tmp_path / "model"), "--input", str(source), "--output",
                 str(tmp_path / "out.jsonl"), "--trust-model"]) == 2
    warning, error = capsys.readouterr().err.splitlines()
    assert "--trust-model" in warning
    assert "its code is not importable here" in error and "vanishing_models" in error
