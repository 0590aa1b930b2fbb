"""Weak labels: the cue-lexicon labelling functions of ``configs/build/<lang>.yaml`` and their vote."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from benchmark.data.lexicon import NEGATION_WINDOW, Lexicon, WeakRule
from benchmark.labels import NO_CLAIM

ABSTAIN = "abstain"
CONFLICT = "conflict"
LABELLED = "labelled"
QUESTION_RULE = "question"


@dataclass(frozen=True)
class WeakLabel:
    """The vote on one sentence: ``label`` (None when abstaining), the rules that fired, and the outcome."""

    label: str | None
    rules: tuple[str, ...]
    outcome: str


def fires(rule: WeakRule, text: str, lexicon: Lexicon) -> bool:
    """True when ``rule`` votes on ``text``: a match not in the scope of a negation (for negatable rules)."""
    for match in rule.pattern.finditer(text):
        if not rule.negatable:
            return True
        window = text[max(0, match.start() - NEGATION_WINDOW) : match.end()]
        if not lexicon.negation.search(window):
            return True
    return False


def votes(text: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    """``(rule name, label)`` for every labelling function that fires on ``text``."""
    fired = [(rule.name, rule.label) for rule in lexicon.weak_rules if fires(rule, text, lexicon)]
    if text.rstrip(" \"'»”’)").endswith("?"):
        fired.append((QUESTION_RULE, NO_CLAIM))
    return fired


def weak_label(text: str, lexicon: Lexicon) -> WeakLabel:
    """Majority vote of the labelling functions; no vote is an abstention, a tie at the top a conflict."""
    fired = votes(text, lexicon)
    rules = tuple(name for name, _ in fired)
    if not fired:
        return WeakLabel(None, rules, ABSTAIN)
    ranked = Counter(label for _, label in fired).most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return WeakLabel(None, rules, CONFLICT)
    return WeakLabel(ranked[0][0], rules, LABELLED)
