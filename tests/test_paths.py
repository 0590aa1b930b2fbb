"""Where things live: run outputs and the MLflow store in the working directory (or $PERCEE_HOME), configs from
the checkout or the installed package, the dataset from the project or $PERCEE_DATA; and an installed wheel
runs, predicts and scores from an empty folder."""
import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from benchmark.paths import BUILT, ROOT

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "MLFLOW_DISABLE_TELEMETRY": "true"}
for name in ("PERCEE_HOME", "PERCEE_DATA", "MLFLOW_TRACKING_URI"):
    ENV.pop(name, None)
SHOW = "import json, benchmark.paths as p; print(json.dumps({k: str(getattr(p, k)) for k in " \
       "('ROOT', 'CONFIGS', 'BUILT', 'RUNS', 'SUBMISSIONS')}))"


def paths_from(cwd: Path, **env) -> dict:
    done = subprocess.run([sys.executable, "-c", SHOW], cwd=cwd, env={**ENV, **env}, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_outside_a_checkout_runs_go_to_the_working_directory_and_the_configs_stay_the_checkouts(tmp_path):
    found = paths_from(tmp_path)
    assert found["RUNS"] == str(tmp_path.resolve() / ".percee")
    assert found["CONFIGS"] == str(ROOT / "configs") and found["ROOT"] == str(ROOT)


def test_percee_home_and_percee_data_name_the_run_folder_and_the_dataset(tmp_path):
    found = paths_from(tmp_path, PERCEE_HOME=str(tmp_path / "home"), PERCEE_DATA=str(tmp_path / "data"))
    assert (found["RUNS"], found["BUILT"]) == (str(tmp_path / "home"), str(tmp_path / "data"))


def test_a_copy_of_the_repository_uses_its_own_folders_not_the_original_checkouts(tmp_path):
    copy = tmp_path / "copy"
    (copy / "configs").mkdir(parents=True)
    (copy / "benchmark").mkdir()
    (copy / "configs" / "config.yaml").write_text("defaults: []\n")
    found = paths_from(copy)
    assert found["ROOT"] == str(copy.resolve())
    assert all(found[key].startswith(str(copy.resolve())) for key in ("CONFIGS", "BUILT", "RUNS", "SUBMISSIONS"))


def test_percee_run_says_where_its_configs_dataset_and_runs_are_first(tmp_path):
    done = subprocess.run([str(Path(sys.executable).with_name("percee")), "run", "tracking=off", "data.path=/none"],
                          cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=300)
    first = done.stdout.splitlines()[:3]
    assert first[0].startswith("configs: ") and first[1].startswith("dataset: ")
    assert first[2].startswith(f"runs and MLflow store: {tmp_path.resolve() / '.percee'}")
    assert done.returncode == 2 and "no built dataset here" in done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A wheel of this checkout installed into a fresh virtual environment; its dependencies are the project
    environment's (a .pth line: the environment's own packages come first)."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder / "dist"), str(ROOT)],
                   check=True, capture_output=True, env=ENV, timeout=300)
    (wheel,) = (folder / "dist").glob("percee-*.whl")
    env = folder / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--force-reinstall", "-q", str(wheel)], check=True, capture_output=True, env=ENV, timeout=300)
    return env


@pytest.mark.slow
def test_an_installed_wheel_runs_predicts_and_scores_from_an_empty_folder(installed, built, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    env = {**ENV, "PERCEE_DATA": str(built)}
    percee = str(installed / "bin" / "percee")

    def call(*args):
        done = subprocess.run([percee, *args], cwd=work, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done.stdout

    out = call("run", "task=claim", "model=majority")
    package = subprocess.run([str(installed / "bin" / "python"), "-c", "import benchmark; print(benchmark.__file__)"],
                             cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    assert str(installed) in package  # the wheel's copy, not the checkout
    assert f"configs: {Path(package).parent / 'configs'} (installed package)" in out
    assert f"dataset: {built} ($PERCEE_DATA" in out and f"{work.resolve() / '.percee'} (working directory" in out
    run_id = re.search(r"MLflow run (\w+) in sqlite:///" + re.escape(str(work.resolve())), out).group(1)
    (test_file,) = (work / ".percee" / "outputs").glob("*/*/predictions_test.jsonl")

    statements = work / "statements.jsonl"
    statements.write_text(json.dumps({"id": "s1", "text": "Diplomats expect no agreement.", "lang": "en"}) + "\n")
    assert "1 predictions" in call("predict", "--model", f"runs:/{run_id}/model", "--input", str(statements),
                                   "--output", str(work / "predictions.jsonl"))
    assert "f1_claim" in call("score", "--task", "claim", "--predictions", str(test_file))
    assert not list(Path(package).parent.glob("**/.percee")) and not (Path(package).parent.parent / ".percee").exists()
