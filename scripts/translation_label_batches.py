"""Write the blind-labelling batches of the translated statements: the translation alone (no English, no label).

Reads ``datasets/translations/<lang>/tr-*.jsonl`` and writes ``<lang>/batches/label_NN.jsonl`` rows
``{"id": "<English id>#<lang>", "lang", "text"}`` in a seeded random order. Usage:
python scripts/translation_label_batches.py [--parts 2] [--seed 20261211]
"""
from __future__ import annotations

import argparse
import random

from benchmark.data.translations import TRANSLATION_LANGUAGES, translated_id
from benchmark.fileio import dumps_jsonl, read_jsonl, write_atomic
from benchmark.paths import TRANSLATIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261211)
    parser.add_argument("--lang", choices=TRANSLATION_LANGUAGES, action="append")
    args = parser.parse_args()
    for lang in args.lang or TRANSLATION_LANGUAGES:
        rows = [{"id": translated_id(record["translation_of"], lang), "lang": lang, "text": record["text"]}
                for path in sorted((TRANSLATIONS / lang).glob("tr-*.jsonl")) for _, record in read_jsonl(path)]
        rows.sort(key=lambda r: r["id"])
        random.Random(args.seed).shuffle(rows)
        for part in range(args.parts):
            write_atomic(TRANSLATIONS / lang / "batches" / f"label_{part + 1:02d}.jsonl", dumps_jsonl(rows[part :: args.parts]))
        print(lang, len(rows))


if __name__ == "__main__":
    main()
