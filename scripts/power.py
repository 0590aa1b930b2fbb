"""Statistical power: what each test split can tell, for the best baseline.

Runs the best trained baseline of the lock (highest claim_stance VALIDATION F_avg: chosen without any test
split) on every configuration with a claim_stance test split, and prints per configuration and language the
count of each class and the 95% interval half-width of F_avg (the scorer's seeded bootstrap). Goals of the
data issue: overall half-width at most 0.05, per language at most 0.10.

Usage: .venv/bin/python scripts/power.py   (after `percee build` and `percee verify --update`)
"""
from __future__ import annotations

import json
from collections import Counter

from omegaconf import OmegaConf

from benchmark.experiment import run_experiment
from benchmark.labels import LABELS
from benchmark.paths import BASELINES_LOCK
from benchmark.run import compose

CONFIGS = ("default", "temporal", "xling_fr", "xling_ru", "translated_fr", "translated_ru")
DATA = {"default": "in_language"}
REFERENCES = ("majority", "weak", "weak_lm")


def best_model() -> str:
    lock = json.loads(BASELINES_LOCK.read_text(encoding="utf-8"))
    entries = [e for e in lock["baselines"] if "task=claim_stance" in e["overrides"]
               and not any(o == f"model={m}" for o in e["overrides"] for m in REFERENCES)]
    best = max(entries, key=lambda e: e["scores"]["validation"]["f_avg"])
    return next(o.split("=", 1)[1] for o in best["overrides"] if o.startswith("model="))


def half(entry: dict) -> float:
    return (entry["ci_high"] - entry["ci_low"]) / 2


def main() -> None:
    model = best_model()
    print(f"best trained baseline (claim_stance validation F_avg): {model}\n")
    print("| configuration | lang | expects_breakthrough | expects_none | no_claim | F_avg | 95% half-width |")
    print("|---|---|---|---|---|---|---|")
    for name in CONFIGS:
        config = OmegaConf.to_container(compose([f"model={model}", "task=claim_stance", f"data={DATA.get(name, name)}",
                                                 "tracking=off", "seed=0"]), resolve=True)
        result = run_experiment(config, model)
        frame, report = result.frames["test"], result.reports["test"]
        for lang in ["all", *sorted(set(frame["lang"]))]:
            rows = frame if lang == "all" else frame[frame["lang"] == lang]
            counts = Counter(rows["y"])
            entry = report["headline"] if lang == "all" else report["by_lang"][lang]
            print(f"| {name} | {lang} | " + " | ".join(str(counts.get(label, 0)) for label in LABELS)
                  + f" | {entry['value']:.3f} | {half(entry):.3f} |", flush=True)


if __name__ == "__main__":
    main()
