"""Contrast sets: the row schema, their link to gold statements, and their isolation from training data."""
import json

import pytest

from benchmark.data import load
from benchmark.data.contrast import CAPABILITIES, EDIT, ORIGINAL, contrast_split, read_contrast
from benchmark.errors import InputError
from benchmark.labels import LABELS

GOLD = {"s1": {"text": "Diplomats expect an agreement at the talks.", "label": "expects_breakthrough", "lang": "en"}}


def row(**changes):
    base = {"id": "negation-en-001", "capability": "negation", "lang": "en",
            "text": "Diplomats do not expect an agreement at the talks.", "label": "expects_none",
            "source_id": "s1", "edit": "negated the expectation: expects_none", "writer": "ann-11",
            "checker": "ann-18", "check": "accepted", "version": "1.0"}
    return {**base, **changes}


def write(folder, name, rows):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_a_valid_row_becomes_an_edit_and_its_source_an_original(tmp_path):
    write(tmp_path, "negation.jsonl", [row(), row(id="negation-en-002", check="rejected")])
    rows = read_contrast(tmp_path, GOLD)
    split = contrast_split(rows, GOLD)
    assert [(r["id"], r["role"]) for r in split] == [("negation-en-001", EDIT), ("s1", ORIGINAL)]
    assert split[1]["text"] == GOLD["s1"]["text"] and LABELS[split[1]["label"]] == "expects_breakthrough"


@pytest.mark.parametrize("changes, message", [
    ({"source_id": "nope"}, "not a gold statement"),
    ({"text": GOLD["s1"]["text"]}, "must differ from its source"),
    ({"edit": " "}, "must differ from its source and the edit must be described"),
    ({"checker": "ann-11"}, "another annotator than the writer"),
    ({"label": "breakthrough"}, "is not one of"),
    ({"capability": "time"}, "must be the file's name"),
    ({"check": "maybe"}, "check 'maybe'"),
])
def test_bad_rows_are_refused_with_the_file_and_line(tmp_path, changes, message):
    write(tmp_path, "negation.jsonl", [row(**changes)])
    with pytest.raises(InputError, match=message) as error:
        read_contrast(tmp_path, GOLD)
    assert "negation.jsonl:1" in str(error.value)


def test_duplicate_ids_are_refused(tmp_path):
    write(tmp_path, "negation.jsonl", [row(), row()])
    with pytest.raises(InputError, match="duplicate contrast id"):
        read_contrast(tmp_path, GOLD)


@pytest.fixture(scope="module")
def contrast(built):
    return load("contrast", built)["test"]


def test_every_capability_has_150_pairs_with_30_per_language(contrast):
    edits = [r for r in contrast if r["role"] == EDIT]
    for name in CAPABILITIES:
        mine = [r for r in edits if r["capability"] == name]
        assert len(mine) >= 150, name
        for lang in ("en", "fr", "ru"):
            assert sum(r["lang"] == lang for r in mine) >= 30, (name, lang)
        assert all(r["writer"] and r["checker"] and r["writer"] != r["checker"] for r in mine)


def test_every_source_is_a_gold_statement_and_each_pair_differs(built, contrast):
    default = load("default", built)
    gold_text = {i: t for split in default.values()
                 for i, t, origin in zip(split["id"], split["text"], split["label_source"]) if origin == "gold"}
    originals = {r["id"]: r for r in contrast if r["role"] == ORIGINAL}
    for r in contrast:
        if r["role"] == EDIT:
            assert r["source_id"] in gold_text and r["source_id"] in originals
            assert r["text"] != gold_text[r["source_id"]] and r["edit"]


def test_contrast_rows_never_reach_a_training_split(built, contrast):
    edits = [r for r in contrast if r["role"] == EDIT]
    for name in ("default", "temporal", "xling_fr", "xling_ru"):
        train = load(name, built)["train"]
        assert not {r["id"] for r in edits} & set(train["id"])
        assert not {r["text"] for r in edits} & set(train["text"])


def test_score_contrast_cli_reports_every_capability(built, capsys):
    from benchmark.cli import main
    from benchmark.paths import SUBMISSIONS
    from benchmark.scoring.contrast import contrast_report

    path = SUBMISSIONS / "baseline-tfidf-lr-claim-stance" / "contrast_predictions.jsonl"
    assert main(["score", "--contrast", "--task", "claim_stance", "--predictions", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = [json.loads(line) for line in path.open()][1:]
    expected = contrast_report("claim_stance", load("contrast", built)["test"], {r["id"]: r["label"] for r in rows})
    assert report == json.loads(json.dumps(expected)) and set(report) == set(CAPABILITIES)
