"""MANIFEST.json: checksums of every built file and every input, and the dataset digest predictions cite."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
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


@dataclass(frozen=True)
class Integrity:
    """The built dataset as found: the manifest, the digest of the data files as they are on disk (what caches
    are keyed by), and the files that differ from the manifest (empty unless forced)."""

    manifest: dict
    files_digest: str
    modified: tuple[str, ...]

    @property
    def note(self) -> str:
        """The line a report prints when files were modified and the user forced past it ('' otherwise)."""
        if not self.modified:
            return ""
        return (f"WARNING: scored with --force on a dataset whose files differ from its MANIFEST.json: "
                f"{', '.join(self.modified)}")


@lru_cache(maxsize=256)
def _cached_sha256(path: str, size: int, mtime_ns: int, inode: int) -> str:
    return sha256_file(Path(path))


def _current_hash(path: Path) -> str:
    info = path.stat()
    return _cached_sha256(str(path), info.st_size, info.st_mtime_ns, info.st_ino)


def check_files(folder: Path, force: bool = False) -> Integrity:
    """Check every file of the built dataset at ``folder`` against the sha256 its ``MANIFEST.json`` records.

    The one check every command that makes scores calls (score, compare, submit, leaderboard, run, verify),
    through :func:`benchmark.data.load` and :func:`benchmark.data.digest`. A changed, missing or unlisted data
    file, or a manifest whose ``dataset_digest`` does not follow from its own file list, raises InputError
    naming the file, unless ``force`` (then :attr:`Integrity.modified` lists them).
    """
    from benchmark.errors import InputError

    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
        listed = manifest["files"]
        if not isinstance(listed, dict) or not all(isinstance(v, str) for v in listed.values()):
            raise TypeError
    except FileNotFoundError:
        raise InputError("no built dataset here; run `percee build` (or `make build`) first", path=folder) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(f"{MANIFEST} is unreadable or incomplete; rebuild the dataset (`percee build`)",
                         path=folder) from None
    present = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*")
               if p.is_file() and p.name != MANIFEST and not p.name.startswith(".")}
    actual = {name: _current_hash(path) for name, path in sorted(present.items())}
    modified = [name for name in sorted(listed.keys() | actual.keys()) if listed.get(name) != actual.get(name)]
    listed_data = {name: digest for name, digest in listed.items() if name.startswith("data/")}
    if dataset_digest(listed_data) != manifest.get("dataset_digest"):
        modified.insert(0, f"{MANIFEST} (its dataset_digest does not match its file list)")
    if modified and not force:
        problems = [f"{name} ({'missing' if name not in actual else 'not listed' if name not in listed else 'sha256 differs'})"
                    if name in listed or name in actual else name for name in modified]
        raise InputError(f"the dataset files differ from {MANIFEST}: {', '.join(problems)}; rebuild the dataset "
                         "(`percee build`), or pass --force to use the files as they are", path=folder)
    files_digest = dataset_digest({name: digest for name, digest in actual.items() if name.startswith("data/")})
    return Integrity(manifest, files_digest, tuple(modified))
