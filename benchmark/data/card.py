"""The dataset card (README.md of the built dataset): YAML header for ``datasets`` plus the documentation."""
from __future__ import annotations

from collections import Counter

from benchmark.data.features import COLUMNS, CONTRAST_COLUMNS
from benchmark.data.sources import SOURCES
from benchmark.labels import LABELS, NO_CLAIM

LANGS = ("en", "fr", "ru")


def _size_category(n: int) -> str:
    for low, high, name in ((0, 1_000, "n<1K"), (1_000, 10_000, "1K<n<10K"), (10_000, 100_000, "10K<n<100K"),
                            (100_000, 1_000_000, "100K<n<1M")):
        if low <= n < high:
            return name
    return "1M<n<10M"


def _yaml_header(configs: dict[str, dict[str, list[dict]]], n_candidates: int) -> str:
    lines = ["---", "pretty_name: PERCÉE", "language:", *[f"- {lang}" for lang in LANGS],
             "license: other", "multilinguality: multilingual", "task_categories:", "- text-classification",
             "size_categories:", f"- {_size_category(n_candidates)}", "configs:"]
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


def _round_six(gold_rows: list[dict]) -> str:
    """How many round-6 statements were annotated, and how many of them are claims, per language."""
    drawn = [r for r in gold_rows if r.get("pool") == "evaluation"]
    if not drawn:
        return "none annotated yet"
    parts = []
    for lang in sorted({r["lang"] for r in drawn}):
        members = [r for r in drawn if r["lang"] == lang]
        claims = sum(LABELS[r["label"]] != NO_CLAIM for r in members)
        parts.append(f"{lang} {len(members):,} statements, {claims} claims")
    return "; ".join(parts)


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


