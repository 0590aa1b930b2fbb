"""`percee build` end to end on a small folder of real documents: output, determinism, bad input."""
import gzip
import json
import shutil

import pytest

from benchmark.cli import main
from benchmark.data import load
from benchmark.data.extract import extract
from benchmark.data.lexicon import lexicon_for
from benchmark.data.manifest import read_manifest, sha256_file
from benchmark.data.sources import SOURCES, read_source

#: The seed article's candidates, labelled by reading them (fixture annotator, not the gold files).
SEED_LABELS = {
    "Les experts ont dit à quoi s'attendre": "no_claim",
    "décisions révolutionnaires": "expects_none",
    "il ne faut pas s'attendre à des percées": "expects_none",
    "grandes nouvelles": "expects_breakthrough",
    "certains accords devraient également être conclus": "expects_breakthrough",
    "Le thème de la visite sera": "no_claim",
    "Kazan est en mesure de faire face à cette demande": "no_claim",
}


@pytest.fixture(scope="module")
def annotations(tmp_path_factory):
    folder = tmp_path_factory.mktemp("annotations")
    seed = next(s for s in SOURCES if s.name == "seed")
    (document,) = read_source(seed)
    rows = []
    for statement in extract(document, lexicon_for("fr")):
        (label,) = [label for fragment, label in SEED_LABELS.items() if fragment in statement.text]
        rows.append({"id": statement.id, "label": label, "annotator": "ann-fixture", "guideline_version": "1.0",
                     "role": "primary", "note": ""})
    (folder / "seed.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return folder


def build_args(raw, annotations, output, contrast=None):
    args = ["build", "--raw", str(raw), "--annotations", str(annotations), "--output", str(output)]
    return args + ["--contrast", str(contrast or annotations / "no-contrast-sets"),
                   "--recall", str(annotations / "no-recall-samples"), "--translations", str(annotations / "no-translations")]


@pytest.fixture(scope="module")
def small_build(small_raw, annotations, tmp_path_factory):
    output = tmp_path_factory.mktemp("built") / "percee"
    assert main(build_args(small_raw, annotations, output)) == 0
    return output


def test_loads_offline_as_a_datasetdict_with_classlabels(small_build):
    dataset = load("default", small_build)
    assert set(dataset) == {"train", "test"}  # the seed's one document is one group: no validation split here
    assert dataset["train"].features["label"].names == ["expects_breakthrough", "expects_none", "no_claim"]
    gold = [row for split in dataset.values() for row in split if row["label_source"] == "gold"]
    assert len(gold) == len(SEED_LABELS)
    assert set(load("xling_fr", small_build)["test"]["lang"]) == {"fr"}
    assert set(load("xling_ru", small_build)) == {"train"}


def test_manifest_checksums_every_file_and_input(small_build):
    manifest = read_manifest(small_build)
    for name, digest in manifest["files"].items():
        assert sha256_file(small_build / name) == digest
    assert any(name.endswith("seed.jsonl.gz") for name in manifest["inputs"])
    assert any(name.endswith("en.yaml") for name in manifest["inputs"])
    assert len(manifest["dataset_digest"]) == 64


def test_card_declares_configs_and_reports_counts(small_build):
    card = (small_build / "README.md").read_text()
    assert card.startswith("---\n") and "config_name: xling_ru" in card and "class_label" in card
    assert "## Weak labels" in card and "## Sources" in card


def test_two_builds_are_byte_identical(small_raw, annotations, small_build, tmp_path):
    again = tmp_path / "again"
    assert main(build_args(small_raw, annotations, again)) == 0
    assert read_manifest(again)["files"] == read_manifest(small_build)["files"]


def corrupt(raw, tmp_path, source_name, edit):
    """Copy ``raw`` and rewrite one source's records with ``edit(records) -> bytes``."""
    copy = tmp_path / "raw"
    shutil.copytree(raw, copy)
    source = next(s for s in SOURCES if s.name == source_name)
    path = copy / source.name / source.files[0]
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    data = edit(records)
    path.write_bytes(data if source_name != "gzip" else data)
    return copy


def gz(lines):
    return gzip.compress("".join(lines).encode("utf-8"))


def dumps(records):
    return [json.dumps(r, ensure_ascii=False) + "\n" for r in records]


BAD_INPUTS = {
    "malformed JSON": (lambda rs: gz(dumps(rs) + ['{"doc_id": "x", \n']), "bad JSON"),
    "missing field": (lambda rs: gz(dumps(rs + [{"doc_id": "x", "lang": "en"}])), "missing field 'text'"),
    "unknown language": (lambda rs: gz(dumps(rs + [{**rs[0], "doc_id": "x", "lang": "de"}])), "unknown language 'de'"),
    "empty text": (lambda rs: gz(dumps(rs + [{**rs[0], "doc_id": "x", "text": "  "}])), "empty text"),
    "duplicate doc id": (lambda rs: gz(dumps(rs + rs[:1])), "duplicate doc_id"),
    "wrong gzip": (lambda rs: b"not a gzip file at all", "cannot read the file"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_raw_input_exits_2_naming_the_file_and_keeps_the_previous_build(case, small_raw, annotations,
                                                                             small_build, tmp_path, capsys):
    edit, message = BAD_INPUTS[case]
    raw = corrupt(small_raw, tmp_path, "reuters21578", edit)
    before = read_manifest(small_build)
    assert main(build_args(raw, annotations, small_build)) == 2
    err = capsys.readouterr().err
    assert message in err and "reuters21578.jsonl.gz" in err and "Traceback" not in err
    if case not in ("wrong gzip",):
        assert ".jsonl.gz:" in err  # file:line
    assert read_manifest(small_build) == before
    assert not [p for p in small_build.parent.iterdir() if p.name.startswith(f".{small_build.name}.")]


def test_annotation_with_unknown_label_exits_2(small_raw, annotations, small_build, tmp_path, capsys):
    bad = tmp_path / "annotations"
    shutil.copytree(annotations, bad)
    (bad / "extra.jsonl").write_text(json.dumps({"id": "x", "label": "breakthrough", "annotator": "ann-01",
                                                 "guideline_version": "1.0", "role": "primary"}) + "\n")
    before = read_manifest(small_build)
    assert main(build_args(small_raw, bad, small_build)) == 2
    assert "extra.jsonl:1: unknown label 'breakthrough'" in capsys.readouterr().err
    assert read_manifest(small_build) == before
