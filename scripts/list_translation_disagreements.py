"""Write the translations whose blind label differs from their English statement's gold label, for adjudication.

Each row: the English statement and its gold label, the translation and its blind label with the note. Reads
the built dataset for the English gold (run `percee build` first). Usage:
python scripts/list_translation_disagreements.py --lang fr --out datasets/translations/fr/batches/adjudicate.jsonl
"""
from __future__ import annotations

import argparse
from pathlib import Path

from benchmark.data import read_split
from benchmark.data.annotations import ADJUDICATION, PRIMARY, read_annotations
from benchmark.data.translations import TRANSLATION_LANGUAGES, translated_id
from benchmark.fileio import dumps_jsonl, read_jsonl, write_atomic
from benchmark.labels import LABELS
from benchmark.paths import TRANSLATIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=TRANSLATION_LANGUAGES, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    test = read_split("default", "test").set_index("id")
    folder = TRANSLATIONS / args.lang
    translations = {record["translation_of"]: record["text"]
                    for path in sorted(folder.glob("tr-*.jsonl")) for _, record in read_jsonl(path)}
    roles: dict[str, dict] = {}
    for annotation in read_annotations(folder / "annotations"):
        roles.setdefault(annotation.id, {})[annotation.role] = annotation
    rows = []
    for source, text in sorted(translations.items()):
        found = roles.get(translated_id(source, args.lang), {})
        blind, gold = found.get(PRIMARY), LABELS[test.at[source, "label"]]
        if blind and blind.label != gold and ADJUDICATION not in found:
            rows.append({"id": translated_id(source, args.lang), "english": test.at[source, "text"],
                         "english_gold": gold, "translation": text,
                         "blind": {"annotator": blind.annotator, "label": blind.label, "note": blind.note}})
    write_atomic(args.out, dumps_jsonl(rows))
    print(f"{len(rows)} disagreements -> {args.out}")


if __name__ == "__main__":
    main()
