"""Benchmark `percee build`: wall time and peak memory of the full build, and of the corpus replicated 10 times.

Each build runs in a fresh subprocess (imports included); peak memory is that process's max RSS. The
replicated corpus gives every copy new document ids (copy 0 keeps the real ids, so the gold annotations still
join); a cost ratio near 10 means the build grows linearly. Targets: full build under 30 s on 2 cores, peak
memory under 2 GiB at 10x.

A third case times extraction on one single-line document of 1 MB and of ``--long-mb`` MB, full of candidate
statements: the time per statement must stay flat (the build is linear in document length).

Usage: python scripts/bench_build.py [--copies 10] [--long-mb 8]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark.data.sources import SOURCES
from benchmark.paths import ANNOTATIONS, RAW


def replicate(raw: Path, out: Path, copies: int) -> None:
    """Write ``copies`` copies of every source under ``out`` with new document ids (and new parallel sets)."""
    for source, file in ((s, f) for s in SOURCES for f in s.files):
        with gzip.open(raw / source.name / file, "rt", encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle]
        target = out / source.name / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as handle:
            for copy in range(copies):
                for record in records:
                    if copy:
                        record = dict(record)
                        record["doc_id"] = re.sub(r"(-[a-z]{2})?$", rf"-copy{copy}\g<0>", record["doc_id"], count=1)
                        if "parallel_set" in record:
                            record["parallel_set"] = f"{record['parallel_set']}-copy{copy}"
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def timed_build(raw: Path, output: Path) -> tuple[float, float, str]:
    """Run `percee build` in a subprocess; return (seconds, peak RSS in MiB, its last output line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmark.cli", "build", "--raw", str(raw), "--annotations",
                           str(ANNOTATIONS), "--output", str(output)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        raise RuntimeError("peak RSS of the child not measurable (an earlier child was larger); run builds apart")
    return seconds, peak / 1024, done.stdout.strip().splitlines()[-1]


LONG_SENTENCE = "Diplomats expect a breakthrough at the summit next week, the minister said. "


def timed_long_document(megabytes: int) -> tuple[float, int]:
    """Extraction time and statement count of one single-line document of ``megabytes`` MB of candidates."""
    from benchmark.data.extract import extract
    from benchmark.data.lexicon import lexicon_for
    from benchmark.data.sources import Document

    text = LONG_SENTENCE * (megabytes * 2**20 // len(LONG_SENTENCE))
    document = Document("long", "seed", "en", None, None, text, None)
    started = time.perf_counter()
    count = sum(1 for _ in extract(document, lexicon_for("en")))
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--long-mb", type=int, default=8, help="size of the long single-line document")
    args = parser.parse_args()
    (small_s, small_n), (long_s, long_n) = timed_long_document(1), timed_long_document(args.long_mb)
    print(f"long document: 1 MB {small_s:.1f} s ({small_n} statements), {args.long_mb} MB {long_s:.1f} s "
          f"({long_n} statements); time per statement ratio {long_s / long_n / (small_s / small_n):.2f} "
          "(linear: about 1)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base_s, base_mb, base_line = timed_build(RAW, tmp / "full")
        replicate(RAW, tmp / "raw_x", args.copies)
        big_s, big_mb, big_line = timed_build(tmp / "raw_x", tmp / "full_x")
    print(f"{'corpus':<12}{'wall s':>9}{'peak MiB':>10}  stats")
    print(f"{'full':<12}{base_s:>9.1f}{base_mb:>10.0f}  {base_line}")
    print(f"{f'x{args.copies}':<12}{big_s:>9.1f}{big_mb:>10.0f}  {big_line}")
    print(f"time ratio x{args.copies}/full = {big_s / base_s:.2f} (linear: {args.copies}), "
          f"memory ratio = {big_mb / base_mb:.2f}")
    print(f"targets: full build < 30 s: {'met' if base_s < 30 else 'MISSED'}; "
          f"peak memory at x{args.copies} < 2048 MiB: {'met' if big_mb < 2048 else 'MISSED'}")


if __name__ == "__main__":
    main()
