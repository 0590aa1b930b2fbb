"""scripts/publish_baselines.py: an unchanged baseline is left alone; the parameter count is the one runs record."""
import importlib.util
import json
import shutil


from benchmark import experiment
from benchmark.paths import ROOT, SUBMISSIONS
from benchmark.submissions import CONTRAST_FILE, PREDICTIONS_FILE, SUBMISSION_FILE

SLUG = "baseline-tfidf-lr-claim-stance"


def _script():
    spec = importlib.util.spec_from_file_location("publish_baselines", ROOT / "scripts" / "publish_baselines.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_a_changed_baseline_is_written_again(tmp_path):
    publish = _script()
    shutil.copytree(SUBMISSIONS / SLUG, tmp_path / SLUG)
    stored = json.loads((tmp_path / SLUG / SUBMISSION_FILE).read_text(encoding="utf-8"))
    metadata = {key: value for key, value in stored.items() if key != "schema_version"}
    files = {"test": tmp_path / "test.jsonl", "contrast": tmp_path / "contrast.jsonl"}
    shutil.copy(tmp_path / SLUG / PREDICTIONS_FILE, files["test"])
    shutil.copy(tmp_path / SLUG / CONTRAST_FILE, files["contrast"])
    assert publish.unchanged(SLUG, files, {**metadata, "created": "2099-01-01", "git_commit": "f" * 40},
                             root=tmp_path)  # a new date and commit alone change nothing
    assert not publish.unchanged(SLUG, files, {**metadata, "parameter_count": 1}, root=tmp_path)
    lines = files["contrast"].read_text(encoding="utf-8").splitlines(keepends=True)
    first = json.loads(lines[1])
    first["label"] = "no_claim" if first["label"] != "no_claim" else "expects_none"
    files["contrast"].write_text("".join([lines[0], json.dumps(first) + "\n", *lines[2:]]), encoding="utf-8")
    assert not publish.unchanged(SLUG, files, metadata, root=tmp_path)
    assert not publish.unchanged("no-such-baseline", files, metadata, root=tmp_path)


def test_parameter_count_is_the_trained_weights_and_has_one_definition():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(
        ["ab bc", "bc cd", "cd de", "de ab", "ab cd", "bc de"], ["x", "y", "z", "x", "y", "z"])
    classifier = model[-1]
    assert experiment.parameter_count(model) == classifier.coef_.size + classifier.intercept_.size == 3 * 4 + 3
    assert _script().parameter_count is experiment.parameter_count
