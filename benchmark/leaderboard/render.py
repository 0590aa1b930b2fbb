"""Render a :class:`~benchmark.leaderboard.build.Leaderboard` as README.md, index.html and leaderboard.json.

Every field a submitter wrote (name, authors, contact, description, training data, slug) is escaped: in
Markdown, whitespace runs (newlines included) become one space and ``\\ ` * _ [ ] < > | & ~`` are
backslash-escaped; in HTML every value goes through ``html.escape``, and the JSON copy embedded in the page has
``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026``. The page's own script is allowed by
its sha256 in a Content-Security-Policy, so no other script can run.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
from pathlib import Path
from string import Template

from benchmark.fileio import replace_dir, staging_dir
from benchmark.leaderboard.build import Entry, Leaderboard, Table
from benchmark.paths import LEADERBOARD

TEMPLATES = Path(__file__).parent / "templates"
FILES = ("README.md", "index.html", "leaderboard.json")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~])")
_WEB_ADDRESS = re.compile(r"https?://\S+")


def markdown_text(value: object) -> str:
    """One line of Markdown that shows ``value`` literally (safe inside a table cell)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def html_text(value: object) -> str:
    """``value`` escaped for HTML text and quoted attributes."""
    return html.escape(str(value), quote=True)


def script_json(data: object) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_json(board: Leaderboard) -> str:
    """``leaderboard.json``: the structure as it is, indented, UTF-8, newline-terminated."""
    return json.dumps(board, indent=2, ensure_ascii=False) + "\n"


def _number(value: float) -> str:
    return f"{value:.3f}"


def _interval(entry: dict) -> str:
    return f"[{_number(entry['ci_low'])}, {_number(entry['ci_high'])}]"


def _parameters(count: int | None) -> str:
    return "—" if count is None else f"{count:,}"


def _method(board: Leaderboard) -> str:
    """The sentence stating how intervals and ranks were computed (plain text, no user data)."""
    ranking = board["ranking"]
    resamples = f"{ranking['n_resamples']:,} resamples, seed {ranking['seed']}"
    return (f"Intervals: {_ci(board)}s by percentile bootstrap over statements ({resamples}). "
            f"Ranks: {ranking['test']}, {resamples}; {ranking['rule']} (alpha = {ranking['alpha']}), so systems "
            "that no other system significantly beats, the leader among them, share rank 1.")


def _ci(board: Leaderboard) -> str:
    return f"{board['ranking']['confidence']:.0%} CI"


def _scope(table: Table) -> str:
    return f"{table['config']} configuration, {table['split']} split (n = {table['n']:,})"


#: The links a submission may give, in the order shown.
LINKS = (("code_url", "code"), ("paper_url", "paper"), ("mlflow_run_url", "MLflow run"))


def _links(entry: Entry) -> list[tuple[str, str]]:
    """``(label, address)`` of each link the submission gives (validated http(s) addresses)."""
    return [(label, entry[key]) for key, label in LINKS if entry.get(key)]


def _leader_sentence(table: Table) -> str:
    """Plain text: which system leads the table, with its headline and interval, and who shares rank 1."""
    leader, *others = table["entries"]
    tied = [entry["name"] for entry in others if entry["rank"] == 1]
    headline = leader["headline"]
    sentence = (f"Leader: {leader['name']} ({table['headline']} {_number(headline['value'])} {_interval(headline)})")
    if tied:
        sentence += f"; not significantly better than {', '.join(tied)} (also rank 1)"
    return sentence + "."


CONTRAST_NOTE = ("Capability columns (✓✓): contrast consistency on the contrast sets, the share of pairs where "
                 "both the original gold statement and its minimal edit are predicted right (datasets/contrast/).")


# ---------------------------------------------------------------- Markdown


