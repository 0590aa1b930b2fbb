"""Training sets (gold, gold+weak, gold+weighted) and their choice on validation; the re-weighted decision rule
is chosen on validation only."""
import numpy as np
import pandas as pd
import pytest

from benchmark.errors import InputError
from benchmark.experiment import AUTO, TRAIN_ON, select, train_options, training_set
from benchmark.labels import get_task

TRAIN = pd.DataFrame({
    "text": ["a deal is expected", "no deal expected", "they met", "the talks will succeed", "talks ended"],
    "lang": ["en"] * 5,
    "label_source": ["gold", "gold", "gold", "weak", "weak"],
    "y": ["expects_breakthrough", "expects_none", "no_claim", "expects_breakthrough", "no_claim"],
    "weak_probs": [[1 / 3] * 3, [1 / 3] * 3, [1 / 3] * 3, [0.6, 0.395, 0.005], [0.1, 0.1, 0.8]],
})


def test_gold_and_gold_plus_weak_pick_rows_without_weights():
    task = get_task("claim_stance")
    X, y, weight = training_set(task, TRAIN, "gold")
    assert len(X) == 3 and weight is None and list(X.columns) == ["text", "lang"]
    X, y, weight = training_set(task, TRAIN, "gold+weak")
    assert len(X) == 5 and weight is None


def test_gold_plus_weighted_expands_weak_rows_by_the_label_models_probabilities():
    X, y, weight = training_set(get_task("claim_stance"), TRAIN, "gold+weighted")
    weak = X["text"] == "the talks will succeed"
    assert sorted(zip(y[weak], weight[weak])) == [("expects_breakthrough", 0.6), ("expects_none", 0.395)]
    assert weight[:3].tolist() == [1.0, 1.0, 1.0]
    X, y, weight = training_set(get_task("claim"), TRAIN, "gold+weighted")
    weak = X["text"] == "the talks will succeed"
    assert sorted(zip(y[weak], np.round(weight[weak], 6))) == [("claim", 0.995)]


def test_auto_chooses_among_the_models_training_sets():
    assert train_options({}, {"train_on": AUTO}) == list(TRAIN_ON)
    assert train_options({"train_on": ["gold"]}, {"train_on": AUTO}) == ["gold"]
    assert train_options({"train_on": ["gold"]}, {"train_on": "gold+weak"}) == ["gold+weak"]
    with pytest.raises(InputError, match="train_on"):
        train_options({"train_on": ["silver"]}, {"train_on": AUTO})


def test_the_decision_rule_is_chosen_on_validation_and_never_sees_test(built):
    from omegaconf import OmegaConf

    from benchmark.experiment import task_frames
    from benchmark.run import compose

    config = OmegaConf.to_container(compose(["model=tfidf_lr", "model.grid.C=[1.0]", "data.train_on=gold"]),
                                    resolve=True)
    task = get_task("claim_stance")
    frames, _ = task_frames(task, config["data"])
    frames = {split: frames[split] for split in ("train", "validation")}
    estimator, params, selection, _ = select(task, config["model"], frames, config["data"])
    assert params["train_on"] == "gold" and set(params["class_weights"]) == set(task.labels)
    assert list(estimator.weights) == [params["class_weights"][label] for label in task.labels]
    plain = estimator.estimator.predict(frames["validation"][["text", "lang"]])
    from benchmark.scoring.report import score_arrays

    before = score_arrays(task, frames["validation"]["y"].to_numpy(), plain)["headline"]["value"]
    assert selection[0]["validation_headline"] >= before


class NoWeights:
    """A researcher's model whose fit takes no sample_weight."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.asarray([self.classes_[0]] * len(X))


def test_a_model_without_sample_weight_skips_the_weighted_training_set_under_auto(monkeypatch):
    import benchmark.experiment as experiment

    monkeypatch.setattr(experiment, "build_estimator", lambda model, **params: NoWeights())
    train = TRAIN.assign(id=range(5))
    frames = {"train": train, "validation": train[train["label_source"] == "gold"]}
    task = get_task("claim_stance")
    _, _, selection, _ = select(task, {"_target_": "x"}, frames, {"train_on": AUTO})
    assert [entry["params"]["train_on"] for entry in selection] == ["gold", "gold+weak"]
    with pytest.raises(InputError, match="sample_weight"):
        select(task, {"_target_": "x"}, frames, {"train_on": "gold+weighted"})
