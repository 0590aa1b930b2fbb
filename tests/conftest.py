"""Shared fixtures: offline environment, a small real-text raw folder, the built full dataset."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from benchmark.paths import BUILT, RAW

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

#: Documents taken from each real source file for the small raw folder: (source, file, doc ids or None for all).
SMALL = [
    ("seed", "seed.jsonl.gz", None),
    ("reuters21578", "reuters21578.jsonl.gz", ["reuters21578-10800", "reuters21578-2733", "reuters21578-2614",
                                               "reuters21578-7071", "reuters21578-1"]),
    ("kremlin", "kremlin_en_ru.jsonl.gz", ["kremlin-en-news-17689", "kremlin-en-news-60857", "kremlin-ru-news-76445"]),
    ("wmt_newstest", "wmt_newstest_en_fr_ru.jsonl.gz", ["wmt-newstest2012-enfrru-en", "wmt-newstest2012-enfrru-fr",
                                                        "wmt-newstest2012-enfrru-ru"]),
    ("ru_wikinews", "ru_wikinews_nerel_factrueval.jsonl.gz", ["factrueval-testset-book_3714",
                                                              "factrueval-testset-book_3842"]),
    ("europarl", "europarl_enfr_1996_2005.jsonl.gz", ["europarl-ep-00-01-19-en", "europarl-ep-00-01-19-fr"]),
    ("europarl", "europarl_enfr_1996_2005_part2.jsonl.gz", ["europarl-ep-01-11-28-en", "europarl-ep-01-11-28-fr"]),
    ("ungdc", "ungdc_en_1946_2024.jsonl.gz", ["ungdc-AUT-36-1981", "ungdc-AFG-13-1958"]),
]


def read_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def write_gz(records: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.fixture(scope="session")
def small_raw(tmp_path_factory) -> Path:
    """A raw folder holding a few real documents of every source (read-only for tests: copy before editing)."""
    folder = tmp_path_factory.mktemp("raw")
    for source, file, ids in SMALL:
        records = read_gz(RAW / source / file)
        kept = records if ids is None else [r for r in records if r["doc_id"] in ids]
        assert ids is None or len(kept) == len(ids), f"fixture documents missing from {source}"
        write_gz(kept, folder / source / file)
    return folder


@pytest.fixture(scope="session")
def built() -> Path:
    """The full dataset as `make build` writes it (the test command builds it first)."""
    if not (BUILT / "MANIFEST.json").exists():
        pytest.fail("datasets/percee is not built: run `make build` (make test does it)")
    return BUILT
