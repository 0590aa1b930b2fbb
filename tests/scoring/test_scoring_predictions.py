"""Reading and validating predictions files: every failure gets one specific message."""
import gzip
import json
import re

import numpy as np
import pytest

from benchmark.errors import InputError
from benchmark.labels import get_task
from benchmark.scoring.predictions import _parse_canonical, gold_arrays, load_predictions

TASK = get_task("claim_stance")


def _rows(gold, **changes):
    """Perfect predictions for ``gold``; ``changes`` maps id -> replacement row (None drops the id)."""
    rows = [{"id": i, "label": record["label"]} for i, record in gold.items()]
    return [changes.get(row["id"], row) for row in rows if changes.get(row["id"], row) is not None]


def _error(*args, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        load_predictions(*args, **kwargs)
    return str(caught.value)


# ---------------------------------------------------------------- valid files


def test_perfect_file_is_aligned_with_gold(gold, gold_predictions):
    predictions = load_predictions("claim_stance", gold, gold_predictions)
    assert predictions.ids == list(gold)
    np.testing.assert_array_equal(predictions.y_pred, predictions.y_true)
    np.testing.assert_array_equal(predictions.y_true, [0, 1, 2, 0, 1, 2, 0, 2, 2, 1, 0, 2])
    assert predictions.langs[:2] == ["en", "fr"] and predictions.sources[:3] == ["a", "b", "c"]
    assert predictions.scores is None and predictions.meta == {} and predictions.n_ignored == 0


def test_any_row_order_is_realigned(gold, write_predictions):
    rows = _rows(gold, s11={"id": "s11", "label": "expects_none"})[::-1]
    predictions = load_predictions(TASK, gold, write_predictions(rows))
    assert predictions.ids == list(gold)
    assert predictions.y_pred[10] == 1 and predictions.y_true[10] == 0


def test_scores_meta_and_gzip(gold, write_predictions, tmp_path):
    rows = [{**row, "scores": {"expects_breakthrough": 0.5, "expects_none": 0.25, "no_claim": 0.25}}
            for row in _rows(gold)]
    path = write_predictions(rows, meta={"dataset_digest": "abc", "system": "x"})
    zipped = tmp_path / "predictions.jsonl.gz"
    zipped.write_bytes(gzip.compress(path.read_bytes()))
    for source in (path, zipped):
        predictions = load_predictions(TASK, gold, source, expected_digest="abc")
        assert predictions.meta == {"dataset_digest": "abc", "system": "x"}
        assert predictions.scores.shape == (12, 3)
        np.testing.assert_allclose(predictions.scores[0], [0.5, 0.25, 0.25])


def test_sidecar_metadata(gold, gold_predictions):
    gold_predictions.with_name(gold_predictions.name + ".meta.json").write_text('{"dataset_digest": "abc"}')
    assert load_predictions(TASK, gold, gold_predictions).meta == {"dataset_digest": "abc"}
    assert "digest" in _error(TASK, gold, gold_predictions, expected_digest="xyz")


def test_stance_ignores_rows_of_non_claims(gold, gold_predictions):
    predictions = load_predictions("stance", gold, gold_predictions)
    assert len(predictions.ids) == 7 and predictions.n_ignored == 5
    np.testing.assert_array_equal(predictions.y_pred, predictions.y_true)


def test_claim_task_maps_gold_labels(gold, write_predictions):
    rows = [{"id": i, "label": "no_claim" if r["label"] == "no_claim" else "claim"} for i, r in gold.items()]
    predictions = load_predictions("claim", gold, write_predictions(rows))
    np.testing.assert_array_equal(predictions.y_true, [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1])
    np.testing.assert_array_equal(predictions.y_pred, predictions.y_true)


def _scored(gold, order=None):
    """Perfect predictions for ``gold`` with scores, in ``order`` (gold order by default)."""
    rows = [{**row, "scores": {"expects_breakthrough": 0.125, "expects_none": 0.25, "no_claim": 0.625}}
            for row in _rows(gold, s03={"id": "s03", "label": "expects_none"})]
    return rows if order is None else [rows[i] for i in order]


@pytest.mark.parametrize("with_scores", [False, True])
@pytest.mark.parametrize("order", [None, [11, 3, 0, 7, 1, 10, 5, 2, 9, 4, 8, 6]])
def test_bulk_and_line_by_line_paths_agree(gold, write_predictions, order, with_scores):
    rows = _scored(gold, order)
    rows = rows if with_scores else [{"id": row["id"], "label": row["label"]} for row in rows]
    default, compact = write_predictions(rows), write_predictions(rows, name="compact.jsonl", compact=True)
    assert all(_parse_canonical(path.read_bytes(), path) is not None for path in (default, compact))  # bulk
    reordered = write_predictions([json.dumps(dict(reversed(row.items()))) for row in rows], name="keys.jsonl")
    assert _parse_canonical(reordered.read_bytes(), reordered) is None  # line by line
    results = [load_predictions(TASK, gold, path) for path in (default, compact, reordered)]
    for result in results:
        assert result.ids == list(gold) and result.y_pred[2] == 1
        np.testing.assert_array_equal(result.y_pred, results[0].y_pred)
        if with_scores:
            np.testing.assert_array_equal(result.scores, np.tile([0.125, 0.25, 0.625], (12, 1)))
        else:
            assert result.scores is None


def test_bulk_path_in_any_order_drops_rows_outside_the_task(gold, write_predictions):
    rows = [{"id": row["id"], "label": row["label"]} for row in _scored(gold, [11, 3, 0, 7, 1, 10, 5, 2, 9, 4, 8, 6])]
    path = write_predictions(rows + [{"id": "elsewhere", "label": "no_claim"}])
    assert _parse_canonical(path.read_bytes(), path) is not None
    assert "1 id(s) are not in the gold, e.g. 'elsewhere' (line 13)" in _error("stance", gold, path)
    predictions = load_predictions("stance", gold, write_predictions(rows, name="in-gold.jsonl"))
    assert predictions.n_ignored == 5 and predictions.ids == [i for i in gold if gold[i]["label"] != "no_claim"]


@pytest.mark.parametrize("change, changed, line, expected", [
    ({"expects_breakthrough": 0.5, "expects_none": 0.25, "no_claim": 1.5}, [4], 5, '"scores" .* has a value above 1'),
    ({"expects_breakthrough": 0.5, "expects_none": 0.25, "yes": 0.25}, range(12), 3, "unknown label key"),  # s01
])
def test_bulk_path_problems_are_explained_line_by_line(gold, write_predictions, change, changed, line, expected):
    rows = _scored(gold, [11, 3, 0, 7, 1, 10, 5, 2, 9, 4, 8, 6])
    for index in changed:
        rows[index] = {**rows[index], "scores": change}
    path = write_predictions(rows)
    assert _parse_canonical(path.read_bytes(), path) is not None
    message = _error(TASK, gold, path)
    assert re.search(expected, message) and f"{path}:{line}:" in message


def test_bulk_path_reads_numbers_as_json_does(gold, write_predictions):
    rows = [json.dumps(row) for row in _scored(gold)]
    for index, number in ((0, "1e-3"), (1, "-0"), (2, "1"), (3, "0.5E+0")):
        rows[index] = rows[index].replace("0.625", number)
    path = write_predictions(rows)
    assert _parse_canonical(path.read_bytes(), path) is not None
    np.testing.assert_array_equal(load_predictions(TASK, gold, path).scores[:4, 2], [1e-3, 0, 1, 0.5])
    for bad in ("01", ".5", "1.", "0x1", "1 ", "NaN", "1,2"):
        broken = write_predictions([rows[0].replace("1e-3", bad), *rows[1:]], name="bad.jsonl")
        assert _parse_canonical(broken.read_bytes(), broken) is None, bad


def test_bulk_path_gives_the_same_doubles_as_the_line_by_line_path(gold, write_predictions):
    """Bit for bit: full-precision values, values that round at the last digit, subnormals, -0 (the JSON integer
    0, read as +0.0) and -0.0 (a float, kept negative)."""
    numbers = ["0.1", "0.30000000000000004", "0." + "1" * 40, "2.2250738585072011e-308", "4.9406564584124654e-324",
               "1e-400", "-0", "-0.0", "9007199254740993e-16", "0.9999999999999999", "1E-1", "1e+0"]
    rows = [json.dumps(row).replace("0.625", number) for row, number in zip(_scored(gold), numbers)]
    bulk = write_predictions(rows)
    lines = write_predictions([row.replace('"id": ', '"id" : ') for row in rows], name="lines.jsonl")
    assert _parse_canonical(bulk.read_bytes(), bulk) is not None
    assert _parse_canonical(lines.read_bytes(), lines) is None
    fast, slow = (load_predictions(TASK, gold, path).scores for path in (bulk, lines))
    assert fast.tobytes() == slow.tobytes()
    assert fast[:, 2].tolist() == [float(json.loads(number)) for number in numbers]
    assert np.signbit(fast[6:8, 2]).tolist() == [False, True]


@pytest.mark.parametrize("text", [
    '{"id": "a", "label": "b"}\n\n{"id": "c", "label": "d"}\n',            # blank line
    '{"id": "a", "label": "b"}\r\n',                                         # CRLF
    '{"id": "a\\"b", "label": "x"}\n',                                       # escaped quote
    '{"id": "", "label": "x"}\n',                                            # empty id
    '{"id": "a", "label": "b"}, {"id": "c", "label": "d"}\n{"x": [1,\n',   # two rows on one line
    '{"label": "b", "id": "a"}\n',                                           # other key order
    '{"id": "a", "label": "b"}{"id": "c", "label": "d"}\n',
    '{"id": ",a", "label": "b"}\n{"id": "c" , "label": "d"}\n',           # a space before a comma
    '{"id": "a", "label": "b", "scores": {}}\n',                            # no score
    '{"id": "a", "label": "b", "scores": {"x": 1}} \n',
    '{"id": "a", "label": "b", "scores": {"x": 1, "x": 2}}\n',              # a repeated key
    '{"id": "a", "label": "b", "scores": {"x": 1}}\n{"id": "a", "label": "b", "scores": {"y": 1}}\n',
    '{"id": "a", "label": "b", "scores": {"x": [1]}}\n',
    '{"id": "a", "label": "b", "scores": {"x": 1, "y": "2"}}\n',
    '{"id": "a", "label": "b"}\t\n',                                        # a control character
    '{"id": "a", "label": "b"} \n',
])
def test_non_canonical_files_leave_the_bulk_path(text):
    assert _parse_canonical(text.encode(), None) is None


def test_bulk_path_cuts_rows():
    data = b'{"_meta": {"dataset_digest": "d"}}\n{"id": "a1", "label": "no_claim"}\n{"id": "b", "label": "x"}'
    rows = _parse_canonical(data, None)
    assert rows.meta == {"dataset_digest": "d"} and rows.lines.tolist() == [2, 3] and rows.scores is None
    assert _parse_canonical(b'{"id": ",a\\"", "label": "b"}', None) is None
    assert _parse_canonical(b'{"id": ",a", "label": "b"}', None).ids == [",a"]  # quotes, not commas, cut rows
    assert rows.ids == ["a1", "b"] and rows.label(1) == "x"
    assert rows.label_codes(TASK.labels).tolist() == [2, -1]
    assert rows.same_ids(["a1", "b"]) and not rows.same_ids(["a1", "c"]) and not rows.same_ids(["a1"])


def test_non_ascii_ids_on_the_bulk_path(write_predictions):
    gold = {"déclaration-1": {"label": "no_claim", "lang": "fr", "source": "x"},
            "заявление-2": {"label": "expects_none", "lang": "ru", "source": "x"}}
    path = write_predictions([{"id": "заявление-2", "label": "expects_none"},
                              {"id": "déclaration-1", "label": "no_claim"}])
    assert _parse_canonical(path.read_bytes(), path).ids == ["заявление-2", "déclaration-1"]
    predictions = load_predictions(TASK, gold, path)
    assert predictions.ids == list(gold)
    np.testing.assert_array_equal(predictions.y_pred, [2, 1])
    in_order = write_predictions([{"id": "déclaration-1", "label": "no_claim"},
                                  {"id": "заявление-2", "label": "expects_breakthrough"}], name="in-order.jsonl")
    np.testing.assert_array_equal(load_predictions(TASK, gold, in_order).y_pred, [2, 0])


def test_digest_mismatch_is_refused_unless_forced(gold, gold_predictions, write_predictions):
    path = write_predictions(_rows(gold), name="old.jsonl", meta={"dataset_digest": "old"})
    message = _error(TASK, gold, path, expected_digest="new")
    assert "'old'" in message and "'new'" in message and "force" in message and str(path) in message
    assert load_predictions(TASK, gold, path, expected_digest="new", force=True).meta["dataset_digest"] == "old"
    assert load_predictions(TASK, gold, gold_predictions, expected_digest="new").meta == {}


# ---------------------------------------------------------------- one message per failure


def test_missing_file(gold, tmp_path):
    message = _error(TASK, gold, tmp_path / "nope.jsonl")
    assert "nope.jsonl" in message and "not found" in message


def test_unreadable_file(gold, tmp_path):
    message = _error(TASK, gold, tmp_path)  # a folder
    assert str(tmp_path) in message and "cannot read" in message


def test_not_utf8(gold, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "s01", "label": "no_claim"}\n{"id": "s02\xe9", "label": "no_claim"}\n')
    message = _error(TASK, gold, path)
    assert f"{path}:2:" in message and "UTF-8" in message


def test_bad_json_names_the_line(gold, write_predictions):
    rows = _rows(gold)
    path = write_predictions([*rows[:2], '{"id": "s03", "label": no_claim}', *rows[3:]])
    message = _error(TASK, gold, path)
    assert f"{path}:3:" in message and "bad JSON" in message


@pytest.mark.parametrize("row, key", [({"label": "no_claim"}, '"id"'), ({"id": "s04"}, '"label"'),
                                      ({"id": 4, "label": "no_claim"}, '"id": 4'),
                                      ({"id": "s04", "label": None}, '"label": None')])
def test_row_without_id_or_label(gold, write_predictions, row, key):
    path = write_predictions(_rows(gold, s04=row))
    message = _error(TASK, gold, path)
    assert f"{path}:4:" in message and key in message and '{"id":' in message


def test_meta_row_after_the_first_line(gold, write_predictions):
    path = write_predictions([*_rows(gold), {"_meta": {"dataset_digest": "x"}}])
    message = _error(TASK, gold, path)
    assert f"{path}:13:" in message and "first line" in message


BOTH_PATHS = pytest.mark.parametrize("compact", [False, True], ids=["bulk", "line-by-line"])


@BOTH_PATHS
def test_missing_ids_count_and_first_five(gold, write_predictions, compact):
    path = write_predictions(_rows(gold, **{f"s{i:02d}": None for i in range(2, 9)}), compact=compact)
    message = _error(TASK, gold, path)
    assert "7 statement(s)" in message
    assert all(f"'s{i:02d}'" in message for i in range(2, 7)) and "'s07'" not in message


@BOTH_PATHS
def test_unknown_ids(gold, write_predictions, compact):
    rows = [*_rows(gold), {"id": "zz1", "label": "no_claim"}, {"id": "zz2", "label": "no_claim"}]
    path = write_predictions(rows, compact=compact)
    message = _error(TASK, gold, path)
    assert "2 id(s) are not in the gold" in message and "'zz1' (line 13)" in message and "'zz2'" in message


@BOTH_PATHS
def test_same_length_unknown_id_in_gold_order(gold, write_predictions, compact):
    path = write_predictions(_rows(gold, s05={"id": "s99", "label": "expects_none"}), compact=compact)
    message = _error(TASK, gold, path)
    assert "1 id(s) are not in the gold, e.g. 's99' (line 5)" in message


@BOTH_PATHS
def test_duplicate_ids_with_line_numbers(gold, write_predictions, compact):
    rows = _rows(gold)
    path = write_predictions([*rows, rows[2], rows[0]], compact=compact)
    message = _error(TASK, gold, path)
    assert "2 id(s) appear more than once" in message
    assert "'s03' on lines 3, 13" in message and "'s01' on lines 1, 14" in message


@BOTH_PATHS
def test_label_outside_the_task(gold, write_predictions, compact):
    path = write_predictions(_rows(gold, s05={"id": "s05", "label": "claim"}), compact=compact)
    message = _error(TASK, gold, path)
    assert f"{path}:5:" in message and "'claim'" in message
    assert "expects_breakthrough, expects_none, no_claim" in message
    stance = _error("stance", gold, write_predictions(_rows(gold, s01={"id": "s01", "label": "maybe"})))
    assert "'maybe'" in stance and "allowed labels: expects_breakthrough, expects_none" in stance


@pytest.mark.parametrize("scores, expected", [
    ({"expects_breakthrough": float("nan"), "expects_none": 0.5, "no_claim": 0.5}, "has a non-finite value"),
    ({"expects_breakthrough": float("inf"), "expects_none": 0.5, "no_claim": 0.5}, "has a non-finite value"),
    ({"expects_breakthrough": -0.2, "expects_none": 0.6, "no_claim": 0.6}, "has a negative value"),
    ({"expects_breakthrough": 1.5, "expects_none": 0.0, "no_claim": 0.0}, "has a value above 1"),
    ({"expects_breakthrough": 0.0, "expects_none": 0.0, "no_claim": 0.0}, "sums to 0"),
    ({"expects_breakthrough": 0.5, "expects_none": 0.5, "no_claim": 0.0, "maybe": 0.0}, "unknown label key(s) maybe"),
    ({"expects_breakthrough": 0.5, "expects_none": 0.5}, "missing no_claim"),
    ({"expects_breakthrough": "high", "expects_none": 0.5, "no_claim": 0.0}, "must be numbers"),
])
def test_bad_scores(gold, write_predictions, scores, expected):
    good = {"expects_breakthrough": 0.2, "expects_none": 0.3, "no_claim": 0.5}
    rows = [{**row, "scores": good} for row in _rows(gold)]
    rows[5] = {**rows[5], "scores": scores}
    path = write_predictions(rows)
    message = _error(TASK, gold, path)
    assert f"{path}:6:" in message and expected in message


def test_scores_on_some_rows_only(gold, write_predictions):
    rows = _rows(gold)
    rows[0] = {**rows[0], "scores": {"expects_breakthrough": 1.0, "expects_none": 0.0, "no_claim": 0.0}}
    path = write_predictions(rows)
    message = _error(TASK, gold, path)
    assert f"{path}:2:" in message and "every row or on none" in message


def test_corrupt_gzip(gold, gold_predictions, tmp_path):
    packed = bytearray(gzip.compress(gold_predictions.read_bytes()))
    packed[len(packed) // 2] ^= 0xFF
    path = tmp_path / "corrupt.jsonl.gz"
    path.write_bytes(bytes(packed))
    message = _error(TASK, gold, path)
    assert str(path) in message and "gzip" in message


def test_empty_file(gold, write_predictions):
    for path in (write_predictions([]), write_predictions([], name="meta-only.jsonl", meta={"dataset_digest": "x"}),
                 write_predictions(["", "  "], name="blank.jsonl")):
        message = _error(TASK, gold, path)
        assert str(path) in message and "no predictions" in message


def test_conflicting_metadata(gold, write_predictions):
    path = write_predictions(_rows(gold), meta={"dataset_digest": "a"})
    path.with_name(path.name + ".meta.json").write_text('{"dataset_digest": "b"}')
    assert "disagree on dataset_digest" in _error(TASK, gold, path)


def test_bad_gold_is_reported():
    with pytest.raises(InputError, match="'x1' has label 'maybe'"):
        gold_arrays(TASK, {"x1": {"label": "maybe", "lang": "en", "source": "s"}})
    with pytest.raises(InputError, match="'x1' needs a mapping with label, lang and source"):
        gold_arrays(TASK, {"x1": {"label": "no_claim"}})
    with pytest.raises(InputError, match="no statement in task stance"):
        gold_arrays(get_task("stance"), {"x1": {"label": "no_claim", "lang": "en", "source": "s"}})


# ---------------------------------------------------------------- integer labels, three-label files for claim / stance


def test_integer_labels_get_the_names_each_integer_stands_for(gold, write_predictions):
    rows = [{"id": i, "label": 2} for i in gold]
    message = _error(TASK, gold, write_predictions(rows))
    assert "give label names, not class ids" in message
    assert "0 = expects_breakthrough, 1 = expects_none, 2 = no_claim" in message and ":1:" in message


def test_a_three_label_file_scores_on_claim_as_the_task_maps_its_labels(gold, write_predictions):
    rows = _rows(gold, s01={"id": "s01", "label": "expects_none"}, s03={"id": "s03", "label": "expects_breakthrough"})
    derived = load_predictions("claim", gold, write_predictions(rows))
    claim = get_task("claim")
    mapped = [claim.labels.index(claim.target(row["label"])) for row in rows]
    np.testing.assert_array_equal(derived.y_pred, mapped)  # s01 stays a claim, s03 becomes one
    assert derived.meta["derived_from"] == "claim_stance"


def test_a_three_label_file_scores_on_stance_taking_the_likelier_claim_label_for_no_claim(gold, write_predictions):
    def scores(eb, en, nc):
        return {"expects_breakthrough": eb, "expects_none": en, "no_claim": nc}

    rows = [{**row, "scores": scores(0.6, 0.3, 0.1)} for row in _rows(gold)]
    rows[1] = {"id": "s02", "label": "no_claim", "scores": scores(0.3, 0.1, 0.6)}  # gold expects_none
    rows[9] = {"id": "s10", "label": "no_claim", "scores": scores(0.1, 0.3, 0.6)}  # gold expects_none
    derived = load_predictions("stance", gold, write_predictions(rows))
    assert derived.ids == ["s01", "s02", "s04", "s05", "s07", "s10", "s11"]
    np.testing.assert_array_equal(derived.y_pred, [0, 0, 0, 1, 0, 1, 0])
    np.testing.assert_allclose(derived.scores[1], [0.75, 0.25])
    without_scores = write_predictions([{"id": row["id"], "label": row["label"]} for row in rows])
    assert "predicted no_claim, which task stance cannot score without scores" in _error("stance", gold,
                                                                                          without_scores)
