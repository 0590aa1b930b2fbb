"""Submissions: the typed schema, slugs, and `percee submit` on real predictions of the built dataset."""
import gzip
import json
import subprocess
import sys

import pytest

from benchmark.cli import main
from benchmark.data import digest, gold
from benchmark.errors import InputError
from benchmark.submissions import (PREDICTIONS_FILE, SCHEMA_VERSION, SUBMISSION_FILE, Submission, read_submissions,
                                   slugify, submit)

VALID = {"name": "Cue lexicon", "slug": "cue-lexicon", "authors": ["A. Author"], "tasks": ["claim_stance"],
         "dataset_digest": "d" * 64, "created": "2025-01-31"}


@pytest.fixture(scope="module")
def reference(built):
    """The default configuration's test gold, as the scorer takes it."""
    return gold("default", "test", built)


@pytest.fixture
def perfect(reference, tmp_path):
    """A predictions file copying the gold labels (claim_stance)."""
    path = tmp_path / "perfect.jsonl"
    path.write_text("".join(json.dumps({"id": i, "label": r["label"]}) + "\n" for i, r in reference.items()))
    return path


def _metadata(**changes):
    return {"name": "Perfect <copy>", "authors": ["A. Author"], "tasks": ["claim_stance"], "created": "2025-01-31",
            **changes}


# ---------------------------------------------------------------- schema and slugs


