"""A researcher's own model: any class with ``fit`` and ``predict`` (``predict_proba`` optional)."""
from collections import Counter


class CueClassifier:
    """Predicts ``label`` for statements containing one of ``cues``, else the most frequent training label.

    ``X`` is a pandas DataFrame with ``text`` and ``lang`` columns; ``y`` holds the task's label names.
    """

    def __init__(self, cues=("breakthrough",), label="claim"):
        self.cues = cues
        self.label = label

    def fit(self, X, y):
        self.majority_ = Counter(y).most_common(1)[0][0]
        self.classes_ = sorted(set(y) | {self.label})
        return self

    def predict(self, X):
        return [self.label if any(cue in text.lower() for cue in self.cues) else self.majority_
                for text in X["text"]]
