"""`percee leaderboard` on real predictions of the built dataset: scores, ranks with ties, escaping, the page."""
import html
import json
import re
import shutil
import subprocess

import numpy as np
import pytest

from benchmark.cli import main
from benchmark.data import gold
from benchmark.errors import InputError
from benchmark.labels import get_task
from benchmark.leaderboard import render
from benchmark.leaderboard.build import ALPHA, LEADERBOARD_VERSION, Entry, build_leaderboard
from benchmark.leaderboard.render import FILES, write_leaderboard
from benchmark.scoring.report import compare, score
from benchmark.submissions import PREDICTIONS_FILE, SUBMISSION_FILE, submit

XSS = "<script>alert(1)</script>"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _task_labels(reference: dict, task: str) -> dict[str, str]:
    """The gold of ``task`` (statements outside it dropped): id -> task label."""
    target = get_task(task).target
    return {i: target(r["label"]) for i, r in reference.items() if target(r["label"]) is not None}


def _perturb(labels: dict[str, str], task: str, fraction: float, seed: int) -> dict[str, str]:
    """A copy of ``labels`` with a seeded ``fraction`` of them changed to another label of the task."""
    rng = np.random.default_rng(seed)
    ids, out = list(labels), dict(labels)
    for index in sorted(rng.choice(len(ids), size=round(fraction * len(ids)), replace=False).tolist()):
        options = [label for label in get_task(task).labels if label != out[ids[index]]]
        out[ids[index]] = options[int(rng.integers(len(options)))]
    return out


def _twin(predictions: dict[str, str], truth: dict[str, str], task: str) -> dict[str, str]:
    """``predictions`` with one more error: its first correct prediction changed."""
    first = next(i for i in predictions if predictions[i] == truth[i])
    return {**predictions, first: next(label for label in get_task(task).labels if label != truth[first])}


@pytest.fixture(scope="module")
def submissions(built, tmp_path_factory):
    """Six submissions: two near-identical leaders, two near-identical weak systems (claim_stance), two for claim."""
    reference = gold("default", "test", built)
    folder = tmp_path_factory.mktemp("leaderboard")
    stance, claim = _task_labels(reference, "claim_stance"), _task_labels(reference, "claim")
    alpha, weak = _perturb(stance, "claim_stance", 0.15, 1), _perturb(stance, "claim_stance", 0.7, 2)
    systems = [
        ("Alpha", "claim_stance", alpha, {}),
        ("Alpha twin", "claim_stance", _twin(alpha, stance, "claim_stance"), {"parameter_count": 1_000}),
        ("Weak", "claim_stance", weak, {"baseline": True}),
        ("Weak twin", "claim_stance", _twin(weak, stance, "claim_stance"), {}),
        (XSS, "claim", claim, {"authors": ["*x*_y_", "<b>bold</b>"], "contact_or_url": "javascript:alert(1)",
                               "description": "a | b\nc <i>d</i>", "training_data": "`code` [link](x) & ~y~"}),
        ("Claim web", "claim", _perturb(claim, "claim", 0.3, 3),
         {"contact_or_url": "https://example.org/?a=1&b=\"<x>\"", "code_url": "https://example.org/code?a=(1)|<b>&c",
          "paper_url": "https://example.org/paper", "mlflow_run_url": "http://example.org/#/runs/1",
          "description": "A long description that says what the system is, so that it wraps onto several lines "
                         "of the system cell instead of widening the table beyond the window. " * 2}),
    ]
    root = folder / "submissions"
    for name, task, predictions, extra in systems:
        path = folder / f"{len(list(folder.iterdir()))}.jsonl"
        path.write_text("".join(json.dumps({"id": i, "label": label}) + "\n" for i, label in predictions.items()))
        metadata = {"name": name, "authors": ["Tester"], "tasks": [task], "created": "2025-01-31",
                    "git_commit": COMMIT, **extra}
        submit(path, metadata, root=root, dataset=built, baselines={"weak"})
    return root


@pytest.fixture(scope="module")
def board(submissions, built):
    return build_leaderboard(submissions, built)


@pytest.fixture(scope="module")
def output(board, tmp_path_factory):
    return write_leaderboard(board, tmp_path_factory.mktemp("out") / "leaderboard")


def _table(board, task):
    return next(table for table in board["tables"] if table["task"] == task)


