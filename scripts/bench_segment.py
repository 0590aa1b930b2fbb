"""Benchmark the sentence splitter against pysbd (a rule-based library with English, French and Russian rules).

Times both on the first ~300,000 characters of Kremlin English and Russian pages (paragraphs fed to pysbd one
at a time, as it expects), in one process. pysbd is not a PERCÉE dependency: `pip install pysbd` first.

Usage: python scripts/bench_segment.py
"""
from __future__ import annotations

import gzip
import json
import time

from benchmark.data.lexicon import lexicon_for
from benchmark.data.segment import split
from benchmark.data.sources import SOURCES, normalise

CHARS = 300_000


def sample(lang: str) -> list[str]:
    kremlin = next(s for s in SOURCES if s.name == "kremlin")
    texts, size = [], 0
    with gzip.open(kremlin.paths[0], "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["lang"] == lang and size < CHARS:
                texts.append(normalise(record["text"], wrapped=False))
                size += len(texts[-1])
    return texts


def main() -> None:
    import pysbd

    for lang in ("en", "ru"):
        texts = sample(lang)
        started = time.perf_counter()
        ours = sum(len(split(text, lexicon_for(lang).abbreviations)) for text in texts)
        ours_s = time.perf_counter() - started
        segmenter = pysbd.Segmenter(language=lang, clean=False)
        started = time.perf_counter()
        theirs = sum(len(segmenter.segment(p)) for text in texts for p in text.split("\n") if p.strip())
        theirs_s = time.perf_counter() - started
        print(f"{lang}: {sum(map(len, texts)):,} chars | percee {ours_s:.2f} s, {ours} sentences | pysbd "
              f"{theirs_s:.2f} s, {theirs} sentences | pysbd / percee = {theirs_s / ours_s:.0f}x")


if __name__ == "__main__":
    main()
