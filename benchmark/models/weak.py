"""The builder's weak labeller (cue-lexicon labelling functions) used as a classifier."""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from benchmark.data.lexicon import lexicon_for
from benchmark.data.weak import weak_label
from benchmark.labels import get_task
from benchmark.models.inputs import langs, texts


class WeakLabeller(ClassifierMixin, BaseEstimator):
    """Vote with the lexicon of each statement's language and map the vote to the task's labels.

    Where the labelling functions abstain, conflict, or vote a label outside the task (``no_claim`` for
    ``stance``), the most frequent training label is predicted. Needs ``X`` with ``text`` and ``lang``.

    Parameters
    ----------
    task: the task whose labels are predicted (``claim``, ``stance`` or ``claim_stance``).
    """

    def __init__(self, task="claim_stance"):
        self.task = task

    def fit(self, X, y):
        labels, counts = np.unique(np.asarray(y, dtype=str), return_counts=True)
        self.classes_ = labels
        self.fallback_ = labels[np.argmax(counts)]
        return self

    def predict(self, X):
        check_is_fitted(self)
        task = get_task(self.task)
        known = set(self.classes_.tolist())
        predicted = []
        for text, lang in zip(texts(X), langs(X)):
            vote = weak_label(text, lexicon_for(lang)).label
            target = task.target(vote) if vote else None
            predicted.append(target if target in known else self.fallback_)
        return np.asarray(predicted, dtype=self.classes_.dtype)
