"""The annotator ceiling scores the second annotation against gold with the official scorer."""
from benchmark.labels import LABELS
from benchmark.scoring.ceiling import ceiling_pairs, ceiling_report

EB, EN, NC = LABELS


def test_a_second_annotator_who_agrees_everywhere_scores_one():
    pairs = [("en", EB, EB), ("fr", EN, EN), ("ru", NC, NC)]
    report = ceiling_report("claim_stance", pairs)
    assert report["headline"]["value"] == 1.0 and report["n"] == 3
    assert set(report["by_lang"]) == {"en", "fr", "ru"}


def test_disagreements_cost_the_ceiling_and_stance_leaves_out_non_claims():
    pairs = [("en", EB, EB), ("en", EB, NC), ("en", EN, EN), ("en", NC, NC)]
    assert ceiling_report("claim_stance", pairs)["headline"]["value"] < 1.0
    stance = ceiling_report("stance", pairs)
    assert stance["n"] == 2 and stance["headline"]["value"] == 1.0
    assert ceiling_report("stance", [("en", NC, NC)]) is None


def test_the_built_test_split_has_double_annotated_statements(built):
    pairs = ceiling_pairs("default", "test", built)
    assert len(pairs) > 50
    report = ceiling_report("claim_stance", pairs)
    assert 0.5 < report["headline"]["value"] <= 1.0
