"""Threat: code execution from a model. A model folder (or a run of someone else's store) holding a pickle
payload, code paths or classes outside the allow-list is refused unless the user passes --trust-model (then a
warning names the risk); models are saved with skops, which loads without running code; the user's own runs in
the local store load as they are; a run that did not finish is never loaded as if its model were whole."""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sklearn.dummy import DummyClassifier

from benchmark import tracking
from benchmark.cli import main
from benchmark.errors import InputError
from benchmark.predict import predict

X = pd.DataFrame({"text": ["A summit.", "Talks."], "lang": ["en", "en"]})


class Payload:
    """Unpickling this runs code: it creates the file ``marker``."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


class Custom(DummyClassifier):
    """A class of no trusted module."""


def save(folder: Path, estimator, form: str) -> Path:
    import mlflow

    mlflow.sklearn.save_model(estimator, str(folder), serialization_format=form, pip_requirements=["scikit-learn"],
                              skops_trusted_types=tracking.custom_types(estimator) if form == "skops" else None)
    return folder


def dummy():
    return DummyClassifier(strategy="most_frequent").fit(X, ["claim", "no_claim"])


@pytest.fixture
def statements(tmp_path) -> Path:
    path = tmp_path / "statements.jsonl"
    path.write_text(json.dumps({"id": "s1", "text": "A summit.", "lang": "en"}) + "\n")
    return path


@pytest.fixture
def payload_folder(tmp_path) -> tuple[Path, Path]:
    """A model folder whose model.pkl is a pickle payload; the marker file shows whether it ran."""
    folder, marker = save(tmp_path / "model", dummy(), "pickle"), tmp_path / "PWNED"
    (folder / "model.pkl").write_bytes(pickle.dumps(Payload(marker)))
    return folder, marker


def test_a_pickle_payload_is_refused_without_trust_model_and_runs_nothing(payload_folder, statements, tmp_path,
                                                                           capsys):
    folder, marker = payload_folder
    output = tmp_path / "out.jsonl"
    assert main(["predict", "--model", str(folder), "--input", str(statements), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert "refusing to load model" in err and "pickle file" in err and "--trust-model" in err
    assert not marker.exists() and not output.exists()


def test_trust_model_is_the_users_explicit_choice_and_warns(payload_folder, statements, tmp_path, capsys):
    folder, marker = payload_folder
    assert main(["predict", "--model", str(folder), "--input", str(statements), "--output",
                 str(tmp_path / "out.jsonl"), "--trust-model"]) == 2  # it ran, then held no model
    err = capsys.readouterr().err
    assert "warning: --trust-model" in err and "can run any code" in err and "not a model with predict" in err
    assert marker.exists()


def test_a_skops_model_of_allowed_classes_loads_without_trust(tmp_path, statements):
    from benchmark.models.weak import WeakLabeller

    folder = save(tmp_path / "model", WeakLabeller().fit(X, ["claim", "no_claim"]), "skops")
    assert yaml.safe_load((folder / "MLmodel").read_text())["flavors"]["sklearn"]["serialization_format"] == "skops"
    assert predict(str(folder), tmp_path / "out.jsonl", statements=statements) == 1


def test_a_skops_model_with_a_class_outside_the_allow_list_needs_trust(tmp_path, statements):
    folder = save(tmp_path / "model", Custom(strategy="most_frequent").fit(X, ["claim", "no_claim"]), "skops")
    with pytest.raises(InputError, match="classes outside the allow-list .*Custom"):
        predict(str(folder), tmp_path / "out.jsonl", statements=statements)
    assert predict(str(folder), tmp_path / "out.jsonl", statements=statements, trust=True) == 1


def test_the_allow_list_in_a_models_own_mlmodel_is_not_believed(tmp_path, statements):
    """MLflow reads skops' trusted types from the model's own MLmodel: a crafted model could trust anything."""
    folder = save(tmp_path / "model", Custom(strategy="most_frequent").fit(X, ["claim", "no_claim"]), "skops")
    mlmodel = yaml.safe_load((folder / "MLmodel").read_text())
    assert mlmodel["flavors"]["sklearn"]["skops_trusted_types"]  # it does list Custom as trusted
    with pytest.raises(InputError, match="refusing"):
        predict(str(folder), tmp_path / "out.jsonl", statements=statements)


def test_code_paths_and_a_model_file_outside_the_folder_are_refused(tmp_path, statements):
    folder = save(tmp_path / "model", dummy(), "skops")
    mlmodel = yaml.safe_load((folder / "MLmodel").read_text())
    mlmodel["flavors"]["sklearn"]["pickled_model"] = "../../../etc/passwd"
    (folder / "MLmodel").write_text(yaml.safe_dump(mlmodel))
    with pytest.raises(InputError, match="outside the model folder"):
        predict(str(folder), tmp_path / "out.jsonl", statements=statements)
    mlmodel["flavors"]["sklearn"].update(pickled_model="model.skops", code="code")
    (folder / "MLmodel").write_text(yaml.safe_dump(mlmodel))
    with pytest.raises(InputError, match="code paths"):
        predict(str(folder), tmp_path / "out.jsonl", statements=statements)


@pytest.fixture
def store(tmp_path):
    """A fresh MLflow store and a pickled model logged to it by a run tagged as `percee run`'s."""
    import mlflow

    uri = f"sqlite:///{tmp_path}/mlflow.db"
    mlflow.set_tracking_uri(uri)
    experiment = mlflow.create_experiment("percee", artifact_location=(tmp_path / "art").as_uri())
    with mlflow.start_run(experiment_id=experiment) as run:
        mlflow.set_tag(tracking.WRITER_TAG, tracking.WRITER)
        mlflow.sklearn.log_model(dummy(), name="model", serialization_format="pickle", pip_requirements=["scikit-learn"])
    return uri, f"runs:/{run.info.run_id}/model"


def test_the_users_own_runs_in_the_local_store_load_without_trust_model(store, statements, tmp_path, capsys):
    uri, model = store
    assert predict(model, tmp_path / "out.jsonl", statements=statements, tracking_uri=uri, own_store=uri) == 1
    assert "warning" not in capsys.readouterr().err
    with pytest.raises(InputError, match="pickle file"):  # the same run seen through another store is not own
        predict(model, tmp_path / "out.jsonl", statements=statements, tracking_uri=uri, own_store="sqlite:///other")


def test_a_run_that_did_not_finish_is_not_loaded_as_if_its_model_were_whole(store, statements, tmp_path):
    import mlflow

    uri, model = store
    mlflow.MlflowClient(uri).set_terminated(model.split("/")[1], "FAILED")
    with pytest.raises(InputError, match="its run ended FAILED, so the model may be incomplete"):
        predict(model, tmp_path / "out.jsonl", statements=statements, tracking_uri=uri, own_store=uri, trust=True)


def test_predict_output_pointing_at_a_folder_exits_2(payload_folder, statements, tmp_path, capsys):
    assert main(["predict", "--model", str(payload_folder[0]), "--input", str(statements), "--output",
                 str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
