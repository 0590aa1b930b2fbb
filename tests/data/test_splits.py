"""Grouped deterministic splits and the named configurations."""
from collections import Counter

from benchmark.data.splits import TEST, TRAIN, VALIDATION, configurations, in_language


def rows():
    """Synthetic rows: 60 gold groups over two sources (2 gold + 1 weak statement each) and 20 weak-only groups."""
    out = []
    for g in range(60):
        source = "reuters21578" if g % 2 else "europarl"
        year = 1990 + g % 30
        for k in range(3):
            out.append({"id": f"g{g}-{k}", "group": f"group-{g}", "source": source, "year": year,
                        "lang": ("en", "fr", "ru")[k], "label_source": "gold" if k < 2 else "weak"})
    for g in range(20):
        out.append({"id": f"w{g}", "group": f"weak-{g}", "source": "kremlin", "year": 2001, "lang": "en",
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
    assert abs(gold[TEST] - 60) <= 4 and abs(gold[VALIDATION] - 18) <= 4
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
