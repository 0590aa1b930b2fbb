"""Submit every baseline of the suite with `percee submit` semantics and rebuild the leaderboard.

For each baseline of ``configs/experiment/baselines.yaml`` (task × model, seed as the preset says): run it on the
built dataset, write its test and contrast predictions, submit them to ``experiments/submissions/baseline-<model>-
<task>/`` (replacing the previous baseline submission only when its predictions or metadata changed: an unchanged
baseline keeps its files, date and commit), then build ``experiments/leaderboard/``. The parameter
count is :func:`benchmark.experiment.parameter_count` (the classifier's trained weights), as runs record it.

Usage: python scripts/publish_baselines.py --created 2026-11-27
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from omegaconf import OmegaConf

from benchmark.experiment import parameter_count, prediction_rows, run_experiment
from benchmark.fileio import dumps_jsonl
from benchmark.leaderboard.build import build_leaderboard
from benchmark.leaderboard.render import write_leaderboard
from benchmark.run import compose
from benchmark.paths import SUBMISSIONS
from benchmark.submissions import CONTRAST_FILE, PREDICTIONS_FILE, SUBMISSION_FILE, latest_date, submit
from benchmark.verify import baseline_overrides, baseline_slug

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


#: Fields that change on every publication without the baseline changing.
VOLATILE = ("created", "git_commit")


def unchanged(slug: str, files: dict, metadata: dict, root: Path = SUBMISSIONS) -> bool:
    """Whether ``<root>/<slug>/`` already holds these predictions (``files``: test and contrast) and this metadata
    (its ``VOLATILE`` fields aside)."""
    folder = root / slug
    try:
        stored = json.loads((folder / SUBMISSION_FILE).read_text(encoding="utf-8"))
        same_files = all((folder / name).read_bytes() == files[split].read_bytes()
                         for split, name in (("test", PREDICTIONS_FILE), ("contrast", CONTRAST_FILE)))
    except (OSError, ValueError):
        return False
    return same_files and all(stored.get(key) == value for key, value in metadata.items() if key not in VOLATILE)


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
                        "slug": baseline_slug(f"task={choice['task']} model={choice['model']}"),
                        "authors": ["PERCÉE maintainers"], "contact_or_url": "experiments/baselines.lock.json",
                        "description": f"`percee run {' '.join(overrides)}`; hyperparameters chosen on validation",
                        "tasks": [choice["task"]], "config": "default",
                        "training_data": f"percee default train ({result.data['train_on']}, chosen on validation)",
                        "parameter_count": parameter_count(result.estimator), "created": args.created,
                        "baseline": True}
            if unchanged(metadata["slug"], files, metadata):
                print(f"unchanged {metadata['slug']}: left as it is")
                continue
            folder = submit(files["test"], metadata, replace_existing=True, contrast=files["contrast"])
            print(f"submitted {folder.name}: test {result.reports['test']['headline']['name']} "
                  f"{result.reports['test']['headline']['value']:.4f}")
    print("leaderboard ->", write_leaderboard(build_leaderboard(generated=latest_date())))


if __name__ == "__main__":
    main()
