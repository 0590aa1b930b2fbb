"""Baseline estimators of PERCÉE, each following the scikit-learn estimator contract.

Every estimator receives ``X`` as a pandas DataFrame with the columns of :data:`benchmark.models.inputs.FEATURES`
(``text`` and ``lang``) and ``y`` as task label strings. Text-only models select the ``text`` column
explicitly, so a logged model gives exactly one prediction per input row.
"""
