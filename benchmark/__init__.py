"""PERCÉE: a benchmark for expectation stance (expects a breakthrough / expects none) in real text."""

__version__ = "0.1.0"
