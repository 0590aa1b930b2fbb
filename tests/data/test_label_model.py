"""The label model recovers known labelling-function rates from votes alone, and the builder writes its
probabilities (``weak_probs``) beside the votes."""
import numpy as np
import pytest

from benchmark.data.label_model import LabelModel, label_model_evaluation
from benchmark.labels import LABELS

LF_LABELS = {"pos": LABELS[0], "pos2": LABELS[0], "neg": LABELS[1], "neg2": LABELS[1], "past": LABELS[2],
             "agenda": LABELS[2]}
#: True firing rates P(LF fires | y) per class, in LABELS order, and the class prior.
RATES = {"pos": [0.7, 0.05, 0.05], "pos2": [0.5, 0.1, 0.02], "neg": [0.05, 0.7, 0.05], "neg2": [0.1, 0.5, 0.02],
         "past": [0.05, 0.05, 0.4], "agenda": [0.02, 0.02, 0.3]}
PRIOR = [0.2, 0.1, 0.7]


def sample(n=20000, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.choice(3, size=n, p=PRIOR)
    fired = [tuple(name for name in RATES if rng.random() < RATES[name][label]) for label in y]
    return y, fired


def test_em_recovers_the_prior_and_the_firing_rates_of_a_known_model():
    _, fired = sample()
    model = LabelModel(LF_LABELS).fit(fired)
    np.testing.assert_allclose(model.prior, PRIOR, atol=0.03)
    for name, rates in RATES.items():
        np.testing.assert_allclose(model.rates[name], rates, atol=0.05)


def test_posteriors_beat_the_majority_vote_where_functions_disagree_in_strength():
    y, fired = sample(seed=1)
    model = LabelModel(LF_LABELS).fit(fired)
    posterior = model.predict_proba(fired)
    np.testing.assert_allclose(posterior.sum(axis=1), 1.0)
    covered = np.asarray([bool(f) for f in fired])
    accuracy = (posterior.argmax(axis=1) == y)[covered].mean()
    assert accuracy > 0.75
    # no function fired: the posterior leans to the class whose functions rarely fire, here no_claim
    assert model.predict_proba([()])[0].argmax() == 2


def test_the_fit_is_deterministic_and_round_trips_through_a_dict():
    _, fired = sample(n=2000)
    first, second = LabelModel(LF_LABELS).fit(fired), LabelModel(LF_LABELS).fit(fired)
    assert first.to_dict() == second.to_dict()
    again = LabelModel.from_dict(first.to_dict())
    np.testing.assert_array_equal(again.predict_proba(fired[:50]), first.predict_proba(fired[:50]))


def test_evaluation_reports_coverage_and_precision_per_class_for_both_methods():
    rows = [("en", LABELS[0], LABELS[0], "labelled", [0.9, 0.05, 0.05]),
            ("en", LABELS[2], LABELS[0], "labelled", [0.2, 0.1, 0.7]),
            ("en", LABELS[1], None, "conflict", [0.1, 0.8, 0.1]),
            ("en", LABELS[2], None, "abstain", [0.1, 0.1, 0.8])]
    table = {(r["lang"], r["method"]): r for r in label_model_evaluation(rows)}
    vote, model = table[("all", "majority vote")], table[("all", "label model")]
    assert vote["coverage"] == 0.5 and vote[f"precision {LABELS[0]}"] == 0.5
    assert model["coverage"] == 0.75 and model[f"precision {LABELS[0]}"] == 1.0
    assert model[f"recall {LABELS[1]}"] == 1.0 and vote[f"recall {LABELS[1]}"] == 0.0


def test_the_built_dataset_carries_the_label_models_probabilities(built):
    from benchmark.data import load
    from benchmark.data.manifest import read_manifest

    train = load("default", built)["train"].select_columns(["weak_probs", "weak_rules"]).to_pandas()
    probs = np.stack(train["weak_probs"].to_numpy())
    assert probs.shape == (len(train), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    assert set(read_manifest(built)["label_model"]) == {"en", "fr", "ru"}
    assert "### Label model" in (built / "README.md").read_text(encoding="utf-8")
