"""Threat: a process killed (or a disk that fills) in the middle of replacing a folder. Every replace of the
dataset, a submission or the leaderboard leaves the old or the new folder in place at every instant; what an
interrupted replace leaves beside it is recovered or removed at the next start; written files are readable."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from benchmark.fileio import recover_children, recover_dir, replace_dir, staging_dir, write_atomic


def version(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "version.txt").write_text(text)
    (folder / "payload.bin").write_bytes(os.urandom(1 << 16))
    return folder


def killed_while_replacing(target: Path, kill_before: str, exchange: bool) -> None:
    """Replace ``target`` in a child process that SIGKILLs itself just before the ``kill_before`` step
    (``rmtree``: after the swap; ``second rename``: between the two renames of the fallback)."""
    script = textwrap.dedent(f"""
        import os, shutil, signal
        from pathlib import Path
        from benchmark import fileio
        target = Path({str(target)!r})
        staging = fileio.staging_dir(target)
        (staging / "version.txt").write_text("new")
        if {kill_before!r} == "rmtree":
            shutil.rmtree = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        else:
            rename, calls = os.rename, []
            def second_kills(a, b):
                calls.append(a)
                if len(calls) == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
                rename(a, b)
            os.rename = second_kills
        fileio.replace_dir(staging, target, exchange={exchange})
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_reader_sees_the_old_or_the_new_folder_at_every_instant(tmp_path, exchange):
    target = version(tmp_path / "percee", "0")
    stop, missing = threading.Event(), []

    def watch():
        while not stop.is_set():
            if not (target / "version.txt").exists():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for number in range(1, 60):
            replace_dir(version(staging_dir(target), str(number)), target, exchange=exchange)
    finally:
        stop.set()
        watcher.join()
    assert (target / "version.txt").read_text() == "59"
    if exchange:  # one atomic swap: never missing; the fallback can be, and recovery covers it (below)
        assert not missing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["percee"]


def test_killed_after_the_swap_leaves_the_new_folder_and_the_next_start_cleans_up(tmp_path):
    target = version(tmp_path / "percee", "old")
    killed_while_replacing(target, "rmtree", exchange=True)
    assert (target / "version.txt").read_text() == "new"
    assert len(list(tmp_path.iterdir())) == 2  # the old folder, swapped out, not yet removed
    recover_dir(target)
    assert [p.name for p in tmp_path.iterdir()] == ["percee"]


def test_killed_between_the_two_renames_the_next_start_puts_the_old_folder_back(tmp_path):
    target = version(tmp_path / "percee", "old")
    killed_while_replacing(target, "second rename", exchange=False)
    assert not target.exists()
    recover_dir(target)
    assert (target / "version.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["percee"]


def test_a_killed_submission_replace_is_recovered_before_the_leaderboard_reads(tmp_path):
    root = tmp_path / "submissions"
    target = version(root / "my-model", "old")
    killed_while_replacing(target, "second rename", exchange=False)
    assert not target.exists()
    recover_children(root)  # what read_submissions does first
    assert (target / "version.txt").read_text() == "old"


def test_leftovers_of_earlier_versions_are_removed_and_a_live_process_keeps_its_staging(tmp_path):
    target = version(tmp_path / "percee", "current")
    for name in (".percee.build-abc123", ".percee.old", ".percee.k2j4h5g6"):  # what killed builds left before
        version(tmp_path / name, "half")
    live = tmp_path / f".percee.staging-{os.getppid()}-live"  # another process still writing
    version(live, "in progress")
    recover_dir(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["percee", live.name])
    assert (target / "version.txt").read_text() == "current"


def test_a_killed_build_leaves_the_previous_dataset_and_the_next_build_removes_its_staging(tmp_path):
    target = version(tmp_path / "percee", "previous")
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from benchmark import fileio
        staging = fileio.staging_dir(Path({str(tmp_path / 'percee')!r}))
        (staging / "half").write_text("half-written")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    assert subprocess.run([sys.executable, "-c", script]).returncode == -signal.SIGKILL
    assert len(list(tmp_path.iterdir())) == 2
    replace_dir(version(staging_dir(target), "next"), target)
    assert [p.name for p in tmp_path.iterdir()] == ["percee"]


def test_written_folders_and_files_are_readable_by_other_users(tmp_path):
    target = tmp_path / "percee"
    staging = staging_dir(target)
    write_atomic(staging / "MANIFEST.json", "{}")
    replace_dir(staging, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "MANIFEST.json").stat().st_mode) == 0o644


def test_the_built_dataset_is_readable_by_other_users(built):
    assert stat.S_IMODE(built.stat().st_mode) & 0o055 == 0o055
    for path in built.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path
