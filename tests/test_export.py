"""`percee export`: the blind file (statements without labels, with the dataset digest) and the gold labels the
maintainers keep; predictions of the blind file score against either, the split found from their `_meta`."""
import json

import pytest

from benchmark.cli import main
from benchmark.data import digest, gold, load


def read(path):
    meta, *rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return meta["_meta"], rows


@pytest.mark.parametrize("split", ["test", "validation"])
def test_the_blind_file_holds_every_statement_without_its_label_and_names_the_dataset(built, tmp_path, split):
    output = tmp_path / "blind.jsonl"
    assert main(["export", "--split", split, "--output", str(output)]) == 0
    meta, rows = read(output)
    assert (meta["dataset_digest"], meta["config"], meta["split"]) == (digest(built), "default", split)
    assert all(set(row) == {"id", "text", "lang"} for row in rows)
    assert [row["id"] for row in rows] == load("default", built)[split]["id"]


def test_the_train_split_is_not_exported(built, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["export", "--split", "train", "--output", str(tmp_path / "x.jsonl")])
    assert stopped.value.code == 2 and "invalid choice: 'train'" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()


def test_maintainers_score_with_private_labels_and_the_digest_is_checked(built, tmp_path, capsys):
    labels = tmp_path / "labels.jsonl"
    assert main(["export", "--labels", "--output", str(labels)]) == 0
    meta, rows = read(labels)
    assert meta["content"] == "gold labels" and {row["id"]: row["label"] for row in rows} == {
        i: record["label"] for i, record in gold("default", "test", built).items()}
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("".join(json.dumps({"id": row["id"], "label": "no_claim"}) + "\n" for row in rows))
    assert main(["score", "--labels", str(labels), "--predictions", str(predictions)]) == 0
    assert "f_avg" in capsys.readouterr().out
    stale = tmp_path / "stale.jsonl"
    stale.write_text(json.dumps({"_meta": {"dataset_digest": "0" * 64}}) + "\n" + predictions.read_text())
    assert main(["score", "--labels", str(labels), "--predictions", str(stale)]) == 2
    assert "digest" in capsys.readouterr().err


@pytest.mark.slow
def test_the_blind_path_export_predict_score_finds_the_split_from_the_files_meta(built, tmp_path, capsys):
    from omegaconf import OmegaConf

    from benchmark import tracking
    from benchmark.experiment import build_estimator, task_frames
    from benchmark.labels import get_task
    from benchmark.run import compose

    import mlflow.sklearn

    config = OmegaConf.to_container(compose(["model=majority"]), resolve=True)
    frames, _ = task_frames(get_task("claim_stance"), config["data"])
    estimator = build_estimator(config["model"]).fit(frames["train"][["text", "lang"]], frames["train"]["y"])
    tracking._save(mlflow.sklearn.save_model, estimator, str(tmp_path / "model"),
                   metadata={"task": "claim_stance", "labels": list(get_task("claim_stance").labels)})
    blind, predictions = tmp_path / "blind.jsonl", tmp_path / "predictions.jsonl"
    assert main(["export", "--split", "validation", "--output", str(blind)]) == 0
    assert main(["predict", "--model", str(tmp_path / "model"), "--input", str(blind), "--output",
                 str(predictions)]) == 0
    meta, _ = read(predictions)
    assert (meta["dataset_digest"], meta["split"]) == (digest(built), "validation")
    capsys.readouterr()
    assert main(["score", "--predictions", str(predictions)]) == 0  # no --split: the file says validation
    out = capsys.readouterr().out
    assert f"n = {len(load('default', built)['validation'])}" in out and "dataset digest: match" in out
