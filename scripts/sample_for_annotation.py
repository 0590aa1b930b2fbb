"""Draw the statements to annotate (gold sample) and write them as annotation batches.

Stratified by source and language (a quota each) and, inside a stratum, weighted by the weak labeller's outcome
so that rare claims are not drowned by no_claim candidates while abstentions, conflicts and weak no_claim
(hard negatives) stay in the sample. The weak outcome is used to DRAW statements, never as their label.
Every candidate translation of a drawn statement (same line of a parallel corpus) is added, so parallel groups
are annotated whole. Seeded: the same candidates give the same sample.

Round 1 was drawn at commit 2fd6c49: the weak-rule edits made after it change the drawing weights, so
round 1 reproduces byte for byte by running this script at that commit (checked).

Round 2 (``--round 2``), drawn after round 1 showed claims to be about 9% of candidates: every candidate not
drawn in round 1 on which a claim-voting labelling function fired (whatever the final vote), to enrich the
rare claim labels by stratified sampling rather than by dropping hard cases.

Round 3 (``--round 3``, seed 20261206), drawn after the new corpora (Europarl part 2, the UN General Debate)
and the widened filter of guidelines 1.2: every Russian candidate not yet annotated; in English and French,
a seeded random 55% of the not-yet-annotated candidates on which a claim-voting labelling function fires,
per (source, language), and 2,000 of the other candidates drawn at random in proportion to each
(source, language)'s size (hard negatives and claims without cue words). Batches of 250.

Round 4 (``--round 4``, seed 20261208), drawn when round 3's first batches showed claims to be about 3.5% of
its candidates: every candidate not drawn before whose weak vote is a claim label, to enrich the rare claim
labels. Batches of 250.

Usage: python scripts/sample_for_annotation.py --out datasets/annotations/batches [--seed 20261126] [--round 2|3|4]
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from benchmark.data.candidates import all_candidates

#: Statements drawn per (source, language) before translation partners are added.
QUOTAS = {
    ("reuters21578", "en"): 450, ("kremlin", "en"): 330, ("europarl", "en"): 200, ("wmt_newstest", "en"): 80,
    ("europarl", "fr"): 560, ("wmt_newstest", "fr"): 150, ("seed", "fr"): 5,
    ("wmt_newstest", "ru"): 250, ("ru_wikinews", "ru"): 170, ("kremlin", "ru"): 170,
}
#: Drawing weight by weak outcome: weak claims are rarer and count more.
WEIGHTS = {"expects_breakthrough": 4.0, "expects_none": 4.0, "conflict": 3.0, "abstain": 1.0, "no_claim": 1.0}
BATCH_SIZE = {1: 150, 2: 150, 3: 250, 4: 250}
CLAIM_LABELS = ("expects_breakthrough", "expects_none")
#: Round 3: the share of claim-cue candidates drawn, and how many other candidates.
ROUND_THREE_CUE_SHARE = 0.55
ROUND_THREE_OTHERS = 2_000


def weight(statement) -> float:
    return WEIGHTS[statement.weak_label or statement.weak_outcome]


def weighted_sample(items: list, k: int, rng: random.Random) -> list:
    """k items without replacement, P proportional to weight (Efraimidis–Spirakis keys)."""
    keyed = sorted(items, key=lambda s: rng.random() ** (1.0 / weight(s)), reverse=True)
    return keyed[:k]


def round_one(statements: list, rng: random.Random) -> list:
    strata = defaultdict(list)
    for s in statements:
        strata[(s.source, s.lang)].append(s)
    return [s for stratum, quota in sorted(QUOTAS.items()) for s in weighted_sample(strata[stratum], quota, rng)]


def claim_rules() -> set[str]:
    from benchmark.data.lexicon import lexicon_for

    return {rule.name for lang in ("en", "fr", "ru") for rule in lexicon_for(lang).weak_rules
            if rule.label in CLAIM_LABELS}


def round_two(statements: list, drawn_before: set[str]) -> list:
    rules = claim_rules()
    return [s for s in statements if s.id not in drawn_before and rules & set(s.weak_rules)]


def round_three(statements: list, drawn_before: set[str], rng: random.Random) -> list:
    rules = claim_rules()
    pool = [s for s in statements if s.id not in drawn_before]
    drawn = [s for s in pool if s.lang == "ru"]
    cue, other = defaultdict(list), defaultdict(list)
    for s in pool:
        if s.lang != "ru":
            (cue if rules & set(s.weak_rules) else other)[(s.source, s.lang)].append(s)
    for stratum in sorted(cue):
        drawn += rng.sample(cue[stratum], round(ROUND_THREE_CUE_SHARE * len(cue[stratum])))
    total = sum(map(len, other.values()))
    for stratum in sorted(other):
        drawn += rng.sample(other[stratum], min(len(other[stratum]), round(ROUND_THREE_OTHERS * len(other[stratum]) / total)))
    return drawn


def round_four(statements: list, drawn_before: set[str]) -> list:
    return [s for s in statements if s.id not in drawn_before and s.weak_label in CLAIM_LABELS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--round", type=int, choices=(1, 2, 3, 4), default=1)
    args = parser.parse_args()
    statements = all_candidates()
    by_translation = defaultdict(list)
    for s in statements:
        if s.translation_group:
            by_translation[s.translation_group].append(s)
    rng = random.Random(args.seed)
    drawn = round_one(statements, rng)
    first_batch = 1
    if args.round > 1:
        before = {json.loads(line)["id"] for path in sorted(args.out.glob("batch_*.jsonl")) for line in path.open()}
        first_batch = len(sorted(args.out.glob("batch_*.jsonl"))) + 1
        drawn = {2: lambda: round_two(statements, before), 3: lambda: round_three(statements, before, rng),
                 4: lambda: round_four(statements, before)}[args.round]()
    chosen: dict[str, object] = {}
    for s in drawn:
        chosen[s.id] = s
        for partner in by_translation.get(s.translation_group, []):
            chosen[partner.id] = partner
    if args.round > 1:
        chosen = {k: v for k, v in chosen.items() if k not in before}
    order = sorted(chosen.values(), key=lambda s: (s.lang, rng.random()))
    args.out.mkdir(parents=True, exist_ok=True)
    size = BATCH_SIZE[args.round]
    for number in range(0, len(order), size):
        rows = [{"id": s.id, "lang": s.lang, "source": s.source, "doc_id": s.doc_id, "date": s.date,
                 "title": s.title, "context": s.context, "text": s.text} for s in order[number : number + size]]
        path = args.out / f"batch_{first_batch + number // size:02d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    counts = defaultdict(int)
    for s in order:
        counts[(s.source, s.lang)] += 1
    print(json.dumps({f"{k[0]}/{k[1]}": v for k, v in sorted(counts.items())}, indent=1), len(order))


if __name__ == "__main__":
    main()
