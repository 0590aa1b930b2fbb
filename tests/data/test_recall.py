"""Extraction recall: the stratified sample and its design-weighted estimate."""
from __future__ import annotations

import json

import pytest

from benchmark.data.extract import CANDIDATE, EVENT_ONLY, EXPECTATION_ONLY, NEITHER, cue_stratum
from benchmark.data.lexicon import lexicon_for
from benchmark.data.recall import Sentence, draw, estimate, sentences
from benchmark.data.sources import SOURCES, read_source
from benchmark.paths import RECALL

BREAK, NONE, NO = "expects_breakthrough", "expects_none", "no_claim"


def test_cue_strata_of_english_sentences():
    en = lexicon_for("en")
    assert cue_stratum("Diplomats expect an agreement at the summit.", en) == CANDIDATE
    assert cue_stratum("We hope the weather will be fine tomorrow.", en) == EXPECTATION_ONLY
    assert cue_stratum("The summit opened in Geneva on Monday.", en) == EVENT_ONLY
    assert cue_stratum("The weather was fine in Geneva on Monday.", en) == NEITHER
    assert cue_stratum("Too short.", en) is None


def test_every_candidate_statement_is_a_candidate_sentence(small_raw):
    from benchmark.data.extract import extract

    kremlin = next(s for s in SOURCES if s.name == "kremlin")
    for document in read_source(kremlin, small_raw / "kremlin" / kremlin.files[0]):
        lexicon = lexicon_for(document.lang)
        kept = {s.id for s in extract(document, lexicon)}
        strata = {s.id: s.stratum for s in sentences(document, lexicon)}
        assert kept == {i for i, stratum in strata.items() if stratum == CANDIDATE}


def _sentence(i, lang="en", source="a", stratum=NEITHER):
    return Sentence(id=f"d:{i}:x", doc_id="d", source=source, lang=lang, date=None, title=None,
                    stratum=stratum, context="", text=f"sentence {i}")


def test_draw_is_seeded_stratified_and_counts_populations():
    population = ([_sentence(i, source="a") for i in range(300)] + [_sentence(i, source="b") for i in range(300, 400)]
                  + [_sentence(i, stratum=CANDIDATE) for i in range(400, 420)])
    sample, counts = draw(population, {("en", NEITHER): 40, ("en", CANDIDATE): 5}, seed=1)
    assert counts == {("en", "a", NEITHER): 300, ("en", "b", NEITHER): 100, ("en", "a", CANDIDATE): 20}
    by_cell = {}
    for s in sample:
        by_cell[s.cell] = by_cell.get(s.cell, 0) + 1
    assert by_cell == {("en", "a", NEITHER): 30, ("en", "b", NEITHER): 10, ("en", "a", CANDIDATE): 5}
    assert [s.id for s in draw(population, {("en", NEITHER): 40}, seed=1)[0]] == \
        [s.id for s in draw(population, {("en", NEITHER): 40}, seed=1)[0]]
    excluded = frozenset(s.id for s in sample)
    again, counts_again = draw(population, {("en", NEITHER): 40}, seed=2, exclude=excluded)
    assert not excluded & {s.id for s in again}
    assert counts_again[("en", "a", NEITHER)] == 300 - 30


def test_weighted_estimate_matches_a_hand_computed_value():
    counts = {("en", "a", CANDIDATE): 1_000, ("en", "a", EVENT_ONLY): 10_000, ("en", "a", NEITHER): 100_000,
              ("fr", "a", CANDIDATE): 100, ("fr", "a", EXPECTATION_ONLY): 400}
    labelled = {
        ("en", "a", CANDIDATE): [BREAK, NONE] + [NO] * 8,       # 2/10 claims -> 200 claims kept
        ("en", "a", EVENT_ONLY): [BREAK] + [NO] * 19,           # 1/20 -> 500 claims rejected
        ("en", "a", NEITHER): [NO] * 10,                        # 0 -> 0
        ("fr", "a", CANDIDATE): [BREAK] * 5 + [NO] * 5,         # 5/10 -> 50 kept
        ("fr", "a", EXPECTATION_ONLY): [NONE] + [NO] * 9,       # 1/10 -> 40 rejected
    }
    result = estimate(counts, labelled)
    assert result["en"]["recall"] == pytest.approx(200 / 700)
    assert result["fr"]["recall"] == pytest.approx(50 / 90)
    assert result["all"]["recall"] == pytest.approx(250 / 790)
    assert result["en"]["estimated_claims"] == pytest.approx(700)
    assert result["en"]["strata"][EVENT_ONLY] == {"population": 10_000, "sample": 20, "claims": 1,
                                                   "estimated_claims": 500.0}
    for lang in ("en", "fr", "all"):
        assert 0 <= result[lang]["ci_low"] < result[lang]["recall"] < result[lang]["ci_high"] <= 1
    assert result["en"]["population_in_cells_without_claims"] == 100_000
    assert estimate(counts, labelled) == result  # seeded
    # A cell whose sample holds no claim adds no variance (the card states its population instead).
    without = estimate({k: v for k, v in counts.items() if k[2] != NEITHER},
                       {k: v for k, v in labelled.items() if k[2] != NEITHER})
    assert (without["en"]["ci_low"], without["en"]["ci_high"]) == (result["en"]["ci_low"], result["en"]["ci_high"])


def test_a_cell_without_annotations_refuses_an_estimate():
    with pytest.raises(ValueError, match="no annotated sample"):
        estimate({("en", "a", CANDIDATE): 10, ("en", "a", NEITHER): 5}, {("en", "a", CANDIDATE): [NO]})


@pytest.mark.parametrize(("round_", "rejected"), [("before", 2_000), ("after", 1_000)])
def test_recorded_design_matches_its_sample(round_, rejected):
    folder = RECALL / round_
    design = json.loads((folder / "design.json").read_text())
    rows = [json.loads(line) for line in (folder / "sample.jsonl").open()]
    drawn = {}
    for row in rows:
        key = (row["lang"], row["source"], row["stratum"])
        drawn[key] = drawn.get(key, 0) + 1
    assert {(c["lang"], c["source"], c["stratum"]): c["sample"] for c in design["cells"] if c["sample"]} == drawn
    assert all(c["sample"] <= c["population"] for c in design["cells"])
    assert {r["lang"] for r in rows} == {"en", "fr", "ru"}
    assert sum(r["stratum"] != CANDIDATE for r in rows) >= rejected
    batches = [json.loads(line) for path in sorted((folder / "batches").glob("*.jsonl")) for line in path.open()]
    assert sorted(r["id"] for r in batches) == sorted(r["id"] for r in rows)
    assert not {"stratum", "weak_label"} & set(batches[0])


def test_the_fresh_sample_shares_no_sentence_with_the_tuning_sample():
    ids = {round_: {json.loads(line)["id"] for line in (RECALL / round_ / "sample.jsonl").open()}
           for round_ in ("before", "after")}
    assert not ids["before"] & ids["after"]


def test_every_recall_sentence_is_annotated_once():
    from benchmark.data.recall import read_round

    for round_ in ("before", "after"):
        result = read_round(RECALL / round_)
        assert result["annotated"] == sum(1 for _ in (RECALL / round_ / "sample.jsonl").open())
        assert {"en", "fr", "ru", "all"} == set(result["estimate"])
