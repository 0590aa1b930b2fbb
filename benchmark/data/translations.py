"""Translated evaluation (as XNLI did for NLI): English test statements translated into French and Russian.

``datasets/translations/<lang>/`` holds the translators' files (``tr-*.jsonl``: ``translation_of``, ``text``,
``translator``) and, under ``annotations/``, the blind labels a second annotator gave each translation from
the translation alone (``id`` = ``<English id>#<lang>``, role ``primary``), plus adjudication rows where that
label differs from the English gold label. A translated row copies its English statement's provenance, keeps
the English gold label as ``label_first`` and the blind label as ``label_second``, and takes the adjudicated
label when they differ. Translations never replace the in-language tests: they only form ``translated_<lang>``.
"""
from __future__ import annotations

import re
from pathlib import Path

from benchmark.data.annotations import ADJUDICATION, PRIMARY, read_annotations
from benchmark.errors import InputError, control_character, shorten
from benchmark.fileio import read_jsonl
from benchmark.labels import LABELS

TRANSLATION_LANGUAGES = ("fr", "ru")
TRANSLATOR_ID = re.compile(r"^tr-[a-z0-9][a-z0-9-]*$")


def translated_id(english_id: str, lang: str) -> str:
    return f"{english_id}#{lang}"


def _translations(folder: Path, lang: str, english: dict[str, dict]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in sorted(folder.glob("tr-*.jsonl")):
        for line, record in read_jsonl(path):
            source, text, translator = record.get("translation_of"), record.get("text"), record.get("translator")
            if source not in english:
                raise InputError(f"translation of {shorten(source)}, which is not an English gold test statement",
                                 path=path, line=line)
            if not isinstance(text, str) or not text.strip() or control_character(text):
                raise InputError("text must be a non-empty string without control characters", path=path, line=line)
            if not isinstance(translator, str) or not TRANSLATOR_ID.match(translator):
                raise InputError(f"translator {shorten(translator)} is not a translator id like 'tr-01'",
                                 path=path, line=line)
            if source in found:
                raise InputError(f"{source} is translated twice into {lang}", path=path, line=line)
            found[source] = {"text": text.strip(), "translator": translator}
    return found


def translated_rows(folder: Path, english_test: list[dict]) -> list[dict]:
    """The translated test rows of every language under ``folder`` (``datasets/translations``).

    ``english_test``: the default test split's English gold rows (the only statements that may be translated).
    A translation without a blind label, or whose blind label differs from the English gold label without an
    adjudication row, raises InputError.
    """
    english = {row["id"]: row for row in english_test if row["lang"] == "en" and row["label_source"] == "gold"}
    rows = []
    for lang in TRANSLATION_LANGUAGES:
        base = Path(folder) / lang
        if not base.is_dir():
            continue
        translations = _translations(base, lang, english)
        labels = {}
        for annotation in read_annotations(base / "annotations"):
            labels.setdefault(annotation.id, {})[annotation.role] = annotation
        for source, translation in sorted(translations.items()):
            tid = translated_id(source, lang)
            blind = labels.get(tid, {}).get(PRIMARY)
            if blind is None:
                raise InputError(f"translation {tid} has no blind label yet", path=base / "annotations")
            gold = LABELS[english[source]["label"]]
            decided = labels[tid].get(ADJUDICATION)
            if blind.label != gold and decided is None:
                raise InputError(f"{tid}: the English gold label is {gold}, the blind label of the translation "
                                 f"is {blind.label} ({blind.where}); add an adjudication row")
            final = decided or blind
            rows.append({**english[source], "id": tid, "lang": lang, "text": translation["text"], "context": "",
                         "label": LABELS.index(final.label), "annotator": final.annotator,
                         "guideline_version": final.guideline_version, "label_first": gold,
                         "label_second": blind.label, "translation_of": source,
                         "translator": translation["translator"], "train_only": False, "pool": None,
                         "expectation_cues": [], "outcome_cues": [],
                         "weak_label": -1, "weak_rules": [], "weak_probs": [], "weak_outcome": "none", "holder_kind": "translated",
                         "translation_group": None})
    return rows
