"""``percee build``: raw documents and annotations in, the PERCÉE Hugging Face dataset out."""
from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from benchmark import __version__
from benchmark.data.agreement import agreement_table
from benchmark.data.annotations import Gold, read_annotations, resolve
from benchmark.data.card import render_card
from benchmark.data import split_file
from benchmark.data.contrast import CONTRAST_VERSION, contrast_split, read_contrast
from benchmark.data.candidates import extract_corpus
from benchmark.data.extract import Statement
from benchmark.data.features import COLUMNS, CONTRAST_COLUMNS, features
from benchmark.data.label_model import fit_label_models, label_model_evaluation
from benchmark.data.lexicon import LANGUAGES, lexicon_for
from benchmark.data.manifest import file_hashes, write_manifest
from benchmark.data.splits import configurations, translated
from benchmark.data.translations import TRANSLATION_LANGUAGES, translated_rows
from benchmark.fileio import replace_dir, staging_dir
from benchmark.data.recall import read_round
from benchmark.labels import LABELS
from benchmark.paths import ANNOTATIONS, BUILD_CONFIGS, BUILT, CONTRAST, RAW, RECALL, ROOT, TRANSLATIONS


def to_row(statement: Statement, gold: Gold | None, weak_probs: list[float] | None = None) -> dict | None:
    """The dataset row of a statement: gold label if annotated, else its weak label; None if neither.
    ``weak_probs``: the label model's probabilities of the statement (None: not computed)."""
    row = asdict(statement)
    label = gold.label if gold else statement.weak_label
    if label is None:
        return None
    row.update(
        label=LABELS.index(label), label_source="gold" if gold else "weak",
        weak_label=LABELS.index(statement.weak_label) if statement.weak_label else -1,
        year=int(statement.date[:4]) if statement.date else None,
        annotator=gold.annotator if gold else None, guideline_version=gold.guideline_version if gold else None,
        label_first=gold.label_first if gold else None, label_second=gold.label_second if gold else None,
        translation_of=None, translator=None, train_only=bool(gold and gold.train_only),
        pool=(gold.pool or None) if gold else None, weak_probs=weak_probs,
    )
    return {name: row[name] for name, _ in COLUMNS}


def weak_evaluation(statements: list[Statement], gold: dict[str, Gold]) -> list[dict]:
    """Coverage, accuracy and per-label precision of the weak labeller on gold statements, per language."""
    results = []
    for lang in (*LANGUAGES, "all"):
        pairs = [(s.weak_label, gold[s.id].label) for s in statements
                 if s.id in gold and lang in ("all", s.lang)]
        covered = [(w, g) for w, g in pairs if w is not None]
        precision = {}
        for label in LABELS:
            predicted = [g for w, g in covered if w == label]
            precision[label] = sum(g == label for g in predicted) / len(predicted) if predicted else None
        results.append({"lang": lang, "n": len(pairs),
                        "coverage": len(covered) / len(pairs) if pairs else None,
                        "accuracy": sum(w == g for w, g in covered) / len(covered) if covered else None,
                        "precision": precision})
    return results


