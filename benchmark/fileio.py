"""Atomic writes and line-checked JSONL reading, shared by every command that touches files."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from benchmark.errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers see old or new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_dir(staging: Path, target: Path) -> None:
    """Move a fully written ``staging`` folder into ``target``, keeping the old one until the swap."""
    target = Path(target)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)


def dumps_jsonl(rows: list[dict]) -> str:
    """Serialise rows as JSONL with stable key order as given and UTF-8 text kept readable."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, object)`` from a JSONL file (``.gz`` read as gzip); blank lines are skipped.

    Raises InputError naming the file and line for unreadable files, bad UTF-8, bad JSON or non-objects.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(f"not UTF-8 ({exc.reason}); re-save the file as UTF-8", path=path, line=number)
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise InputError(f"bad JSON ({exc.msg}); each line must be one JSON object", path=path,
                                     line=number) from None
                if not isinstance(obj, dict):
                    raise InputError("each line must be a JSON object", path=path, line=number)
                yield number, obj
    except (OSError, EOFError, zlib.error) as exc:
        if isinstance(exc, FileNotFoundError):
            raise InputError("file not found", path=path) from None
        raise InputError(f"cannot read the file ({exc}); is it a valid {'gzip ' if opener is gzip.open else ''}file?",
                         path=path) from None
