"""Submit every baseline of the suite with `percee submit` semantics and rebuild the leaderboard.

For each baseline of ``configs/experiment/baselines.yaml`` (task × model, seed as the preset says): run it on the
built dataset, write its test and contrast predictions, submit them to ``experiments/submissions/baseline-<model>-
<task>/`` (replacing the previous baseline submission), then build ``experiments/leaderboard/``. The parameter
count is the number of fitted numeric weights (coefficients, intercepts, log-probabilities) of the classifier.

Usage: python scripts/publish_baselines.py --created 2026-11-27
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from omegaconf import OmegaConf

from benchmark.experiment import prediction_rows, run_experiment
from benchmark.fileio import dumps_jsonl
from benchmark.leaderboard.build import build_leaderboard
from benchmark.leaderboard.render import write_leaderboard
from benchmark.run import compose
from benchmark.submissions import submit
from benchmark.verify import baseline_overrides

NAMES = {
    "majority": "Majority class",
    "weak": "Weak labeller (cue lexicons)",
    "tfidf_lr": "TF-IDF word n-grams + logistic regression",
    "char_svm": "TF-IDF character n-grams + linear SVM",
    "cnb": "TF-IDF word n-grams + complement naive Bayes",
    "weak_lm": "Label model over the cue-lexicon labelling functions",
    "e5_lr": "multilingual-e5-small embeddings + logistic regression",
    "use_lr": "Universal Sentence Encoder multilingual embeddings + logistic regression",
    "embed_lex_lr": "Sentence embeddings + labelling-function votes + logistic regression",
}
WEIGHTS = ("coef_", "intercept_", "feature_log_prob_", "class_log_prior_")


def parameter_count(estimator) -> int:
    """Fitted numeric weights of the estimator and of any estimator inside it (pipelines included)."""
    seen, stack, total = set(), [estimator], 0
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sum(np.asarray(getattr(item, name)).size for name in WEIGHTS if hasattr(item, name))
        stack += [value for value in vars(item).values() if hasattr(value, "get_params")]
        stack += [step for _, step in getattr(item, "steps", [])]
    return int(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--created", required=True, help="the submissions' date (ISO), for reproducible files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for overrides in baseline_overrides():
            choice = dict(o.split("=", 1) for o in overrides)
            resolved = OmegaConf.to_container(compose(overrides), resolve=True)
            result = run_experiment(resolved, choice["model"])
            files = {}
            for split in ("test", "contrast"):
                files[split] = Path(tmp) / f"{choice['model']}-{choice['task']}-{split}.jsonl"
                files[split].write_text(dumps_jsonl(prediction_rows(result, split)), encoding="utf-8")
            metadata = {"name": f"{NAMES[choice['model']]} ({choice['task']})",
                        "slug": f"baseline-{choice['model'].replace('_', '-')}-{choice['task'].replace('_', '-')}",
                        "authors": ["PERCÉE maintainers"], "contact_or_url": "experiments/baselines.lock.json",
                        "description": f"`percee run {' '.join(overrides)}`; hyperparameters chosen on validation",
                        "tasks": [choice["task"]], "config": "default",
                        "training_data": f"percee default train ({result.data['train_on']}, chosen on validation)",
                        "parameter_count": parameter_count(result.estimator), "created": args.created,
                        "baseline": True}
            folder = submit(files["test"], metadata, replace_existing=True, contrast=files["contrast"])
            print(f"submitted {folder.name}: test {result.reports['test']['headline']['name']} "
                  f"{result.reports['test']['headline']['value']:.4f}")
    print("leaderboard ->", write_leaderboard(build_leaderboard(generated=args.created)))


if __name__ == "__main__":
    main()
