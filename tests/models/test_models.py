"""The baseline estimators follow the scikit-learn contract and take statements as a text + lang DataFrame."""
import inspect

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import NotFittedError

from benchmark.data.lexicon import lexicon_for
from benchmark.data.weak import weak_label
from benchmark.labels import get_task
from benchmark.models.inputs import langs, texts
from benchmark.models.text import CharTfidfLinearSVC, WordTfidfComplementNB, WordTfidfLogisticRegression
from benchmark.models.weak import WeakLabeller

BASELINES = [
    DummyClassifier(strategy="prior"),
    WeakLabeller(task="claim_stance"),
    WordTfidfLogisticRegression(C=10.0),
    CharTfidfLinearSVC(min_df=1),
    WordTfidfComplementNB(),
]
LEARNED = BASELINES[2:]


def name(estimator) -> str:
    return type(estimator).__name__


@pytest.mark.parametrize("estimator", BASELINES, ids=name)
def test_params_live_in_init_only_and_survive_clone(estimator):
    names = [p for p in inspect.signature(type(estimator).__init__).parameters if p != "self"]
    assert sorted(estimator.get_params()) == sorted(names)
    assert clone(estimator).get_params() == estimator.get_params()


@pytest.mark.parametrize("estimator", BASELINES, ids=name)
def test_unfitted_estimator_refuses_to_predict(estimator, xy):
    with pytest.raises((NotFittedError, AttributeError)):
        clone(estimator).predict(xy[0])


@pytest.mark.parametrize("estimator", BASELINES, ids=name)
def test_one_known_label_per_row_and_scores_per_class(estimator, xy):
    X, y = xy
    model = clone(estimator).fit(X, y)
    for rows in (X.head(1), X.head(2), X):
        predicted = model.predict(rows)
        assert len(predicted) == len(rows)
        assert set(predicted) <= set(model.classes_)
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(X)
        assert proba.shape == (len(X), len(model.classes_))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    if hasattr(model, "decision_function"):
        assert model.decision_function(X).shape == (len(X), len(model.classes_))


@pytest.mark.parametrize("estimator", LEARNED, ids=name)
def test_text_models_learn_the_training_statements_from_the_text_column_only(estimator, xy):
    X, y = xy
    model = clone(estimator).fit(X, y)
    assert (model.predict(X) == y).mean() >= 0.9
    other_columns = X.assign(lang=X["lang"][::-1].to_numpy(), extra=1)
    assert (model.predict(other_columns) == model.predict(X)).all()
    assert (model.predict(X["text"].tolist()) == model.predict(X)).all()


@pytest.mark.parametrize("estimator", BASELINES, ids=name)
def test_fitting_twice_gives_identical_predictions(estimator, xy):
    X, y = xy
    first, second = clone(estimator).fit(X, y), clone(estimator).fit(X, y)
    assert (first.predict(X) == second.predict(X)).all()
    if hasattr(first, "predict_proba"):
        np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))


@pytest.mark.parametrize("estimator", LEARNED, ids=name)
def test_text_models_save_their_vocabulary_as_one_array_and_load_identical(estimator, xy, tmp_path):
    import pickle

    import skops.io

    X, y = xy
    fitted = clone(estimator).fit(X, y)
    vectorizer = fitted.pipeline_.steps[0][1]
    state = vectorizer.__getstate__()
    assert "vocabulary_" not in state and state["vocabulary_terms_"].dtype == np.uint8
    assert vectorizer.vocabulary_ and "vocabulary_" in vars(vectorizer)  # saving leaves the fitted model whole
    assert vectorizer.__getstate__()["vocabulary_terms_"] is state["vocabulary_terms_"]  # made once per vocabulary
    assert "_saved_vocabulary" not in state
    path = tmp_path / "model.skops"
    skops.io.dump(fitted, path)
    loaded = [skops.io.load(path, trusted=skops.io.get_untrusted_types(file=path)), pickle.loads(pickle.dumps(fitted))]
    for model in loaded:
        assert model.pipeline_.steps[0][1].vocabulary_ == vectorizer.vocabulary_
        assert (model.predict(X) == fitted.predict(X)).all()


@pytest.mark.parametrize("estimator", LEARNED, ids=name)
def test_predict_then_scores_on_the_same_statements_compute_the_features_once(estimator, xy, monkeypatch):
    from benchmark.models.text import CompactTfidfVectorizer

    X, y = xy
    fitted = clone(estimator).fit(X, y)
    calls = []
    transform = CompactTfidfVectorizer.transform
    monkeypatch.setattr(CompactTfidfVectorizer, "transform", lambda self, docs: calls.append(len(docs)) or
                        transform(self, docs))
    scores = getattr(fitted, "predict_proba", None) or fitted.decision_function
    expected = fitted.pipeline_.predict(texts(X)), getattr(fitted.pipeline_, scores.__name__)(texts(X))
    calls.clear()
    assert (fitted.predict(X) == expected[0]).all() and np.array_equal(scores(X), expected[1])
    assert calls == [len(X)]
    assert (fitted.predict(X.head(3)) == expected[0][:3]).all() and calls == [len(X), 3]  # other texts: computed
    assert "_last_features" not in fitted.__getstate__()
    fitted.fit(X.head(6), y[:6])
    assert "_last_features" not in vars(fitted)  # refitting forgets them


def test_a_vocabulary_that_is_not_columns_0_to_n_is_saved_as_it_is():
    from benchmark.models.text import CompactTfidfVectorizer

    vectorizer = CompactTfidfVectorizer().fit(["aa bb", "bb cc"])
    assert "vocabulary_terms_" in vectorizer.__getstate__()
    vectorizer.vocabulary_ = {"aa": 0, "cc": 2}
    assert vectorizer.__getstate__()["vocabulary_"] == {"aa": 0, "cc": 2}


@pytest.mark.parametrize("task_name", ["claim", "stance", "claim_stance"])
def test_weak_labeller_maps_the_builders_vote_to_the_task(task_name, xy):
    X, y = xy
    task = get_task(task_name)
    targets = np.array([task.target(label) for label in y], dtype=object)
    keep = targets != None  # noqa: E711 (elementwise)
    rows, labels = X[keep].reset_index(drop=True), targets[keep].astype(str)
    model = WeakLabeller(task=task_name).fit(rows, labels)
    for (text, lang), predicted in zip(rows.itertuples(index=False), model.predict(rows)):
        vote = weak_label(text, lexicon_for(lang)).label
        expected = task.target(vote) if vote else None
        assert predicted == (expected if expected in set(labels) else model.fallback_)


def test_weak_labeller_needs_the_language(xy):
    X, y = xy
    with pytest.raises(ValueError, match="lang"):
        WeakLabeller().fit(X, y).predict(X["text"].tolist())


def test_inputs_select_columns_explicitly(xy):
    X, _ = xy
    assert texts(X.head(2)) == X["text"].head(2).tolist()
    assert texts(["a", "b"]) == ["a", "b"]
    assert langs(X.head(3)) == ["fr", "en", "en"]
