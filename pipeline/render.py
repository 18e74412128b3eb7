"""Turn artifacts into things people read: Markdown, CSV and one self-contained HTML page.

Pure functions from already-loaded artifacts to strings; the report stage writes them.

The work is split in two so that adding one document re-renders one document:

* :func:`document_section` renders everything of one document that depends on that
  document alone (its overview row, its article with highlighted abstracts, keyword
  tables and terms in both languages, its chunk of ``keywords.md``, its rows of
  ``keywords.csv`` and ``glossary.csv``). The report stage stores it as the
  document's ``report_section`` artifact.
* :func:`html_report`, :func:`keywords_markdown`, :func:`keywords_csv`,
  :func:`glossary_csv`, :func:`topics_markdown` and :func:`topics_csv` assemble the
  pages from those sections and the corpus-level artifacts (corpus keywords, glossary,
  topics). What a document's article shows of the corpus results (its topics) is
  rendered here, at assembly, and put into the slots its section leaves for it: a
  section changes only when that document's own artifacts do.

The bilingual parts (a document's terms in both languages, the glossary) are rendered
by :mod:`pipeline.render_bilingual`.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from .render_collection import documents_filter_bar, keyword_map_html, related_html, trends_html
from .render_bilingual import (glossary_csv_header, glossary_csv_rows, glossary_html, glossary_markdown,
                               pairs_csv_rows, pairs_html, pairs_markdown)
from .stage import LANGS

LANG_NAMES = {"id": "Indonesian", "en": "English", "unknown": "unknown"}
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _md_text(value) -> str:
    # Markdown renders raw HTML: document text must never become markup.
    return html.escape(str(value), quote=False)


def _md_cell(value) -> str:
    return _md_text(value).replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _title(doc_id: str, ingest: dict | None) -> str:
    title = ((ingest or {}).get("metadata") or {}).get("title")
    return title or doc_id


def _e(text) -> str:
    return html.escape(str(text), quote=True)


# -- one document ------------------------------------------------------------------------

def keywords_rows(doc_id: str, keywords: dict) -> list[list]:
    """One row per language and keyword of a document: doc, lang, rank, phrase, score, count."""
    rows = []
    for lang in LANGS:
        for rank, kw in enumerate(keywords["keywords"].get(lang, []), 1):
            rows.append([doc_id, lang, rank, kw["phrase"], kw["score"], kw.get("count", "")])
    return rows


def _keywords_csv_rows(doc_id: str, keywords: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in keywords_rows(doc_id, keywords):
        writer.writerow(["document", *row])
    return out.getvalue()


def _keywords_md_chunk(doc_id: str, title: str, keywords: dict) -> str:
    parts = [f"## {doc_id}", "", f"_{_md_text(title)}_", ""]
    for lang in LANGS:
        ranked = keywords["keywords"].get(lang, [])
        if not ranked:
            continue
        parts += [f"### {LANG_NAMES[lang]}", ""]
        parts.append(_md_table(["rank", "phrase", "score", "count"],
                               [[i, kw["phrase"], kw["score"], kw.get("count", "")]
                                for i, kw in enumerate(ranked, 1)]))
        matches = keywords.get("author_keywords", {}).get(lang, [])
        if matches:
            found = ", ".join(f"{_md_text(m['phrase'])} ({'rank ' + str(m['rank']) if m['rank'] else 'missed'})"
                              for m in matches)
            parts += ["", f"Author keywords: {found}"]
        parts.append("")
    return "\n".join(parts)


# The only characters that re.IGNORECASE matches to an ASCII letter besides the ASCII
# letters themselves (dotted and dotless i, long s, Kelvin sign); "İ".lower() is also
# the only lower() that changes a string's length.
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


def _is_word(char: str) -> bool:
    # What the pattern's [\w-] means for one character of a str.
    return char.isalnum() or char == "_" or char == "-"


def _mark_ascii(escaped: str, needles: list[str]) -> str:
    """:func:`_highlight`'s regular expression, evaluated with ``str.find``.

    Compiling a pattern of ten escaped phrases costs more than the rest of a document's
    section; this gives the same marks when the needles are ASCII and the text holds
    none of the ``_CASE_TRAPS``: at each start (leftmost first, never inside a mark
    already made) the first needle in ``needles`` order that matches case-insensitively
    with no word character (or hyphen) either side is marked.
    """
    low = escaped.lower()
    size = len(low)
    starts: dict[int, list[tuple[int, int]]] = {}
    for order, needle in enumerate(needles):
        needle = needle.lower()
        at = low.find(needle)
        while at >= 0:
            starts.setdefault(at, []).append((order, at + len(needle)))
            at = low.find(needle, at + 1)
    out = []
    cursor = 0
    for start in sorted(starts):
        if start < cursor or (start > 0 and _is_word(escaped[start - 1])):
            continue
        for _, end in sorted(starts[start]):
            if end < size and _is_word(escaped[end]):
                continue
            out += (escaped[cursor:start], "<mark>", escaped[start:end], "</mark>")
            cursor = end
            break
    out.append(escaped[cursor:])
    return "".join(out)


_MAX_MARKED_CHARS = 300


def _highlight(text: str, phrases: list[str]) -> str:
    """Escape ``text`` and mark the phrases (longest first, case-insensitive, whole words)."""
    escaped = _e(text)
    # A "phrase" longer than this (an author-keyword line of junk) is not marked: a long
    # needle that overlaps itself in a long run of the same characters would take
    # time quadratic in the text.
    phrases = sorted({p for p in phrases if p and len(p) <= _MAX_MARKED_CHARS}, key=len, reverse=True)
    if not phrases:
        return escaped
    needles = [_e(p) for p in phrases]
    if all(n.isascii() for n in needles) and not any(trap in escaped for trap in _CASE_TRAPS):
        return _mark_ascii(escaped, needles)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in needles) + r")(?![\w-])",
                         re.IGNORECASE)
    return pattern.sub(r"<mark>\1</mark>", escaped)


def _article_parts(doc_id: str, title: str, ingest: dict, separate: dict, keywords: dict,
                   align: dict | None = None) -> list[str]:
    """The document's article as ``len(LANGS) + 1`` pieces of HTML: the topics line of
    ``LANGS[i]`` (a corpus result) goes between piece ``i`` and piece ``i + 1``."""
    meta = ingest.get("metadata") or {}
    kw = keywords.get("keywords", {})
    parts: list[str] = []
    body = [f'<article class="doc filterable" id="doc-{_e(doc_id)}"><h3>{_e(title)}</h3>']
    facts = [("id", doc_id), ("authors", ", ".join(meta.get("authors") or []) or "—")]
    body.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{_e(v)}</dd>" for k, v in facts))
    if meta.get("source_url"):
        body.append(f'<dt>source</dt><dd><a href="{_e(meta["source_url"])}">{_e(meta["source_url"])}</a></dd>')
    body.append("</dl>")
    body.append('<div class="cols">')
    for lang in LANGS:
        abstract = (separate.get("abstracts") or {}).get(lang)
        ranked = kw.get(lang, [])
        body.append(f"<div><h4>Abstract — {LANG_NAMES[lang]}</h4>")
        if abstract:
            body.append("<p class=\"abstract\">" + _highlight(abstract, [k["phrase"] for k in ranked[:10]])
                        + "</p>")
        else:
            body.append("<p class=\"none\">none</p>")
        if ranked:
            body.append('<table class="sortable"><thead><tr><th>rank</th><th>keyword</th>'
                        '<th>score</th><th>count</th></tr></thead><tbody>')
            for i, k in enumerate(ranked, 1):
                body.append(f'<tr><td>{i}</td><td>{_e(k["phrase"])}</td><td>{k["score"]:.4f}</td>'
                            f'<td>{k.get("count", "")}</td></tr>')
            body.append("</tbody></table>")
        matches = keywords.get("author_keywords", {}).get(lang, [])
        if matches:
            body.append("<p><b>Author keywords:</b> " + ", ".join(
                f'<span class="{"found" if m["rank"] else "missed"}">{_e(m["phrase"])} '
                f'({"rank " + str(m["rank"]) if m["rank"] else "missed"})</span>' for m in matches) + "</p>")
        # Slot for this language's topics line.
        parts.append("\n".join(body))
        body = ["</div>"]
    body.append("</div>")
    # Under the two columns: the terms paired across the two languages.
    bilingual = pairs_html(align)
    if bilingual:
        body.append(bilingual)
    log = ingest.get("log", [])
    if log:
        body.append("<details><summary>Cleanup log</summary><ul>" + "".join(
            f'<li>{_e(entry["rule"])}: {entry["count"]}'
            + (" — " + _e("; ".join(entry.get("examples", [])[:3])) if entry.get("examples") else "")
            + "</li>" for entry in log) + "</ul></details>")
    body.append("</article>")
    parts.append("\n".join(body))
    return parts


def document_section(doc_id: str, ingest: dict, separate: dict, keywords: dict,
                     align: dict | None = None) -> dict:
    """Everything of the report that depends on one document alone (a ``report_section``).

    Parameters
    ----------
    doc_id : str
    ingest, separate, keywords : dict
        The document's artifacts.
    align : dict, optional
        Its ``align`` artifact: a bilingual document's terms in both languages are
        shown under its abstracts (without one, nothing is).

    Returns
    -------
    dict
        ``title``; ``languages`` (the languages with abstract or body text);
        ``characters`` (of cleaned text); ``overview_row`` (its row of the overview
        table); ``article`` (its HTML article in ``len(LANGS) + 1`` pieces, the topics
        line of ``LANGS[i]`` going between pieces ``i`` and ``i + 1``);
        ``keywords_md`` and ``keywords_csv`` (its chunk of ``keywords.md`` and its rows
        of ``keywords.csv``); ``glossary_csv`` (its rows of ``glossary.csv``: its
        aligned pairs).
    """
    title = _title(doc_id, ingest)
    langs = sorted({s["lang"] for s in separate.get("sections", [])
                    if s["lang"] in LANGS and s["kind"] in ("abstract", "body")})
    kw = keywords.get("keywords", {})
    characters = len(ingest.get("text", ""))
    overview_row = (f'<tr class="filterable"><td><a href="#doc-{_e(doc_id)}">{_e(doc_id)}</a></td>'
                    f'<td>{_e(title)}</td><td>{_e(", ".join(langs))}</td>'
                    f'<td>{characters}</td>'
                    f'<td>{len(kw.get("id", []))}</td><td>{len(kw.get("en", []))}</td></tr>')
    markdown = _keywords_md_chunk(doc_id, title, keywords)
    pairs = pairs_markdown(align)
    if pairs:
        markdown += "\n" + pairs
    return {
        "title": title,
        "languages": langs,
        "characters": characters,
        "overview_row": overview_row,
        "article": _article_parts(doc_id, title, ingest, separate, keywords, align),
        "keywords_md": markdown,
        "keywords_csv": _keywords_csv_rows(doc_id, keywords),
        "glossary_csv": pairs_csv_rows(doc_id, align),
    }


# -- the corpus: Markdown and CSV -----------------------------------------------------------

def _utf8(piece) -> bytes | memoryview:
    """A piece of a page as UTF-8 bytes: a section's pieces are ``str`` as rendered, or
    bytes as the report stage keeps them (written out as they are, never decoded)."""
    return piece.encode("utf-8") if isinstance(piece, str) else piece


def _rstrip_chunks(chunks: list) -> list:
    """``chunks`` whose concatenation is that of ``chunks`` with ``str.rstrip()`` applied.

    Only the last chunks are decoded (each is whole UTF-8: a rendered piece or ASCII).
    """
    while chunks:
        text = str(chunks[-1], "utf-8").rstrip()
        if text:
            chunks[-1] = text.encode("utf-8")
            break
        chunks.pop()
    return chunks


#: Documents named per corpus keyword in ``keywords.md`` (``keywords.csv`` and the HTML
#: page list them all).
_MD_DOCUMENTS = 5


def _first_documents(keyword: dict, n: int) -> str:
    """The first ``n`` documents of a corpus keyword (the most central first), and how
    many more there are."""
    documents = keyword.get("documents", [])
    shown = ", ".join(documents[:n])
    return shown + (f" … (+{len(documents) - n})" if len(documents) > n else "")


def _other_forms(keyword: dict) -> list[str]:
    """The forms merged into a corpus keyword other than the one it shows."""
    return [f["phrase"] for f in keyword.get("forms", []) if f["phrase"] != keyword["phrase"]]


def keywords_csv_chunks(sections: Mapping[str, dict], corpus_keywords: dict[str, dict]) -> list:
    """``keywords.csv`` as a list of UTF-8 chunks (see :func:`keywords_csv`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "doc_id", "lang", "rank", "phrase", "score", "count_or_df"])
    chunks = [out.getvalue().encode("utf-8")]
    chunks += [_utf8(sections[doc_id]["keywords_csv"]) for doc_id in sorted(sections)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for lang in LANGS:
        for rank, kw in enumerate((corpus_keywords.get(lang) or {}).get("keywords", []), 1):
            writer.writerow(["corpus", "", lang, rank, kw["phrase"], kw["score"], kw["df"]])
    # Then which documents carry each corpus keyword: one row per keyword and document
    # (the keyword's rank and phrase repeated), the most central document first.
    for lang in LANGS:
        for rank, kw in enumerate((corpus_keywords.get(lang) or {}).get("keywords", []), 1):
            writer.writerows(["corpus_document", doc_id, lang, rank, kw["phrase"], "", ""]
                             for doc_id in kw["documents"])
    chunks.append(out.getvalue().encode("utf-8"))
    return chunks


def keywords_csv(sections: Mapping[str, dict], corpus_keywords: dict[str, dict]) -> str:
    """``keywords.csv``: every document's keywords (from its section, scope ``document``),
    then the corpus keywords (scope ``corpus``: score and number of documents), then the
    documents of each corpus keyword (scope ``corpus_document``: one row per document)."""
    return b"".join(keywords_csv_chunks(sections, corpus_keywords)).decode("utf-8")


def glossary_csv_chunks(sections: Mapping[str, dict], glossary: dict | None) -> list:
    """``glossary.csv`` as a list of UTF-8 chunks (see :func:`glossary_csv`)."""
    chunks = [glossary_csv_header().encode("utf-8")]
    chunks += [_utf8(sections[doc_id]["glossary_csv"]) for doc_id in sorted(sections)]
    chunks.append(glossary_csv_rows(glossary).encode("utf-8"))
    return chunks


def glossary_csv(sections: Mapping[str, dict], glossary: dict | None) -> str:
    """``glossary.csv``: every bilingual document's aligned pairs (from its section, scope
    ``document``: evidence and score), then every glossary entry (scope ``corpus``: its
    forms, score, documents holding both sides, documents linking them, and the ids of
    the documents holding either)."""
    return b"".join(glossary_csv_chunks(sections, glossary)).decode("utf-8")


def keywords_markdown_chunks(sections: Mapping[str, dict], corpus_keywords: dict[str, dict],
                             glossary: dict | None = None) -> list:
    """``keywords.md`` as a list of UTF-8 chunks (see :func:`keywords_markdown`)."""
    parts = ["# Keywords", ""]
    for lang in LANGS:
        corpus = (corpus_keywords.get(lang) or {}).get("keywords", [])
        parts += [f"## Corpus keywords — {LANG_NAMES[lang]}", ""]
        if corpus:
            parts.append(_md_table(["rank", "phrase", "documents", "score", "in", "also written"],
                                   [[i, kw["phrase"], kw["df"], kw["score"], _first_documents(kw, _MD_DOCUMENTS),
                                     ", ".join(_other_forms(kw))]
                                    for i, kw in enumerate(corpus[:30], 1)]))
        else:
            parts.append(f"_No {LANG_NAMES[lang]} text in the corpus._")
        parts.append("")
    terms = glossary_markdown(glossary)
    if terms:
        parts.append(terms)
    chunks = ["\n".join(parts).encode("utf-8")]
    for doc_id in sorted(sections):
        chunks += (b"\n", _utf8(sections[doc_id]["keywords_md"]))
    chunks = _rstrip_chunks(chunks)
    chunks.append(b"\n")
    return chunks


def keywords_markdown(sections: Mapping[str, dict], corpus_keywords: dict[str, dict],
                      glossary: dict | None = None) -> str:
    """``keywords.md``: the corpus keywords per language, the glossary (given one), then
    every document's keywords (and terms in both languages)."""
    return b"".join(keywords_markdown_chunks(sections, corpus_keywords, glossary)).decode("utf-8")


def topics_csv(topics: dict[str, dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lang", "topic", "label", "rank", "term", "weight"])
    for lang in LANGS:
        for topic in (topics.get(lang) or {}).get("topics", []):
            for rank, term in enumerate(topic["terms"], 1):
                writer.writerow([lang, topic["id"], topic["label"], rank, term["term"], term["weight"]])
    writer.writerow([])
    writer.writerow(["lang", "doc_id", "topic", "weight"])
    for lang in LANGS:
        docs = (topics.get(lang) or {}).get("documents", {})
        writer.writerows([lang, doc_id, entry["topic"], entry["weight"]]
                         for doc_id in sorted(docs) for entry in docs[doc_id])
    return out.getvalue()


def topics_markdown(topics: dict[str, dict]) -> str:
    parts = ["# Topics", ""]
    for lang in LANGS:
        art = topics.get(lang) or {}
        parts += [f"## {LANG_NAMES[lang]}", ""]
        if art.get("status") == "too_little_text" or not art.get("topics"):
            parts += [f"_{art.get('message') or 'No topics.'}_", ""]
            continue
        parts.append(f"{art['k']} topics over {art['n_units']} {art['unit']} "
                     f"of {art['n_documents']} documents.")
        parts.append("")
        for topic in art["topics"]:
            parts += [f"### Topic {topic['id']}: {_md_text(topic['label'])}", ""]
            parts.append("Terms: " + _md_text(", ".join(t["term"] for t in topic["terms"])))
            if topic.get("phrases"):
                parts.append("")
                parts.append("Phrases: " + _md_text(", ".join(topic["phrases"])))
            parts.append("")
            parts.append("Documents: " + ", ".join(f"{d['doc_id']} ({d['weight']:.2f})"
                                                    for d in topic["documents"]))
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


# -- the corpus: HTML ------------------------------------------------------------------------

def _bars(items: list[tuple[str, float]], width: int = 360) -> str:
    """A horizontal bar chart as inline SVG (no script, no download)."""
    if not items:
        return ""
    top = max(v for _, v in items) or 1.0
    row = 20
    label_w = 200
    svg = [f'<svg class="bars" role="img" width="{label_w + width + 60}" height="{row * len(items) + 4}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(items):
        y = i * row + 2
        w = max(1.0, width * value / top)
        svg.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(label[:32])}</text>')
        svg.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" rx="2"><title>'
                   f'{_e(label)}: {value:.4g}</title></rect>')
        svg.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" class="v">{value:.3g}</text>')
    svg.append("</svg>")
    return "".join(svg)


def _heat(value: float) -> str:
    alpha = min(1.0, max(0.0, value))
    return f'style="background: rgba(37, 99, 235, {alpha:.2f})"'


_HEAT_CELLS: dict[tuple[str, bool, bool], str] = {}


def _heat_cell(value: float) -> str:
    """``<td style=…>value</td>``, as :func:`_heat` colours it.

    A heat map has documents x topics cells but few distinct two-decimal values: each
    cell is made once. The key holds all the cell depends on: the shown value and
    whether the colour is clamped (inside [0, 1] the colour is the value itself).
    """
    shown = f"{value:.2f}"
    key = (shown, value > 1.0, value <= 0.0)
    cell = _HEAT_CELLS.get(key)
    if cell is None:
        cell = _HEAT_CELLS[key] = f"<td {_heat(value)}>{shown}</td>"
    return cell


@lru_cache(maxsize=1)
def _templates() -> tuple[str, str]:
    return ((TEMPLATE_DIR / "report.css").read_text(encoding="utf-8"),
            (TEMPLATE_DIR / "report.js").read_text(encoding="utf-8"))


def _topic_slots(topics: dict[str, dict]) -> list[tuple[dict, dict]]:
    """Per language (in ``LANGS`` order), the escaped topic labels by id and the
    documents' topic entries: what :func:`_topic_line` needs."""
    slots = []
    for lang in LANGS:
        art = topics.get(lang) or {}
        slots.append(({t["id"]: _e(t["label"]) for t in art.get("topics", [])}, art.get("documents") or {}))
    return slots


def _topic_line(labels: dict, entries: list[dict]) -> str:
    """``'<p><b>Topics:</b> …</p>'``: what a document's article shows of its topics in one
    language (rendered at assembly, so sections stay corpus-independent)."""
    return "<p><b>Topics:</b> " + ", ".join(
        f'{labels[e["topic"]] if e["topic"] in labels else _e(e["topic"])} ({e["weight"]:.2f})'
        for e in entries) + "</p>"


def _lines(items: Iterable) -> Iterator:
    """UTF-8 chunks of ``"\\n".join(items)`` where an item is a ``str`` or a tuple of
    chunks (bytes-like, passed on as they are); runs of ``str`` items are encoded together,
    a few hundred at a time (a heat map has a row per document)."""
    pending: list[str] = []
    first = True
    for item in items:
        if isinstance(item, str):
            pending.append(item)
            if len(pending) < 512:
                continue
        if pending:
            text = "\n".join(pending)
            pending.clear()
            yield (text if first else "\n" + text).encode("utf-8")
            first = False
            if isinstance(item, str):
                continue
        if not first:
            yield b"\n"
        yield from item
        first = False
    if pending:
        text = "\n".join(pending)
        yield (text if first else "\n" + text).encode("utf-8")


#: Documents shown in a theme's row; the others are behind a "more" switch.
_THEME_DOCUMENTS = 3


class _TitleLookup:
    """Document titles for the themes table, read from the sections' overview rows.

    A section (or its cached bytes) holds the title only inside its overview row,
    ``<tr ...><td><a ...>id</a></td><td>escaped title</td>...``, as
    :func:`document_section` renders it; the title is HTML-escaped there, so it holds no
    ``<`` and ends at the next ``</td>``. Each title is read once, when first asked for.
    """

    def __init__(self, sections: Mapping[str, dict]):
        self._sections = sections
        self._titles: dict[str, str] = {}

    def __call__(self, doc_id: str) -> str:
        """The document's title, escaped for HTML (its id when it has no section)."""
        title = self._titles.get(doc_id)
        if title is None:
            title = _e(doc_id)
            section = self._sections.get(doc_id)
            if section is not None:
                row = str(_utf8(section["overview_row"]), "utf-8")
                start = row.find("</td><td>")
                end = row.find("</td>", start + 9)
                if start >= 0 and end > start:
                    title = row[start + 9:end]
            self._titles[doc_id] = title
        return title


def _document_link(doc_id: str, titles: _TitleLookup) -> str:
    return (f'<li><a href="#doc-{_e(doc_id)}">{titles(doc_id)}</a> '
            f'<span class="docid">{_e(doc_id)}</span></li>')


def _theme_row(rank: int, keyword: dict, titles: _TitleLookup) -> str:
    """One row of the themes table: the theme, its other forms, its documents (the most
    central first, linked to their articles; beyond the first few, behind a switch)."""
    others = _other_forms(keyword)
    theme = _e(keyword["phrase"]) + (f'<div class="forms">also written: {_e(", ".join(others))}</div>'
                                     if others else "")
    documents = keyword.get("documents", [])
    cell = '<ul class="docs">' + "".join(_document_link(d, titles) for d in documents[:_THEME_DOCUMENTS]) + "</ul>"
    if len(documents) > _THEME_DOCUMENTS:
        cell += (f'<details><summary>{len(documents) - _THEME_DOCUMENTS} more</summary><ul class="docs">'
                 + "".join(_document_link(d, titles) for d in documents[_THEME_DOCUMENTS:]) + "</ul></details>")
    return (f'<tr class="filterable"><td>{rank}</td><td>{theme}</td><td>{keyword["df"]}</td>'
            f'<td>{keyword["score"]:.4f}</td><td>{cell}</td></tr>')


_ARTICLE_END = b"</article>"


def _with_related(piece, line: str) -> tuple:
    """The last piece of an article with its "Related:" line put in before ``</article>``
    (as bytes-like chunks; the piece is not decoded)."""
    data = _utf8(piece)
    if not line:
        return (data,)
    if bytes(data[-len(_ARTICLE_END):]) == _ARTICLE_END:
        return (data[:-len(_ARTICLE_END)], line.encode("utf-8") + b"\n" + _ARTICLE_END)
    return (data, b"\n", line.encode("utf-8"))


#: Documents the overview table shows open: about a screenful; a larger collection's
#: table is folded so the page opens on the collection (its themes, map and trends).
OVERVIEW_ROWS = 50


def _html_body(overview: dict, freshness: list, settings: dict, sections: Mapping[str, dict],
               corpus_keywords: dict[str, dict], topics: dict[str, dict], glossary: dict | None,
               keymap: dict | None = None, related: dict | None = None, trends: dict | None = None) -> Iterator:
    """The items of the page's body (see :func:`_lines`), in order."""
    doc_ids = sorted(sections)
    yield ('<header><h1>Keyword and topic report</h1>'
           '<input id="search" type="search" placeholder="Filter documents and keywords…" '
           'aria-label="Filter"></header>')
    # Overview: a collection larger than a screenful of rows leads with its themes, map
    # and trends, so its table of documents is folded (opened on demand)
    folded = len(doc_ids) > OVERVIEW_ROWS
    yield ('<section id="overview"><h2>Overview</h2>'
           + (f'<details class="doc-table"><summary>Table of the {len(doc_ids):,} documents</summary>'
              if folded else "")
           + '<table class="sortable"><thead><tr>'
           '<th>document</th><th>title</th><th>languages</th><th>characters</th>'
           '<th>keywords id</th><th>keywords en</th></tr></thead><tbody>')
    for doc_id in doc_ids:
        yield (_utf8(sections[doc_id]["overview_row"]),)
    yield "</tbody></table>" + ("</details>" if folded else "")
    yield ('<dl class="facts">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>"
                                          for k, v in overview.items()) + "</dl>")
    yield ('<details><summary>Artifacts per step</summary><table><thead><tr><th>step</th>'
           '<th>artifacts</th><th>expected</th></tr></thead><tbody>' + "".join(
               f'<tr><td>{_e(name)}</td><td>{present}</td><td>{expected}</td></tr>'
               for name, present, expected in freshness) + "</tbody></table></details>")
    yield ('<details><summary>Settings</summary><table><thead><tr><th>stage</th><th>setting</th>'
           '<th>value</th></tr></thead><tbody>' + "".join(
               f"<tr><td>{_e(stage)}</td><td>{_e(name)}</td><td>{_e(value)}</td></tr>"
               for stage, values in settings.items() for name, value in values.items())
           + "</tbody></table></details></section>")
    # Corpus keywords: the collection's themes, each with the documents it is in
    yield ('<section id="corpus-keywords"><h2>Corpus keywords</h2>'
           '<p class="note">The themes of the collection: concepts ranked by how many documents '
           'carry them and how high they rank there; forms that differ in case or inflection, '
           'and parts of a longer term, are merged ("also written").</p>')
    titles = _TitleLookup(sections)
    for lang in LANGS:
        ranked = (corpus_keywords.get(lang) or {}).get("keywords", [])
        yield f'<h3>{LANG_NAMES[lang]}</h3>'
        if not ranked:
            yield f"<p>No {LANG_NAMES[lang]} text.</p>"
            continue
        # The chart compares scores within one group: the themes of several documents
        # when there are any (they lead the list), else those of one document.
        charted = [kw for kw in ranked if kw["df"] >= 2] or ranked
        yield _bars([(kw["phrase"], kw["score"]) for kw in charted[:15]])
        yield (f'<table class="sortable themes" id="themes-{lang}"><thead><tr><th>rank</th><th>theme</th>'
               '<th>documents</th><th>score</th><th>in</th></tr></thead><tbody>')
        for i, kw in enumerate(ranked, 1):
            yield _theme_row(i, kw, titles)
        yield "</tbody></table>"
    yield "</section>"
    # Glossary: the concepts named in both languages, each with its documents
    yield glossary_html(glossary, titles)
    # The keyword map (concepts and the documents they share) and the concepts' trends
    yield keyword_map_html(keymap)
    yield trends_html(trends)
    # Topics
    yield '<section id="topics"><h2>Topics</h2>'
    for lang in LANGS:
        art = topics.get(lang) or {}
        yield f"<h3>{LANG_NAMES[lang]}</h3>"
        if not art.get("topics"):
            yield f"<p>{_e(art.get('message') or 'No topics.')}</p>"
            continue
        yield (f"<p>{art['k']} topics over {art['n_units']} {_e(art['unit'])} of "
               f"{art['n_documents']} documents (k chosen by coherence and stability).</p>")
        yield '<div class="cols">'
        for topic in art["topics"]:
            yield f'<div class="topic"><h4>Topic {topic["id"]}: {_e(topic["label"])}</h4>'
            yield _bars([(t["term"], t["weight"]) for t in topic["terms"]], width=160)
            if topic.get("phrases"):
                yield "<p><b>Phrases:</b> " + _e(", ".join(topic["phrases"])) + "</p>"
            yield ("<p><b>Documents:</b> " + ", ".join(
                f'<a href="#doc-{_e(d["doc_id"])}">{_e(d["doc_id"])}</a> ({d["weight"]:.2f})'
                for d in topic["documents"]) + "</p></div>")
        yield "</div>"
        # Document-topic heat map
        docs = art.get("documents", {})
        # A document has weights for a few topics; its other cells are those of 0.0.
        column = {}
        for i, t in enumerate(art["topics"]):
            column.setdefault(t["id"], []).append(i)
        empty = [_heat_cell(0.0)] * len(art["topics"])
        yield ('<div class="heatwrap"><table class="heat"><thead><tr><th>document</th>' + "".join(
            f'<th title="{_e(t["label"])}">T{t["id"]}</th>' for t in art["topics"]) + "</tr></thead><tbody>")
        for doc_id in sorted(docs):
            cells = empty.copy()
            for e in docs[doc_id]:  # in order: a topic listed twice shows its last weight
                for i in column.get(e["topic"], ()):
                    cells[i] = _heat_cell(e["weight"])
            yield f"<tr><td>{_e(doc_id)}</td>" + "".join(cells) + "</tr>"
        yield "</tbody></table></div>"
    yield "</section>"
    yield '<section id="documents"><h2>Documents</h2>'
    yield documents_filter_bar()
    related_lists = (related or {}).get("documents") or {}
    # Documents: each section's article with its topics lines put in their slots.
    slots = _topic_slots(topics)
    newline = b"\n"
    for doc_id in doc_ids:
        pieces = sections[doc_id]["article"]
        chunks = [_utf8(pieces[0])]
        last = len(pieces) - 1
        for index, ((labels, documents), piece) in enumerate(zip(slots, pieces[1:]), 1):
            entries = documents.get(doc_id)
            if entries:
                chunks += (newline, _topic_line(labels, entries).encode("utf-8"))
            chunks.append(newline)
            if index == last:
                # The documents most related to it (a corpus result, as its topics).
                chunks += _with_related(piece, related_html(related_lists.get(doc_id), titles))
            else:
                chunks.append(_utf8(piece))
        yield tuple(chunks)
    yield "</section>"


def html_report_chunks(*, overview: dict, freshness: list, settings: dict, sections: Mapping[str, dict],
                       corpus_keywords: dict[str, dict], topics: dict[str, dict],
                       glossary: dict | None = None, keymap: dict | None = None, related: dict | None = None,
                       trends: dict | None = None) -> Iterator:
    """The page of :func:`html_report` as UTF-8 chunks (bytes-like), made as they are
    consumed: the sections' pieces are passed on as they are, so a writer that takes
    chunks never holds the page whole."""
    css, script = _templates()
    yield ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           f"<title>Keyword and topic report</title><style>{css}</style></head><body>").encode("utf-8")
    yield from _lines(_html_body(overview, freshness, settings, sections, corpus_keywords, topics, glossary,
                                 keymap, related, trends))
    yield f"<script>{script}</script></body></html>\n".encode("utf-8")


