"""Round 5: draw likely claims to enrich TRAIN only (``"pool": "train"`` annotations, never in validation/test).

A TF-IDF (character n-grams) + logistic regression claim detector, trained on the gold labels of rounds 1-4,
ranks the not-yet-annotated candidates of split groups that hold no gold (those groups go to train); the top
``--per-lang`` of each language are drawn (English and French; every Russian candidate is already annotated).
Seeded and deterministic. The card says that train oversamples likely claims this way.

Round 7 (``--round 7``): the same detector, trained on the gold of validation and train only (never on test:
the statements it picks are trained on), ranks the not-yet-annotated candidates of every split group the built
``default`` configuration puts in train (groups without gold and groups dealt to train); rows carry
``"pool": "train"`` like round 5, so they stay in train and move nothing.

Usage: python scripts/sample_train_pool.py --out datasets/annotations/batches [--en 1800] [--fr 900] [--round 7]
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from benchmark.data.annotations import read_annotations, resolve
from benchmark.data.candidates import all_candidates
from benchmark.fileio import dumps_jsonl, write_atomic
from benchmark.labels import NO_CLAIM
from benchmark.paths import ANNOTATIONS, BUILT

BATCH_SIZE = 250


def split_ids(splits: tuple[str, ...]) -> set[str]:
    """The statement ids of the built ``default`` configuration's ``splits``."""
    import pyarrow.parquet as pq

    return {i for split in splits
            for i in pq.read_table(BUILT / "data" / "default" / f"{split}.parquet", columns=["id"]).column("id").to_pylist()}


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--en", type=int, default=1800)
    parser.add_argument("--fr", type=int, default=900)
    parser.add_argument("--round", type=int, choices=(5, 7), default=5)
    args = parser.parse_args()
    statements = all_candidates()
    gold = resolve(read_annotations(ANNOTATIONS), {s.id for s in statements})
    gold_groups = {s.group for s in statements if s.id in gold}
    if args.round == 7:
        evaluated = split_ids(("validation", "test"))
        gold_groups = {s.group for s in statements if s.id in evaluated}
        tested = split_ids(("test",))
        gold = {i: g for i, g in gold.items() if i not in tested}
    labelled = [s for s in statements if s.id in gold]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    features = vectorizer.fit_transform([s.text for s in labelled])
    detector = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=0)
    detector.fit(features, [gold[s.id].label != NO_CLAIM for s in labelled])
    pool = [s for s in statements if s.id not in gold and s.group not in gold_groups and s.lang in ("en", "fr")]
    scores = detector.predict_proba(vectorizer.transform([s.text for s in pool]))[:, 1]
    by_lang = defaultdict(list)
    for statement, score in zip(pool, scores):
        by_lang[statement.lang].append((-score, statement.id, statement))
    drawn = []
    for lang, size in (("en", args.en), ("fr", args.fr)):
        drawn += [s for _, _, s in sorted(by_lang[lang], key=lambda t: t[:2])[:size]]
    first = len(sorted(args.out.glob("batch_*.jsonl"))) + 1
    for number in range(0, len(drawn), BATCH_SIZE):
        rows = [{"id": s.id, "lang": s.lang, "source": s.source, "doc_id": s.doc_id, "date": s.date,
                 "title": s.title, "context": s.context, "text": s.text} for s in drawn[number:number + BATCH_SIZE]]
        write_atomic(args.out / f"batch_{first + number // BATCH_SIZE:02d}.jsonl", dumps_jsonl(rows))
    print(f"{len(drawn)} drawn from {len(pool)} candidates of train groups -> batches {first}..")


if __name__ == "__main__":
    main()
