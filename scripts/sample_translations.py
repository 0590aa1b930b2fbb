"""Draw the English test statements to translate for ``translated_fr`` / ``translated_ru`` and write the batches.

Every English gold claim of the ``default`` test split, plus as many English test ``no_claim`` statements drawn
at random (seeded), as XNLI did for NLI. Writes ``datasets/translations/source.jsonl`` (id, text, title, the
English gold label is NOT included) and, per target language, translator batches ``<lang>/batches/tr_NN.jsonl``
and, for the blind labellers, nothing yet (they read the translators' output without the English).

Usage: python scripts/sample_translations.py [--seed 20261210] [--parts 2]
"""
from __future__ import annotations

import argparse
import random

from benchmark.data import load
from benchmark.data.translations import TRANSLATION_LANGUAGES
from benchmark.fileio import dumps_jsonl, write_atomic
from benchmark.labels import LABELS, NO_CLAIM
from benchmark.paths import TRANSLATIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261210)
    parser.add_argument("--parts", type=int, default=2)
    args = parser.parse_args()
    test = load("default")["test"].to_pandas()
    english = test[test["lang"] == "en"].sort_values("id")
    claims = english[english["label"] != LABELS.index(NO_CLAIM)]
    others = english[english["label"] == LABELS.index(NO_CLAIM)]
    rng = random.Random(args.seed)
    chosen = list(claims["id"]) + rng.sample(list(others["id"]), len(claims))
    rng.shuffle(chosen)
    by_id = english.set_index("id")
    rows = [{"translation_of": i, "title": by_id.at[i, "title"], "text": by_id.at[i, "text"]} for i in chosen]
    write_atomic(TRANSLATIONS / "source.jsonl", dumps_jsonl(rows))
    for lang in TRANSLATION_LANGUAGES:
        for part in range(args.parts):
            write_atomic(TRANSLATIONS / lang / "batches" / f"tr_{part + 1:02d}.jsonl", dumps_jsonl(rows[part :: args.parts]))
    print(f"{len(claims)} claims + {len(claims)} no_claim = {len(rows)} English test statements to translate")


if __name__ == "__main__":
    main()
