"""Cue lexicons per language, read from ``configs/build/<lang>.yaml`` and compiled once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from benchmark.errors import InputError
from benchmark.labels import LABELS, NO_CLAIM
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
class CueFilter:
    """The candidate filter's patterns, compiled case-sensitively for lower-cased sentences (3-4x faster than
    case-insensitive matching; cue patterns are written in lower case, which ``read_lexicon`` checks)."""

    expectation: re.Pattern
    event: re.Pattern
    outcome: re.Pattern
    #: Any pattern of a labelling function that votes for a claim label: a sentence it matches is a candidate.
    claim_cue: re.Pattern


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
    filter: CueFilter


def _compile(patterns: list[str], whole_words: bool, flags: int = re.IGNORECASE) -> re.Pattern:
    """One case-insensitive pattern for a cue list; patterns that start with a word are matched from a word
    start, under one shared ``\\b`` (so the engine skips the inside of words at once: about 4x faster)."""
    end = r"(?!\w)" if whole_words else ""
    from_word = [f"(?:{p}){end}" for p in patterns if re.match(r"[\w(\[]", p)]
    anywhere = [f"(?:{p}){end}" for p in patterns if not re.match(r"[\w(\[]", p)]
    parts = ([rf"\b(?:{'|'.join(from_word)})"] if from_word else []) + anywhere
    return re.compile("|".join(parts), flags)


def _lower_case(patterns: list[str]) -> list[str]:
    upper = [p for p in patterns if re.search(r"(?<!\\)[^\W\d_a-zа-яёàâäçéèêëîïôöùûüÿœæ]", p)]
    if upper:
        raise ValueError(f"write cue patterns in lower case (matching ignores case): {upper}")
    return patterns


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
            filter=CueFilter(
                expectation=_compile(_lower_case(spec["expectation"]), whole_words=True, flags=0),
                event=_compile(_lower_case(spec["event"]), whole_words=True, flags=0),
                outcome=_compile(_lower_case(spec["outcome"]), whole_words=True, flags=0),
                claim_cue=_compile(_lower_case([p for rule in spec["weak_rules"].values()
                                                if rule["label"] != NO_CLAIM for p in rule["patterns"]]),
                                   whole_words=False, flags=0)),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
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
