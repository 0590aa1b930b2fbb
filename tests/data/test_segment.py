"""Sentence segmentation in English, French and Russian."""
from benchmark.data.lexicon import lexicon_for
from benchmark.data.segment import split, split_spans


def sentences(text: str, lang: str) -> list[str]:
    return split(text, lexicon_for(lang).abbreviations)


def test_english_abbreviations_initials_and_acronyms_do_not_end_sentences():
    text = "Mr. Smith met Dr. J. Jones in the U.S. on Monday. The talks failed! Will they meet again? Yes."
    assert sentences(text, "en") == ["Mr. Smith met Dr. J. Jones in the U.S. on Monday.", "The talks failed!",
                                     "Will they meet again?", "Yes."]


def test_english_closing_quote_stays_with_its_sentence():
    text = '"One really cannot expect a positive conclusion to today\'s talks," the source added. He left.'
    assert sentences(text, "en") == ['"One really cannot expect a positive conclusion to today\'s talks," '
                                     "the source added.", "He left."]
    assert sentences('He said: "We expect a deal." Then he left.', "en") == ['He said: "We expect a deal."',
                                                                            "Then he left."]


def test_french_guillemets_and_titles():
    text = ("M. Poutine a reçu Mme Dupont. « Les relations sont étroites. Une autre chose est la réunion », "
            "a expliqué Lukyanov. Fin de la visite.")
    assert sentences(text, "fr") == ["M. Poutine a reçu Mme Dupont.", "« Les relations sont étroites.",
                                     "Une autre chose est la réunion », a expliqué Lukyanov.", "Fin de la visite."]


def test_russian_abbreviations_and_initials():
    text = "В 2025 г. В. В. Путин встретился с ним, т.е. с президентом. Переговоры прошли успешно."
    assert sentences(text, "ru") == ["В 2025 г. В. В. Путин встретился с ним, т.е. с президентом.",
                                     "Переговоры прошли успешно."]


def test_line_breaks_always_end_sentences_and_spans_point_into_the_text():
    text = "First line without stop\nSecond line. Third sentence."
    spans = list(split_spans(text))
    assert [text[s:e] for s, e in spans] == ["First line without stop", "Second line.", "Third sentence."]


def test_lowercase_after_a_stop_does_not_start_a_sentence():
    assert sentences("Prices rose 5 pct. in March and fell.", "en") == ["Prices rose 5 pct. in March and fell."]
