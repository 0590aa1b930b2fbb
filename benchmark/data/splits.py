"""Deterministic, grouped splits and the named dataset configurations built from them.

A split group (a document, a Europarl sitting, a block of a WMT test set) never crosses splits, so neither
does any translation of a statement. Groups that hold gold statements are dealt, per source, in the order of
a seeded hash, each to the split furthest below its target share of gold statements; groups without gold go
to ``train``. ``validation`` and ``test`` keep gold statements only; ``train`` keeps gold and weak labels.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

TRAIN, VALIDATION, TEST = "train", "validation", "test"
SPLITS = (TRAIN, VALIDATION, TEST)
#: Target share of gold statements per split.
GOLD_SHARES = {TEST: 0.50, VALIDATION: 0.15, TRAIN: 0.35}
SPLIT_SEED = "percee-splits-v1"
#: The temporal configuration tests on documents dated from this year on.
TEMPORAL_CUTOFF_YEAR = 2015
#: Cross-lingual configurations: train and validate in English, test in the target language.
CROSS_LINGUAL_TARGETS = ("fr", "ru")


def _order(group: str) -> str:
    return hashlib.sha256(f"{SPLIT_SEED}\t{group}".encode("utf-8")).hexdigest()


def assign_groups(rows: list[dict]) -> dict[str, str]:
    """Map every split group of ``rows`` (dicts with ``group``, ``source``, ``label_source``) to a split."""
    gold_per_group: Counter = Counter(r["group"] for r in rows if r["label_source"] == "gold")
    source_of = {r["group"]: r["source"] for r in rows}
    assignment = {group: TRAIN for group in source_of}
    by_source = defaultdict(list)
    for group in gold_per_group:
        by_source[source_of[group]].append(group)
    for source in sorted(by_source):
        dealt = Counter()
        for group in sorted(by_source[source], key=_order):
            total = sum(dealt.values()) + gold_per_group[group]
            split = max(SPLITS, key=lambda s: (GOLD_SHARES[s] * total - dealt[s], -SPLITS.index(s)))
            assignment[group] = split
            dealt[split] += gold_per_group[group]
    return assignment


def in_language(rows: list[dict]) -> dict[str, list[dict]]:
    """The ``default`` configuration: grouped splits; validation and test hold gold only."""
    assignment = assign_groups(rows)
    splits = {split: [] for split in SPLITS}
    for row in rows:
        split = assignment[row["group"]]
        if split == TRAIN or row["label_source"] == "gold":
            splits[split].append(row)
    return splits


def temporal(default: dict[str, list[dict]], cutoff: int = TEMPORAL_CUTOFF_YEAR) -> dict[str, list[dict]]:
    """Train and validate on documents dated before ``cutoff``; test on every gold statement from it on."""
    def before(row):
        return row["year"] is not None and row["year"] < cutoff

    return {
        TRAIN: [r for r in default[TRAIN] if before(r)],
        VALIDATION: [r for r in default[VALIDATION] if before(r)],
        TEST: [r for split in SPLITS for r in default[split]
               if r["label_source"] == "gold" and r["year"] is not None and r["year"] >= cutoff],
    }


def cross_lingual(default: dict[str, list[dict]], target: str) -> dict[str, list[dict]]:
    """Train and validate on English; test on the ``target`` language's test statements."""
    return {
        TRAIN: [r for r in default[TRAIN] if r["lang"] == "en"],
        VALIDATION: [r for r in default[VALIDATION] if r["lang"] == "en"],
        TEST: [r for r in default[TEST] if r["lang"] == target],
    }


def configurations(rows: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Every named configuration: ``default``, ``temporal`` and ``xling_<lang>``."""
    default = in_language(rows)
    configs = {"default": default, "temporal": temporal(default)}
    for target in CROSS_LINGUAL_TARGETS:
        configs[f"xling_{target}"] = cross_lingual(default, target)
    return configs
