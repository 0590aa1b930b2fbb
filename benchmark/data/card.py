"""The dataset card (README.md of the built dataset): YAML header for ``datasets`` plus the documentation."""
from __future__ import annotations

from collections import Counter

from benchmark.data.features import COLUMNS, CONTRAST_COLUMNS
from benchmark.data.sources import SOURCES
from benchmark.labels import LABELS

LANGS = ("en", "fr", "ru")


def _yaml_header(configs: dict[str, dict[str, list[dict]]], n_candidates: int) -> str:
    lines = ["---", "pretty_name: PERCÉE", "language:", *[f"- {lang}" for lang in LANGS],
             "license: other", "multilinguality: multilingual", "task_categories:", "- text-classification",
             "size_categories:", "- 1K<n<10K" if n_candidates < 10_000 else "- 10K<n<100K", "configs:"]
    for name, splits in configs.items():
        lines += [f"- config_name: {name}"] + (["  default: true"] if name == "default" else []) + ["  data_files:"]
        lines += [f"  - split: {split}\n    path: data/{name}/{split}.parquet" for split in splits]
    lines.append("dataset_info:")
    for name in configs:
        lines += [f"- config_name: {name}", "  features:"]
        for column, kind in CONTRAST_COLUMNS if name == "contrast" else COLUMNS:
            if kind == "label":
                names = "".join(f"\n          '{i}': {label}" for i, label in enumerate(LABELS))
                lines.append(f"  - name: {column}\n    dtype:\n      class_label:\n        names:{names}")
            elif kind == "list":
                lines.append(f"  - name: {column}\n    list: string")
            elif kind == "floats":
                lines.append(f"  - name: {column}\n    list: float32")
            else:
                lines.append(f"  - name: {column}\n    dtype: {kind}")
    return "\n".join(lines + ["---", ""])


def _table(header: list[str], rows: list[list]) -> str:
    def cell(value):
        return f"{value:.3f}" if isinstance(value, float) else ("–" if value is None else str(value))

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows])


def _counts_by(rows: list[dict], key: str) -> list[list]:
    counts = Counter((row[key], LABELS[row["label"]]) for row in rows)
    return [[value] + [counts[(value, label)] for label in LABELS] + [sum(counts[(value, l)] for l in LABELS)]
            for value in sorted({row[key] for row in rows})]


def _contrast_section(contrast_rows: list[dict]) -> str:
    from benchmark.data.contrast import CAPABILITIES, CONTRAST_VERSION

    if not contrast_rows:
        return "No contrast sets yet.\n"
    kept = [r for r in contrast_rows if r["check"] != "rejected"]
    table = _table(["capability", *LANGS, "total", *LABELS, "rejected"],
                   [[name, *[sum(r["capability"] == name and r["lang"] == lang for r in kept) for lang in LANGS],
                     sum(r["capability"] == name for r in kept),
                     *[sum(r["capability"] == name and r["label"] == label for r in kept) for label in LABELS],
                     sum(r["capability"] == name and r["check"] == "rejected" for r in contrast_rows)]
                    for name in CAPABILITIES])
    people = sorted({(r["writer"], r["checker"]) for r in contrast_rows})
    return (f"Configuration `contrast` (version {CONTRAST_VERSION}, evaluation only, never in train): each "
            "edited statement (`role` edit) was written by hand from a real gold statement (`source_id`, "
            "included once with `role` original) and checked against LABELS.md by a second annotator. "
            "Capabilities: " + "; ".join(f"`{c.name}`: {c.description}" for c in CAPABILITIES.values()) + ".\n\n"
            + table + "\n\nWriter → checker pairs: " + ", ".join(f"{w} → {c}" for w, c in people) + ".\n")


def _label_model_section(evaluation: list[dict]) -> str:
    if not evaluation:
        return ""
    return ("### Label model\n\n"
            "A label model (`benchmark/data/label_model.py`: class-conditional firing rates of each labelling "
            "function and a class prior, learned by EM from the votes of every candidate, one per language, no gold "
            "label read) turns the votes into probabilities, the `weak_probs` column (in label order). It labels "
            "wherever a function fired (ties included); the majority vote where the vote is not a tie. Against "
            "gold:\n\n"
            + _table(["lang", "method", "gold", "coverage", *[f"{kind} {label}" for label in LABELS
                                                              for kind in ("precision", "recall")]],
                     [[e["lang"], e["method"], e["n"], e["coverage"],
                       *[e[f"{kind} {label}"] for label in LABELS for kind in ("precision", "recall")]]
                      for e in evaluation]) + "\n")


