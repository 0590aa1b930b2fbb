"""Atomic writes and line-checked JSONL reading, shared by every command that touches files."""
from __future__ import annotations

import ctypes
import errno
import glob
import gzip
import io
import json
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from benchmark.errors import InputError


#: Mode of every file and folder the project writes: readable by other users, like a checkout.
FILE_MODE, DIR_MODE = 0o644, 0o755
#: Largest decompressed size of a JSONL file read whole (a predictions file); past it reading stops with exit 2.
MAX_READ_BYTES = 2 << 30


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers see old or new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- replacing a whole folder

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the system
    or the file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(error, os.strerror(error), str(b))


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path) -> list[tuple[Path, str]]:
    """``(path, kind)`` of every folder an interrupted replace of ``target`` left beside it: ``staging`` (a new
    folder not swapped in, or an old one swapped out) or ``old`` (the previous folder moved aside), each
    written by a process that is no longer running; earlier versions' names (``.name.build-*``, ``.name.old``,
    ``.name.XXXXXXXX``) too."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:(staging|old)-(\d+)-\w+|(old)|build-\w+|\w{{8}})")
    found = []
    for path in sorted(target.parent.glob(f".{glob.escape(target.name)}.*")) if target.parent.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if not match or not path.is_dir() or path.is_symlink():
            continue
        kind, pid, legacy_old = match.groups()
        if pid is not None and process_alive(int(pid)) and int(pid) != os.getpid():
            continue
        found.append((path, kind or legacy_old or "staging"))
    return found


def recover_dir(target: Path) -> None:
    """Undo what an interrupted :func:`replace_dir` left: when ``target`` is missing and the previous folder was
    moved aside, put it back; remove every other leftover. Every command calls it before reading ``target``."""
    target = Path(target)
    for path, kind in _leftovers(target):
        if kind == "old" and not target.exists():
            os.rename(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)


def recover_children(root: Path) -> None:
    """:func:`recover_dir` for every folder of ``root`` that an interrupted replace left leftovers of."""
    names = {match.group(1) for path in (Path(root).iterdir() if Path(root).is_dir() else ())
             if (match := re.fullmatch(r"\.([^.]+)\..+", path.name))}
    for name in sorted(names):
        recover_dir(Path(root) / name)


def staging_dir(target: Path) -> Path:
    """A fresh, empty folder beside ``target`` (mode 0755) to write a new version of it into."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(target)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staging-{os.getpid()}-"))
    os.chmod(staging, DIR_MODE)
    return staging


def replace_dir(staging: Path, target: Path, exchange: bool = True) -> None:
    """Put the fully written ``staging`` folder (from :func:`staging_dir`) in place of ``target``.

    At every instant ``target`` is the old folder or the new one: the two are swapped in one step
    (``renameat2`` exchange), then the old one is removed. Where the system cannot swap (or ``exchange`` is
    False) the old folder is first renamed aside, and :func:`recover_dir` puts it back if the process dies
    before the new one is in place.
    """
    staging, target = Path(staging), Path(target)
    if not target.exists():
        os.rename(staging, target)
        return
    if exchange and _exchange(staging, target):
        shutil.rmtree(staging)  # it now holds the old folder
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{staging.name.rsplit('-', 1)[-1]}")
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old)


def open_limited(path: Path, limit: int = MAX_READ_BYTES):
    """``path`` opened for binary reading (``.gz`` decompressed as a stream) that raises InputError once more
    than ``limit`` bytes come out of it: a small gzip file cannot expand into all of memory."""
    path = Path(path)
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")
    return _Limited(raw, path, limit)


class _Limited(io.RawIOBase):
    def __init__(self, raw, path: Path, limit: int):
        self.raw, self.path, self.limit, self.count = raw, path, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        self.count += count or 0
        if self.count > self.limit:
            raise InputError(f"more than {self.limit / 2**30:g} GiB{' once decompressed' if self.path.suffix == '.gz' else ''}"
                             "; this is the largest file percee reads (split it, or check that it is the right file)",
                             path=self.path)
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


def read_limited(path: Path, limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of ``path`` (``.gz`` decompressed), at most ``limit`` of them (InputError past it)."""
    with open_limited(path, limit) as handle:
        return handle.read()


def copy_limited(source: Path, destination: Path, limit: int = MAX_READ_BYTES) -> None:
    """Copy ``source`` (``.gz`` decompressed) to ``destination`` as a stream, at most ``limit`` bytes."""
    with open_limited(source, limit) as handle, open(destination, "wb") as out:
        shutil.copyfileobj(handle, out, 1 << 20)


def dumps_jsonl(rows: list[dict]) -> str:
    """Serialise rows as JSONL with stable key order as given and UTF-8 text kept readable."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads_line(text: str, path: Path, line: int):
    """One JSON value from one line, or InputError naming the file and line: bad JSON, an integer of more than
    4,300 digits, nesting too deep, or an escaped lone surrogate (``\\ud800``: not text, cannot be written)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON ({exc.msg}); each line must be one JSON object", path=path, line=line) from None
    except ValueError as exc:  # an integer past Python's 4,300-digit limit
        raise InputError(f"bad JSON ({str(exc).split(';')[0]}); numbers must be of ordinary size", path=path,
                         line=line) from None
    except RecursionError:
        raise InputError("bad JSON (nested too deep); each line must be one flat JSON object", path=path,
                         line=line) from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError("a string holds a lone surrogate escape such as \\ud800, which is not text; fix the "
                             "encoding of the file", path=path, line=line) from None
    return value


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
                obj = loads_line(text, path, number)
                if not isinstance(obj, dict):
                    raise InputError("each line must be a JSON object", path=path, line=number)
                yield number, obj
    except (OSError, EOFError, zlib.error) as exc:
        if isinstance(exc, FileNotFoundError):
            raise InputError("file not found", path=path) from None
        raise InputError(f"cannot read the file ({exc}); is it a valid {'gzip ' if opener is gzip.open else ''}file?",
                         path=path) from None