def html_report(*, overview: dict, freshness: list, settings: dict, sections: Mapping[str, dict],
                corpus_keywords: dict[str, dict], topics: dict[str, dict], glossary: dict | None = None,
                keymap: dict | None = None, related: dict | None = None, trends: dict | None = None) -> str:
    """The whole report as one HTML page with inline CSS and script.

    Parameters
    ----------
    overview : dict
        Facts shown under the overview table (label: value).
    freshness : list of (step, present, expected)
    settings : dict
        ``{stage: {parameter: value}}``.
    sections : mapping
        ``{doc_id: report_section}`` (see :func:`document_section`); its pieces may be
        ``str`` or UTF-8 bytes.
    corpus_keywords, topics : dict
        ``{lang: artifact}``.
    glossary : dict, optional
        The ``glossary`` artifact (its ``entries`` and ``n_documents``); without one the
        page's glossary section says there is none.
    keymap, related, trends : dict, optional
        The ``map``, ``related`` and ``trends`` artifacts (their ``views`` /
        ``documents``): the "Keyword map" and "Trends" sections, and each article's
        "Related:" line (see :mod:`pipeline.render_collection`); without them those
        sections say there is none and articles have no such line.
    """
    return b"".join(html_report_chunks(overview=overview, freshness=freshness, settings=settings,
                                       sections=sections, corpus_keywords=corpus_keywords,
                                       topics=topics, glossary=glossary, keymap=keymap, related=related,
                                       trends=trends)).decode("utf-8")