def test_ranks_tie_systems_not_significantly_apart(board):
    entries = {entry["slug"]: entry for entry in _table(board, "claim_stance")["entries"]}
    assert {slug: entry["rank"] for slug, entry in entries.items()} == {
        "alpha": 1, "alpha-twin": 1, "weak": 3, "weak-twin": 3}
    assert entries["alpha"]["vs_leader"] is None and entries["alpha-twin"]["vs_leader"]["p_value"] >= ALPHA
    assert entries["weak"]["vs_leader"]["p_value"] < ALPHA
    assert entries["weak"]["better_systems"] == entries["weak-twin"]["better_systems"] == ["alpha", "alpha-twin"]
    assert [entry["slug"] for entry in _table(board, "claim_stance")["entries"]] == [
        "alpha", "alpha-twin", "weak", "weak-twin"]


def test_rank_is_one_plus_the_systems_significantly_better(board, submissions, built):
    reference = gold("default", "test", built)
    for table in board["tables"]:
        for entry in table["entries"]:
            mine = submissions / entry["slug"] / PREDICTIONS_FILE
            better = []
            for other in table["entries"]:
                if other is not entry:
                    result = compare(table["task"], reference, submissions / other["slug"] / PREDICTIONS_FILE, mine)
                    if result["p_value"] < ALPHA and result["difference"] > 0:
                        better.append(other["slug"])
            assert entry["rank"] == 1 + len(better) and entry["better_systems"] == sorted(better)


def test_structure_and_scores(board, submissions, built):
    assert board["leaderboard_version"] == LEADERBOARD_VERSION and board["generated"] is None
    assert board["ranking"]["n_resamples"] == 1000 and board["ranking"]["seed"] == 0
    assert [(table["config"], table["task"]) for table in board["tables"]] == [
        ("default", "claim"), ("default", "claim_stance")]
    reference = gold("default", "test", built)
    langs = sorted({record["lang"] for record in reference.values()})
    stance = _table(board, "claim_stance")
    assert stance["headline"] == "f_avg" and stance["n"] == len(reference) and list(stance["languages"]) == langs
    entry = stance["entries"][0]
    assert set(entry) == set(Entry.__annotations__) and entry["groups"] == {} and entry["dataset_digest_match"]
    report = score("claim_stance", reference, submissions / entry["slug"] / PREDICTIONS_FILE)
    assert entry["headline"] == {key: report["headline"][key] for key in ("value", "ci_low", "ci_high")}
    assert entry["by_lang"] == report["by_lang"] and entry["accuracy"] == report["accuracy"]
    assert json.loads(render.render_json(board)) == board


def test_markdown_escapes_every_submitted_field(output):
    readme = (output / "README.md").read_text(encoding="utf-8")
    assert "<script>" not in readme and "<b>" not in readme
    row = next(line for line in readme.splitlines() if "alert(1)" in line and line.startswith("| "))
    assert r"\<script\>alert(1)\</script\>" in row
    assert r"\*x\*\_y\_, \<b\>bold\</b\>" in row and r"\`code\` \[link\](x) \& \~y\~" in row
    header = next(line for line in readme.splitlines() if line.startswith("| Rank") and "f1_claim" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"(?<!\\)\|", header))
    assert r"\| b c \<i\>d\</i\>" not in readme  # descriptions stay on the page only
    web = next(line for line in readme.splitlines() if line.startswith("| ") and "Claim web" in line)
    assert "[code](https://example.org/code?a=%281%29%7C%3Cb%3E&c)" in web and "[paper](https://example.org/paper)" in web
    assert len(re.findall(r"(?<!\\)\|", web)) == len(re.findall(r"(?<!\\)\|", header))


def test_each_table_says_who_leads_and_gives_intervals_per_language(board, output):
    readme = (output / "README.md").read_text(encoding="utf-8")
    page = (output / "index.html").read_text(encoding="utf-8")
    for table in board["tables"]:
        leader = table["entries"][0]
        assert leader["rank"] == 1 and leader["headline"]["value"] == max(e["headline"]["value"] for e in table["entries"])
        sentence = render._leader_sentence(table)
        assert sentence.startswith(f"Leader: {leader['name']} ({table['headline']} {leader['headline']['value']:.3f} [")
        assert f"<p class=\"leader\">{html.escape(sentence)}</p>" in page and render.markdown_text(sentence) in readme
    stance = _table(board, "claim_stance")
    assert "not significantly better than Alpha twin (also rank 1)" in render._leader_sentence(stance)
    alpha = stance["entries"][0]
    for lang, group in alpha["by_lang"].items():
        shown = f"{group['value']:.3f} [{group['ci_low']:.3f}, {group['ci_high']:.3f}]"
        assert f'<span class="key">{lang}</span> {group["value"]:.3f} <span class="ci">[' in page and shown in readme


