"""Cue lexicons per language, read from ``configs/build/<lang>.yaml`` and compiled once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from benchmark.errors import InputError
from benchmark.labels import LABELS
from benchmark.paths import BUILD_CONFIGS

LANGUAGES: tuple[str, ...] = ("en", "fr", "ru")

#: How far before a negatable rule's match a negation cue still scopes over it, in characters.
NEGATION_WINDOW = 40


@dataclass(frozen=True)
class WeakRule:
    """One labelling function: votes ``label`` when ``pattern`` matches a sentence, abstains otherwise.

    A ``negatable`` rule also abstains when a negation cue stands inside its match or shortly before it.
    """

    name: str
    label: str
    pattern: re.Pattern
    negatable: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The compiled cues of one language."""

    language: str
    abbreviations: frozenset[str]
    expectation: re.Pattern
    event: re.Pattern
    outcome: re.Pattern
    attribution: re.Pattern
    negation: re.Pattern
    weak_rules: tuple[WeakRule, ...]


def _word(pattern: str) -> str:
    return rf"\b(?:{pattern})" if re.match(r"[\w(\[]", pattern) else f"(?:{pattern})"


def _compile(patterns: list[str], whole_words: bool) -> re.Pattern:
    parts = [_word(p) + (r"(?!\w)" if whole_words else "") for p in patterns]
    return re.compile("|".join(parts), re.IGNORECASE)


def read_lexicon(path: Path) -> Lexicon:
    """Read and compile one lexicon file; a bad file raises InputError naming it."""
    import yaml

    try:
        spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        rules = tuple(
            WeakRule(name, rule["label"], _compile(rule["patterns"], whole_words=False), rule.get("negatable", False))
            for name, rule in spec["weak_rules"].items()
        )
        lexicon = Lexicon(
            language=spec["language"],
            abbreviations=frozenset(a.lower() for a in spec["abbreviations"]),
            expectation=_compile(spec["expectation"], whole_words=True),
            event=_compile(spec["event"], whole_words=True),
            outcome=_compile(spec["outcome"], whole_words=True),
            attribution=_compile(spec["attribution_verbs"], whole_words=True),
            negation=_compile(spec["negation"], whole_words=False),
            weak_rules=rules,
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, re.error) as exc:
        raise InputError(f"bad cue lexicon ({type(exc).__name__}: {exc})", path=path) from None
    unknown = {r.label for r in rules} - set(LABELS)
    if unknown:
        raise InputError(f"weak rule label(s) {sorted(unknown)} not in {list(LABELS)}", path=path)
    return lexicon


@lru_cache(maxsize=None)
def lexicon_for(language: str, folder: Path = BUILD_CONFIGS) -> Lexicon:
    """The lexicon of ``language`` from ``folder`` (cached)."""
    if language not in LANGUAGES:
        raise InputError(f"unknown language {language!r}; supported: {', '.join(LANGUAGES)}")
    return read_lexicon(Path(folder) / f"{language}.yaml")
