"""Select the gold statements of guidelines 1.0/1.1 that the rules added in 1.2 (f–t) may touch, for a re-check.

Selection is by surface patterns (planned signings, scheduled "expected", confidence of success, approval votes,
central banks, joint statements, "no doubt", reported past expectations); the re-checker reads each statement
in context with its current gold label under guidelines 1.2 and writes an adjudication row only where the
label changes. Usage: python scripts/select_recheck.py --out datasets/annotations/batches/recheck_12.jsonl
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from benchmark.data.annotations import read_annotations, resolve
from benchmark.fileio import dumps_jsonl, write_atomic
from benchmark.paths import ANNOTATIONS

PATTERNS = {
    "en": r"plan(?:s|ned)? to|to be signed|will (?:be )?sign|expected (?:in|at|on|to (?:arrive|visit|open|begin|start|meet))"
          r"|confident|success|approv|ratif|central bank|federal reserve|\bfed\b|bundesbank|interest rates?|joint "
          r"(?:statement|declaration|communiqu)|no doubt|unchanged|had been expected|\bif\b.*\bhope",
    "fr": r"prévu|signer|signé|attendu à|confian|succès|approuv|ratifi|banque centrale|\btaux\b|déclaration commune"
          r"|sans doute|aucun doute",
    "ru": r"планиру|подпис|ожидается в|уверен|успе|одобр|ратифи|центробанк|\bцб\b|ставк|совместн\w* заявлен"
          r"|несомненно|не сомнева",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    annotations = read_annotations(ANNOTATIONS)
    old = {a.id for a in annotations if a.role == "primary" and a.guideline_version in ("1.0", "1.1")}
    shown = {}
    for path in sorted((ANNOTATIONS / "batches").glob("batch_*.jsonl")):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            shown[row["id"]] = row
    gold = resolve([a for a in annotations if a.id in old], set(shown))
    rows = [{**shown[i], "current_label": gold[i].label} for i in sorted(old)
            if re.search(PATTERNS[shown[i]["lang"]], shown[i]["text"].lower())]
    write_atomic(args.out, dumps_jsonl(rows))
    print(f"{len(rows)} of {len(old)} guideline 1.0/1.1 gold statements -> {args.out}")


if __name__ == "__main__":
    main()
