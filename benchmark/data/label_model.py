"""The label model: turns the labelling functions' votes into label probabilities (the last weak-labelling step).

Each labelling function (LF) of ``data/weak.py`` votes one fixed label or abstains. The model is the generative
model of Snorkel's label model and of Dawid-Skene with abstentions as an outcome: a statement's true label
``y`` is drawn from the class prior ``pi``, and LF ``j`` fires with probability ``rate[j, y]`` independently of
the others given ``y``. Both are learned by expectation-maximisation from the votes of the candidate statements
(no gold label is read), with Beta/Dirichlet smoothing, starting from the majority vote. Posteriors
``P(y | votes)`` are the probabilistic weak labels. One model per language: the lexicons differ.

Why not a library: Snorkel 0.10 pulls torch (and CUDA wheels), crowd-kit 1.4 pulls transformers; crowd-kit's
Dawid-Skene reads an LF's votes only where it votes, and an LF that always votes the same label then carries
no information. Modelling abstention, as here, is what makes one-label LFs informative.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from benchmark.labels import LABELS

#: EM iterations (fixed, so the fit is deterministic) and the smoothing pseudo-counts.
ITERATIONS = 200
RATE_PRIOR = (1.0, 1.0)
PRIOR_PSEUDOCOUNT = 1.0
#: Starting belief in the majority vote where it labels a statement.
VOTE_CONFIDENCE = 0.8


@dataclass
class LabelModel:
    """Class prior ``prior[k]`` and firing rates ``rates[lf][k]`` per labelling function, in :data:`LABELS` order.

    ``lf_labels`` maps every LF name to the label it votes; LFs not known at prediction time are ignored.
    """

    lf_labels: dict[str, str]
    prior: list[float] = field(default_factory=list)
    rates: dict[str, list[float]] = field(default_factory=dict)

    def fit(self, fired: list[tuple[str, ...]]) -> "LabelModel":
        """Learn prior and rates from the names of the LFs that fired on each candidate statement."""
        names = list(self.lf_labels)
        F = _matrix(fired, names)
        q = _initial(F, [LABELS.index(self.lf_labels[name]) for name in names])
        for _ in range(ITERATIONS):
            weight = q.sum(axis=0)
            prior = (weight + PRIOR_PSEUDOCOUNT) / (weight.sum() + PRIOR_PSEUDOCOUNT * len(LABELS))
            rates = (F.T @ q + RATE_PRIOR[0]) / (weight + sum(RATE_PRIOR))
            q = _posterior(F, prior, rates)
        self.prior = [round(float(p), 8) for p in prior]
        self.rates = {name: [round(float(r), 8) for r in rates[j]] for j, name in enumerate(names)}
        return self

    def predict_proba(self, fired: list[tuple[str, ...]]) -> np.ndarray:
        """``(n, 3)`` posteriors ``P(y | votes)`` in :data:`LABELS` order."""
        names = list(self.rates)
        rates = np.asarray([self.rates[name] for name in names]).reshape(len(names), len(LABELS))
        return _posterior(_matrix(fired, names), np.asarray(self.prior), rates)

    def to_dict(self) -> dict:
        return {"lf_labels": dict(self.lf_labels), "prior": list(self.prior), "rates": dict(self.rates)}

    @classmethod
    def from_dict(cls, data: dict) -> "LabelModel":
        return cls(dict(data["lf_labels"]), list(data["prior"]), {k: list(v) for k, v in data["rates"].items()})


def _matrix(fired: list[tuple[str, ...]], names: list[str]) -> np.ndarray:
    index = {name: j for j, name in enumerate(names)}
    F = np.zeros((len(fired), len(names)))
    for i, rules in enumerate(fired):
        for rule in rules:
            if rule in index:
                F[i, index[rule]] = 1.0
    return F


def _initial(F: np.ndarray, lf_label: list[int]) -> np.ndarray:
    """Starting posteriors: the majority vote with :data:`VOTE_CONFIDENCE`, uniform on abstentions and ties."""
    votes = np.zeros((F.shape[0], len(LABELS)))
    for j, label in enumerate(lf_label):
        votes[:, label] += F[:, j]
    q = np.full_like(votes, 1.0 / len(LABELS))
    top = votes.max(axis=1)
    decided = (top > 0) & ((votes == top[:, None]).sum(axis=1) == 1)
    q[decided] = (1 - VOTE_CONFIDENCE) / (len(LABELS) - 1)
    q[decided, votes[decided].argmax(axis=1)] = VOTE_CONFIDENCE
    return q


def _posterior(F: np.ndarray, prior: np.ndarray, rates: np.ndarray) -> np.ndarray:
    log = np.log(prior)[None, :] + F @ np.log(rates) + (1 - F) @ np.log1p(-rates)
    log -= log.max(axis=1, keepdims=True)
    q = np.exp(log)
    return q / q.sum(axis=1, keepdims=True)


def fit_label_models(statements, lexicons: dict) -> dict[str, LabelModel]:
    """One label model per language, fitted on the votes (``weak_rules``) of every candidate statement.

    No gold label is read. Every candidate's votes are used, annotated or not: the annotation samples took
    nearly every candidate with a claim vote, so the unannotated ones alone hold almost no claim vote to learn
    the claim labelling functions from. ``lexicons`` maps a language to its
    :class:`~benchmark.data.lexicon.Lexicon` (for the LF names and labels).
    """
    from benchmark.data.weak import QUESTION_RULE
    from benchmark.labels import NO_CLAIM

    models = {}
    for lang, lexicon in lexicons.items():
        lf_labels = {rule.name: rule.label for rule in lexicon.weak_rules} | {QUESTION_RULE: NO_CLAIM}
        fired = [s.weak_rules for s in statements if s.lang == lang]
        models[lang] = LabelModel(lf_labels).fit(fired)
    return models


def label_model_evaluation(rows: list[tuple[str, str, str | None, str, np.ndarray]]) -> list[dict]:
    """Coverage, and precision and recall per class against gold, of the majority vote and of the label model,
    per language and for all.

    ``rows``: ``(lang, gold label, majority vote or None, vote outcome, label-model posterior)`` per gold
    statement. The majority vote labels a statement when it is not an abstention or a tie; the label model
    (the argmax of its posterior) wherever at least one labelling function fired, ties included.
    """
    from benchmark.data.weak import ABSTAIN

    results = []
    for lang in sorted({row[0] for row in rows}) + ["all"]:
        chosen = [row for row in rows if lang in ("all", row[0])]
        for method in ("majority vote", "label model"):
            if method == "majority vote":
                predicted = [(vote, gold) for _, gold, vote, _, _ in chosen]
            else:
                predicted = [(LABELS[int(np.argmax(posterior))] if outcome != ABSTAIN else None, gold)
                             for _, gold, _, outcome, posterior in chosen]
            covered = [(p, g) for p, g in predicted if p is not None]
            result = {"lang": lang, "method": method, "n": len(chosen),
                      "coverage": len(covered) / len(chosen) if chosen else None}
            for label in LABELS:
                hits = sum(p == label == g for p, g in covered)
                said = sum(p == label for p, _ in covered)
                truth = sum(g == label for _, g in predicted)
                result[f"precision {label}"] = hits / said if said else None
                result[f"recall {label}"] = hits / truth if truth else None
            results.append(result)
    return results
