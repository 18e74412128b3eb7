"""Reference files in and out: RIS and BibTeX records as documents, the corpus as RIS, BibTeX or CSV.

Reading (``add refs.ris`` / ``add refs.bib``): every record with an abstract becomes
one :class:`~pipeline.corpus.importers.NewDocument` (made by ``read_file``) whose text is the title, a blank
line, the abstract, a blank line and the record's keywords on a ``Keywords:`` line
(``Kata kunci:`` when the abstract is Indonesian, the cue ingest reads as Indonesian
author keywords), the layout the bulk imports use. Its metadata: ``title``,
``authors`` (list), ``year`` (int), ``source`` (the journal), ``doi`` and ``keywords``.
A record without an abstract, or one that cannot be parsed, is an
:class:`~pipeline.corpus.importers.AddResult` of status ``"error"`` naming the file and
the record (number and title): reported and skipped, the others are added.

Parsing is done by `rispy <https://pypi.org/project/rispy/>`_ (RIS) and
`bibtexparser <https://pypi.org/project/bibtexparser/>`_ 1.x (BibTeX), one record at a
time, so that one broken record is named and never takes others with it.

Writing (``export``): :func:`export_records` gathers each document's metadata and
keywords from its artifacts; :func:`to_ris`, :func:`to_bibtex` and :func:`to_csv` write them.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from ..errors import PipelineError
from ..text.encoding import decode_text
from .sidecars import clean_metadata

#: Extracted keywords exported per language (Indonesian first, then English).
EXPORT_KEYWORDS_PER_LANG = 10

# rispy's names of the RIS tags, in order of preference.
_RIS_TITLE = ("title", "primary_title")                                   # TI, T1
_RIS_AUTHORS = ("authors", "first_authors")                               # AU, A1
_RIS_YEAR = ("year", "publication_year", "date")                          # PY, Y1, DA
_RIS_JOURNAL = ("journal_name", "secondary_title", "alternate_title3",    # JO, T2, JF,
                "alternate_title2", "alternate_title1")                   # JA, J2
_RIS_ABSTRACT = ("abstract", "notes_abstract")                            # AB, N2
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")


def _first(record: dict, names: tuple[str, ...]):
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = [v for v in value if isinstance(v, str) and v.strip()]
        if value:
            return value
    return None


def _keywords(values) -> list[str]:
    """Keywords from a list or a ``,``/``;``-separated string, tidied, each once."""
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    seen = set()
    for value in values or []:
        for part in re.split(r"\s*[;,]\s*", str(value)):
            part = " ".join(part.split()).strip(" .")
            if part and part.casefold() not in seen:
                seen.add(part.casefold())
                out.append(part)
    return out


def _ris_chunks(text: str) -> list[tuple[int, str, str]]:
    """The file's records as ``(number, text, problem)``, split at ``TY``/``ER`` lines."""
    chunks: list[tuple[int, str, str]] = []
    current: list[str] | None = None
    stray: list[str] = []
    for line in text.splitlines():
        tag = _RIS_TAG.match(line)
        if tag and tag.group(1) == "TY":
            if current is not None:
                chunks.append((len(chunks) + 1, "\n".join(current), "no ER line closes it"))
            if stray:
                chunks.append((len(chunks) + 1, "\n".join(stray), "no TY line opens it"))
                stray = []
            current = [line]
        elif current is not None:
            current.append(line)
            if tag and tag.group(1) == "ER":
                chunks.append((len(chunks) + 1, "\n".join(current), ""))
                current = None
        elif line.strip() and not re.fullmatch(r"\d+\.", line.strip()):  # "1." counters some tools write
            stray.append(line)
    if current is not None:
        chunks.append((len(chunks) + 1, "\n".join(current), "no ER line closes it"))
    if stray:
        chunks.append((len(chunks) + 1, "\n".join(stray), "no TY line opens it"))
    return chunks


def _ris_fields(record: dict) -> dict:
    year = _first(record, _RIS_YEAR)
    return {"title": _first(record, _RIS_TITLE), "authors": _first(record, _RIS_AUTHORS),
            "year": year.split("/")[0] if isinstance(year, str) else year,
            "journal": _first(record, _RIS_JOURNAL), "doi": record.get("doi"),
            "abstract": _first(record, _RIS_ABSTRACT), "keywords": _keywords(record.get("keywords")),
            "id": record.get("id")}


