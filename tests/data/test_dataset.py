"""The full built dataset (datasets/percee) as shipped: splits, gold, provenance, annotations."""
from collections import Counter, defaultdict

import pytest

from benchmark.data import load
from benchmark.data.annotations import read_annotations
from benchmark.data.manifest import read_manifest, sha256_file
from benchmark.data.sources import SOURCES
from benchmark.labels import CLAIM_LABELS, LABELS
from benchmark.paths import ANNOTATIONS


@pytest.fixture(scope="module")
def default(built):
    return load("default", built)


def test_eval_splits_hold_gold_only_and_train_says_where_labels_came_from(default):
    for split in ("validation", "test"):
        assert set(default[split]["label_source"]) == {"gold"}
        assert all(default[split]["annotator"])
    assert set(default["train"]["label_source"]) == {"gold", "weak"}


def test_no_document_or_translation_crosses_splits(default):
    """WMT test-set files have no article boundaries: their unit is a 100-line block (``group``), not the file."""
    for key in ("doc_id", "group", "translation_group"):
        where = defaultdict(set)
        for split, rows in default.items():
            for value, source in zip(rows[key], rows["source"]):
                if value is not None and not (key == "doc_id" and source == "wmt_newstest"):
                    where[value].add(split)
        crossing = [value for value, splits in where.items() if len(splits) > 1]
        assert not crossing, f"{key} values in several splits: {crossing[:5]}"


def test_every_annotation_resolves_to_a_gold_statement(built):
    """Every annotated statement is gold in the dataset, except a few drawn after the splits were dealt whose
    text already sits in another split."""
    annotations = read_annotations(ANNOTATIONS)
    annotated = {a.id for a in annotations}
    gold = {i for split in load("default", built).values()
            for i, source in zip(split["id"], split["label_source"]) if source == "gold"}
    assert gold <= annotated
    drawn_after_dealing = {a.id for a in annotations if a.pool}
    assert annotated - gold <= drawn_after_dealing and len(annotated - gold) < 0.02 * len(drawn_after_dealing)


def test_gold_rows_carry_annotator_ids_not_rule_names(default):
    for split in default.values():
        for source, annotator in zip(split["label_source"], split["annotator"]):
            assert (annotator or "").startswith(("ann-", "adj-")) if source == "gold" else annotator is None


def test_gold_covers_every_source_and_language_with_the_required_sizes(default):
    gold = [(lang, source) for split in default.values()
            for lang, source, origin in zip(split["lang"], split["source"], split["label_source"]) if origin == "gold"]
    by_lang = Counter(lang for lang, _ in gold)
    assert by_lang["en"] >= 1000 and by_lang["fr"] >= 700 and by_lang["ru"] >= 500 and len(gold) >= 2400
    assert {source for _, source in gold} == {s.name for s in SOURCES}
    assert len(default["test"]) >= 1000


def test_the_test_split_holds_enough_claims_of_each_label_to_rank_systems(default):
    """PERCÉE 2's test split: at least 700 claims, at least 100 of each claim label, and at least 200 French
    claims of which at least 50 `expects_none` (the data issue's aims that the corpora allowed)."""
    labels = Counter(LABELS[i] for i in default["test"]["label"])
    claims = sum(labels[label] for label in CLAIM_LABELS)
    assert claims >= 700 and all(labels[label] >= 100 for label in CLAIM_LABELS), labels
    french = Counter(LABELS[i] for i, lang in zip(default["test"]["label"], default["test"]["lang"]) if lang == "fr")
    assert sum(french[label] for label in CLAIM_LABELS) >= 200 and french["expects_none"] >= 50, french


def test_seed_statements_are_gold_with_their_holders(default):
    seed = {text: (holder, LABELS[label]) for split in default.values()
            for text, holder, label, source in zip(split["text"], split["holder"], split["label"], split["source"])
            if source == "seed"}
    (lukyanov,) = [v for t, v in seed.items() if "il ne faut pas s'attendre à des percées" in t]
    (lepsibaev,) = [v for t, v in seed.items() if "grandes nouvelles" in t]
    assert lukyanov == ("Lukyanov", "expects_none")
    assert lepsibaev == ("Chingiz Lepsibaev", "expects_breakthrough")


def test_manifest_matches_the_files_on_disk(built):
    for name, digest in read_manifest(built)["files"].items():
        assert sha256_file(built / name) == digest


@pytest.mark.parametrize("config", ["default", "temporal", "xling_fr", "xling_ru"])
def test_no_statement_text_sits_in_two_splits(config):
    from benchmark.data.splits import normalised_text

    splits = load(config)
    homes = defaultdict(set)
    for split in splits:
        for text in splits[split]["text"]:
            homes[normalised_text(text)].add(split)
    shared = [text for text, found in homes.items() if len(found) > 1]
    assert not shared, shared[:3]


def test_the_guidelines_corpus_examples_carry_their_gold_labels(default):
    """Every statement the guidelines cite as a rule's example (``| rule | `label` | `id` |``) is gold with that label."""
    import re

    from benchmark.paths import ANNOTATIONS

    text = (ANNOTATIONS.parent / "ANNOTATION.md").read_text(encoding="utf-8")
    examples = re.findall(r"^\| [0-9a-t]+ \| `(\w+)`[^|]*\| `([^`]+)` \|", text, flags=re.M)
    assert len(examples) >= 25
    gold = {}
    for split in default:
        rows = default[split].filter(lambda r: r["label_source"] == "gold")
        gold.update(zip(rows["id"], rows["label"]))
    for label, statement_id in examples:
        assert statement_id in gold, statement_id
        assert LABELS[gold[statement_id]] == label, statement_id


@pytest.mark.parametrize("config", ["default", "temporal", "xling_fr", "xling_ru", "translated_fr", "translated_ru"])
def test_gold_drawn_to_enrich_train_is_never_evaluated(config):
    splits = load(config)
    for split in ("validation", "test"):
        if split in splits:
            assert not any(splits[split]["train_only"]), (config, split)
    assert any(load("default")["train"]["train_only"])
