"""The dataset builder (``percee build``) and the loader of the built dataset."""
from __future__ import annotations

from pathlib import Path

from benchmark.paths import BUILT


def split_file(path: Path | str, config: str, split: str) -> Path:
    """Where the built dataset at ``path`` keeps one split of one configuration (a parquet file)."""
    return Path(path) / "data" / config / f"{split}.parquet"


def read_split(config: str, split: str, path: Path | str = BUILT, columns: list[str] | None = None):
    """One split as a pandas DataFrame, read from its parquet file with pyarrow (``datasets`` not imported: the
    same table :func:`load` gives, ClassLabel columns as their integer ids). InputError when it is not built."""
    import pyarrow.parquet as pq

    from benchmark.data.manifest import MANIFEST
    from benchmark.errors import InputError

    path = Path(path)
    if not (path / MANIFEST).exists():
        raise InputError("no built dataset here; run `percee build` (or `make build`) first", path=path)
    file = split_file(path, config, split)
    if not file.parent.is_dir():
        names = sorted(folder.name for folder in (path / "data").iterdir() if folder.is_dir())
        raise InputError(f"no dataset configuration {config!r}; the built dataset has {', '.join(names)}", path=path)
    if not file.exists():
        raise InputError(f"dataset configuration {config!r} has no {split} split yet; add gold annotations and "
                         "rebuild (`percee build`)", path=path)
    return pq.read_table(file, columns=columns).to_pandas()


def load(config: str = "default", path: Path | str = BUILT, force: bool = False):
    """Load a configuration of the built dataset as a ``datasets.DatasetDict`` (offline, from ``path``), after
    checking its files against the manifest (InputError on a difference unless ``force``)."""
    import datasets

    from benchmark.errors import InputError

    path = Path(path)
    integrity = check(path, force)
    datasets.disable_progress_bars()
    # `datasets` keys its cache on the folder, not the files: a rebuilt (or edited) dataset would load stale rows.
    # A cache folder per digest of the files as they are makes every version load its own files.
    cache = Path(datasets.config.HF_DATASETS_CACHE) / "percee" / integrity.files_digest[:16]
    try:
        return datasets.load_dataset(str(path), config, cache_dir=str(cache))
    except ValueError as exc:
        raise InputError(f"cannot load configuration {config!r} ({exc})", path=path) from None


def check(path: Path | str = BUILT, force: bool = False):
    """The built dataset's :class:`benchmark.data.manifest.Integrity` (files checked against the manifest;
    leftovers of an interrupted build recovered first)."""
    from benchmark.data.manifest import check_files
    from benchmark.fileio import recover_dir

    recover_dir(Path(path))
    return check_files(Path(path), force)


def digest(path: Path | str = BUILT, force: bool = False) -> str:
    """The dataset digest recorded in the built dataset's manifest, once its files are checked against it."""
    return check(path, force).manifest["dataset_digest"]


def gold(config: str = "default", split: str = "test", path: Path | str = BUILT, force: bool = False) -> dict[str, dict]:
    """The gold statements of a split: ``id -> {"label", "lang", "source"}`` (label names, not indices)."""
    from benchmark.errors import InputError
    from benchmark.labels import LABELS

    dataset = load(config, path, force)
    if split not in dataset:
        raise InputError(f"configuration {config!r} has no split {split!r}; it has {', '.join(dataset)}")
    if config == "contrast":
        return contrast_gold(dataset[split])
    rows = dataset[split].select_columns(["id", "label", "lang", "source", "label_source"]).to_dict()
    return {i: {"label": LABELS[label], "lang": lang, "source": source}
            for i, label, lang, source, origin in zip(rows["id"], rows["label"], rows["lang"], rows["source"],
                                                      rows["label_source"]) if origin == "gold"}


def contrast_gold(rows) -> dict[str, dict]:
    """The gold mapping of contrast-set rows (a loaded ``contrast`` split): every row is gold, and its
    ``source`` is the capability (``original`` for the statements the edits were written from)."""
    from benchmark.labels import LABELS

    columns = rows.select_columns(["id", "label", "lang", "capability"]).to_dict()
    return {i: {"label": LABELS[label], "lang": lang, "source": capability or "original"}
            for i, label, lang, capability in zip(columns["id"], columns["label"], columns["lang"],
                                                  columns["capability"])}
