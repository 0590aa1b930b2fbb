"""Weak labelling functions: negation, hedging, votes, abstentions and conflicts."""
import pytest

from benchmark.data.lexicon import lexicon_for
from benchmark.data.weak import ABSTAIN, CONFLICT, weak_label


@pytest.mark.parametrize("lang, text, label", [
    ("en", "Diplomats expect no agreement at the two days of talks.", "expects_none"),
    ("en", "Officials do not expect any Japanese concessions during the visit.", "expects_none"),
    ("en", "The summit is unlikely to take firm decisions.", "expects_none"),
    ("en", "He said he had no illusions about the talks.", "expects_none"),
    ("en", "At this point, it would be premature to talk about results of the talks.", "expects_none"),
    ("en", "The talks are expected to see the signing of a number of important agreements.", "expects_breakthrough"),
    ("fr", "Mais il ne faut pas s'attendre à des percées lors de la visite.", "expects_none"),
    ("fr", "Il estime qu'il devrait encore y avoir de grandes nouvelles.", "expects_breakthrough"),
    ("fr", "Il est peu probable que le sommet aboutisse à un accord.", "expects_none"),
    ("ru", "От саммита не следует ожидать каких-либо прорывных решений.", "expects_none"),
    ("ru", "Ожидается, что по итогам переговоров будет подписан ряд совместных документов.", "expects_breakthrough"),
    ("ru", "Вряд ли встреча принесёт результат.", "expects_none"),
])
def test_clear_cases(lang, text, label):
    assert weak_label(text, lexicon_for(lang)).label == label


def test_negation_scopes_over_a_positive_expectation():
    lexicon = lexicon_for("en")
    assert weak_label("We expect an agreement at the summit.", lexicon).label == "expects_breakthrough"
    negated = weak_label("We do not expect an agreement at the summit.", lexicon)
    assert negated.label == "expects_none" and "positive_expectation" not in negated.rules


def test_questions_vote_no_claim():
    result = weak_label("Will the summit bring an agreement?", lexicon_for("en"))
    assert "question" in result.rules


def test_abstains_without_any_rule_and_reports_conflicts():
    lexicon = lexicon_for("en")
    assert weak_label("The meeting is scheduled for Monday.", lexicon).outcome == ABSTAIN
    tie = weak_label("We expect an agreement at the summit, but we must be careful.", lexicon)
    assert tie.outcome == CONFLICT and tie.label is None and set(tie.rules) == {"positive_expectation",
                                                                               "wish_or_demand"}
