"""`percee verify`: baselines re-run against the lock; a perturbed lock is caught as drift."""
import json

import pytest

from benchmark import verify as verify_module
from benchmark.cli import main

FAST = [["task=claim_stance", "model=majority", "seed=0", "tracking=off"],
        ["task=stance", "model=weak", "seed=0", "tracking=off"]]


@pytest.fixture
def two_baselines(monkeypatch, built):
    """Restrict the suite to two quick baselines (the real experiment code runs them on the real dataset)."""
    monkeypatch.setattr(verify_module, "baseline_overrides", lambda: FAST)


def test_update_then_verify_holds_and_a_perturbed_lock_drifts(two_baselines, tmp_path, capsys):
    lock = tmp_path / "lock.json"
    assert main(["verify", "--lock", str(lock), "--update"]) == 0
    assert main(["verify", "--lock", str(lock)]) == 0
    assert "all baselines hold" in capsys.readouterr().out
    data = json.loads(lock.read_text())
    assert [entry["name"] for entry in data["baselines"]] == ["task=claim_stance model=majority",
                                                             "task=stance model=weak"]
    data["baselines"][1]["scores"]["test"]["macro_f1"] += 0.01
    lock.write_text(json.dumps(data))
    assert main(["verify", "--lock", str(lock)]) == 1
    out = capsys.readouterr().out
    assert "DRIFT" in out and "+" in out.split("task=stance model=weak")[-1]


def test_a_changed_dataset_digest_is_drift(two_baselines, tmp_path):
    lock = tmp_path / "lock.json"
    main(["verify", "--lock", str(lock), "--update"])
    data = json.loads(lock.read_text())
    data["baselines"][0]["dataset_digest"] = "0" * 64
    lock.write_text(json.dumps(data))
    assert main(["verify", "--lock", str(lock)]) == 1


def test_missing_or_broken_lock_exits_2(two_baselines, tmp_path, capsys):
    assert main(["verify", "--lock", str(tmp_path / "absent.json")]) == 2
    (tmp_path / "bad.json").write_text("{not json")
    assert main(["verify", "--lock", str(tmp_path / "bad.json")]) == 2
    assert "bad JSON" in capsys.readouterr().err


def test_a_lock_cannot_widen_the_tolerance(two_baselines, tmp_path, capsys):
    """Red team: tolerance 1.0 and a fake score of 0.95 (measured 0.302) printed "all baselines hold"."""
    lock = tmp_path / "lock.json"
    main(["verify", "--lock", str(lock), "--update"])
    data = json.loads(lock.read_text())
    data["tolerance"] = 1.0
    data["baselines"][1]["scores"]["test"]["macro_f1"] = 0.95
    lock.write_text(json.dumps(data))
    assert main(["verify", "--lock", str(lock)]) == 1
    out = capsys.readouterr().out
    assert "DRIFT" in out and "tolerance 1e-09" in out and "the lock says tolerance 1.0" in out


def test_a_lock_without_tolerance_is_checked_with_the_constant(two_baselines, tmp_path, capsys):
    lock = tmp_path / "lock.json"
    main(["verify", "--lock", str(lock), "--update"])
    data = json.loads(lock.read_text())
    del data["tolerance"]
    lock.write_text(json.dumps(data))
    assert main(["verify", "--lock", str(lock)]) == 0
    assert "all baselines hold" in capsys.readouterr().out


@pytest.mark.parametrize("entry", [{"name": "task=claim model=majority"}, "x",
                                   {"name": "n", "dataset_digest": "d", "scores": {"test": {"f1": "high"}}}])
def test_a_malformed_lock_entry_exits_2_before_any_baseline_runs(monkeypatch, tmp_path, entry, capsys):
    monkeypatch.setattr(verify_module, "measure", lambda overrides: pytest.fail("a baseline ran"))
    lock = tmp_path / "lock.json"
    lock.write_text(json.dumps({"version": 1, "baselines": [entry]}))
    assert main(["verify", "--lock", str(lock)]) == 2
    assert "baseline 1 of the lock" in capsys.readouterr().err


def test_a_changed_digest_is_named_as_the_cause_before_the_rows(two_baselines, tmp_path, capsys):
    lock = tmp_path / "lock.json"
    main(["verify", "--lock", str(lock), "--update"])
    data = json.loads(lock.read_text())
    for entry in data["baselines"]:
        entry["dataset_digest"] = "0" * 64
    lock.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["verify", "--lock", str(lock)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("CAUSE: the dataset changed") and "0000000000000000..." in first
    assert "make baselines" in first
