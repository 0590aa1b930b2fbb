"""Threat: data edited after the build (gold labels flipped in a parquet file, a file added or removed, the
manifest rewritten). Every command that makes scores checks the files against MANIFEST.json: a difference is
exit 2 naming the file, unless --force, which the report then states; caches are keyed by the files' hashes."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from benchmark.cli import main
from benchmark.data import check, gold, load
from benchmark.data.manifest import MANIFEST
from benchmark.errors import InputError
from benchmark.experiment import run_experiment
from benchmark.run import compose

TEST = "data/default/test.parquet"


def flip_gold_labels(dataset, count=50):
    """Flip the label of the first ``count`` test statements (0 <-> 1), as the red team did."""
    path = dataset / TEST
    table = pq.read_table(path)
    labels = table.column("label").to_pylist()
    labels[:count] = [1 - label if label in (0, 1) else label for label in labels[:count]]
    pq.write_table(table.set_column(table.schema.get_field_index("label"), "label",
                                    __import__("pyarrow").array(labels, table.schema.field("label").type)), path)


def test_the_built_dataset_matches_its_manifest(built):
    assert check(built).modified == ()


def test_score_refuses_flipped_gold_labels_naming_the_file(dataset_copy, perfect, capsys):
    flip_gold_labels(dataset_copy)
    assert main(["score", "--predictions", str(perfect), "--dataset", str(dataset_copy)]) == 2
    err = capsys.readouterr().err
    assert TEST in err and "sha256 differs" in err and "--force" in err and "Traceback" not in err


def test_score_with_force_says_so_and_scores_the_files_as_they_are(dataset_copy, perfect, capsys):
    assert main(["score", "--predictions", str(perfect), "--dataset", str(dataset_copy), "--json"]) == 0
    intact = json.loads(capsys.readouterr().out)
    flip_gold_labels(dataset_copy)
    assert main(["score", "--predictions", str(perfect), "--dataset", str(dataset_copy), "--force"]) == 0
    assert f"files differ from its MANIFEST.json: {TEST}" in capsys.readouterr().out
    assert main(["score", "--predictions", str(perfect), "--dataset", str(dataset_copy), "--force", "--json"]) == 0
    forced = json.loads(capsys.readouterr().out)
    assert forced["dataset_files_modified"] == [TEST] and "dataset_files_modified" not in intact
    # the cache is keyed by the files' hashes: the edited labels are the ones scored, not a cached copy
    assert forced["accuracy"]["value"] < intact["accuracy"]["value"] == 1.0


def test_load_reads_the_edited_files_not_the_cache_of_the_intact_ones(dataset_copy):
    before = load("default", dataset_copy)["test"]["label"]
    flip_gold_labels(dataset_copy)
    after = load("default", dataset_copy, force=True)["test"]["label"]
    assert sum(a != b for a, b in zip(before, after)) > 0


@pytest.mark.parametrize("edit", ["remove", "add", "manifest"])
def test_a_missing_or_unlisted_file_or_an_inconsistent_manifest_is_refused(dataset_copy, edit):
    if edit == "remove":
        (dataset_copy / TEST).unlink()
        expected = f"{TEST} (missing)"
    elif edit == "add":
        (dataset_copy / "data" / "default" / "extra.parquet").write_bytes(b"x")
        expected = "data/default/extra.parquet (not listed)"
    else:  # a manifest rewritten to list the edited file, keeping the digest that predictions cite
        flip_gold_labels(dataset_copy)
        manifest = json.loads((dataset_copy / MANIFEST).read_text())
        from benchmark.data.manifest import sha256_file
        manifest["files"][TEST] = sha256_file(dataset_copy / TEST)
        (dataset_copy / MANIFEST).write_text(json.dumps(manifest))
        expected = "dataset_digest does not match its file list"
    with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        gold("default", "test", dataset_copy)


@pytest.mark.parametrize("command", ["submit", "leaderboard", "compare"])
def test_submit_leaderboard_and_compare_refuse_edited_data(dataset_copy, perfect, tmp_path, command, capsys):
    flip_gold_labels(dataset_copy)
    argv = {"submit": ["submit", "--predictions", str(perfect), "--name", "x", "--author", "a", "--task",
                       "claim_stance", "--submissions", str(tmp_path / "subs")],
            "leaderboard": ["leaderboard", "--output", str(tmp_path / "board")],
            "compare": ["compare", str(perfect), str(perfect)]}[command]
    assert main([*argv, "--dataset", str(dataset_copy)]) == 2
    assert TEST in capsys.readouterr().err
    assert not (tmp_path / "subs").exists() and not (tmp_path / "board").exists()


def test_run_and_verify_refuse_edited_data(dataset_copy):
    """``percee verify`` re-runs each baseline through run_experiment: the check comes before any fitting."""
    flip_gold_labels(dataset_copy)
    config = compose(["tracking=off", f"data.path={dataset_copy}"])
    from omegaconf import OmegaConf
    with pytest.raises(InputError, match=TEST):
        run_experiment(OmegaConf.to_container(config, resolve=True))
