"""Bag-of-n-grams baselines: TF-IDF features of the ``text`` column and a linear classifier."""
from __future__ import annotations

from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from benchmark.models.inputs import texts


class _TextPipeline(ClassifierMixin, BaseEstimator):
    """Fit ``_pipeline()`` on the texts of ``X``; subclasses define the pipeline and their parameters."""

    def _pipeline(self) -> Pipeline:
        raise NotImplementedError

    def fit(self, X, y, sample_weight=None):
        pipeline = self._pipeline()
        weights = {} if sample_weight is None else {f"{pipeline.steps[-1][0]}__sample_weight": sample_weight}
        self.pipeline_ = pipeline.fit(texts(X), list(y), **weights)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self.pipeline_.predict(texts(X))


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
            TfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df, sublinear_tf=True),
            LogisticRegression(C=self.C, class_weight=self.class_weight, solver=self.solver,
                               max_iter=self.max_iter, random_state=self.random_state))

    def predict_proba(self, X):
        check_is_fitted(self)
        return self.pipeline_.predict_proba(texts(X))


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
            TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                            sublinear_tf=True),
            LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state))

    def decision_function(self, X):
        check_is_fitted(self)
        return self.pipeline_.decision_function(texts(X))


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
            TfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df, sublinear_tf=True),
            ComplementNB(alpha=self.alpha))

    def predict_proba(self, X):
        check_is_fitted(self)
        return self.pipeline_.predict_proba(texts(X))
