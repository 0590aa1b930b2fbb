"""Write the first/second annotation disagreements that have no adjudication row yet, for the adjudicator.

Each row: the statement as annotators read it (from its batch) and both labels with their notes. Usage:
python scripts/list_disagreements.py --out datasets/annotations/batches/adjudicate_02.jsonl
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from benchmark.data.annotations import ADJUDICATION, PRIMARY, SECOND, read_annotations
from benchmark.fileio import dumps_jsonl, write_atomic
from benchmark.paths import ANNOTATIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    shown = {}
    batches = ANNOTATIONS / "batches"
    for path in sorted([*batches.glob("batch_*.jsonl"), *batches.glob("eval-*.jsonl")]):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            shown[row["id"]] = row
    by_id = defaultdict(dict)
    for annotation in read_annotations(ANNOTATIONS):
        by_id[annotation.id][annotation.role] = annotation
    rows = []
    for statement_id, roles in sorted(by_id.items()):
        first, second = roles.get(PRIMARY), roles.get(SECOND)
        if first and second and first.label != second.label and ADJUDICATION not in roles:
            rows.append({**shown[statement_id],
                         "first": {"annotator": first.annotator, "label": first.label, "note": first.note},
                         "second": {"annotator": second.annotator, "label": second.label, "note": second.note}})
    write_atomic(args.out, dumps_jsonl(rows))
    print(f"{len(rows)} disagreements -> {args.out}")


if __name__ == "__main__":
    main()
