"""Draw the blind second-annotation sample: stratified by language and first label, shown without labels.

Claims are rarer than ``no_claim``, so they are drawn at a higher rate (half of each claim stratum, and at
least 12% of each no_claim stratum) to give kappa enough claims to mean something. The output batches carry
the statement and its context only, never the first label. Seeded.

Rounds 3 and 4 (guidelines 1.2) are sampled on their own, from the batches they were drawn in:
``--batches 23-63 --size 1600 --parts 3 --first-part 3 --seed 20261206`` (round 3) and
``--batches 64-76 --size 480 --parts 1 --first-part 6 --seed 20261208`` (round 4) and
``--batches 77-84 --size 280 --parts 1 --first-part 7 --seed 20261212`` (round 5).
Round 6 (the random evaluation pool, ``eval-<lang>-NNN`` batches; 15% of its rows):
``--files 'eval-*.jsonl' --size 2250 --parts 6 --first-part 8 --seed 20261206``.

Usage: python scripts/sample_double_annotation.py --out datasets/annotations/batches --size 500 [--parts 2]
       [--batches FIRST-LAST | --files GLOB] [--first-part N]
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from benchmark.data.annotations import PRIMARY, read_annotations
from benchmark.paths import ANNOTATIONS

CLAIM_RATE = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--parts", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--batches", default="1-22", help="the first-annotation batches to sample from")
    parser.add_argument("--files", help="sample from these batch files instead (a glob, e.g. 'eval-*.jsonl')")
    parser.add_argument("--first-part", type=int, default=1, help="number of the first second_NN file written")
    args = parser.parse_args()
    first, last = map(int, args.batches.split("-"))
    shown = {}
    for path in sorted(args.out.glob(args.files or "batch_*.jsonl")):
        if not args.files and not first <= int(path.stem.split("_")[1]) <= last:
            continue
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            shown[row["id"]] = row
    strata = defaultdict(list)
    for annotation in read_annotations(ANNOTATIONS):
        if annotation.role == PRIMARY and annotation.id in shown:
            strata[(shown[annotation.id]["lang"], annotation.label)].append(annotation.id)
    rng = random.Random(args.seed)
    claims = {k: v for k, v in strata.items() if k[1] != "no_claim"}
    chosen = [i for k in sorted(claims) for i in rng.sample(sorted(claims[k]), round(CLAIM_RATE * len(claims[k])))]
    rest = {k: sorted(v) for k, v in strata.items() if k[1] == "no_claim"}
    total_rest, room = sum(len(v) for v in rest.values()), args.size - len(chosen)
    for key in sorted(rest):
        share = max(round(room * len(rest[key]) / total_rest), round(0.12 * len(rest[key])))
        chosen += rng.sample(rest[key], min(share, len(rest[key])))
    rng.shuffle(chosen)
    for part in range(args.parts):
        rows = [shown[i] for i in chosen[part :: args.parts]]
        path = args.out / f"second_{args.first_part + part:02d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(path, len(rows))


if __name__ == "__main__":
    main()
