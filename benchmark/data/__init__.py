"""The dataset builder (``percee build``) and the loader of the built dataset."""
from __future__ import annotations

from pathlib import Path

from benchmark.paths import BUILT


def load(config: str = "default", path: Path | str = BUILT):
    """Load a configuration of the built dataset as a ``datasets.DatasetDict`` (offline, from ``path``)."""
    import datasets

    from benchmark.data.manifest import MANIFEST
    from benchmark.errors import InputError

    path = Path(path)
    if not (path / MANIFEST).exists():
        raise InputError("no built dataset here; run `percee build` (or `make build`) first", path=path)
    datasets.disable_progress_bars()
    try:
        return datasets.load_dataset(str(path), config)
    except ValueError as exc:
        raise InputError(f"cannot load configuration {config!r} ({exc})", path=path) from None


def digest(path: Path | str = BUILT) -> str:
    """The dataset digest recorded in the built dataset's manifest."""
    from benchmark.data.manifest import read_manifest

    return read_manifest(Path(path))["dataset_digest"]
