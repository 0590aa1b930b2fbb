"""All candidate statements of the raw corpora, in a stable order, extracted file by file on every core."""
from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmark.data.extract import Statement, extract
from benchmark.data.lexicon import lexicon_for
from benchmark.data.sources import SOURCES, Source, read_source
from benchmark.errors import InputError, shorten
from benchmark.paths import BUILD_CONFIGS, RAW


def _extract_file(task: tuple[Source, Path, Path]) -> tuple[list[tuple[str, str]], list[Statement]]:
    """The documents (``doc_id``, ``file:line``) and candidate statements of one source file."""
    source, path, lexicons = task
    seen: dict[str, str] = {}
    found = [s for d in read_source(source, path, seen) for s in extract(d, lexicon_for(d.lang, lexicons))]
    return list(seen.items()), found


def extract_corpus(raw: Path = RAW, lexicons: Path = BUILD_CONFIGS,
                   workers: int | None = None) -> tuple[Counter, list[Statement]]:
    """Documents per source and every candidate statement of the source files under ``raw``, in file order.

    The files are extracted in parallel (``workers`` processes, default one per core); the result is the same
    as a sequential pass, errors included: a bad file raises the InputError of the first bad file in order,
    and a doc_id seen twice is an error naming both places.
    """
    tasks = [(source, Path(raw) / source.name / file, Path(lexicons)) for source in SOURCES for file in source.files]
    workers = workers or min(len(tasks), os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_extract_file, tasks))
    else:
        results = [_extract_file(task) for task in tasks]
    seen: dict[str, str] = {}
    documents: Counter = Counter()
    statements: list[Statement] = []
    for (source, _, _), (ids, found) in zip(tasks, results):
        for doc_id, where in ids:
            if doc_id in seen:
                raise InputError(f"duplicate doc_id {shorten(doc_id)} (first seen at {seen[doc_id]})", path=where)
            seen[doc_id] = where
        documents[source.name] += len(ids)
        statements.extend(found)
    return documents, statements


def all_candidates(raw: Path = RAW, lexicons: Path = BUILD_CONFIGS) -> list[Statement]:
    """Read every source under ``raw`` and extract its candidates."""
    return extract_corpus(raw, lexicons)[1]
