"""The builder's weak labeller (cue-lexicon labelling functions) used as a classifier: their majority vote, or
the builder's label model over their votes."""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from benchmark.data.lexicon import lexicon_for
from benchmark.data.weak import weak_label
from benchmark.labels import LABELS, get_task
from benchmark.models.inputs import langs, texts

VOTE, LABEL_MODEL = "vote", "label_model"


class WeakLabeller(ClassifierMixin, BaseEstimator):
    """Vote with the lexicon of each statement's language and map the vote to the task's labels.

    ``combine="vote"``: the majority vote; where the labelling functions abstain, conflict, or vote a label
    outside the task (``no_claim`` for ``stance``), the most frequent training label is predicted.
    ``combine="label_model"``: the label model the builder fitted on the votes (read from the manifest of
    ``dataset`` at fit time): the task label of highest probability, probabilities from ``predict_proba``.
    Needs ``X`` with ``text`` and ``lang``.

    Parameters
    ----------
    task: the task whose labels are predicted (``claim``, ``stance`` or ``claim_stance``).
    combine: ``vote`` or ``label_model``.
    dataset: the built dataset whose label model is used (``combine="label_model"`` only).
    """

    def __init__(self, task="claim_stance", combine=VOTE, dataset=None):
        self.task = task
        self.combine = combine
        self.dataset = dataset

    def fit(self, X, y, sample_weight=None):
        labels, counts = np.unique(np.asarray(y, dtype=str), return_counts=True)
        self.fallback_ = labels[np.argmax(counts)]
        if self.combine == LABEL_MODEL:
            from benchmark.data.label_model import LabelModel
            from benchmark.data.manifest import read_manifest
            from benchmark.paths import BUILT

            stored = read_manifest(self.dataset or BUILT).get("label_model")
            if not stored:
                raise ValueError("the built dataset has no label model; rebuild it (percee build)")
            self.label_models_ = {lang: LabelModel.from_dict(data) for lang, data in stored.items()}
            self.classes_ = np.asarray(get_task(self.task).labels)
        elif self.combine == VOTE:
            self.classes_ = labels
        else:
            raise ValueError(f"combine is {self.combine!r}; use {VOTE!r} or {LABEL_MODEL!r}")
        return self

    @available_if(lambda self: self.combine == LABEL_MODEL)
    def predict_proba(self, X):
        """Task-label probabilities from the label model (``combine="label_model"`` only)."""
        check_is_fitted(self)
        task = get_task(self.task)
        out = np.zeros((len(X), len(task.labels)))
        for i, (text, lang) in enumerate(zip(texts(X), langs(X))):
            posterior = self.label_models_[lang].predict_proba([weak_label(text, lexicon_for(lang)).rules])[0]
            for statement_label, p in zip(LABELS, posterior):
                target = task.target(statement_label)
                if target is not None:
                    out[i, task.labels.index(target)] += p
        return out / np.clip(out.sum(axis=1, keepdims=True), 1e-12, None)

    def predict(self, X):
        check_is_fitted(self)
        task = get_task(self.task)
        if self.combine == LABEL_MODEL:
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        known = set(self.classes_.tolist())
        predicted = []
        for text, lang in zip(texts(X), langs(X)):
            vote = weak_label(text, lexicon_for(lang)).label
            target = task.target(vote) if vote else None
            predicted.append(target if target in known else self.fallback_)
        return np.asarray(predicted, dtype=self.classes_.dtype)
