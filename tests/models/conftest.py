"""Statements from datasets/LABELS.md with their claim_stance labels, as the models receive them."""
import numpy as np
import pandas as pd
import pytest

STATEMENTS = [
    ("il devrait encore y avoir de grandes nouvelles", "fr", "expects_breakthrough"),
    ("The talks are expected to see the signing of a number of important bilateral agreements", "en",
     "expects_breakthrough"),
    ("I have no doubt an agreement will be reached in Copenhagen", "en", "expects_breakthrough"),
    ("il ne faut pas s'attendre à des percées", "fr", "expects_none"),
    ("diplomats expect no agreement at the two days of talks", "en", "expects_none"),
    ("от саммита не следует ожидать каких-либо прорывных решений", "ru", "expects_none"),
    ("the summit produced no breakthrough", "en", "no_claim"),
    ("the leaders will discuss energy", "en", "no_claim"),
    ("we must reach an agreement", "en", "no_claim"),
    ("we expect earnings to rise 5%", "en", "no_claim"),
]
X = pd.DataFrame({"text": [s[0] for s in STATEMENTS], "lang": [s[1] for s in STATEMENTS]})
Y = np.array([s[2] for s in STATEMENTS])


@pytest.fixture
def xy():
    """``X`` (text, lang DataFrame) and ``y`` (claim_stance labels) of ten LABELS.md statements."""
    return X.copy(), Y.copy()
