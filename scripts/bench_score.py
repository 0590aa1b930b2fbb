"""Time the PERCÉE scorer against the usual scikit-learn bootstrap loop on one large predictions file.

Builds a seeded predictions JSONL file (default 1,000,000 rows, three labels, 70% right) and its gold in a
temporary folder, then times in this process:

(a) PERCÉE: ``benchmark.scoring.report.score`` end to end (read, validate, align, metrics, 1,000 bootstrap
    resamples for the headline and accuracy, by_lang and by_source breakdowns with their own intervals),
    ``--repeat`` times; the first (cold) call is the one compared;
(b) the usual way: ``json.loads`` per line, then ``sklearn.metrics.f1_score`` on each resample in a Python
    loop. With ``--usual-resamples N`` below ``--resamples`` the loop time is extrapolated linearly.

``--shuffle`` writes the rows in a random order, ``--scores`` adds a probability for every label to each row
(as ``predict_proba`` gives them, full float precision).

Usage: ``python scripts/bench_score.py [--rows 1000000] [--usual-resamples 1000] [--shuffle] [--scores]``
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmark.labels import LABELS  # noqa: E402
from benchmark.scoring.report import score  # noqa: E402

LANGS = ("en", "fr", "ru")
SOURCES = ("europarl", "un", "news", "kremlin")


def build(directory: Path, rows: int, seed: int, shuffle: bool, scores: bool = False) -> tuple[Path, dict]:
    """Write ``predictions.jsonl`` (gold order unless ``shuffle``, with probabilities when ``scores``) and return
    its path and the gold mapping."""
    rng = np.random.default_rng(seed)
    gold_index = rng.integers(0, len(LABELS), rows)
    predicted = np.where(rng.random(rows) < 0.7, gold_index, rng.integers(0, len(LABELS), rows))
    ids = [f"st-{i:07d}" for i in range(rows)]
    langs, sources = rng.integers(0, len(LANGS), rows).tolist(), rng.integers(0, len(SOURCES), rows).tolist()
    gold = {statement_id: {"label": LABELS[label], "lang": LANGS[lang], "source": SOURCES[source]}
            for statement_id, label, lang, source in zip(ids, gold_index.tolist(), langs, sources)}
    order = rng.permutation(rows) if shuffle else np.arange(rows)
    path = directory / "predictions.jsonl"
    rows = ({"id": ids[i], "label": LABELS[predicted[i]]} for i in order.tolist())
    if scores:
        weights = rng.random((len(ids), len(LABELS))) + np.eye(len(LABELS))[predicted] * 2
        probabilities = (weights / weights.sum(axis=1, keepdims=True)).tolist()
        rows = ({**row, "scores": dict(zip(LABELS, probabilities[i]))} for row, i in zip(rows, order.tolist()))
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    return path, gold


def usual_way(path: Path, gold: dict, resamples: int, seed: int) -> tuple[float, float, float, float]:
    """Read with json, then f1_score per resample; return (read seconds, loop seconds, low, high)."""
    from sklearn.metrics import f1_score

    start = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        predicted = {row["id"]: row["label"] for row in map(json.loads, handle)}
    code = {label: index for index, label in enumerate(LABELS)}
    y_true = np.array([code[record["label"]] for record in gold.values()])
    y_pred = np.array([code[predicted[statement_id]] for statement_id in gold])
    read = time.perf_counter() - start
    rng, n, values = np.random.default_rng(seed), len(y_true), []
    start = time.perf_counter()
    for _ in range(resamples):
        index = rng.integers(0, n, n)
        values.append(f1_score(y_true[index], y_pred[index], labels=[0, 1], average="macro"))
    loop = time.perf_counter() - start
    low, high = np.quantile(values, [0.025, 0.975])
    return read, loop, float(low), float(high)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples of both ways")
    parser.add_argument("--usual-resamples", type=int, default=1000,
                        help="resamples actually run by the usual way; fewer are extrapolated linearly")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shuffle", action="store_true", help="write the rows in a random order")
    parser.add_argument("--scores", action="store_true", help="give every row its probabilities")
    parser.add_argument("--repeat", type=int, default=3, help="PERCÉE runs; the first (cold) one is compared")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path, gold = build(Path(folder), args.rows, args.seed, args.shuffle, args.scores)
        import sklearn.metrics  # noqa: F401  (imported before timing, as for PERCÉE)

        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = score("claim_stance", gold, path, n_resamples=args.resamples, seed=args.seed)
            times.append(time.perf_counter() - start)
        ours = times[0]
        usual_runs = min(args.usual_resamples, args.resamples)
        read, loop, low, high = usual_way(path, gold, usual_runs, args.seed)

    usual = read + loop * args.resamples / usual_runs
    headline = report["headline"]
    difference = max(abs(headline["ci_low"] - low), abs(headline["ci_high"] - high))
    note = (f"extrapolated from {usual_runs} resamples: read {read:.2f} s + {usual_runs} resamples in {loop:.2f} s"
            if usual_runs < args.resamples else f"read {read:.2f} s + loop {loop:.2f} s")
    print(f"rows: {args.rows:,} ({'shuffled' if args.shuffle else 'gold'} order, {'with' if args.scores else 'no'} scores), bootstrap resamples: "
          f"{args.resamples}, seed {args.seed}")
    print(f"(a) PERCÉE score():            {ours:8.2f} s   f_avg {headline['value']:.4f} "
          f"95% CI [{headline['ci_low']:.4f}, {headline['ci_high']:.4f}]   "
          f"(first call; all {len(times)}: {', '.join(f'{t:.2f}' for t in times)} s)")
    print(f"(b) json + sklearn f1_score:   {usual:8.2f} s   f_avg  95% CI [{low:.4f}, {high:.4f}]   ({note})")
    print(f"speed ratio: {usual / ours:.0f}x")
    print(f"max |difference| of the interval ends: {difference:.5f}")
    print(f"targets: under 2 s {'met' if ours < 2 else 'MISSED'}; >= 100x {'met' if usual / ours >= 100 else 'MISSED'};"
          f" within 0.002 {'met' if difference < 0.002 else 'MISSED'}")


if __name__ == "__main__":
    main()