def _ris_records(text: str) -> Iterator[tuple[int, dict | None, str]]:
    import rispy

    for number, chunk, problem in _ris_chunks(text):
        if problem:
            yield number, None, problem
            continue
        try:
            parsed = rispy.loads(chunk + "\n")
        except Exception as exc:  # rispy raises plain exceptions on broken lines
            yield number, None, f"not a readable RIS record ({exc})"
            continue
        if len(parsed) != 1:
            yield number, None, "not a readable RIS record"
            continue
        yield number, _ris_fields(parsed[0]), ""


_BIB_ENTRY = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]", re.M)
_BIB_NON_ENTRIES = ("comment", "string", "preamble")


def _bib_text(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = re.sub(r"(?<!\\)[{}]", "", value)  # {ASEAN}: protected case, not text
    return " ".join(value.split()) or None


def _bib_records(text: str) -> Iterator[tuple[int, dict | None, str]]:
    import bibtexparser
    from bibtexparser.bparser import BibTexParser
    from bibtexparser.customization import convert_to_unicode

    starts = [m for m in _BIB_ENTRY.finditer(text)]
    pieces = [(m.group(1).lower(), text[m.start(): starts[i + 1].start() if i + 1 < len(starts) else len(text)])
              for i, m in enumerate(starts)]
    strings = "\n".join(piece for kind, piece in pieces if kind == "string")
    number = 0
    for kind, piece in pieces:
        if kind in _BIB_NON_ENTRIES:
            continue
        number += 1
        parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
        parser.customization = convert_to_unicode
        try:
            entries = bibtexparser.loads(f"{strings}\n{piece}", parser=parser).entries
        except Exception as exc:  # pyparsing errors on broken entries
            yield number, None, f"not a readable BibTeX entry ({exc.__class__.__name__})"
            continue
        if len(entries) != 1:
            key = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]*)", piece)
            yield number, None, ("not a readable BibTeX entry" + (f" '{key.group(1)}'" if key and key.group(1) else "")
                                 + " (unbalanced braces or a missing comma?)")
            continue
        entry = entries[0]
        authors = _bib_text(entry.get("author"))
        yield number, {
            "title": _bib_text(entry.get("title")),
            "authors": [a.strip() for a in re.split(r"\s+and\s+", authors) if a.strip()] if authors else None,
            "year": _bib_text(entry.get("year")) or _bib_text(entry.get("date")),
            "journal": _bib_text(entry.get("journal") or entry.get("journaltitle") or entry.get("booktitle")),
            "doi": _bib_text(entry.get("doi")), "abstract": _bib_text(entry.get("abstract")),
            "keywords": _keywords(_bib_text(entry.get("keywords"))), "id": entry.get("ID")}, ""


def _keyword_cue(abstract: str) -> str:
    from ..text.langid import function_word_counts

    indonesian, english = function_word_counts(abstract)
    return "Kata kunci:" if indonesian > english else "Keywords:"


def read_references(path: Path, data: bytes, encoding: str = "auto",
                    given: dict | None = None) -> Iterator[tuple[str, dict | None, str, list[str]]]:
    """The records of a RIS or BibTeX file as ``(where, metadata, text, warnings)``; for a
    record without an abstract or that cannot be parsed, ``(where, None, why, [])``.
    (:func:`pipeline.corpus.importers.read_file` makes documents and error results of them.)

    Raises
    ------
    PipelineError
        When the file holds no record at all.
    """
    text, codec, warning = decode_text(data, path.name, encoding)
    fmt = "ris" if path.suffix.lower() == ".ris" else "bibtex"
    records = list(_ris_records(text) if fmt == "ris" else _bib_records(text))
    if not records:
        raise PipelineError(f"{path}: no {'RIS' if fmt == 'ris' else 'BibTeX'} records found; check the file")
    first = True
    for number, record, problem in records:
        where = f"{path.name} record {number}"
        if record is None:
            yield where, None, problem, []
            continue
        title = record["title"]
        if title:
            where += f" ({title[:60]}{'…' if len(title) > 60 else ''})"
        abstract = record["abstract"]
        if not abstract or not abstract.strip():
            yield where, None, "no abstract; only records with an abstract are added", []
            continue
        raw = {"title": title, "authors": record["authors"], "year": record["year"],
               "source": record["journal"], "doi": record["doi"], "keywords": record["keywords"]}
        meta, notes = clean_metadata({**raw, **{k: v for k, v in (given or {}).items() if v}}, where)
        origin: dict = {"file": path.name, "format": fmt, "record": number}
        rid = str(record["id"]).strip() if record.get("id") else ""
        if rid:
            origin["record_id"] = rid
        if codec not in ("utf-8", "utf-8-sig"):
            origin["encoding"] = codec
        meta["imported_from"] = origin
        body = " ".join(abstract.split())
        parts = [meta["title"]] if meta.get("title") else []
        parts.append(body)
        if meta.get("keywords"):
            parts.append(f"{_keyword_cue(body)} {'; '.join(meta['keywords'])}")
        if first and warning:
            notes.insert(0, warning)
        first = False
        yield where, meta, "\n\n".join(parts) + "\n", notes