@pytest.mark.parametrize(("name", "slug"), [
    ("Cue lexicon", "cue-lexicon"),
    ("  Modèle Ünïcode — v2.1 ", "modele-unicode-v2-1"),
    ("../../etc/passwd", "etc-passwd"),
    ("ＸＬＭ－Ｒ (large)", "xlm-r-large"),
    ("a" * 63 + "-b", "a" * 63),
    ("<script>alert(1)</script>", "script-alert-1-script"),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["", "   ", "!!!", "Прорыв"])
def test_slugify_refuses_names_without_ascii_letters_or_digits(name):
    with pytest.raises(InputError, match="empty slug"):
        slugify(name)


def test_schema_round_trip():
    submission = Submission.from_dict(VALID)
    data = submission.to_dict()
    assert list(data)[:3] == ["schema_version", "name", "slug"] and data["schema_version"] == SCHEMA_VERSION
    assert data["config"] == "default" and data["parameter_count"] is None and data["baseline"] is False
    assert Submission.from_dict(json.loads(json.dumps(data))) == submission


@pytest.mark.parametrize(("change", "message"), [
    ({"name": ""}, "'name' must be a non-empty string"),
    ({"name": None}, "'name' must be a non-empty string"),
    ({"authors": "A. Author"}, "'authors' must be a non-empty list"),
    ({"authors": []}, "'authors' must be a non-empty list"),
    ({"tasks": ["claim_stance", "sentiment"]}, "'tasks' must list distinct task names among claim, stance"),
    ({"tasks": ["claim", "claim"]}, "'tasks' must list distinct"),
    ({"parameter_count": "7B"}, "'parameter_count' must be a non-negative integer or null"),
    ({"parameter_count": True}, "'parameter_count' must be a non-negative integer or null"),
    ({"parameter_count": -1}, "'parameter_count' must be a non-negative integer or null"),
    ({"baseline": "yes"}, "'baseline' must be true or false"),
    ({"code_url": "javascript:alert(1)"}, "'code_url' must be an http\\(s\\):// address"),
    ({"paper_url": "https://"}, "'paper_url' must be an http\\(s\\):// address"),
    ({"mlflow_run_url": "https://example.org/a b"}, "'mlflow_run_url' must be an http\\(s\\):// address"),
    ({"code_url": "ftp://example.org/x"}, "'code_url' must be an http\\(s\\):// address"),
    ({"created": "31/01/2025"}, "'created' must be a date YYYY-MM-DD"),
    ({"slug": "../escape"}, "'slug' must be lowercase"),
    ({"slug": "a" * 65}, "'slug' must be lowercase"),
    ({"git_commit": "HEAD"}, "'git_commit' must be a 40-character"),
    ({"mlflow_run_id": ""}, "'mlflow_run_id' must be a non-empty string or null"),
    ({"owner": "me"}, "unknown field\\(s\\) owner"),
    ({"schema_version": 2}, "unsupported schema_version 2"),
])
def test_schema_refuses_bad_fields(change, message):
    with pytest.raises(InputError, match=message):
        Submission.from_dict({**VALID, **change})


def test_schema_names_missing_fields_and_the_file(tmp_path):
    data = {key: value for key, value in VALID.items() if key not in ("name", "authors")}
    with pytest.raises(InputError, match=r"submission\.json: missing field\(s\) name, authors"):
        Submission.from_dict(data, tmp_path / "submission.json")


# ---------------------------------------------------------------- percee submit


def test_submit_writes_metadata_and_predictions(perfect, built, tmp_path):
    root = tmp_path / "submissions"
    folder = submit(perfect, _metadata(parameter_count=12, baseline=True, mlflow_run_id="abc123"), root=root,
                    dataset=built, baselines={"perfect-copy"})
    assert folder == root / "perfect-copy"
    assert sorted(p.name for p in folder.iterdir()) == [PREDICTIONS_FILE, SUBMISSION_FILE]
    assert (folder / PREDICTIONS_FILE).read_bytes() == perfect.read_bytes()
    data = json.loads((folder / SUBMISSION_FILE).read_text(encoding="utf-8"))
    assert data["name"] == "Perfect <copy>" and data["slug"] == "perfect-copy"
    assert data["dataset_digest"] == digest(built) and data["scorer_version"]
    assert data["created"] == "2025-01-31" and data["parameter_count"] == 12 and data["baseline"] is True
    assert data["git_commit"] is None or len(data["git_commit"]) == 40
    assert [(s.slug, f) for s, f in read_submissions(root)] == [("perfect-copy", folder)]
    assert not [p for p in root.iterdir() if p.name.startswith(".")]


def test_submit_stores_gzip_decompressed_with_its_sidecar(perfect, built, tmp_path):
    packed = tmp_path / "packed.jsonl.gz"
    packed.write_bytes(gzip.compress(perfect.read_bytes()))
    (tmp_path / "packed.jsonl.gz.meta.json").write_text(json.dumps({"dataset_digest": digest(built)}))
    folder = submit(packed, _metadata(), root=tmp_path / "submissions", dataset=built)
    assert (folder / PREDICTIONS_FILE).read_bytes() == perfect.read_bytes()
    assert json.loads((folder / f"{PREDICTIONS_FILE}.meta.json").read_text()) == {"dataset_digest": digest(built)}


def test_submit_replace_swaps_the_folder(perfect, built, tmp_path):
    root = tmp_path / "submissions"
    submit(perfect, _metadata(), root=root, dataset=built)
    with pytest.raises(InputError, match="exists already; pass --replace"):
        submit(perfect, _metadata(description="second"), root=root, dataset=built)
    folder = submit(perfect, _metadata(description="second"), root=root, dataset=built, replace_existing=True)
    assert json.loads((folder / SUBMISSION_FILE).read_text())["description"] == "second"
    assert sorted(p.name for p in root.iterdir()) == ["perfect-copy"]


def test_submit_checks_the_dataset_digest(perfect, built, tmp_path):
    stale = tmp_path / "stale.jsonl"
    stale.write_text(json.dumps({"_meta": {"dataset_digest": "0" * 64}}) + "\n" + perfect.read_text())
    root = tmp_path / "submissions"
    with pytest.raises(InputError, match="digest"):
        submit(stale, _metadata(), root=root, dataset=built)
    assert not root.exists()
    folder = submit(stale, _metadata(), root=root, dataset=built, force=True)
    assert json.loads((folder / SUBMISSION_FILE).read_text())["dataset_digest"] == "0" * 64


@pytest.mark.parametrize(("case", "message"), [
    ("missing_row", "have no prediction"),
    ("bad_label", "outside task claim_stance"),
    ("wrong_task", "outside task claim"),
    ("bad_config", "cannot load configuration"),
    ("no_name", "missing field\\(s\\) name"),
    ("bad_count", "'parameter_count'"),
])
def test_submit_refuses_bad_input_and_writes_nothing(case, message, perfect, built, tmp_path):
    rows = perfect.read_text().splitlines()
    metadata = _metadata()
    if case == "missing_row":
        perfect.write_text("\n".join(rows[1:]) + "\n")
    elif case == "bad_label":
        perfect.write_text("\n".join([rows[0].replace('"label": "', '"label": "maybe_'), *rows[1:]]) + "\n")
    elif case == "wrong_task":  # a claim file cannot answer claim_stance (a three-label file answers claim too)
        perfect.write_text("\n".join(row.replace('"expects_breakthrough"', '"claim"').replace('"expects_none"',
                                                                                            '"claim"')
                                     for row in rows) + "\n")
        metadata["tasks"] = ["claim", "claim_stance"]
    elif case == "bad_config":
        metadata["config"] = "no_such_config"
    elif case == "no_name":
        del metadata["name"]
    else:
        metadata["parameter_count"] = 1.5
    root = tmp_path / "submissions"
    with pytest.raises(InputError, match=message):
        submit(perfect, metadata, root=root, dataset=built)
    assert not root.exists()


def test_read_submissions_checks_the_folder_name(perfect, built, tmp_path):
    root = tmp_path / "submissions"
    folder = submit(perfect, _metadata(), root=root, dataset=built)
    (root / ".perfect-copy.abc").mkdir()  # an interrupted write: skipped
    folder.rename(root / "renamed")
    with pytest.raises(InputError, match="differs from the folder name 'renamed'"):
        read_submissions(root)


def test_cli_submit(perfect, built, tmp_path, capsys):
    root = tmp_path / "submissions"
    args = ["submit", "--predictions", str(perfect), "--name", "CLI system", "--author", "A", "--author", "B",
            "--task", "claim_stance", "--created", "2025-02-01", "--parameter-count", "3",
            "--submissions", str(root), "--dataset", str(built)]
    assert main(args) == 0
    data = json.loads((root / "cli-system" / SUBMISSION_FILE).read_text())
    assert data["authors"] == ["A", "B"] and data["mlflow_run_id"] is None and data["parameter_count"] == 3
    assert main(args) == 2
    assert main([{"claim_stance": "nope"}.get(arg, arg) for arg in args] + ["--replace"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("percee submit: error: ") for line in errors)
    assert "exists already" in errors[0] and "'tasks'" in errors[1]


def test_cli_help_stays_light():
    code = ("import sys; from benchmark.cli import _parser; _parser().format_help(); "
            "print(sorted({'mlflow', 'datasets', 'sklearn', 'evaluate', 'numpy'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.fixture
def store(tmp_path):
    """A real MLflow store holding one run whose logged model recorded 4,242 parameters."""
    import mlflow

    uri = f"sqlite:///{tmp_path}/mlflow.db"
    client = mlflow.MlflowClient(tracking_uri=uri)
    run = client.create_run(client.create_experiment("percee"), tags={"parameter_count": "4242"})
    return uri, run.info.run_id


def _submit(perfect, tmp_path, *extra):
    return main(["submit", "--predictions", str(perfect), "--name", "From a run", "--author", "A. Author",
                 "--task", "claim_stance", "--submissions", str(tmp_path / "submissions"), *extra])


def test_submit_checks_the_run_id_in_its_store_and_takes_the_parameter_count_from_the_run(perfect, tmp_path, store,
                                                                                          capsys):
    uri, run_id = store
    assert _submit(perfect, tmp_path, "--run-id", "0" * 32, "--tracking-uri", uri) == 2
    assert f"no MLflow run {'0' * 32!r} in {uri}" in capsys.readouterr().err
    assert _submit(perfect, tmp_path, "--run-id", run_id, "--tracking-uri", uri, "--parameter-count", "7") == 2
    assert "differs from the 4242 parameters" in capsys.readouterr().err
    assert not (tmp_path / "submissions" / "from-a-run").exists()
    assert _submit(perfect, tmp_path, "--run-id", run_id, "--tracking-uri", uri) == 0
    written = json.loads((tmp_path / "submissions" / "from-a-run" / SUBMISSION_FILE).read_text())
    assert (written["mlflow_run_id"], written["parameter_count"]) == (run_id, 4242)
