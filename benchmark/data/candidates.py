"""All candidate statements of the raw corpora, in a stable order."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from benchmark.data.extract import Statement, extract
from benchmark.data.lexicon import lexicon_for
from benchmark.data.sources import SOURCES, Document, iter_documents
from benchmark.paths import BUILD_CONFIGS, RAW


def candidates(documents: Iterable[Document], lexicons: Path = BUILD_CONFIGS) -> list[Statement]:
    """Extract every candidate statement of ``documents`` (in document order)."""
    return [s for d in documents for s in extract(d, lexicon_for(d.lang, Path(lexicons)))]


def all_candidates(raw: Path = RAW, lexicons: Path = BUILD_CONFIGS) -> list[Statement]:
    """Read every source under ``raw`` and extract its candidates."""
    return candidates(iter_documents(SOURCES, raw), lexicons)
