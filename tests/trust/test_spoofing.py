"""Threat: submitted text that disguises what the leaderboard shows (right-to-left overrides that display a
row's scores reversed, terminal escape sequences), and the official baseline tag claimed by anyone."""
from __future__ import annotations

import json

import pytest

from benchmark.cli import main
from benchmark.errors import InputError
from benchmark.submissions import SUBMISSION_FILE, Submission, read_submissions, submit
from benchmark.verify import baseline_slug, baseline_slugs

VALID = {"name": "Cue lexicon", "slug": "cue-lexicon", "authors": ["A. Author"], "tasks": ["claim_stance"],
         "dataset_digest": "d" * 64, "created": "2025-01-31"}
SPOOFS = {"right-to-left override": "\u202e", "left-to-right isolate": "\u2066", "right-to-left mark": "\u200f",
          "terminal escape": "\x1b[31m", "NUL": "\x00", "bell": "\x07", "C1 control": "\x9b", "newline": "\n"}


@pytest.mark.parametrize("field", ["name", "authors", "contact_or_url", "description", "training_data",
                                   "mlflow_run_id", "config"])
@pytest.mark.parametrize("spoof", list(SPOOFS))
def test_control_and_bidi_characters_are_refused_in_every_text_field(field, spoof):
    text = f"0.95 {SPOOFS[spoof]}59.0"
    if field == "description" and spoof == "newline":
        Submission.from_dict({**VALID, field: text})  # a description may span lines
        return
    with pytest.raises(InputError, match=f"field {field!r} holds the control or bidirectional-override character"):
        Submission.from_dict({**VALID, field: [text] if field == "authors" else text})


def test_submit_refuses_a_right_to_left_override_in_the_name_with_exit_2(perfect, built, tmp_path, capsys):
    root = tmp_path / "submissions"
    assert main(["submit", "--predictions", str(perfect), "--name", "Evil \u202e59.0 | 0.95", "--author", "x",
                 "--task", "claim_stance", "--submissions", str(root), "--dataset", str(built)]) == 2
    assert "U+202E" in capsys.readouterr().err and not root.exists()


def test_a_hand_edited_submission_with_an_escape_sequence_stops_the_leaderboard(tmp_path):
    folder = tmp_path / "cue-lexicon"
    folder.mkdir()
    (folder / SUBMISSION_FILE).write_text(json.dumps({**VALID, "authors": ["\x1b]0;pwned\x07A. Author"]}))
    with pytest.raises(InputError, match=r"U\+001B"):
        read_submissions(tmp_path)


def test_the_baseline_tag_is_refused_unless_the_lock_names_the_submission(perfect, built, tmp_path, capsys):
    root = tmp_path / "submissions"
    assert main(["submit", "--predictions", str(perfect), "--name", "Not a baseline", "--author", "x", "--task",
                 "claim_stance", "--baseline", "--submissions", str(root), "--dataset", str(built)]) == 2
    assert "claims the baseline tag" in capsys.readouterr().err and not root.exists()
    metadata = {"name": "Majority class (claim_stance)", "slug": "baseline-majority-claim-stance",
                "authors": ["PERCÉE maintainers"], "tasks": ["claim_stance"], "baseline": True}
    assert submit(perfect, metadata, root=root, dataset=built).name == "baseline-majority-claim-stance"


def test_the_lock_names_every_published_baseline_submission():
    from benchmark.paths import SUBMISSIONS

    tagged = {folder.name for folder in SUBMISSIONS.iterdir()
              if json.loads((folder / SUBMISSION_FILE).read_text())["baseline"]}
    assert tagged and tagged <= baseline_slugs()
    assert baseline_slug("task=claim_stance model=tfidf_lr") == "baseline-tfidf-lr-claim-stance"


def test_a_hand_edited_baseline_tag_is_not_shown_on_the_leaderboard(perfect, built, tmp_path):
    from benchmark.leaderboard.build import build_leaderboard

    root = tmp_path / "submissions"
    metadata = {key: value for key, value in VALID.items() if key != "dataset_digest"}
    folder = submit(perfect, {**metadata, "slug": "self-declared"}, root=root, dataset=built)
    metadata = json.loads((folder / SUBMISSION_FILE).read_text())
    (folder / SUBMISSION_FILE).write_text(json.dumps({**metadata, "baseline": True}))  # edited by hand
    (entry,) = [e for table in build_leaderboard(root, built)["tables"] for e in table["entries"]]
    assert entry["slug"] == "self-declared" and entry["baseline"] is False
