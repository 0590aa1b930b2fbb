"""Extraction recall: how many of the claims in the corpora the candidate filter keeps.

Every sentence of the corpora falls in one cue stratum (``extract.cue_stratum``): candidates, and three
kinds of rejected sentences. A seeded sample is drawn per (language, source, cue stratum), annotated under
the guidelines like gold, and each stratum's claim rate is scaled by its population (design weight N/n).
Recall per language = estimated claims among candidates / estimated claims among all sentences. The 95%
interval is a stratified bootstrap: each cell's claim count is redrawn as Binomial(n, x/n) (resampling its n
annotated sentences with replacement), 20,000 times, seeded. A cell whose sample holds no claim adds no
variance: the card says how many sentences such cells hold.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmark.data import segment
from benchmark.data.extract import CANDIDATE, cue_stratum, sentence_context, statement_id
from benchmark.data.lexicon import Lexicon
from benchmark.data.sources import Document
from benchmark.errors import InputError
from benchmark.fileio import read_jsonl
from benchmark.labels import LABELS, NO_CLAIM

INTERVAL_DRAWS = 20_000
INTERVAL_SEED = 20261206


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document with its cue stratum (what the recall sample draws from)."""

    id: str
    doc_id: str
    source: str
    lang: str
    date: str | None
    title: str | None
    stratum: str
    context: str
    text: str

    @property
    def cell(self) -> tuple[str, str, str]:
        return self.lang, self.source, self.stratum


def sentences(document: Document, lexicon: Lexicon) -> Iterator[Sentence]:
    """Every sentence of ``document`` that the length rule admits, with its cue stratum."""
    text = document.text
    spans = list(segment.split_spans(text, lexicon.abbreviations))
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        stratum = cue_stratum(sentence, lexicon)
        if stratum is None:
            continue
        yield Sentence(id=statement_id(document.doc_id, start, end, sentence), doc_id=document.doc_id,
                       source=document.source, lang=document.lang, date=document.date, title=document.title,
                       stratum=stratum, context=sentence_context(text, spans, index), text=sentence)


def draw(population: Iterable[Sentence], sizes: dict[tuple[str, str], int], seed: int,
         exclude: frozenset[str] = frozenset()) -> tuple[list[Sentence], dict[tuple[str, str, str], int]]:
    """A stratified simple random sample and the population size of every cell.

    ``sizes[(lang, stratum)]`` sentences are drawn per language and stratum, shared among its sources in
    proportion to their populations (at least one per non-empty source). Sentences in ``exclude`` (an
    earlier sample) are neither drawn nor counted. Each cell is sampled with reservoir-free sorting by a
    seeded key, so the same population and seed give the same sample.
    """
    cells: dict[tuple[str, str, str], list[Sentence]] = defaultdict(list)
    for sentence in population:
        if sentence.id not in exclude:
            cells[sentence.cell].append(sentence)
    counts = {cell: len(members) for cell, members in cells.items()}
    rng = random.Random(seed)
    sample = []
    for (lang, stratum), size in sorted(sizes.items()):
        sources = sorted(src for (l, src, s) in counts if l == lang and s == stratum)
        total = sum(counts[lang, src, stratum] for src in sources)
        for src in sources:
            members = sorted(cells[lang, src, stratum], key=lambda s: s.id)
            share = max(1, round(size * len(members) / total))
            sample.extend(rng.sample(members, min(share, len(members))))
    return sample, counts


def is_claim(label: str) -> bool:
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    return label != NO_CLAIM


def estimate(counts: dict[tuple[str, str, str], int], labelled: dict[tuple[str, str, str], list[str]]) -> dict:
    """Recall per language (and ``all``): the design-weighted estimate and its 95% interval.

    ``counts`` gives each cell's population, ``labelled`` each cell's annotated sample labels. A cell with a
    population but no annotated sentence makes the estimate impossible (ValueError): every cell is sampled.
    """
    import numpy as np

    missing = [cell for cell, n in counts.items() if n and not labelled.get(cell)]
    if missing:
        raise ValueError(f"cells with a population but no annotated sample: {missing}")
    rng = np.random.default_rng(INTERVAL_SEED)
    result = {}
    for lang in sorted({c[0] for c in counts}) + ["all"]:
        cells = [c for c in counts if counts[c] and lang in ("all", c[0])]
        kept = np.zeros(INTERVAL_DRAWS)
        everywhere = np.zeros(INTERVAL_DRAWS)
        point_kept = point_all = 0.0
        per_stratum: dict[str, dict] = defaultdict(lambda: {"population": 0, "sample": 0, "claims": 0,
                                                             "estimated_claims": 0.0})
        without_claims = 0
        for cell in cells:
            labels = labelled[cell]
            n, x, population = len(labels), sum(map(is_claim, labels)), counts[cell]
            draws = population * rng.binomial(n, x / n, INTERVAL_DRAWS) / n
            everywhere += draws
            point_all += population * x / n
            if cell[2] == CANDIDATE:
                kept += draws
                point_kept += population * x / n
            stratum = per_stratum[cell[2]]
            stratum["population"] += population
            stratum["sample"] += n
            stratum["claims"] += x
            stratum["estimated_claims"] += population * x / n
            without_claims += population if x == 0 else 0
        ratio = np.divide(kept, everywhere, out=np.ones_like(kept), where=everywhere > 0)
        result[lang] = {
            "recall": point_kept / point_all if point_all else None,
            "ci_low": float(np.quantile(ratio, 0.025)), "ci_high": float(np.quantile(ratio, 0.975)),
            "estimated_claims": point_all, "estimated_claims_kept": point_kept,
            "population_in_cells_without_claims": without_claims,
            "strata": {k: dict(v) for k, v in sorted(per_stratum.items())},
        }
    return result


def read_round(folder: Path) -> dict | None:
    """The recall estimate of one annotated sample folder (``design.json``, ``sample.jsonl``,
    ``annotations/*.jsonl``); None when the folder is absent or not annotated yet.

    An annotation whose id is not in the sample, or a sample sentence annotated twice by first annotators,
    raises InputError naming the file.
    """
    if not (folder / "design.json").exists():
        return None
    design = json.loads((folder / "design.json").read_text(encoding="utf-8"))
    cell_of = {row["id"]: (row["lang"], row["source"], row["stratum"]) for _, row in read_jsonl(folder / "sample.jsonl")}
    labels: dict[str, str] = {}
    for path in sorted((folder / "annotations").glob("*.jsonl")):
        for line, row in read_jsonl(path):
            if row.get("id") not in cell_of:
                raise InputError(f"annotation of {row.get('id')!r}, which is not in the sample", path=path, line=line)
            if row.get("label") not in LABELS:
                raise InputError(f"unknown label {row.get('label')!r}; use one of {list(LABELS)}", path=path, line=line)
            if row["id"] in labels:
                raise InputError(f"{row['id']!r} annotated twice", path=path, line=line)
            labels[row["id"]] = row["label"]
    if not labels:
        return None
    if len(labels) < len(cell_of):
        raise InputError(f"{len(cell_of) - len(labels)} sample sentences are not annotated yet", path=folder)
    labelled: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for sentence_id, label in labels.items():
        labelled[cell_of[sentence_id]].append(label)
    counts = {(c["lang"], c["source"], c["stratum"]): c["population"] for c in design["cells"]}
    return {"round": design["round"], "seed": design["seed"], "annotated": len(labels),
            "rejected_annotated": sum(1 for i in labels if cell_of[i][2] != CANDIDATE),
            "estimate": estimate(counts, labelled)}
