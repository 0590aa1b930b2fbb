"""The raw sources: where each lives, how its lines are laid out, and reading them into validated documents."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmark.data.lexicon import LANGUAGES
from benchmark.errors import InputError, control_character, shorten
from benchmark.fileio import read_jsonl
from benchmark.paths import RAW

#: Lines per pseudo-document of a WMT test set (its files carry no article boundaries).
WMT_BLOCK_LINES = 100


@dataclass(frozen=True)
class Source:
    """A corpus in ``datasets/raw/<name>/``.

    Parameters
    ----------
    name: folder name and the ``source`` column's value.
    files: the gzip JSONL files inside the folder, read in this order.
    licence: short licence statement for the dataset card (the folder's SOURCE.md has the full terms).
    wrapped: True when single newlines are hard line wraps (Reuters) rather than paragraph ends.
    parallel: True when line i of the documents of one parallel set are translations of each other.
    numbered: True when lines start with the record's paragraph numbers ("138.\t", UN records): layout, removed.
    """

    name: str
    files: tuple[str, ...]
    licence: str
    wrapped: bool = False
    parallel: bool = False
    numbered: bool = False

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(RAW / self.name / file for file in self.files)


SOURCES: tuple[Source, ...] = (
    Source("seed", ("seed.jsonl.gz",), "news article quoted for research (bbabo.net); see SOURCE.md"),
    Source("reuters21578", ("reuters21578.jsonl.gz",), "Reuters-21578 Distribution 1.0: research use only", wrapped=True),
    Source("kremlin", ("kremlin_en_ru.jsonl.gz",), "kremlin.ru: CC BY 4.0"),
    Source("wmt_newstest", ("wmt_newstest_en_fr_ru.jsonl.gz",), "WMT news test sets: research use; NTREX-128: CC BY-SA 4.0",
           parallel=True),
    Source("ru_wikinews", ("ru_wikinews_nerel_factrueval.jsonl.gz",),
           "Russian Wikinews (CC BY 2.5) via NEREL / factRuEval-2016 (MIT): research use with attribution"),
    Source("europarl", ("europarl_enfr_1996_2005.jsonl.gz", "europarl_enfr_1996_2005_part2.jsonl.gz"),
           "Europarl v7: no known copyright restrictions; cite Koehn 2005", parallel=True),
    Source("ungdc", ("ungdc_en_1946_2024.jsonl.gz",), "UN General Debate Corpus: CC0 1.0", numbered=True),
)


@dataclass(frozen=True)
class Document:
    """One validated, normalised document. ``text`` keeps one paragraph (or aligned line) per line."""

    doc_id: str
    source: str
    lang: str
    date: str | None
    title: str | None
    text: str
    parallel_key: str | None
    speaker_turns: tuple[tuple[int, str], ...] = ()

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


_SPACES = re.compile(r"[^\S\n]+")
_PARAGRAPH_NUMBER = re.compile(r"^[^\S\n]*\d{1,3}\.[^\S\n]+", re.MULTILINE)
_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}


def normalise(text: str, wrapped: bool, numbered: bool = False) -> str:
    """NFC, one space for any run of blanks, trimmed lines; with ``wrapped`` hard wraps are re-joined; with
    ``numbered`` a paragraph number at a line's start ("138.\t", "12. ") is removed.

    Line count is kept unless ``wrapped``: aligned corpora keep line i as line i.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if numbered:
        text = _PARAGRAPH_NUMBER.sub("", text)
    if wrapped:
        paragraphs = re.split(r"\n(?=[^\S\n])|\n\s*\n", text)
        return "\n".join(_SPACES.sub(" ", p.replace("\n", " ")).strip() for p in paragraphs if p.strip())
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def normalise_date(value: object) -> str | None:
    """ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) from the corpora's formats, or None."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        try:
            date.fromisoformat({4: f"{text}-01-01", 7: f"{text}-01"}.get(len(text), text))
        except ValueError:
            raise ValueError(f"impossible date {text!r}") from None
        return text
    match = re.match(r"(\d{1,2})-([A-Z]{3})-(\d{4})", text)  # Reuters: 26-FEB-1987 15:01:01.79
    if match and match.group(2) in _MONTHS:
        return normalise_date(f"{match.group(3)}-{_MONTHS[match.group(2)]:02d}-{int(match.group(1)):02d}")
    raise ValueError(f"unrecognised date {text!r}")


def _parallel_key(source: Source, record: dict) -> str | None:
    if not source.parallel:
        return None
    if "parallel_set" in record:
        return str(record["parallel_set"])
    return re.sub(r"-[a-z]{2}$", "", record["doc_id"])  # europarl-ep-00-01-19-en -> europarl-ep-00-01-19


def _document(source: Source, record: dict, path: Path, line: int) -> Document:
    for field in ("doc_id", "lang", "text"):
        if field not in record:
            raise InputError(f"missing field {field!r}; every document needs doc_id, lang and text", path=path, line=line)
    doc_id, lang, text = record["doc_id"], record["lang"], record["text"]
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise InputError("doc_id must be a non-empty string", path=path, line=line)
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise InputError(f"unknown language {shorten(lang)} in {shorten(doc_id)}; supported: {', '.join(LANGUAGES)}",
                         path=path, line=line)
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"empty text in {shorten(doc_id)}; drop the document or give it text", path=path, line=line)
    if bad := control_character(text):
        raise InputError(f"the text of {shorten(doc_id)} holds the control character {bad}; remove it", path=path,
                         line=line)
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(f"title of {shorten(doc_id)} must be a string or null, got {shorten(title)}", path=path,
                         line=line)
    try:
        date = normalise_date(record.get("date"))
    except ValueError as exc:
        raise InputError(f"{exc} in {shorten(doc_id)}; use YYYY-MM-DD", path=path, line=line) from None
    turns = record.get("speaker_turns") or []
    if not isinstance(turns, list) or not all(
            isinstance(turn, list) and len(turn) == 2 and type(turn[0]) is int and isinstance(turn[1], str)
            for turn in turns):
        raise InputError(f"speaker_turns of {shorten(doc_id)} must be a list of [character offset, speaker] pairs, "
                         f"got {shorten(turns)}", path=path, line=line)
    turns = tuple((offset, name) for offset, name in turns)
    return Document(doc_id=doc_id, source=source.name, lang=lang, date=date, title=title,
                    text=normalise(text, source.wrapped, source.numbered), parallel_key=_parallel_key(source, record),
                    speaker_turns=turns)


def read_source(source: Source, path: Path | None = None, seen: dict[str, str] | None = None) -> Iterator[Document]:
    """Yield the validated documents of one source file (InputError on the first bad line, or on a doc_id already
    in ``seen``: ``doc_id -> file:line``, filled as documents are read)."""
    seen = {} if seen is None else seen
    for path in (path,) if path else source.paths:
        for line, record in read_jsonl(path):
            document = _document(source, record, path, line)
            if document.doc_id in seen:
                raise InputError(f"duplicate doc_id {shorten(document.doc_id)} (first seen at {seen[document.doc_id]})",
                                 path=path, line=line)
            seen[document.doc_id] = f"{path}:{line}"
            yield document


def iter_documents(sources: tuple[Source, ...] = SOURCES, raw: Path = RAW) -> Iterator[Document]:
    """Yield every document of every source under ``raw``, one at a time (memory stays flat).

    A doc_id seen twice is an error naming both places.
    """
    seen: dict[str, str] = {}
    for source, file in ((s, f) for s in sources for f in s.files):
        yield from read_source(source, Path(raw) / source.name / file, seen)
