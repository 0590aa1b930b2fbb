"""Round 6: a uniform random sample of the candidates of validation and test, drawn after the splits were dealt.

Rounds 1-4 enriched the annotated pool in cue-firing claims, and the splits were dealt on it. Round 6 draws,
per language, the not-yet-annotated candidates of the split groups that the built ``default`` configuration
put in validation or test, in one seeded random order; batches are cut from the front of that order, so any
number of annotated batches is a uniform random sample of those candidates (the card gives how many). The
languages are drawn independently (a Europarl line's two sides are each drawn in their own language). Rows are annotated with ``"pool": "evaluation"``: they never count when the splits are dealt
and never link split groups (benchmark/data/splits.py), so annotating them moves no statement between splits.

Batches are written per language (``eval-<lang>-NNN.jsonl``), only as many as asked; statements annotated in
round 6 stay in the order, so asking for more batches later writes the same first batches again and adds the
next ones. Needs a built dataset (``percee build``). Usage:
``python scripts/sample_evaluation_pool.py --out datasets/annotations/batches --batches fr=20 en=20``
"""
from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from benchmark.data.annotations import EVALUATION_POOL, read_annotations
from benchmark.data.candidates import all_candidates
from benchmark.fileio import dumps_jsonl, write_atomic
from benchmark.paths import ANNOTATIONS, BUILT

EVALUATION_SPLITS = ("validation", "test")
LANGS = ("fr", "en", "ru")


def evaluation_ids(built: Path) -> set[str]:
    """The statement ids of the built ``default`` validation and test splits."""
    import pyarrow.parquet as pq

    return {i for split in EVALUATION_SPLITS
            for i in pq.read_table(built / "data" / "default" / f"{split}.parquet", columns=["id"]).column("id").to_pylist()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--size", type=int, default=250, help="statements per batch")
    parser.add_argument("--batches", nargs="+", default=[], metavar="LANG=N", help="batches to write per language")
    args = parser.parse_args()
    wanted = {lang: int(n) for lang, n in (item.split("=") for item in args.batches)}
    statements = all_candidates()
    annotated = {a.id for a in read_annotations(ANNOTATIONS) if a.pool != EVALUATION_POOL}
    in_evaluation = evaluation_ids(BUILT)
    groups = {s.group for s in statements if s.id in in_evaluation}
    rng = random.Random(args.seed)
    for lang in LANGS:
        order = [s for s in statements if s.lang == lang and s.group in groups and s.id not in annotated]
        rng.shuffle(order)
        for number in range(min(wanted.get(lang, 0), -(-len(order) // args.size))):
            rows = [{"id": s.id, "lang": s.lang, "source": s.source, "doc_id": s.doc_id, "date": s.date,
                     "title": s.title, "context": s.context, "text": s.text}
                    for s in order[number * args.size:(number + 1) * args.size]]
            write_atomic(args.out / f"eval-{lang}-{number + 1:03d}.jsonl", dumps_jsonl(rows))
        counts = Counter(f"{s.source}/{s.lang}" for s in order)
        print(lang, len(order), "in the order;", dict(sorted(counts.items())), f"{wanted.get(lang, 0)} batches asked")


if __name__ == "__main__":
    main()