def build(output: Path = BUILT, raw: Path = RAW, annotations: Path = ANNOTATIONS,
          lexicons: Path = BUILD_CONFIGS, contrast: Path = CONTRAST, recall: Path = RECALL,
          translations_folder: Path = TRANSLATIONS) -> dict:
    """Build the dataset into ``output`` (written in a temporary folder, then swapped in); return build stats.

    Any bad input raises InputError before anything is written.
    """
    started = time.perf_counter()
    documents, statements = extract_corpus(Path(raw), Path(lexicons))
    gold = resolve(read_annotations(annotations), {s.id for s in statements})
    # The label model: one more weak-labelling step, votes in, probabilities out (benchmark/data/label_model.py).
    label_models = fit_label_models(statements, {lang: lexicon_for(lang, Path(lexicons)) for lang in LANGUAGES})
    probs = {}
    for lang, model in label_models.items():
        members = [s for s in statements if s.lang == lang]
        for s, row in zip(members, model.predict_proba([s.weak_rules for s in members])):
            probs[s.id] = [round(float(p), 6) for p in row]
    rows = [row for s in statements if (row := to_row(s, gold.get(s.id), probs[s.id])) is not None]
    named = configurations(rows)
    translations = translated_rows(Path(translations_folder), named["default"]["test"])
    for target in TRANSLATION_LANGUAGES:
        if any(r["lang"] == target for r in translations):
            named[f"translated_{target}"] = translated(named["default"], translations, target)
    configs = {name: {split: members for split, members in splits.items() if members}
               for name, splits in named.items()}  # `datasets` refuses an empty split
    gold_statements = {s.id: {"text": s.text, "label": gold[s.id].label, "lang": s.lang}
                       for s in statements if s.id in gold}
    contrast_rows = read_contrast(contrast, gold_statements)
    if contrast_rows:
        configs["contrast"] = {"test": contrast_split(contrast_rows, gold_statements)}
    gold_rows = [r for r in rows if r["label_source"] == "gold"]
    recall_estimates = {name: result for name in ("before", "after")
                        if (result := read_round(Path(recall) / name)) is not None}
    pairs = [(r["lang"], r["label_first"], r["label_second"]) for r in gold_rows if r["label_second"]]
    stats = {
        "builder_version": __version__,
        "documents": dict(documents),
        "candidates": len(statements),
        "candidates_by_source": dict(Counter(s.source for s in statements)),
        "labelled": len(rows),
        "gold": len(gold_rows),
        "label_model": {lang: model.to_dict() for lang, model in label_models.items()},
    }
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(output)
    try:
        _write(staging, configs, render_card(configs, gold_rows, stats, agreement_table(pairs),
                                            weak_evaluation(statements, gold), contrast_rows,
                                            label_model_evaluation(
                                                [(s.lang, gold[s.id].label, s.weak_label, s.weak_outcome,
                                                  probs[s.id]) for s in statements if s.id in gold]),
                                            recall_estimates))
        inputs = _input_hashes(Path(raw), Path(annotations), Path(lexicons), Path(contrast), Path(recall),
                               Path(translations_folder))
        counts = {name: {split: len(r) for split, r in splits.items()} for name, splits in configs.items()}
        manifest = write_manifest(staging, __version__, inputs,
                                  {"counts": counts, "contrast_version": CONTRAST_VERSION if contrast_rows else None,
                                   "label_model": stats["label_model"]})
        replace_dir(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    stats.update(counts=counts, dataset_digest=manifest["dataset_digest"], output=str(output),
                 seconds=round(time.perf_counter() - started, 1))
    return stats


def _write(folder: Path, configs: dict, card: str) -> None:
    import datasets

    datasets.disable_progress_bars()
    for name, splits in configs.items():
        schema = features(CONTRAST_COLUMNS if name == "contrast" else COLUMNS)
        for split, rows in splits.items():
            path = split_file(folder, name, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            columns = {name: [row[name] for row in rows] for name in schema}
            datasets.Dataset.from_dict(columns, features=schema).to_parquet(str(path))
    (folder / "README.md").write_text(card, encoding="utf-8")


def _input_hashes(raw: Path, annotations: Path, lexicons: Path, contrast: Path, recall: Path,
                  translations: Path) -> dict[str, str]:
    paths = [*raw.rglob("*.jsonl.gz"), *annotations.glob("*.jsonl"), *lexicons.glob("*.yaml"),
             *(p for p in contrast.glob("*.jsonl") if not p.name.startswith("_")),
             *recall.glob("*/design.json"), *recall.glob("*/annotations/*.jsonl"),
             *translations.glob("*/*.jsonl"), *translations.glob("*/annotations/*.jsonl")]
    base = ROOT if all(p.resolve().is_relative_to(ROOT) for p in paths) else Path("/")
    return file_hashes(base, [p.resolve() for p in paths])


def format_stats(stats: dict) -> str:
    """The build statistics as a plain-text table."""
    lines = [f"PERCÉE build {stats['builder_version']} -> {stats['output']}  ({stats['seconds']} s)",
             f"digest {stats['dataset_digest']}", "",
             f"{'source':<14}{'documents':>10}{'candidates':>12}"]
    for source in stats["documents"]:
        lines.append(f"{source:<14}{stats['documents'][source]:>10}{stats['candidates_by_source'].get(source, 0):>12}")
    lines += ["", f"{'config':<10}{'train':>8}{'validation':>12}{'test':>8}"]
    for name, counts in stats["counts"].items():
        lines.append(f"{name:<10}{counts.get('train', 0):>8}{counts.get('validation', 0):>12}{counts.get('test', 0):>8}")
    lines.append(f"\ncandidates {stats['candidates']}, labelled {stats['labelled']}, gold {stats['gold']}")
    return "\n".join(lines)
