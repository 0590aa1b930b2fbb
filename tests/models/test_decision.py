"""Class weights chosen on validation move the decision away from the majority class, and the re-weighted
classifier applies exactly them."""
import numpy as np
import pandas as pd
from sklearn.base import clone

from benchmark.labels import get_task
from benchmark.models.decision import ReweightedClassifier, choose_weights
from benchmark.models.text import WordTfidfLogisticRegression
from benchmark.scoring.report import score_arrays

TASK = get_task("claim_stance")


def test_weights_recover_a_rule_that_separates_the_minority_classes():
    # the claims score higher on their own label than other statements do, but never above no_claim
    scores = np.array([[0.30, 0.05, 0.65], [0.28, 0.02, 0.70], [0.05, 0.25, 0.70], [0.02, 0.20, 0.78],
                       [0.05, 0.05, 0.90], [0.10, 0.02, 0.88], [0.02, 0.10, 0.88]])
    y = ["expects_breakthrough", "expects_breakthrough", "expects_none", "expects_none", "no_claim", "no_claim",
         "no_claim"]
    assert score_arrays(TASK, y, np.asarray(TASK.labels)[scores.argmax(1)])["headline"]["value"] == 0.0
    weights, value = choose_weights(TASK, scores, y)
    assert value == 1.0
    predicted = np.asarray(TASK.labels)[(scores * weights).argmax(1)]
    assert predicted.tolist() == y
    assert weights[-1] == 1.0


def test_weights_stay_at_one_when_the_argmax_is_already_best():
    scores = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    weights, value = choose_weights(TASK, scores, list(TASK.labels))
    np.testing.assert_array_equal(weights, [1.0, 1.0, 1.0])
    assert value == 1.0


def test_reweighted_classifier_predicts_the_argmax_of_the_weighted_scores(xy):
    X, y = xy
    inner = WordTfidfLogisticRegression(C=10.0).fit(X, y)
    model = ReweightedClassifier(inner, list(TASK.labels), [1.0, 1.0, 30.0]).fit(X, y)
    proba = inner.predict_proba(X) * np.array([1.0, 1.0, 30.0])
    assert model.predict(X).tolist() == np.asarray(TASK.labels)[proba.argmax(1)].tolist()
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)
    assert clone(model).get_params()["weights"] == [1.0, 1.0, 30.0]
    assert (model.predict(pd.DataFrame(X)) == "no_claim").mean() > 0.5
