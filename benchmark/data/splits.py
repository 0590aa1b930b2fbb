"""Deterministic, grouped splits and the named dataset configurations built from them.

A split group (a document, a Europarl sitting, a block of a WMT test set) never crosses splits, so neither
does any translation of a statement. Groups that share a statement (the same text once lower-cased and stripped
of punctuation: Reuters repeats a story in its updated wires) are merged first, so no statement text sits in
two splits. Groups that hold gold statements are dealt, per source, in the order of a seeded hash, each to the
split furthest below its target share of gold statements; groups without gold go to ``train``.
``validation`` and ``test`` keep gold statements only; ``train`` keeps gold and weak labels. Gold drawn after
the dealing (column ``pool``) never counts in it: ``"train"`` (likely claims picked by a model to enrich train)
never enters validation or test; ``"evaluation"`` (a random sample of validation and test candidates) stays in
its group's split. Either is left out where its text already sits in another split.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

from benchmark.data.annotations import TRAIN_POOL

TRAIN, VALIDATION, TEST = "train", "validation", "test"
SPLITS = (TRAIN, VALIDATION, TEST)
#: Target share of gold statements per split.
GOLD_SHARES = {TEST: 0.45, VALIDATION: 0.15, TRAIN: 0.40}
SPLIT_SEED = "percee-splits-v2"
#: The temporal configuration tests on documents dated from this year on.
TEMPORAL_CUTOFF_YEAR = 2015
#: Cross-lingual configurations: train and validate in English, test in the target language.
CROSS_LINGUAL_TARGETS = ("fr", "ru")


_NOT_WORD = re.compile(r"[\W_]+")


def normalised_text(text: str) -> str:
    """A statement's text compared across splits: lower case, every run of non-letters one space."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


def _drawn_after_dealing(row: dict) -> bool:
    """Gold of a pool drawn after the splits were dealt (``train`` or ``evaluation``)."""
    return bool(row.get("pool"))


def _new_row(row: dict) -> bool:
    """Gold drawn after the dealing without a weak vote: before it was annotated, it was not a row at all."""
    return _drawn_after_dealing(row) and row.get("weak_label", -1) == -1


def merge_duplicate_groups(rows: list[dict]) -> None:
    """Give every row the group of its component: groups linked by a shared normalised statement text are one
    (union-find; the component is named by its smallest group). A statement drawn after the dealing links
    groups as it did before it was annotated, that is only when it has a weak vote, so annotating it never
    changes how the splits are dealt; :func:`in_language` leaves it out where its text is in another split."""
    parent: dict[str, str] = {}

    def find(group: str) -> str:
        while parent.setdefault(group, group) != group:
            parent[group] = parent[parent[group]]
            group = parent[group]
        return group

    first_group: dict[str, str] = {}
    for row in rows:
        if _new_row(row):
            continue
        key = normalised_text(row["text"])
        other = first_group.setdefault(key, row["group"])
        a, b = find(other), find(row["group"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    for row in rows:
        row["group"] = find(row["group"])


def _order(group: str) -> str:
    return hashlib.sha256(f"{SPLIT_SEED}\t{group}".encode("utf-8")).hexdigest()


def assign_groups(rows: list[dict]) -> dict[str, str]:
    """Map every split group of ``rows`` (dicts with ``group``, ``source``, ``label_source``) to a split."""
    gold_per_group: Counter = Counter(r["group"] for r in rows
                                      if r["label_source"] == "gold" and not _drawn_after_dealing(r))
    source_of = {r["group"]: r["source"] for r in rows if not _new_row(r)}
    assignment = {r["group"]: TRAIN for r in rows}
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
        if split == TRAIN or (row["label_source"] == "gold" and row.get("pool") != TRAIN_POOL):
            splits[split].append(row)
    dealt = {split: {normalised_text(r["text"]) for r in members if not _drawn_after_dealing(r)}
             for split, members in splits.items()}
    for split in (VALIDATION, TEST):
        elsewhere = set().union(*(texts for other, texts in dealt.items() if other != split))
        splits[split] = [r for r in splits[split] if not (_drawn_after_dealing(r) and normalised_text(r["text"]) in elsewhere)]
        if split == VALIDATION:
            dealt[VALIDATION] = {normalised_text(r["text"]) for r in splits[VALIDATION]}
    evaluated = {normalised_text(r["text"]) for split in (VALIDATION, TEST) for r in splits[split]}
    splits[TRAIN] = [r for r in splits[TRAIN] if not (_drawn_after_dealing(r) and normalised_text(r["text"]) in evaluated)]
    return splits


def temporal(default: dict[str, list[dict]], cutoff: int = TEMPORAL_CUTOFF_YEAR) -> dict[str, list[dict]]:
    """Train and validate on documents dated before ``cutoff``; test on every gold statement from it on whose
    text is not also in train or validation (a statement repeated across years stays out of test)."""
    def before(row):
        return row["year"] is not None and row["year"] < cutoff

    train = [r for r in default[TRAIN] if before(r)]
    validation = [r for r in default[VALIDATION] if before(r)]
    seen = {normalised_text(r["text"]) for r in train + validation}
    return {
        TRAIN: train,
        VALIDATION: validation,
        TEST: [r for split in SPLITS for r in default[split]
               if r["label_source"] == "gold" and r.get("pool") != TRAIN_POOL and r["year"] is not None
               and r["year"] >= cutoff and normalised_text(r["text"]) not in seen],
    }


def cross_lingual(default: dict[str, list[dict]], target: str) -> dict[str, list[dict]]:
    """Train and validate on English; test on the ``target`` language's test statements."""
    return {
        TRAIN: [r for r in default[TRAIN] if r["lang"] == "en"],
        VALIDATION: [r for r in default[VALIDATION] if r["lang"] == "en"],
        TEST: [r for r in default[TEST] if r["lang"] == target],
    }


def translated(default: dict[str, list[dict]], rows: list[dict], target: str) -> dict[str, list[dict]]:
    """``translated_<target>``: the default train and validation; test = the translations of English test
    statements into ``target`` (rows with ``translation_of``)."""
    english_test = {r["id"] for r in default[TEST] if r["lang"] == "en"}
    return {TRAIN: default[TRAIN], VALIDATION: default[VALIDATION],
            TEST: [r for r in rows if r["lang"] == target and r["translation_of"] in english_test]}


def configurations(rows: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Every named configuration: ``default``, ``temporal`` and ``xling_<lang>``."""
    merge_duplicate_groups(rows)
    default = in_language(rows)
    configs = {"default": default, "temporal": temporal(default)}
    for target in CROSS_LINGUAL_TARGETS:
        configs[f"xling_{target}"] = cross_lingual(default, target)
    return configs
