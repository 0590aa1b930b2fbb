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

Usage: python scripts/sample_for_annotation.py --out datasets/annotations/batches [--seed 20261126] [--round 2]
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
BATCH_SIZE = 150
CLAIM_LABELS = ("expects_breakthrough", "expects_none")


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


def round_two(statements: list, drawn_before: set[str]) -> list:
    from benchmark.data.lexicon import lexicon_for

    claim_rules = {rule.name for lang in ("en", "fr", "ru") for rule in lexicon_for(lang).weak_rules
                   if rule.label in CLAIM_LABELS}
    return [s for s in statements if s.id not in drawn_before and claim_rules & set(s.weak_rules)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--round", type=int, choices=(1, 2), default=1)
    args = parser.parse_args()
    statements = all_candidates()
    by_translation = defaultdict(list)
    for s in statements:
        if s.translation_group:
            by_translation[s.translation_group].append(s)
    rng = random.Random(args.seed)
    drawn = round_one(statements, rng)
    first_batch = 1
    if args.round == 2:
        before = {json.loads(line)["id"] for path in sorted(args.out.glob("batch_*.jsonl")) for line in path.open()}
        first_batch = len(sorted(args.out.glob("batch_*.jsonl"))) + 1
        drawn = round_two(statements, before)
    chosen: dict[str, object] = {}
    for s in drawn:
        chosen[s.id] = s
        for partner in by_translation.get(s.translation_group, []):
            chosen[partner.id] = partner
    if args.round == 2:
        chosen = {k: v for k, v in chosen.items() if k not in before}
    order = sorted(chosen.values(), key=lambda s: (s.lang, rng.random()))
    args.out.mkdir(parents=True, exist_ok=True)
    for number in range(0, len(order), BATCH_SIZE):
        rows = [{"id": s.id, "lang": s.lang, "source": s.source, "doc_id": s.doc_id, "date": s.date,
                 "title": s.title, "context": s.context, "text": s.text} for s in order[number : number + BATCH_SIZE]]
        path = args.out / f"batch_{first_batch + number // BATCH_SIZE:02d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    counts = defaultdict(int)
    for s in order:
        counts[(s.source, s.lang)] += 1
    print(json.dumps({f"{k[0]}/{k[1]}": v for k, v in sorted(counts.items())}, indent=1), len(order))


if __name__ == "__main__":
    main()