# --------------------------------------------------------------------------- export

EXPORT_FORMATS = ("ris", "bibtex", "csv")
CSV_COLUMNS = ("doc_id", "title", "authors", "year", "journal", "doi", "keywords")


def export_record(doc_id: str, ingest: dict, keywords: dict | None,
                  per_lang: int = EXPORT_KEYWORDS_PER_LANG) -> dict:
    """One document's export record from its ingest artifact and keywords artifact.

    ``keywords``: the record's own (sidecar ``keywords``, else the author keywords ingest
    found), then the first ``per_lang`` extracted keyphrases of Indonesian, then of
    English; each once (case-insensitive).
    """
    meta = ingest.get("metadata", {})
    own = meta.get("keywords") or [*meta.get("author_keywords", {}).get("id", []),
                                   *meta.get("author_keywords", {}).get("en", [])]
    extracted = []
    for lang in ("id", "en"):
        extracted += [k["phrase"] for k in ((keywords or {}).get("keywords", {}).get(lang) or [])[:per_lang]]
    seen, merged = set(), []
    for phrase in [*own, *extracted]:
        if phrase and phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            merged.append(phrase)
    return {"doc_id": doc_id, "title": meta.get("title"), "authors": list(meta.get("authors") or []),
            "year": meta.get("year"), "journal": meta.get("source"), "doi": meta.get("doi"),
            "keywords": merged}


def to_ris(records: list[dict]) -> str:
    """RIS (``TY JOUR`` … ``ER``) of export records, written by rispy."""
    import rispy
    from rispy.writer import RisWriter

    class _Writer(RisWriter):
        def set_header(self, count):  # no "1." counter line
            return ""

    refs = []
    for r in records:
        ref = {"type_of_reference": "JOUR", "id": r["doc_id"]}
        if r["title"]:
            ref["title"] = r["title"]
        if r["authors"]:
            ref["authors"] = r["authors"]
        if r["year"]:
            ref["year"] = str(r["year"])
        if r["journal"]:
            ref["journal_name"] = r["journal"]
        if r["doi"]:
            ref["doi"] = r["doi"]
        if r["keywords"]:
            ref["keywords"] = r["keywords"]
        refs.append(ref)
    return rispy.dumps(refs, implementation=_Writer)


def _bib_escape(value: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", value).replace("{", "").replace("}", "")


def to_bibtex(records: list[dict]) -> str:
    """BibTeX ``@article`` entries of export records (``keywords = {a, b}``), written by bibtexparser."""
    from bibtexparser.bibdatabase import BibDatabase
    from bibtexparser.bwriter import BibTexWriter

    db = BibDatabase()
    for r in records:
        entry = {"ENTRYTYPE": "article", "ID": re.sub(r"[^A-Za-z0-9_:.-]", "_", r["doc_id"])}
        if r["title"]:
            entry["title"] = _bib_escape(r["title"])
        if r["authors"]:
            entry["author"] = " and ".join(_bib_escape(a) for a in r["authors"])
        if r["year"]:
            entry["year"] = str(r["year"])
        if r["journal"]:
            entry["journal"] = _bib_escape(r["journal"])
        if r["doi"]:
            entry["doi"] = r["doi"].replace("{", "").replace("}", "")
        if r["keywords"]:
            entry["keywords"] = ", ".join(_bib_escape(k.replace(",", " ")) for k in r["keywords"])
        db.entries.append(entry)
    writer = BibTexWriter()
    writer.order_entries_by = None
    writer.display_order = ["title", "author", "year", "journal", "doi", "keywords"]
    return writer.write(db)


def to_csv(records: list[dict]) -> str:
    """CSV of export records: authors and keywords joined by ``"; "``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow([r["doc_id"], r["title"] or "", "; ".join(r["authors"]), r["year"] or "",
                         r["journal"] or "", r["doi"] or "", "; ".join(r["keywords"])])
    return buffer.getvalue()


def export_corpus(records: list[dict], fmt: str) -> str:
    """The export records written in ``fmt`` (``ris``, ``bibtex`` or ``csv``)."""
    if fmt not in EXPORT_FORMATS:
        raise PipelineError(f"unknown export format '{fmt}'; use {', '.join(EXPORT_FORMATS)}")
    return {"ris": to_ris, "bibtex": to_bibtex, "csv": to_csv}[fmt](records)