def test_html_escapes_every_submitted_field(output, board):
    page = (output / "index.html").read_text(encoding="utf-8")
    assert page.count("<script") == 2 and XSS not in page and "<b>bold" not in page and "<i>d" not in page
    assert html.escape(XSS) in page and '<div class="description">a | b\nc &lt;i&gt;d&lt;/i&gt;</div>' in page
    assert 'href="javascript' not in page and "javascript:alert(1)</div>" in page
    assert '<a href="https://example.org/?a=1&amp;b=&quot;&lt;x&gt;&quot;" rel="noopener noreferrer">' in page
    assert ('<a class="link" href="https://example.org/code?a=(1)|&lt;b&gt;&amp;c" rel="noopener noreferrer">code</a>'
            in page and '>paper</a>' in page and 'href="http://example.org/#/runs/1"' in page)
    data = page.split('<script type="application/json" id="leaderboard-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data and "\\u003cscript\\u003ealert(1)" in data
    assert json.loads(data) == board
    assert set(re.findall(r"https?://[^/#]*", page)) == {"https://example.org", "http://example.org"}  # links only
    assert not re.search(r"<(link|img|iframe)|src=", page)  # no external resource


def test_output_is_deterministic_and_labelled_when_asked(board, output, submissions, built, tmp_path):
    again = write_leaderboard(build_leaderboard(submissions, built), tmp_path / "again")
    assert all((again / name).read_bytes() == (output / name).read_bytes() for name in FILES)
    labelled = write_leaderboard(build_leaderboard(submissions, built, generated="2025-02-01 <v1>"), tmp_path / "l")
    assert "2025-02-01 &lt;v1&gt;" in (labelled / "index.html").read_text(encoding="utf-8")
    assert r"2025-02-01 \<v1\>" in (labelled / "README.md").read_text(encoding="utf-8")


def test_write_keeps_the_previous_leaderboard_when_rendering_fails(board, tmp_path, monkeypatch):
    target = write_leaderboard(board, tmp_path / "leaderboard")
    before = {name: (target / name).read_bytes() for name in FILES}

    def broken(_board):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(render, "render_html", broken)
    with pytest.raises(RuntimeError):
        write_leaderboard(board, target)
    assert {name: (target / name).read_bytes() for name in FILES} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leaderboard"]


def test_stale_submissions_need_force(submissions, built, tmp_path):
    root = tmp_path / "submissions"
    for slug in ("alpha", "weak"):
        shutil.copytree(submissions / slug, root / slug)
    meta = root / "weak" / SUBMISSION_FILE
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "dataset_digest": "0" * 64}))
    with pytest.raises(InputError, match=r"1 submission\(s\) were made on another dataset digest \(weak\)"):
        build_leaderboard(root, built)
    forced = build_leaderboard(root, built, force=True)
    assert [entry["dataset_digest_match"] for entry in forced["tables"][0]["entries"]] == [True, False]
    assert "Weak †" in render.render_markdown(forced)  # no baseline tag: the lock does not name "weak"


def test_no_submissions_is_an_input_error(built, tmp_path):
    with pytest.raises(InputError, match="no submissions here"):
        build_leaderboard(tmp_path, built)


def test_cli_leaderboard(submissions, built, output, tmp_path, capsys):
    target = tmp_path / "cli"
    assert main(["leaderboard", "--submissions", str(submissions), "--dataset", str(built), "--output",
                 str(target)]) == 0
    assert "6 entries in 2 table(s)" in capsys.readouterr().out
    written, expected = (json.loads((folder / "leaderboard.json").read_text()) for folder in (target, output))
    latest = max(json.loads(path.read_text())["created"] for path in submissions.glob("*/submission.json"))
    assert written.pop("generated") == latest and expected.pop("generated") is None  # the date line stays
    assert written == expected and f", {latest}." in (target / "README.md").read_text(encoding="utf-8")
    assert main(["leaderboard", "--submissions", str(tmp_path / "none"), "--dataset", str(built),
                 "--output", str(target)]) == 2


