"""Packaging: everything is in pyproject.toml but the package list, which adds the Hydra configs (``configs/``) as
the package ``benchmark.configs`` to the ``benchmark*`` packages found, so that the wheel carries them."""
from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["benchmark*"]), "benchmark.configs"])
