"""The official PERCÉE scorer: validation, metrics, bootstrap intervals, paired tests, calibration (numpy only).

``report.score`` scores a predictions file; ``report.score_arrays`` scores in-memory arrays.
"""
