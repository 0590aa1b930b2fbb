"""Threat: hostile or broken JSON given to the readers of build, predict and score. Each gets one message
naming the file and line and exit code 2, never a traceback, and nothing wrong is stored."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.data.contrast import read_contrast
from benchmark.errors import InputError
from benchmark.fileio import read_jsonl

DOCUMENT = {"doc_id": "d1", "lang": "en", "text": "Diplomats expect no agreement at the summit.",
            "date": "2015-03-01"}


def write(path: Path, lines: list) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("line,message", [
    ('{"id": "s1", "n": ' + "9" * 5000 + "}", "numbers must be of ordinary size"),
    ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    ('{"id": "s1", "text": "\\ud800"}', "lone surrogate"),
    ('{"id": "s1", "text": "fine \\ud83d\\ude00"}', None),  # a well-formed surrogate pair is text
])
def test_json_edge_cases_are_one_message_with_file_and_line(tmp_path, line, message):
    path = write(tmp_path / "rows.jsonl", [{"id": "s0"}, line])
    if message is None:
        assert len(list(read_jsonl(path))) == 2
        return
    with pytest.raises(InputError, match=message) as raised:
        list(read_jsonl(path))
    assert f"{path}:2: " in str(raised.value)


@pytest.mark.parametrize("change,message", [
    ({"title": {"a": 1}}, "title of 'd1' must be a string or null"),
    ({"speaker_turns": "abc"}, "speaker_turns of 'd1' must be a list of"),
    ({"speaker_turns": [[1]]}, "speaker_turns of 'd1' must be a list of"),
    ({"lang": ["en"]}, "unknown language ['en']"),
    ({"text": "Diplomats expect\x00 no agreement."}, "control character U+0000"),
    ({"text": "Diplomats \x1b[2J expect no agreement."}, "control character U+001B"),
    ({"date": "2015-13-45"}, "impossible date '2015-13-45'"),
    ({"date": "2015-02-30"}, "impossible date"),
])
def test_bad_documents_are_refused_by_the_reader_of_build_and_predict(tmp_path, capsys, change, message):
    source = write(tmp_path / "documents.jsonl", [DOCUMENT, {**DOCUMENT, "doc_id": "d1", **change}])
    output = tmp_path / "out.jsonl"
    assert main(["predict", "--model", "unused", "--documents", str(source), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert message in err and f"{source}:2: " in err and "Traceback" not in err and not output.exists()


def test_a_duplicate_doc_id_in_predict_documents_is_refused(tmp_path, capsys):
    source = write(tmp_path / "documents.jsonl", [DOCUMENT, DOCUMENT])
    assert main(["predict", "--model", "unused", "--documents", str(source), "--output", str(tmp_path / "o")]) == 2
    assert f"duplicate doc_id 'd1' (first seen at {source}:1)" in capsys.readouterr().err


def test_a_huge_id_is_cut_in_the_message(tmp_path, capsys):
    huge = "x" * 2_000_000
    row = {"id": huge, "text": "A summit.", "lang": "en"}
    source = write(tmp_path / "statements.jsonl", [row, row])
    assert main(["predict", "--model", "unused", "--input", str(source), "--output", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "already on line 1" in err and "(2,000,000 characters)" in err and len(err) < 500


def test_statements_with_control_characters_are_refused(tmp_path, capsys):
    source = write(tmp_path / "statements.jsonl", [{"id": "s1", "text": "A \x1b]0;x\x07 summit.", "lang": "en"}])
    assert main(["predict", "--model", "unused", "--input", str(source), "--output", str(tmp_path / "o")]) == 2
    assert "control character U+001B" in capsys.readouterr().err


def test_a_401_digit_score_is_one_message(tmp_path, capsys):
    gold = write(tmp_path / "gold.jsonl", [{"id": "s1", "label": "no_claim"}, {"id": "s2", "label": "expects_none"}])
    labels = ("expects_breakthrough", "expects_none", "no_claim")
    rows = [{"id": "s1", "label": "no_claim", "scores": {label: 0 for label in labels}},
            {"id": "s2", "label": "expects_none", "scores": {label: 0 for label in labels}}]
    rows[0]["scores"]["no_claim"] = 1
    line = json.dumps(rows[1]).replace('"expects_none": 0', '"expects_none": 1' + "0" * 400)
    predictions = write(tmp_path / "predictions.jsonl", [rows[0], line])
    assert main(["score", "--predictions", str(predictions), "--labels", str(gold)]) == 2
    err = capsys.readouterr().err
    assert "too large to be a probability" in err and f"{predictions}:2: " in err and len(err) < 600


@pytest.mark.parametrize("row,message", [
    ({"id": "s1", "label": "no_claim", "lang": ["en"]}, '"lang" must be a string'),
    ({"id": "s1", "label": "maybe"}, "label 'maybe' is not one of"),
    ({"id": 7, "label": "no_claim"}, '"id" (a non-empty string)'),
])
def test_a_bad_labels_file_names_the_file_and_line(tmp_path, capsys, row, message):
    gold = write(tmp_path / "gold.jsonl", [{"id": "s0", "label": "no_claim"}, row])
    predictions = write(tmp_path / "predictions.jsonl", [{"id": "s0", "label": "no_claim"}])
    assert main(["score", "--predictions", str(predictions), "--labels", str(gold)]) == 2
    err = capsys.readouterr().err
    assert message in err and f"{gold}:2: " in err and "rebuild the dataset" not in err


def test_a_contrast_row_with_a_number_as_text_is_refused(tmp_path):
    row = {"id": "c1", "capability": "negation", "lang": "en", "text": 12345, "label": "no_claim",
           "source_id": "s1", "edit": "negated", "writer": "a1", "checker": "a2", "check": "accepted", "version": 1}
    folder = tmp_path / "contrast"
    folder.mkdir()
    write(folder / "negation.jsonl", [row])
    with pytest.raises(InputError, match=r"field\(s\) text must be strings, got 12345") as raised:
        read_contrast(folder, {"s1": {"text": "x", "label": "no_claim", "lang": "en"}})
    assert "negation.jsonl:1: " in str(raised.value)
