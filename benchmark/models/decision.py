"""The decision rule of a probabilistic classifier, chosen on validation for the task's headline.

A classifier trained on imbalanced data (nine in ten statements are ``no_claim``) puts its argmax on the
majority class. Re-weighting its class probabilities (``argmax_k w_k p_k``, equivalently a threshold per class
on the log-odds, or new class priors) trades the majority class's recall for the claim labels' F1.
:func:`choose_weights` searches the weights on a log grid for the best validation headline;
:class:`ReweightedClassifier` applies them to a fitted model.
"""
from __future__ import annotations

import itertools

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from benchmark.labels import Task

#: Log-weights tried for every class but the last (whose weight is 1): e^-3 ... e^5.
LOG_WEIGHTS = np.round(np.linspace(-3.0, 5.0, 33), 6)
EPSILON = 1e-12


def choose_weights(task: Task, scores: np.ndarray, y_true, log_weights=LOG_WEIGHTS) -> tuple[np.ndarray, float]:
    """The class weights (in ``task.labels`` order) maximising the headline of ``argmax(w * scores)`` on
    ``(scores, y_true)``, and that headline. Ties go to the weights closest to 1 (then the first in grid order).
    """
    from benchmark.scoring.metrics import metric_batch

    K = len(task.labels)
    truth = np.asarray([task.labels.index(label) for label in y_true])
    logs = np.log(np.clip(np.asarray(scores, dtype=np.float64), EPSILON, None))
    combos = np.asarray([(*c, 0.0) for c in itertools.product(log_weights, repeat=K - 1)])
    predicted = np.argmax(logs[None, :, :] + combos[:, None, :], axis=2)
    cells = truth[None, :] * K + predicted
    cms = np.stack([np.bincount(row, minlength=K * K) for row in cells]).reshape(-1, K, K)
    values = metric_batch(task, cms)
    best = np.flatnonzero(values >= values.max() - 1e-12)
    chosen = best[np.argmin(np.abs(combos[best]).sum(axis=1))]  # argmin: the first on ties
    return np.exp(combos[chosen]), float(values[chosen])


class ReweightedClassifier(ClassifierMixin, BaseEstimator):
    """A classifier whose class scores are multiplied by ``weights`` before the argmax.

    Parameters
    ----------
    estimator: a classifier with ``predict_proba`` or ``decision_function`` (softmax-ed) and ``classes_``.
    labels: the label order of ``weights`` (the task's labels).
    weights: one positive weight per label (1 everywhere: the estimator's own rule).
    """

    def __init__(self, estimator=None, labels=(), weights=()):
        self.estimator = estimator
        self.labels = labels
        self.weights = weights

    def fit(self, X, y, sample_weight=None):
        """Fit the wrapped estimator (the weights stay as given)."""
        if sample_weight is None:
            self.estimator.fit(X, y)
        else:
            self.estimator.fit(X, y, sample_weight=sample_weight)
        self.classes_ = np.asarray(self.labels)
        return self

    def _scores(self, X) -> np.ndarray:
        from benchmark.experiment import class_scores

        scores, _ = class_scores(self.estimator, X, tuple(self.labels))
        return scores * np.asarray(self.weights)[None, :]

    def predict_proba(self, X):
        """The re-weighted scores, normalised to sum to 1 (their argmax is the prediction)."""
        check_is_fitted(self)
        scores = self._scores(X)
        return scores / np.clip(scores.sum(axis=1, keepdims=True), EPSILON, None)

    def predict(self, X):
        check_is_fitted(self)
        return self.classes_[np.argmax(self._scores(X), axis=1)]
