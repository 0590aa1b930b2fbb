"""Threat: a small ``.gz`` predictions file that expands to gigabytes (the red team's 17 MB became 4 GB and a
MemoryError). score, submit and leaderboard read it as a stream and stop with exit 2 past a stated limit."""
from __future__ import annotations

import gzip
import tracemalloc

import pytest

from benchmark.cli import main
from benchmark.errors import InputError
from benchmark.fileio import copy_limited, read_limited

LIMIT = 1 << 20


@pytest.fixture
def bomb(tmp_path):
    """64 MB of zeros in a 64 KB gzip file."""
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        for _ in range(64):
            handle.write(b"\0" * (1 << 20))
    return path


def test_reading_stops_past_the_limit_without_decompressing_it_all(bomb, tmp_path):
    tracemalloc.start()
    with pytest.raises(InputError, match="once decompressed"):
        read_limited(bomb, LIMIT)
    with pytest.raises(InputError, match="largest file percee reads"):
        copy_limited(bomb, tmp_path / "copy", LIMIT)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 * LIMIT


def test_score_and_submit_stop_with_exit_2(bomb, built, tmp_path, monkeypatch, capsys):
    import benchmark.fileio

    monkeypatch.setattr(benchmark.fileio, "MAX_READ_BYTES", LIMIT)  # the stated limit (2 GiB), made small
    monkeypatch.setattr(benchmark.fileio.read_limited, "__defaults__", (LIMIT,))
    monkeypatch.setattr(benchmark.fileio.copy_limited, "__defaults__", (LIMIT,))
    assert main(["score", "--predictions", str(bomb), "--dataset", str(built)]) == 2
    assert main(["submit", "--predictions", str(bomb), "--name", "bomb", "--author", "x", "--task", "claim_stance",
                 "--submissions", str(tmp_path / "subs"), "--dataset", str(built)]) == 2
    err = capsys.readouterr().err
    assert err.count("GiB once decompressed") == 2 and "Traceback" not in err
    assert not (tmp_path / "subs").exists()
