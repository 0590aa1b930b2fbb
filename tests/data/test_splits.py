"""Grouped deterministic splits and the named configurations."""
from collections import Counter, defaultdict

from benchmark.data.splits import GOLD_SHARES, SPLITS, TEST, TRAIN, VALIDATION, configurations, in_language


def rows():
    """Synthetic rows: 60 gold groups over two sources (2 gold + 1 weak statement each) and 20 weak-only groups."""
    out = []
    for g in range(60):
        source = "reuters21578" if g % 2 else "europarl"
        year = 1990 + g % 30
        for k in range(3):
            out.append({"id": f"g{g}-{k}", "text": f"statement {k} of group {g}", "group": f"group-{g}",
                        "source": source, "year": year,
                        "lang": ("en", "fr", "ru")[k], "label_source": "gold" if k < 2 else "weak"})
    for g in range(20):
        out.append({"id": f"w{g}", "text": f"weak statement {g}", "group": f"weak-{g}", "source": "kremlin",
                    "year": 2001, "lang": "en",
                    "label_source": "weak"})
    return out


def test_groups_never_cross_splits_and_eval_splits_hold_gold_only():
    splits = in_language(rows())
    seen = {}
    for split, members in splits.items():
        for row in members:
            assert seen.setdefault(row["group"], split) == split
            if split != TRAIN:
                assert row["label_source"] == "gold"
    assert all(seen[f"weak-{g}"] == TRAIN for g in range(20))


def test_gold_is_dealt_near_the_target_shares_per_source():
    splits = in_language(rows())
    gold = Counter(split for split, members in splits.items() for r in members if r["label_source"] == "gold")
    assert abs(gold[TEST] - 120 * GOLD_SHARES[TEST]) <= 4 and abs(gold[VALIDATION] - 120 * GOLD_SHARES[VALIDATION]) <= 4
    for source in ("reuters21578", "europarl"):
        assert {r["source"] for r in splits[TEST]} >= {source}


def test_assignment_is_deterministic_and_independent_of_row_order():
    first = in_language(rows())
    second = in_language(list(reversed(rows())))
    assert {s: sorted(r["id"] for r in m) for s, m in first.items()} == \
           {s: sorted(r["id"] for r in m) for s, m in second.items()}


def test_temporal_and_cross_lingual_configurations():
    configs = configurations(rows())
    temporal = configs["temporal"]
    assert all(r["year"] < 2015 for r in temporal[TRAIN] + temporal[VALIDATION])
    assert temporal[TEST] and all(r["year"] >= 2015 and r["label_source"] == "gold" for r in temporal[TEST])
    xling = configs["xling_fr"]
    assert {r["lang"] for r in xling[TRAIN] + xling[VALIDATION]} == {"en"}
    assert {r["lang"] for r in xling[TEST]} == {"fr"}


def test_groups_sharing_a_statement_are_merged_into_one_split():
    """Reuters repeats stories in updated wires: the same sentence in two documents must not span splits."""
    from benchmark.data.splits import merge_duplicate_groups, normalised_text

    repeated = "Vorontsov said he expected a treaty would be ready for signing within three to four months."
    rows = [{"id": f"r{i}", "group": f"doc-{i}", "source": "reuters21578", "label_source": "gold", "lang": "en",
             "year": 1987, "text": text}
            for i, text in enumerate([repeated, "Another sentence.", repeated.upper().replace(".", " !"),
                                      "A third, unrelated one."] * 30)]
    assert normalised_text(rows[0]["text"]) == normalised_text(rows[2]["text"])
    merge_duplicate_groups(rows)
    assert rows[0]["group"] == rows[2]["group"] == "doc-0"
    assert rows[1]["group"] != rows[3]["group"]
    splits = in_language(rows)
    homes = defaultdict(set)
    for split, members in splits.items():
        for row in members:
            homes[normalised_text(row["text"])].add(split)
    assert all(len(found) == 1 for found in homes.values())


def test_gold_drawn_to_enrich_train_never_enters_validation_or_test():
    """Round 5 drew likely claims with a model: they must not bias the evaluation splits or the dealing."""
    base = rows()
    enriched = [dict(r, pool=None) for r in base] + [
        {"id": f"t{g}", "text": f"likely claim {g}", "group": f"group-{g}", "source": "europarl", "year": 2000,
         "lang": "en", "label_source": "gold", "pool": "train"} for g in range(60)] + [
        {"id": f"p{g}", "text": f"pool claim {g}", "group": f"pool-{g}", "source": "europarl", "year": 2000,
         "lang": "en", "label_source": "gold", "pool": "train"} for g in range(10)]
    plain, with_pool = in_language(base), in_language(enriched)
    for split in (VALIDATION, TEST):
        assert {r["id"] for r in with_pool[split]} == {r["id"] for r in plain[split]}
    assert {f"p{g}" for g in range(10)} <= {r["id"] for r in with_pool[TRAIN]}


def test_gold_drawn_after_the_dealing_stays_in_its_groups_split_and_moves_nothing():
    """Round 6 annotated a random sample of validation and test candidates: every statement dealt before keeps
    its split, each new one joins its group's split, and one whose text sits in another split is left out."""
    base = rows()
    plain = in_language(base)
    home = {r["group"]: split for split, members in plain.items() for r in members}
    evaluation_groups = sorted(g for g, split in home.items() if split != TRAIN)
    train_text = plain[TRAIN][0]["text"]
    added = [{"id": f"e{i}", "text": f"random candidate {i}", "group": group, "source": "europarl", "year": 2000,
              "lang": "en", "label_source": "gold", "pool": "evaluation", "weak_label": -1}
             for i, group in enumerate(evaluation_groups)]
    repeated = dict(added[0], id="e-repeat", text=train_text.upper())
    grown = in_language(base + added + [repeated])
    for split in SPLITS:
        assert {r["id"] for r in plain[split]} <= {r["id"] for r in grown[split]}
    for row in added:
        assert row["id"] in {r["id"] for r in grown[home[row["group"]]]}
    assert "e-repeat" not in {r["id"] for split in SPLITS for r in grown[split]}
