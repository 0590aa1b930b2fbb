"""Models that break the estimator contract, each in one way (used by test_run_faults)."""
from __future__ import annotations


class _Base:
    def fit(self, X, y):
        self.label_ = sorted(set(y))[0]
        return self


class RaisesInFit(_Base):
    def fit(self, X, y):
        raise RuntimeError("out of cheese")


class WrongCount(_Base):
    def predict(self, X):
        return [self.label_] * (len(X) + 1)


class OutsideTask(_Base):
    def predict(self, X):
        return ["maybe"] * len(X)


class ReturnsNone(_Base):
    def predict(self, X):
        return None