def _recall_section(recall: dict, candidates: int) -> str:
    """The extraction recall estimates of the annotated recall samples (``datasets/recall/<round>/``)."""
    if not recall:
        return "No recall sample annotated yet.\n"
    text = ("The filter keeps a sentence as a candidate when it pairs an expectation cue (an expectation verb, "
            "or since guidelines 1.2 a future, modal or certainty form) with an event or outcome cue, or matches a "
            "claim-voting labelling function. Its recall of claims is estimated from seeded, stratified random "
            "samples of ALL sentences (15–600 characters) of the corpora, candidates and rejected ones alike, "
            "annotated under the guidelines like gold (strata: language × source × cue stratum `candidate`, "
            "`expectation_only`, `event_only`, `neither`; design and weights in `datasets/recall/<round>/"
            "design.json`; each stratum's claim rate is scaled by its population). Recall = estimated claims "
            "among candidates / estimated claims among all sentences; the 95% interval is a stratified bootstrap "
            "(20,000 seeded redraws of every cell's sample). A cell whose sample holds no claim adds no variance to "
            "it: the last column gives how many sentences such cells hold, where a few unseen claims could hide. "
            "Round `before` was drawn under the narrower filter (commit 9c8f649) and used to widen it; round "
            "`after` was drawn afterwards from sentences never seen while tuning.\n\n")
    rows = []
    for name, result in recall.items():
        for lang, estimate in result["estimate"].items():
            strata = estimate["strata"]
            rows.append([name, lang, estimate["recall"], f"[{estimate['ci_low']:.3f}, {estimate['ci_high']:.3f}]",
                         round(estimate["estimated_claims"]), sum(v["sample"] for v in strata.values()),
                         sum(v["claims"] for v in strata.values()), estimate["population_in_cells_without_claims"]])
    table = _table(["round", "lang", "recall", "95% interval", "estimated claims", "annotated", "claims found",
                    "sentences in cells without a claim"], rows)
    before = recall.get("before")
    added = ""
    if before:
        narrow = sum(v["strata"].get("candidate", {}).get("population", 0)
                     for lang, v in before["estimate"].items() if lang != "all")
        added = (f"\n\nThe narrower filter kept {narrow} sentences (round `before`'s candidate stratum); the "
                 f"wider filter keeps {candidates}, so it adds {candidates - narrow}.")
    return text + table + added + "\n"


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
                contrast_rows: list[dict], label_model_eval: list[dict] | None = None,
                recall: dict | None = None) -> str:
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
        "`datasets/LABELS.md`; guidelines: `datasets/ANNOTATION.md`). Built by `percee build` "
        f"(builder {stats['builder_version']}); checksums in `MANIFEST.json`.\n",
        "## Configurations and splits\n",
        "- `default`: grouped splits (a document, a Europarl sitting or a 100-line block of a WMT test set stays "
        "in one split, with every translation of its statements); `validation` and `test` hold gold labels only; "
        "`train` holds gold and weak labels (`label_source`).\n"
        "- `temporal`: train/validation on documents dated before 2015, test on every gold statement dated 2015 "
        "or later (undated documents are left out).\n"
        "- `xling_fr`, `xling_ru`: train and validate on English, test on French or Russian test statements.\n"
        "- `translated_fr`, `translated_ru` (when translations exist): train and validate as `default`; test on "
        "every English test claim of rounds 1–5 (round 6 is not translated) plus as many randomly drawn English test `no_claim` statements, TRANSLATED "
        "into French or Russian by one translator session (`translator`) and labelled blind from the translation "
        "alone by a second annotator (`label_second`; the English gold label is `label_first`; disagreements "
        "adjudicated). They are translations, not original French or Russian text: they compare languages on "
        "the same content and never replace the in-language tests.\n"
        "- `contrast`: the contrast sets (see below), a `test` split only.\n",
        _table(["config", "split", "rows", "gold", "en", "fr", "ru"], split_rows) + "\n",
        "### Labels per split and language (`default`)\n",
        _table(["split", "lang", *LABELS], per_split_label) + "\n",
        "### Test statements per class, configuration and language (statistical power)\n",
        "The scores a test split can support depend on its rarest class. The 95% interval half-widths of the "
        "best baselines' F_avg per configuration and language are in the README and on the leaderboard (they "
        "need the baselines' predictions, which are made on this build).\n",
        _table(["config", "lang", *LABELS, "claims"],
               [[name, lang, *[sum(r["lang"] == lang and LABELS[r["label"]] == label for r in splits["test"])
                               for label in LABELS],
                 sum(r["lang"] == lang and LABELS[r["label"]] != "no_claim" for r in splits["test"])]
                for name, splits in configs.items() if name != "contrast" and "test" in splits
                for lang in LANGS if any(r["lang"] == lang for r in splits["test"])]) + "\n",
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
        "### How the gold statements were drawn\n",
        "Rounds 1 and 2 (guidelines 1.0/1.1): a quota per source and language, weighted toward candidates on which "
        "the weak labeller voted a claim (x4) or conflicted (x3), then every remaining candidate on which a "
        "claim-voting labelling function fired. Round 3 (guidelines 1.2, after the new corpora and the wider "
        "filter): every Russian candidate; in English and French a seeded random 55% of the candidates on which a "
        "claim-voting function fired, per source and language, and 2,000 other candidates drawn at random in "
        "proportion to each source and language. Round 4: every remaining candidate whose weak vote is a claim. "
        "Round 5 enriches train only: the candidates a claim detector trained on rounds 1–4 found likeliest, in "
        "split groups holding no gold (column `train_only`, `pool` = `train`; never in validation or test). "
        "Rounds 1–5 add every candidate translation of a drawn statement. "
        f"Round 6, drawn after the splits were dealt (`pool` = `evaluation`; {_round_six(gold_rows)}): the "
        "not-yet-annotated candidates of the validation and test split groups in one seeded random order per "
        "language, annotated from the front of that order, so they are a uniform random sample of those "
        "candidates (`scripts/sample_evaluation_pool.py`); they stay in their group's split and never change "
        "how the splits are dealt. Rounds 1–5 oversample likely "
        "claims, so the gold set holds more claims than the candidates do; round 6 is the unweighted view of "
        "the validation and test candidates, the extraction recall sample below that of all sentences. Scripts: `scripts/sample_for_annotation.py` "
        "(seeds in its docstring); batches as annotators read them: `datasets/annotations/batches/`.\n",
        "### Inter-annotator agreement (Cohen's kappa, first vs second annotation)\n",
        (_table(["lang", "task", "n", "agreement", "kappa"],
                [[a["lang"], a["task"], a["n"], a["agreement"], a["kappa"]] for a in agreement])
         if agreement else "No double annotation yet.") + "\n",
        "## Contrast sets\n",
        _contrast_section(contrast_rows),
        "## Extraction recall\n",
        _recall_section(recall or {}, stats["candidates"]),
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
        "(a sentence of 15–600 characters kept by the filter, see Extraction recall), "
        f"{stats['labelled']} with a gold or weak label.\n",
        "## Citation and licences\n",
        "Cite the sources as their SOURCE.md asks (Reuters-21578 Distribution 1.0; kremlin.ru, CC BY 4.0; WMT news "
        "test sets; NTREX-128; NEREL and factRuEval-2016; Europarl, Koehn 2005). The code is MIT-licensed.\n",
    ]
    return "\n".join(sections)
