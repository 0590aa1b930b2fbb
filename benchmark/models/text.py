"""Bag-of-n-grams baselines: TF-IDF features of the ``text`` column and a linear classifier."""
from __future__ import annotations

import json

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from benchmark.models.inputs import texts


class CompactTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer`` whose saved state holds the vocabulary as one array: the JSON list of its terms in
    column order, UTF-8 encoded.

    The fitted ``vocabulary_`` is a dict of 10^5 to 10^6 n-grams, which skops writes entry by entry (tens of
    seconds for a logged model, and as long again for MLflow's reload check); one array takes milliseconds.
    Behaviour and predictions are those of ``TfidfVectorizer``; pickle and skops both go through ``__getstate__``.
    """

    def __getstate__(self):
        state = dict(super().__getstate__())  # outside sklearn's modules that is the live __dict__: copy it
        state.pop("_saved_vocabulary", None)
        vocabulary = state.get("vocabulary_")
        terms = self._terms(vocabulary) if isinstance(vocabulary, dict) else None
        if terms is not None:
            del state["vocabulary_"]
            state["vocabulary_terms_"] = terms
        return state

    def _terms(self, vocabulary: dict) -> np.ndarray | None:
        """The saved form of ``vocabulary``, or None when it is not string terms for the columns 0..n-1 (as fit
        makes them). Kept for the vocabulary it was made from: skops asks for the state twice per save."""
        saved = self.__dict__.get("_saved_vocabulary")
        if saved is not None and saved[0] is vocabulary:
            return saved[1]
        terms = None
        if vocabulary and all(type(term) is str for term in vocabulary):
            columns = np.fromiter(vocabulary.values(), np.int64, len(vocabulary))
            if columns.min() >= 0 and (np.bincount(columns) == 1).all():
                ordered = [""] * len(columns)
                for term, column in zip(vocabulary, columns.tolist()):
                    ordered[column] = term
                terms = np.frombuffer(json.dumps(ordered, ensure_ascii=False).encode(), np.uint8)
        self._saved_vocabulary = (vocabulary, terms)
        return terms

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        super().__setstate__(state)
        if terms is not None:
            self.vocabulary_ = {term: column for column, term in enumerate(json.loads(terms.tobytes()))}


class _TextPipeline(ClassifierMixin, BaseEstimator):
    """Fit ``_pipeline()`` on the texts of ``X``; subclasses define the pipeline and their parameters.

    The features of the last texts seen are kept (not saved with the model), so ``predict`` then
    ``predict_proba`` or ``decision_function`` on the same statements compute the TF-IDF features once.
    """

    def _pipeline(self) -> Pipeline:
        raise NotImplementedError

    def fit(self, X, y, sample_weight=None):
        self.__dict__.pop("_last_features", None)
        pipeline = self._pipeline()
        weights = {} if sample_weight is None else {f"{pipeline.steps[-1][0]}__sample_weight": sample_weight}
        self.pipeline_ = pipeline.fit(texts(X), list(y), **weights)
        self.classes_ = self.pipeline_.classes_
        return self

    def _features(self, X):
        """The features the pipeline's last step receives for the texts of ``X``."""
        check_is_fitted(self)
        values = texts(X)
        last = self.__dict__.get("_last_features")
        if last is not None and last[0] == values:
            return last[1]
        features = self.pipeline_[:-1].transform(values)
        self._last_features = (values, features)
        return features

    def __getstate__(self):
        state = dict(super().__getstate__())  # outside sklearn's modules that is the live __dict__: copy it
        state.pop("_last_features", None)
        return state

    def predict(self, X):
        return self.pipeline_[-1].predict(self._features(X))


class WordTfidfLogisticRegression(_TextPipeline):
    """TF-IDF word n-grams and a logistic regression.

    Parameters
    ----------
    ngram_range: smallest and largest word n-gram.
    min_df: minimum number of training statements an n-gram must occur in.
    C: inverse regularisation strength.
    class_weight: ``"balanced"`` or None.
    solver: the logistic regression solver (newton-cg: exact and fast on sparse n-grams).
    max_iter: solver iterations.
    random_state: seed (kept for the contract; newton-cg is deterministic).
    """

    def __init__(self, ngram_range=(1, 2), min_df=1, C=1.0, class_weight="balanced", solver="newton-cg",
                 max_iter=1000, random_state=0):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.solver = solver
        self.max_iter = max_iter
        self.random_state = random_state

    def _pipeline(self) -> Pipeline:
        return make_pipeline(
            CompactTfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df, sublinear_tf=True),
            LogisticRegression(C=self.C, class_weight=self.class_weight, solver=self.solver,
                               max_iter=self.max_iter, random_state=self.random_state))

    def predict_proba(self, X):
        return self.pipeline_[-1].predict_proba(self._features(X))


class CharTfidfLinearSVC(_TextPipeline):
    """TF-IDF character n-grams (within word boundaries) and a linear SVM.

    Parameters
    ----------
    ngram_range: smallest and largest character n-gram.
    min_df: minimum number of training statements an n-gram must occur in.
    C: inverse regularisation strength.
    class_weight: ``"balanced"`` or None.
    random_state: seed of the solver's coordinate order.
    """

    def __init__(self, ngram_range=(2, 5), min_df=2, C=1.0, class_weight="balanced", random_state=0):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.random_state = random_state

    def _pipeline(self) -> Pipeline:
        return make_pipeline(
            CompactTfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                            sublinear_tf=True),
            LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state))

    def decision_function(self, X):
        return self.pipeline_[-1].decision_function(self._features(X))


class WordTfidfComplementNB(_TextPipeline):
    """TF-IDF word n-grams and complement naive Bayes.

    Parameters
    ----------
    ngram_range: smallest and largest word n-gram.
    min_df: minimum number of training statements an n-gram must occur in.
    alpha: additive smoothing.
    """

    def __init__(self, ngram_range=(1, 2), min_df=1, alpha=1.0):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.alpha = alpha

    def _pipeline(self) -> Pipeline:
        return make_pipeline(
            CompactTfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df, sublinear_tf=True),
            ComplementNB(alpha=self.alpha))

    def predict_proba(self, X):
        return self.pipeline_[-1].predict_proba(self._features(X))
