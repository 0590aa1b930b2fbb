"""Candidate extraction, provenance, holders, events and weak labels on real documents."""
from benchmark.data.extract import extract, statement_id
from benchmark.data.lexicon import lexicon_for
from benchmark.data.sources import SOURCES, read_source

SEED = next(s for s in SOURCES if s.name == "seed")


def seed_statements():
    (document,) = read_source(SEED)
    return document, list(extract(document, lexicon_for("fr")))


def find(statements, fragment):
    (statement,) = [s for s in statements if fragment in s.text]
    return statement


def test_seed_lukyanov_expects_no_breakthrough():
    _, statements = seed_statements()
    statement = find(statements, "il ne faut pas s'attendre à des percées")
    assert statement.holder == "Lukyanov" and statement.holder_kind == "quoted"
    assert statement.weak_label == "expects_none"
    assert "negated_expectation" in statement.weak_rules


def test_seed_lepsibaev_expects_big_news():
    _, statements = seed_statements()
    statement = find(statements, "il devrait encore y avoir de grandes nouvelles")
    assert statement.holder == "Chingiz Lepsibaev"
    assert statement.weak_label == "expects_breakthrough"
    assert "grandes nouvelles" in statement.outcome_cues


def test_provenance_offsets_reproduce_the_text():
    document, statements = seed_statements()
    for s in statements:
        assert document.text[s.char_start : s.char_end] == s.text
        assert s.id == statement_id(document.doc_id, s.char_start, s.char_end, s.text)
        assert s.source == "seed" and s.lang == "fr" and s.doc_id == document.doc_id


def test_event_is_attached_from_the_sentence_or_its_context():
    _, statements = seed_statements()
    assert find(statements, "décisions révolutionnaires").event == "visite"
    assert all(s.event for s in statements)


def test_sentences_without_an_expectation_cue_are_not_candidates():
    _, statements = seed_statements()
    assert not any("Tatarstan n'est pas du tout une région étrangère" in s.text for s in statements)


def test_parallel_lines_share_a_translation_group(small_raw):
    wmt = next(s for s in SOURCES if s.name == "wmt_newstest")
    statements = [s for d in read_source(wmt, small_raw / wmt.name / wmt.files[0]) for s in extract(d, lexicon_for(d.lang))]
    groups = {}
    for s in statements:
        assert s.translation_group == f"newstest2012-enfrru:{s.line_index}"
        groups.setdefault(s.translation_group, set()).add(s.lang)
    assert any(len(langs) > 1 for langs in groups.values()), "expected some line with candidates in two languages"


def test_europarl_holder_is_the_speaker_of_the_turn(small_raw):
    europarl = next(s for s in SOURCES if s.name == "europarl")
    documents = list(read_source(europarl, small_raw / europarl.name / europarl.files[0]))
    statements = [s for d in documents for s in extract(d, lexicon_for(d.lang))]
    speakers = {name for d in documents for _, name in d.speaker_turns}
    assert any(s.holder_kind == "speaker" and s.holder in speakers for s in statements)


def test_transcript_speaker_labels_name_the_holder_but_news_lines_do_not(small_raw):
    kremlin = next(s for s in SOURCES if s.name == "kremlin")
    documents = {d.doc_id: d for d in read_source(kremlin, small_raw / kremlin.name / kremlin.files[0])}
    transcript = [s for s in extract(documents["kremlin-en-news-60857"], lexicon_for("en"))]
    assert any(s.holder_kind == "speaker" and s.holder == "Vladimir Putin" for s in transcript)
    wmt = next(s for s in SOURCES if s.name == "wmt_newstest")
    news = [s for d in read_source(wmt, small_raw / wmt.name / wmt.files[0]) for s in extract(d, lexicon_for(d.lang))]
    assert not any(s.holder_kind == "speaker" for s in news)


def test_the_subject_of_an_expectation_verb_is_the_holder():
    from benchmark.data.holder import attribution

    lexicon = lexicon_for("en")
    assert attribution("Diplomats expect no agreement at the two days of talks.", lexicon) == "Diplomats"
    assert attribution("Officials do not expect any Japanese concessions during the visit.", lexicon) == "Officials"
    assert attribution("Mr Putin said he expected progress on many issues.", lexicon) == "Mr Putin"
