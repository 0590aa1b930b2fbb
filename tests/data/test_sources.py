"""The raw sources: multi-file sources and the UN records' paragraph numbers."""
from __future__ import annotations

from benchmark.data.sources import SOURCES, normalise, read_source


def source(name):
    return next(s for s in SOURCES if s.name == name)


def test_europarl_reads_both_files_in_order(small_raw):
    europarl = source("europarl")
    assert europarl.files == ("europarl_enfr_1996_2005.jsonl.gz", "europarl_enfr_1996_2005_part2.jsonl.gz")
    ids = [d.doc_id for file in europarl.files for d in read_source(europarl, small_raw / "europarl" / file)]
    assert ids == ["europarl-ep-00-01-19-en", "europarl-ep-00-01-19-fr",
                   "europarl-ep-01-11-28-en", "europarl-ep-01-11-28-fr"]


def test_un_paragraph_numbers_are_layout_and_removed():
    text = "138.\tBefore using this opportunity, I must speak.\n139.\tWe represent a small nation.\n12. Next point."
    assert normalise(text, wrapped=False, numbered=True) == (
        "Before using this opportunity, I must speak.\nWe represent a small nation.\nNext point.")
    assert normalise("In 1981. We met.", wrapped=False, numbered=True) == "In 1981. We met."


def test_ungdc_documents_keep_their_lines_without_numbers(small_raw):
    ungdc = source("ungdc")
    (afghanistan,) = [d for d in read_source(ungdc, small_raw / "ungdc" / ungdc.files[0])
                      if d.doc_id == "ungdc-AFG-13-1958"]
    first = afghanistan.text.split("\n")[0]
    assert first.startswith("Before using this opportunity to make a statement on behalf of the Government")
    assert afghanistan.lang == "en" and afghanistan.date == "1958"
