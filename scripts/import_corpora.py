"""Copy the shared corpora and the seed article into ``datasets/raw/`` (run once by a maintainer).

Text is copied unchanged; records are re-serialised as gzip JSONL with a fixed mtime so the files are
byte-identical on every run. The one rule that drops records: Reuters-21578 briefs whose ``text`` is empty
(title-only), which carry no statement. The seed article becomes a source of its own.

Usage: python scripts/import_corpora.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

from benchmark.paths import RAW

CORPORA = {  # raw folder -> (shared folder, files)
    "reuters21578": ("reuters21578", ("reuters21578.jsonl",)),
    "kremlin": ("kremlin", ("kremlin_en_ru.jsonl",)),
    "wmt_newstest": ("wmt_newstest", ("wmt_newstest_en_fr_ru.jsonl",)),
    "ru_wikinews": ("ru_wikinews", ("ru_wikinews_nerel_factrueval.jsonl",)),
    "europarl": ("europarl_enfr_1996_2005", ("europarl_enfr_1996_2005.jsonl", "europarl_enfr_1996_2005_part2.jsonl")),
    "ungdc": ("ungdc", ("ungdc_en_1946_2024.jsonl",)),
}
SEED_TITLE = "Le but du voyage du président du Kazakhstan Tokaev à Poutine est révélé"


def write_gzip_jsonl(records: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(payload)


def import_corpus(shared: Path, name: str, folder: str, files: tuple[str, ...]) -> tuple[int, int]:
    total = kept_total = 0
    for file in files:
        records = [json.loads(line) for line in (shared / "corpora" / folder / file).open(encoding="utf-8")]
        kept = [r for r in records if (r.get("text") or "").strip()]
        write_gzip_jsonl(kept, RAW / name / f"{file}.gz")
        total, kept_total = total + len(records), kept_total + len(kept)
    shutil.copyfile(shared / "corpora" / folder / "SOURCE.md", RAW / name / "SOURCE.md")
    return total, kept_total


def import_seed(shared: Path) -> None:
    (path,) = sorted((shared / "seed").glob("*.txt"))
    record = {"doc_id": "seed-bbabo-tokaev-visit", "lang": "fr", "date": "2022", "title": SEED_TITLE,
              "source": f"shared/seed/{path.name}", "text": path.read_text(encoding="utf-8")}
    write_gzip_jsonl([record], RAW / "seed" / "seed.jsonl.gz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=RAW.parents[2] / "shared")
    args = parser.parse_args()
    for name, (folder, files) in CORPORA.items():
        total, kept = import_corpus(args.shared, name, folder, files)
        print(f"{name}: {kept} of {total} records kept")
    import_seed(args.shared)
    print("seed: 1 record")


if __name__ == "__main__":
    main()
