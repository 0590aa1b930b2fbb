"""MANIFEST.json: checksums of every built file and every input, and the dataset digest predictions cite."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = "MANIFEST.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hashes(root: Path, paths: list[Path]) -> dict[str, str]:
    """``relative path -> sha256`` for ``paths`` under ``root``, sorted."""
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(paths)}


def dataset_digest(data_hashes: dict[str, str]) -> str:
    """One sha256 over the data files' names and hashes: what a predictions file names to say which data it used."""
    text = "".join(f"{name}\t{digest}\n" for name, digest in sorted(data_hashes.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_manifest(folder: Path, builder_version: str, inputs: dict[str, str], extra: dict) -> dict:
    """Write ``folder/MANIFEST.json`` over every file already in ``folder``; return it."""
    files = file_hashes(folder, [p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST])
    data = {name: digest for name, digest in files.items() if name.startswith("data/")}
    manifest = {"builder_version": builder_version, "dataset_digest": dataset_digest(data), "files": files,
                "inputs": inputs, **extra}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict:
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
