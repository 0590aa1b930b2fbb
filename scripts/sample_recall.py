"""Draw a recall sample: a seeded, stratified random sample of the corpora's sentences, candidates included.

Strata are (language, source, cue stratum); the cue strata are ``candidate`` (kept by the filter) and the
three kinds of rejected sentence (``expectation_only``, ``event_only``, ``neither``). The sizes per language
and cue stratum are fixed below and shared among sources in proportion to their populations. Writes, under
``datasets/recall/<round>/``: ``design.json`` (seed, sizes, every cell's population and sample size, the
lexicon files' sha256), ``sample.jsonl`` (the drawn sentences with their stratum) and ``batches/`` (what
annotators read: the sentences in a seeded random order, without stratum or cue information).

Round ``before`` was drawn under the lexicons of commit 9c8f649 (before widening); round ``after`` is drawn
after widening, excluding every sentence of the ``before`` sample, and is never used to tune the lexicons.

Usage: python scripts/sample_recall.py --round before|after [--seed N]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from benchmark.data.lexicon import LANGUAGES, lexicon_for
from benchmark.data.recall import draw, sentences
from benchmark.data.sources import iter_documents
from benchmark.fileio import dumps_jsonl, write_atomic
from benchmark.paths import BUILD_CONFIGS, RECALL

SEEDS = {"before": 20261206, "after": 20261207}
#: Sentences drawn per language and cue stratum.
SIZES = {
    "before": {"candidate": 150, "expectation_only": 280, "event_only": 280, "neither": 140},
    "after": {"candidate": 100, "expectation_only": 140, "event_only": 140, "neither": 60},
}
BATCH_SIZE = 250


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", choices=sorted(SEEDS), required=True)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else SEEDS[args.round]
    folder = RECALL / args.round
    exclude = frozenset()
    if args.round == "after":
        exclude = frozenset(json.loads(line)["id"] for line in (RECALL / "before" / "sample.jsonl").open())
    population = (s for d in iter_documents() for s in sentences(d, lexicon_for(d.lang)))
    sizes = {(lang, stratum): n for lang in LANGUAGES for stratum, n in SIZES[args.round].items()}
    sample, counts = draw(population, sizes, seed, exclude)
    drawn = {}
    for s in sample:
        drawn[s.cell] = drawn.get(s.cell, 0) + 1
    design = {
        "round": args.round, "seed": seed, "sizes_per_language": SIZES[args.round],
        "excluded_earlier_sample": len(exclude),
        "lexicons_sha256": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                            for p in sorted(BUILD_CONFIGS.glob("*.yaml"))},
        "cells": [{"lang": l, "source": src, "stratum": st, "population": n, "sample": drawn.get((l, src, st), 0)}
                  for (l, src, st), n in sorted(counts.items())],
    }
    write_atomic(folder / "design.json", json.dumps(design, indent=1, ensure_ascii=False) + "\n")
    rows = [{"id": s.id, "lang": s.lang, "source": s.source, "stratum": s.stratum, "doc_id": s.doc_id,
             "date": s.date, "title": s.title, "context": s.context, "text": s.text} for s in sample]
    write_atomic(folder / "sample.jsonl", dumps_jsonl(rows))
    order = sorted(rows, key=lambda r: r["id"])
    random.Random(seed).shuffle(order)
    for number in range(0, len(order), BATCH_SIZE):
        batch = [{k: r[k] for k in ("id", "lang", "source", "doc_id", "date", "title", "context", "text")}
                 for r in order[number : number + BATCH_SIZE]]
        write_atomic(folder / "batches" / f"batch_{number // BATCH_SIZE + 1:02d}.jsonl", dumps_jsonl(batch))
    for cell in design["cells"]:
        print(cell)
    print(len(rows), "sentences drawn")


if __name__ == "__main__":
    main()
