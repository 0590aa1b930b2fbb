"""Gold annotation files: schema, resolution, errors, and the committed files themselves."""
import json

import pytest

from benchmark.data.annotations import ANNOTATOR_ID, read_annotations, resolve
from benchmark.data.lexicon import lexicon_for
from benchmark.errors import InputError
from benchmark.labels import LABELS
from benchmark.paths import ANNOTATIONS


def write(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def row(id_, label, annotator="ann-01", role="primary", **extra):
    return {"id": id_, "label": label, "annotator": annotator, "guideline_version": "1.0", "role": role, **extra}


def test_single_annotation_is_gold(tmp_path):
    write(tmp_path, "a.jsonl", [row("s1", "expects_none", note="rule 7")])
    gold = resolve(read_annotations(tmp_path), {"s1", "s2"})
    assert set(gold) == {"s1"} and gold["s1"].label == "expects_none" and gold["s1"].note == "rule 7"


def test_adjudication_decides_and_both_original_labels_are_kept(tmp_path):
    write(tmp_path, "a.jsonl", [row("s1", "no_claim")])
    write(tmp_path, "b.jsonl", [row("s1", "expects_breakthrough", annotator="ann-07", role="second")])
    with pytest.raises(InputError, match="add an adjudication row"):
        resolve(read_annotations(tmp_path), {"s1"})
    write(tmp_path, "c.jsonl", [row("s1", "expects_breakthrough", annotator="adj-lead", role="adjudication")])
    gold = resolve(read_annotations(tmp_path), {"s1"})["s1"]
    assert (gold.label, gold.label_first, gold.label_second) == ("expects_breakthrough", "no_claim",
                                                                 "expects_breakthrough")


@pytest.mark.parametrize("pool, train_only", [("", False), ("train", True), ("evaluation", False)])
def test_the_primary_rows_pool_says_how_the_statement_was_drawn(tmp_path, pool, train_only):
    write(tmp_path, "a.jsonl", [row("s1", "no_claim", pool=pool)])
    gold = resolve(read_annotations(tmp_path), {"s1"})["s1"]
    assert (gold.pool, gold.train_only) == (pool, train_only)


def test_unknown_statement_id_names_the_file_and_line(tmp_path):
    write(tmp_path, "a.jsonl", [row("s1", "no_claim"), row("gone", "no_claim")])
    with pytest.raises(InputError, match=r"a\.jsonl:2.*'gone'"):
        resolve(read_annotations(tmp_path), {"s1"})


def test_two_labels_from_one_annotator_is_an_error(tmp_path):
    write(tmp_path, "a.jsonl", [row("s1", "no_claim"), row("s1", "expects_none")])
    with pytest.raises(InputError, match="ann-01 gave s1 two labels"):
        resolve(read_annotations(tmp_path), {"s1"})


@pytest.mark.parametrize("bad, message", [
    ({"label": "maybe"}, "unknown label 'maybe'"),
    ({"role": "third"}, "unknown role"),
    ({"annotator": "positive_expectation"}, "not an annotator id"),
    ({"pool": "extra"}, "unknown pool 'extra'"),
])
def test_bad_rows_are_refused(tmp_path, bad, message):
    write(tmp_path, "a.jsonl", [{**row("s1", "no_claim"), **bad}])
    with pytest.raises(InputError, match=message):
        read_annotations(tmp_path)


def test_missing_field_is_refused(tmp_path):
    record = row("s1", "no_claim")
    del record["annotator"]
    write(tmp_path, "a.jsonl", [record])
    with pytest.raises(InputError, match=r"a\.jsonl:1: missing field"):
        read_annotations(tmp_path)


def test_committed_annotation_files_follow_the_schema():
    rows = read_annotations(ANNOTATIONS)
    assert rows, "no gold annotations committed"
    rule_names = {rule.name for lang in ("en", "fr", "ru") for rule in lexicon_for(lang).weak_rules}
    for annotation in rows:
        assert annotation.label in LABELS
        assert ANNOTATOR_ID.match(annotation.annotator) and annotation.annotator not in rule_names
        assert annotation.guideline_version