def render_markdown(board: Leaderboard) -> str:
    """README.md: one table per (configuration, task), every submitted field escaped."""
    lines = ["# PERCÉE leaderboard", "",
             "Built by `percee leaderboard` from `experiments/submissions/`; do not edit by hand. `index.html` has "
             "the same tables, sortable, and `leaderboard.json` every number.", "",
             f"Scorer {board['scorer_version']}, dataset digest `{board['dataset_digest']}`"
             + (f", {markdown_text(board['generated'])}" if board["generated"] else "") + ".", "", _method(board)]
    for table in board["tables"]:
        languages, capabilities = list(table["languages"]), _capabilities(table)
        header = ["Rank", "System", f"{table['headline']} [{_ci(board)}]",
                  *(f"{lang} (n = {n:,})" for lang, n in table["languages"].items()),
                  *(f"{name} ✓✓" for name in capabilities),
                  "Accuracy", "Parameters", "Training data", "Authors"]
        align = ["---:", "---", "---", *("---:" for _ in languages + capabilities), "---:", "---:", "---", "---"]
        lines += ["", f"## {table['task']}: {_scope(table)}", "",
                  f"{markdown_text(table['description'])}; headline `{table['headline']}`.", "",
                  f"**{markdown_text(_leader_sentence(table))}**", "", _row(header), _row(align)]
        lines += [_row(_markdown_cells(entry, languages, capabilities)) for entry in table["entries"]]
        lines += [_row(_markdown_reference(reference, languages, capabilities))
                  for reference in table.get("references", [])]
        if any(not entry["dataset_digest_match"] for entry in table["entries"]):
            lines += ["", "† predictions made on another dataset digest, ranked with --force."]
        if capabilities:
            lines += ["", CONTRAST_NOTE]
        lines += [f"\nReference row (not ranked), *{markdown_text(r['name'])}*: {markdown_text(r['description'])}, "
                  f"n = {r['n']:,}." for r in table.get("references", [])]
    return "\n".join(lines) + "\n"


def _markdown_address(address: str) -> str:
    """A validated http(s) address made safe inside ``[label](...)`` in a table cell (percent-encoded)."""
    from urllib.parse import quote

    return quote(address, safe=":/?#@!$&'*+,;=%~-._")


def _markdown_reference(reference: dict, languages: list[str], capabilities: list[str]) -> list[str]:
    """A reference row: no rank, no capability, parameter or author cells."""
    headline = reference["headline"]
    return ["—", f"*{markdown_text(reference['name'])}* (n = {reference['n']:,})",
            f"{_number(headline['value'])} {_interval(headline)}",
            *(_number(reference["by_lang"][lang]["value"]) if lang in reference["by_lang"] else "—"
              for lang in languages),
            *("—" for _ in capabilities), _number(reference["accuracy"]["value"]), "—", "—", "—"]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _capabilities(table: Table) -> list[str]:
    """The contrast-set capabilities any entry of ``table`` was scored on (its capability column group)."""
    return list(dict.fromkeys(name for entry in table["entries"] for name in entry["groups"].get("contrast", {})))


def _consistency(entry: Entry, name: str) -> str:
    capability = entry["groups"].get("contrast", {}).get(name)
    return _number(capability["consistency"]["value"]) if capability and capability["consistency"]["n"] else "—"


def _markdown_cells(entry: Entry, languages: list[str], capabilities: list[str]) -> list[str]:
    system = markdown_text(entry["name"]) + (" *(baseline)*" if entry["baseline"] else "")
    system += "" if entry["dataset_digest_match"] else " †"
    system += "".join(f" [{label}]({_markdown_address(address)})" for label, address in _links(entry))
    headline = entry["headline"]
    return [str(entry["rank"]), system, f"{_number(headline['value'])} {_interval(headline)}",
            *(f"{_number(entry['by_lang'][lang]['value'])} {_interval(entry['by_lang'][lang])}"
              if lang in entry["by_lang"] else "—" for lang in languages),
            *(_consistency(entry, name) for name in capabilities),
            _number(entry["accuracy"]["value"]), _parameters(entry["parameter_count"]),
            markdown_text(entry["training_data"]), markdown_text(", ".join(entry["authors"]))]


# ---------------------------------------------------------------- HTML


