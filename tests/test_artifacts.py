"""The files of a run: the confusion matrices are an SVG image drawn without a plotting library."""
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from benchmark.artifacts import CONFUSION, confusion_svg
from benchmark.labels import get_task


def test_confusion_matrices_are_svg_with_every_count_and_escaped_names():
    task = get_task("claim_stance")
    reports = {"validation": {"n": 10, "confusion_matrix": {"counts": [[3, 1, 0], [0, 2, 1], [0, 0, 3]]}},
               "test": {"n": 21, "confusion_matrix": {"counts": [[4, 0, 1], [2, 5, 0], [1, 1, 7]]}}}
    result = SimpleNamespace(task=task, reports=reports, model_name="<m&l>", data={"config": "default"})
    svg = confusion_svg(result)
    root = ET.fromstring(svg)  # well-formed XML
    texts = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "validation (n = 10)" in texts and "test (n = 21)" in texts
    assert [int(t) for t in texts if t.isdigit()] == [3, 1, 0, 0, 2, 1, 0, 0, 3, 4, 0, 1, 2, 5, 0, 1, 1, 7]
    assert texts.count("no_claim") == 4 and "<m&l>" not in svg and "&lt;m&amp;l&gt;" in svg
    assert CONFUSION.endswith(".svg")

