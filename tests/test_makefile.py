"""The Makefile: `make test` requires (or installs) chromium before the whole suite, which shows skip reasons."""
import os
import shutil
import subprocess

import pytest

from benchmark.paths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str) -> list[str]:
    # Run as a top-level make even when the suite itself runs under `make test` (no "make[1]: ..." lines).
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "-n", "--no-print-directory", "-o", ".venv/bin/percee", "-o",
                           "datasets/percee/MANIFEST.json", target], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_make_test_requires_chromium_then_runs_every_test_with_skip_reasons():
    lines = _dry_run("test")
    chromium = next(i for i, line in enumerate(lines) if line.startswith("command -v chromium"))
    pytest_line = next(i for i, line in enumerate(lines) if " -m pytest " in line)
    assert chromium < pytest_line and "apt-get install -y -qq chromium" in "\n".join(lines[chromium:pytest_line])
    assert "exit 2" in "\n".join(lines[chromium:pytest_line])
    assert lines[pytest_line].endswith('-m pytest -m "" -q -rs')


def test_make_test_fast_needs_no_browser():
    lines = _dry_run("test-fast")
    assert not any("chromium" in line for line in lines) and lines[-1].endswith("-m pytest -q -rs")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_make_chromium_is_quiet_when_chromium_is_there():
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "-s", "--no-print-directory", "chromium"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=env)
    assert done.returncode == 0 and done.stdout == ""