def render_html(board: Leaderboard) -> str:
    """index.html: static and self-contained (inline style and script), every submitted field escaped."""
    script = (TEMPLATES / "leaderboard.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    generated = f", {html_text(board['generated'])}" if board["generated"] else ""
    summary = (f"<p>Scorer {html_text(board['scorer_version'])}, dataset digest "
               f"<code>{html_text(board['dataset_digest'])}</code>{generated}.</p>\n"
               f"<p class=\"note\">{html_text(_method(board))} Click a column header to sort.</p>")
    tables = "\n".join(_html_table(index, table, _ci(board)) for index, table in enumerate(board["tables"]))
    page = Template((TEMPLATES / "index.html").read_text(encoding="utf-8"))
    return page.substitute(script_hash=f"sha256-{digest}", style=(TEMPLATES / "leaderboard.css").read_text("utf-8"),
                           summary=summary, tables=tables, data=script_json(board), script=script)


def _html_table(index: int, table: Table, ci: str) -> str:
    """One table, narrow enough for a 1,280 px screen: the languages and the capabilities are one column each
    (every value with its interval; capabilities folded in a <details>), the system cell carries the description,
    training data, date and links."""
    capabilities = _capabilities(table)
    languages = ", ".join(f"{html_text(lang)} {n:,}" for lang, n in table["languages"].items())
    headers = [("rank", "Rank", ""), ("name", "System", ""),
               ("headline", html_text(table["headline"]), ci),
               ("", "By language", ci),
               *([("", "Capabilities", "consistency ✓✓")] if capabilities else []),
               ("accuracy", "Accuracy", ""), ("parameter_count", "Parameters", "")]
    orders = {"rank": "ascending", "name": "ascending"}
    head = "".join((f'<th data-key="{key}" data-order="{orders.get(key, "descending")}"' if key else "<th")
                   + (' aria-sort="ascending"' if key == "rank" else "")
                   + f">{label}{f' <small>{note}</small>' if note else ''}</th>"
                   for key, label, note in headers)
    rows = "\n".join(_html_row(position, entry, list(table["languages"]), capabilities, ci)
                     for position, entry in enumerate(table["entries"]))
    footnote = ("\n<p class=\"note\">other dataset: predictions made on another dataset digest, ranked with "
                "--force.</p>" if any(not entry["dataset_digest_match"] for entry in table["entries"]) else "")
    if capabilities:
        footnote += f"\n<p class=\"note\">{html_text(CONTRAST_NOTE)}</p>"
    references = "".join(_html_reference(r, list(table["languages"]), _capabilities(table), ci)
                         for r in table.get("references", []))
    foot = f"\n<tfoot>\n{references}\n</tfoot>" if references else ""
    return (f'<section>\n<h2>{html_text(table["task"])} <small>{html_text(_scope(table))}</small></h2>\n'
            f'<p class="note">{html_text(table["description"])}; headline <code>{html_text(table["headline"])}'
            f'</code>; statements per language: {languages}.</p>\n<p class="leader">{html_text(_leader_sentence(table))}</p>\n'
            f'<table class="board" data-table="{index}">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>{foot}\n</table>{footnote}\n</section>")


def _html_reference(reference: dict, languages: list[str], capabilities: list[str], ci: str) -> str:
    """A reference row in the table's footer (outside the sorted body), in the columns of :func:`_html_row`:
    not ranked, no capability or parameter cells."""
    headline = reference["headline"]
    by_lang = "".join(f'<li><span class="key">{html_text(lang)}</span> {_number(group["value"])} '
                      f'<span class="ci">{_interval(group)}</span></li>'
                      for lang in languages if (group := reference["by_lang"].get(lang)))
    cells = ['<td class="num">—</td>',
             f'<td class="system"><span class="name">{html_text(reference["name"])}</span>'
             f'<span class="tag">reference</span><div class="description">{html_text(reference["description"])}'
             f'</div><div class="meta">n = {reference["n"]:,}, not ranked</div></td>',
             f'<td class="score">{_number(headline["value"])} <span class="ci">{_interval(headline)}</span></td>',
             f'<td class="groups"><ul>{by_lang}</ul></td>' if by_lang else '<td class="groups">—</td>']
    if capabilities:
        cells.append('<td class="groups">—</td>')
    cells += [f'<td class="num">{_number(reference["accuracy"]["value"])}</td>', '<td class="num">—</td>']
    return f'<tr class="reference">{"".join(cells)}</tr>'


def _html_row(position: int, entry: Entry, languages: list[str], capabilities: list[str], ci: str) -> str:
    headline = entry["headline"]
    low, high, value = (min(max(headline[key], 0.0), 1.0) * 100 for key in ("ci_low", "ci_high", "value"))
    bar = (f'<div class="bar" aria-hidden="true"><span class="range" style="left:{low:.2f}%;width:{high - low:.2f}%">'
           f'</span><span class="point" style="left:{value:.2f}%"></span></div>')
    cells = [f'<td class="num">{entry["rank"]}</td>', f'<td class="system">{_html_system(entry)}</td>',
             f'<td class="score">{_number(headline["value"])} <span class="ci">{_interval(headline)}</span>{bar}</td>']
    by_lang = "".join(f'<li><span class="key">{html_text(lang)}</span> {_number(group["value"])} '
                      f'<span class="ci">{_interval(group)}</span></li>'
                      for lang in languages if (group := entry["by_lang"].get(lang)))
    cells.append(f'<td class="groups"><ul>{by_lang}</ul></td>' if by_lang else '<td class="groups">—</td>')
    if capabilities:
        scored = [(name, entry["groups"].get("contrast", {}).get(name)) for name in capabilities]
        items = "".join(f'<li><span class="key">{html_text(name)}</span> {_consistency(entry, name)}'
                        + (f' <span class="ci">{_interval(found["consistency"])}</span>'
                           if found and found["consistency"]["n"] else "") + "</li>"
                        for name, found in scored if found)
        cells.append(f'<td class="groups"><details><summary>{sum(1 for _, found in scored if found)} capabilities'
                     f'</summary><ul>{items}</ul></details></td>' if items else '<td class="groups">—</td>')
    cells += [f'<td class="num">{_number(entry["accuracy"]["value"])}<br><span class="ci">'
              f'{_interval(entry["accuracy"])}</span></td>',
              f'<td class="num">{_parameters(entry["parameter_count"])}</td>']
    return f'<tr data-entry="{position}" data-slug="{html_text(entry["slug"])}">{"".join(cells)}</tr>'


def _html_system(entry: Entry) -> str:
    """The system cell: name, tags, description, training data and date, authors and contact (a link only for
    http(s)), and the submission's links."""
    tags = '<span class="tag">baseline</span>' if entry["baseline"] else ""
    if not entry["dataset_digest_match"]:
        tags += '<span class="tag warn">other dataset</span>'
    contact = entry["contact_or_url"]
    if _WEB_ADDRESS.fullmatch(contact):
        contact = f'<a href="{html_text(contact)}" rel="noopener noreferrer">{html_text(contact)}</a>'
    else:
        contact = html_text(contact)
    meta = " · ".join(part for part in (html_text(", ".join(entry["authors"])), contact) if part)
    about = " · ".join(part for part in (f"trained on {html_text(entry['training_data'])}"
                                         if entry["training_data"] else "",
                                         f"submitted {html_text(entry['created'])}") if part)
    links = " ".join(f'<a class="link" href="{html_text(address)}" rel="noopener noreferrer">{html_text(label)}</a>'
                     for label, address in _links(entry))
    description = f'<div class="description">{html_text(entry["description"])}</div>' if entry["description"] else ""
    return (f'<span class="name">{html_text(entry["name"])}</span>{tags}{description}<div class="meta">{about}</div>'
            f'<div class="meta">{meta}</div>' + (f'<div class="links">{links}</div>' if links else ""))


# ---------------------------------------------------------------- writing


def write_leaderboard(board: Leaderboard, output: Path = LEADERBOARD) -> Path:
    """Write README.md, index.html and leaderboard.json into ``output`` at once (temp folder, then swap)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(output)
    try:
        for name, text in zip(FILES, (render_markdown(board), render_html(board), render_json(board))):
            (staging / name).write_text(text, encoding="utf-8")
        replace_dir(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output
