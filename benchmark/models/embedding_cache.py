"""The embedding cache: every statement text is encoded once per encoder version, then read from disk.

One ``.npy`` file per encoder version (``<folder>/<version>.npy``): a structured array of ``key`` (the sha256
of the UTF-8 text, 32 bytes) and ``vector`` (float16), sorted by key, so the file is deterministic and small.
Two folders are read: the shipped cache (``datasets/embeddings/``, tracked in git, refreshed with
``scripts/encode_cache.py``) and the local one (``.percee/embeddings/``, git-ignored) where a run saves the
vectors it had to compute. Every vector is rounded to float16 before use, cached or fresh, so a model sees the
same features whether the cache was cold or warm. ``PERCEE_EMBEDDING_CACHE=<folder>`` replaces both folders.
"""
from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path

import numpy as np

from benchmark.fileio import write_atomic
from benchmark.models.encoders import encode, get_encoder
from benchmark.paths import EMBEDDINGS, LOCAL_EMBEDDINGS

#: Set to a folder, it replaces both caches (shipped and local): how a benchmark times a cold cache.
CACHE_VARIABLE = "PERCEE_EMBEDDING_CACHE"

#: Vectors already read or computed in this process: ``{version: {key: float16 vector}}``.
_MEMORY: dict[str, dict[bytes, np.ndarray]] = {}
_READ: set[tuple[str, str]] = set()


def text_key(text: str) -> bytes:
    """The cache key of a text: the sha256 digest of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def cache_file(folder: Path, encoder: str) -> Path:
    """The cache file of ``encoder``'s current version in ``folder``."""
    return Path(folder) / f"{get_encoder(encoder).version}.npy"


def read_cache(path: Path, dim: int) -> dict[bytes, np.ndarray]:
    """``{key: float16 vector}`` from a cache file (empty when it does not exist)."""
    path = Path(path)
    if not path.exists():
        return {}
    table = np.load(path, allow_pickle=False)
    if table.dtype.names != ("key", "vector") or table["vector"].shape[1:] != (dim,):
        raise ValueError(f"{path}: not an embedding cache of dimension {dim}; delete it and re-encode "
                         "(python scripts/encode_cache.py)")
    return {bytes(key): vector for key, vector in zip(table["key"], table["vector"])}


def write_cache(path: Path, vectors: dict[bytes, np.ndarray], dim: int) -> None:
    """Write ``vectors`` to ``path`` atomically, sorted by key (same vectors, same bytes)."""
    keys = sorted(vectors)
    table = np.zeros(len(keys), dtype=[("key", "u1", (32,)), ("vector", "<f2", (dim,))])
    if keys:
        table["key"] = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)
        table["vector"] = np.stack([vectors[key] for key in keys])
    buffer = io.BytesIO()
    np.save(buffer, table, allow_pickle=False)
    write_atomic(path, buffer.getvalue())


def _memory(encoder: str, folders: tuple[Path, ...]) -> dict[bytes, np.ndarray]:
    spec = get_encoder(encoder)
    memory = _MEMORY.setdefault(spec.version, {})
    for folder in folders:
        if (spec.version, str(folder)) not in _READ:
            for key, vector in read_cache(cache_file(folder, encoder), spec.dim).items():
                memory.setdefault(key, vector)
            _READ.add((spec.version, str(folder)))
    return memory


def missing_texts(encoder: str, texts: list[str], folders: tuple[Path, ...] = (EMBEDDINGS, LOCAL_EMBEDDINGS)
                  ) -> list[str]:
    """The distinct texts of ``texts`` that no cache folder holds for ``encoder``'s current version."""
    memory = _memory(encoder, tuple(Path(f) for f in folders))
    return [text for text in dict.fromkeys(texts) if text_key(text) not in memory]


def add(encoder: str, texts: list[str], folder: Path, chunk: int = 256, progress: bool = True) -> int:
    """Encode the distinct ``texts`` not yet in ``folder``'s cache and save them there after every ``chunk``
    texts (an interrupted encode keeps its work). Returns how many were encoded."""
    spec = get_encoder(encoder)
    path = cache_file(folder, encoder)
    stored = read_cache(path, spec.dim)
    todo = [text for text in dict.fromkeys(texts) if text_key(text) not in stored]
    for start in range(0, len(todo), chunk):
        batch = todo[start:start + chunk]
        vectors = encode(encoder, batch).astype(np.float16)
        stored.update(zip(map(text_key, batch), vectors))
        _MEMORY.setdefault(spec.version, {}).update(zip(map(text_key, batch), vectors))
        write_cache(path, stored, spec.dim)
        if progress:
            print(f"{encoder}: {start + len(batch)}/{len(todo)} encoded -> {path}", file=sys.stderr, flush=True)
    return len(todo)


def embed(encoder: str, texts: list[str], shipped: Path | None = None, local: Path | None = None,
          quiet: bool = False) -> np.ndarray:
    """``(n, dim)`` float32 vectors of ``texts`` (float16 precision), from the caches or freshly encoded.

    Texts in neither the shipped cache nor the local one are encoded (with a message on ``log``) and saved to
    the local cache, so no text is encoded twice on this machine. ``quiet``: no message.
    """
    spec = get_encoder(encoder)
    override = os.environ.get(CACHE_VARIABLE)
    shipped = Path(shipped or override or EMBEDDINGS)
    local = Path(local or override or LOCAL_EMBEDDINGS)
    missing = missing_texts(encoder, texts, (shipped, local))
    if missing:
        if not quiet:
            print(f"percee: encoding {len(missing)} text(s) missing from the {encoder} embedding cache "
                  f"({spec.version}); saving them to {local}", file=sys.stderr, flush=True)
        add(encoder, missing, local, progress=False)
    memory = _memory(encoder, (shipped, local))
    if not texts:
        return np.zeros((0, spec.dim), dtype=np.float32)
    return np.stack([memory[text_key(text)] for text in texts]).astype(np.float32)