def render_card(configs, gold_rows: list[dict], stats: dict, agreement: list[dict], weak_eval: list[dict],
                contrast_rows: list[dict], label_model_eval: list[dict] | None = None) -> str:
    """The full card text."""
    default = configs["default"]
    split_rows = [[name, split, len(rows), sum(r.get("label_source", "gold") == "gold" for r in rows)]
                  + [sum(r["lang"] == lang for r in rows) for lang in LANGS]
                  for name, splits in configs.items() for split, rows in splits.items()]
    per_split_label = [[split, lang] + [sum(r["lang"] == lang and LABELS[r["label"]] == label for r in rows)
                                        for label in LABELS]
                       for split, rows in default.items() for lang in LANGS]
    sections = [
        _yaml_header(configs, stats["candidates"]),
        "# PERCÉE: expecting a breakthrough, or none?\n",
        "Statements from real English, French and Russian documents about an upcoming meeting, visit, summit or "
        "negotiation, labelled `expects_breakthrough`, `expects_none` or `no_claim` (definitions: "
        "`shared/spec/LABELS.md`; guidelines: `datasets/ANNOTATION.md`). Built by `percee build` "
        f"(builder {stats['builder_version']}); checksums in `MANIFEST.json`.\n",
        "## Configurations and splits\n",
        "- `default`: grouped splits (a document, a Europarl sitting or a 100-line block of a WMT test set stays "
        "in one split, with every translation of its statements); `validation` and `test` hold gold labels only; "
        "`train` holds gold and weak labels (`label_source`).\n"
        "- `temporal`: train/validation on documents dated before 2015, test on every gold statement dated 2015 "
        "or later (undated documents are left out).\n"
        "- `xling_fr`, `xling_ru`: train and validate on English, test on French or Russian test statements.\n"
        "- `contrast`: the contrast sets (see below), a `test` split only.\n",
        _table(["config", "split", "rows", "gold", "en", "fr", "ru"], split_rows) + "\n",
        "### Labels per split and language (`default`)\n",
        _table(["split", "lang", *LABELS], per_split_label) + "\n",
        "## Sources\n",
        _table(["source", "licence", "documents", "candidates", "gold"],
               [[s.name, s.licence, stats["documents"].get(s.name, 0), stats["candidates_by_source"].get(s.name, 0),
                 sum(r["source"] == s.name for r in gold_rows)] for s in SOURCES]) + "\n",
        "Full terms and provenance: `datasets/raw/<source>/SOURCE.md`. Research use only where a source says so.\n",
        "## Gold labels\n",
        f"{len(gold_rows)} gold statements, each labelled by reading it in context (title, date, the two "
        "sentences before) under the guidelines; annotator ids and the guideline version are columns. A blind "
        "second annotation covers a stratified sample; disagreements are adjudicated (`label_first`, "
        "`label_second` keep the original labels). The annotators are AI annotator sessions, each started "
        "fresh with only the guidelines and the statements (see `datasets/ANNOTATION.md`); sessions of one model "
        "family may agree more with each other than people would, so read the kappas below as an upper bound "
        "on human agreement.\n",
        "### Gold by language and label\n", _table(["lang", *LABELS, "total"], _counts_by(gold_rows, "lang")) + "\n",
        "### Gold by source and label\n", _table(["source", *LABELS, "total"], _counts_by(gold_rows, "source")) + "\n",
        "### Inter-annotator agreement (Cohen's kappa, first vs second annotation)\n",
        (_table(["lang", "task", "n", "agreement", "kappa"],
                [[a["lang"], a["task"], a["n"], a["agreement"], a["kappa"]] for a in agreement])
         if agreement else "No double annotation yet.") + "\n",
        "## Contrast sets\n",
        _contrast_section(contrast_rows),
        "## Weak labels\n",
        "Labelling functions over the cue lexicons of `configs/build/<lang>.yaml` (negation-scoped), combined by "
        "majority vote; a tie is a conflict and, like no vote, an abstention. `weak_rules` names the functions "
        "that fired. Against gold:\n",
        _table(["lang", "gold", "coverage", "accuracy (covered)", *[f"precision {l}" for l in LABELS]],
               [[w["lang"], w["n"], w["coverage"], w["accuracy"], *[w["precision"][l] for l in LABELS]]
                for w in weak_eval]) + "\n",
        _label_model_section(label_model_eval or []),
        "## Build\n",
        f"{sum(stats['documents'].values())} documents, {stats['candidates']} candidate statements "
        "(a sentence of 15–600 characters with an expectation cue and an event or outcome cue), "
        f"{stats['labelled']} with a gold or weak label.\n",
        "## Citation and licences\n",
        "Cite the sources as their SOURCE.md asks (Reuters-21578 Distribution 1.0; kremlin.ru, CC BY 4.0; WMT news "
        "test sets; NTREX-128; NEREL and factRuEval-2016; Europarl, Koehn 2005). The code is MIT-licensed.\n",
    ]
    return "\n".join(sections)
