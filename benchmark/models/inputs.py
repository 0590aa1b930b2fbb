"""What a model sees: one row per statement with its ``text`` and ``lang``."""
from __future__ import annotations

#: The columns every estimator receives, in order.
FEATURES: tuple[str, ...] = ("text", "lang")


def texts(X) -> list[str]:
    """The statement texts of ``X``: the ``text`` column of a DataFrame, or ``X`` itself as a list of strings."""
    if hasattr(X, "columns"):
        return [str(text) for text in X["text"].tolist()]
    return [str(text) for text in X]


def langs(X) -> list[str]:
    """The ``lang`` column of a DataFrame ``X`` (a model that needs the language cannot take bare texts)."""
    if not hasattr(X, "columns") or "lang" not in X.columns:
        raise ValueError("this model needs the language: pass a DataFrame with `text` and `lang` columns")
    return [str(lang) for lang in X["lang"].tolist()]