def _chromium(url: str, profile) -> str:
    """The DOM of ``url`` after the page's script ran, in headless chromium with a 1,280 px wide window."""
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                           "--window-size=1280,900", "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "</html>" in done.stdout, done.stderr[-2000:]
    return done.stdout


def _fits_1280(dom: str) -> None:
    """The page does not scroll sideways at 1,280 px, no row is wider than the window and every row stays a few
    lines tall, with the capability lists folded and unfolded (the page measures itself: data-layout)."""
    layout = json.loads(html.unescape(re.search(r'data-layout="([^"]*)"', dom).group(1)))
    for state in ("folded", "unfolded"):
        measured = layout[state]
        assert 1260 <= measured["window"] <= 1280 and measured["page"] <= measured["window"], (state, measured)
        assert measured["wide"] == [] and 0 < measured["tallest"] < 400, (state, measured)


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)")
def test_page_in_headless_chromium(output, tmp_path):
    dom = _chromium((output / "index.html").as_uri() + "#sort=-name", tmp_path / "profile")
    assert re.search(r'<body [^>]*data-ready="2"', dom)  # the page's own script ran and parsed the embedded JSON
    assert XSS not in dom and "&lt;script&gt;alert(1)&lt;/script&gt;</span>" in dom
    slugs = re.findall(r'<tr data-entry="\d+" data-slug="([a-z0-9-]+)"', dom)
    assert slugs == ["claim-web", "script-alert-1-script", "weak-twin", "weak", "alpha-twin", "alpha"]  # #sort=-name
    _fits_1280(dom)


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)")
def test_published_leaderboard_fits_1280_pixels(built, tmp_path):
    """Every baseline, its three languages and seven capabilities: the widest real board, readable at 1,280 px."""
    from benchmark.paths import SUBMISSIONS

    page = write_leaderboard(build_leaderboard(SUBMISSIONS, built), tmp_path / "leaderboard") / "index.html"
    dom = _chromium(page.as_uri(), tmp_path / "profile")
    assert len(re.findall(r"<tr data-entry=", dom)) == len(list(SUBMISSIONS.glob("*/submission.json")))
    assert dom.count("7 capabilities</summary>") == len(list(SUBMISSIONS.glob("*/contrast_predictions.jsonl")))
    _fits_1280(dom)


def test_contrast_predictions_add_a_capability_column_group(tmp_path, built):
    """A real baseline submission (with contrast predictions) gets consistency per capability on the board."""
    import shutil

    from benchmark.data import load
    from benchmark.data.contrast import CAPABILITIES
    from benchmark.paths import SUBMISSIONS
    from benchmark.scoring.contrast import contrast_report
    from benchmark.submissions import CONTRAST_FILE

    root = tmp_path / "submissions"
    shutil.copytree(SUBMISSIONS / "baseline-weak-claim-stance", root / "baseline-weak-claim-stance")
    board = build_leaderboard(root, built)
    (entry,) = board["tables"][0]["entries"]
    rows = [json.loads(line) for line in (root / "baseline-weak-claim-stance" / CONTRAST_FILE).open()][1:]
    expected = contrast_report("claim_stance", load("contrast", built)["test"], {r["id"]: r["label"] for r in rows})
    assert set(entry["groups"]["contrast"]) == set(CAPABILITIES)
    for name, metrics in entry["groups"]["contrast"].items():
        assert metrics["consistency"] == expected[name]["consistency"]
    assert "unchanged" in entry["groups"]["contrast"]["invariance"]
    assert "negation ✓✓" in render.render_markdown(board)


def test_every_table_shows_the_annotator_ceiling_as_an_unranked_reference_row(board, output, built):
    from benchmark.scoring.ceiling import NAME, ceiling_pairs, ceiling_report

    for table in board["tables"]:
        (reference,) = table["references"]
        expected = ceiling_report(table["task"], ceiling_pairs("default", "test", built))
        assert reference["name"] == NAME and reference["n"] == expected["n"]
        assert reference["headline"] == {key: expected["headline"][key] for key in ("value", "ci_low", "ci_high")}
        assert all(entry["slug"] != reference["name"] for entry in table["entries"])
    markdown = (output / "README.md").read_text(encoding="utf-8")
    assert markdown.count(f"| — | *{render.markdown_text(NAME)}*") == len(board["tables"])
    page = (output / "index.html").read_text(encoding="utf-8")
    assert page.count('<tfoot>\n<tr class="reference">') == len(board["tables"])
