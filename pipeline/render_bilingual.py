"""The bilingual parts of the report: a document's terms in both languages and the corpus glossary.

Pure functions from the ``align`` and ``glossary`` artifacts to strings, as
:mod:`pipeline.render` (which calls them) does for the rest of the report:

* per document (in its ``report_section``, so they depend on that document's align
  artifact alone): :func:`pairs_html`, the table "Terms in both languages" under the
  two abstracts, with what has no counterpart; :func:`pairs_markdown`, its part of
  ``keywords.md``; :func:`pairs_csv_rows`, its rows of ``glossary.csv``;
* for the corpus (at assembly): :func:`glossary_html`, the page's "Glossary" section
  (a sortable table with its own search box, each entry linking to its documents'
  articles); :func:`glossary_markdown`, the "Glossary" section of ``keywords.md``;
  :func:`glossary_csv_rows`, the corpus rows of ``glossary.csv``.

This module imports nothing of the package (``render`` imports it), hence its own
two escaping helpers.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable

#: Glossary entries in the page's table (the best ones; ``glossary.csv`` has them all).
GLOSSARY_SHOWN = 500
#: Glossary entries in ``keywords.md``.
GLOSSARY_MARKDOWN = 30
#: Documents linked per glossary entry in the page; the others are counted.
GLOSSARY_LINKS = 10
#: Documents named per glossary entry in ``keywords.md``.
GLOSSARY_MARKDOWN_DOCUMENTS = 5

#: The kinds of evidence an aligned pair may have, as the page explains them.
EVIDENCE = {
    "identical": "written the same in both languages",
    "dictionary": "translations in the Indonesian-English dictionary",
    "cognate": "similar spelling (a cognate or loanword)",
    "glossary": "paired in other documents of the corpus (the glossary)",
    "keyword_order": "at the same place in the two author keyword lines",
}

#: The header of ``glossary.csv``: document rows (one per aligned pair: its evidence)
#: then corpus rows (one per glossary entry: every form, its documents).
GLOSSARY_CSV_HEADER = ["scope", "doc_id", "rank", "id", "en", "score", "evidence", "documents", "linked",
                       "doc_ids"]


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _md_cell(value) -> str:
    # Markdown renders raw HTML: document text must never become markup.
    return html.escape(str(value), quote=False).replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list]) -> list[str]:
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows])


def _evidence_label(kind: str) -> str:
    return kind.replace("_", " ")


def _shown(align: dict | None) -> bool:
    """Whether a document's align artifact has anything to show (a bilingual document
    with a pair, or terms left without one)."""
    return bool(align and align.get("bilingual")
                and (align.get("pairs") or align.get("id_only") or align.get("en_only")))


# -- one document ------------------------------------------------------------------------

def pairs_html(align: dict | None) -> str:
    """``<div class="bilingual">…</div>``: a document's terms in both languages (a table,
    best first) and those left in one language; ``""`` for a document that is not
    bilingual or has no align artifact."""
    if not _shown(align):
        return ""
    parts = ['<div class="bilingual"><h4>Terms in both languages</h4>']
    pairs = align.get("pairs") or []
    if pairs:
        parts.append('<table class="sortable pairs"><thead><tr><th>Indonesian</th><th>English</th>'
                     '<th>evidence</th><th>score</th></tr></thead><tbody>')
        for pair in pairs:
            sources = pair.get("sources") or {}
            cells = []
            for lang in ("id", "en"):
                phrase = _e(pair[lang])
                if sources.get(lang) == "author":
                    phrase = f'<span class="author" title="an author keyword">{phrase}</span>'
                cells.append(f"<td>{phrase}</td>")
            evidence = ", ".join(f'<span title="{_e(EVIDENCE.get(kind, kind))}">{_e(_evidence_label(kind))}</span>'
                                 for kind in pair.get("evidence") or [])
            parts.append(f'<tr>{"".join(cells)}<td>{evidence}</td><td>{pair["score"]:.2f}</td></tr>')
        parts.append("</tbody></table>")
        if any("author" in (p.get("sources") or {}).values() for p in pairs):
            parts.append('<p class="note">In bold: the author\'s keywords (Kata kunci / Keywords); '
                         'the others are keyphrases found in the text.</p>')
    else:
        parts.append('<p class="none">No term paired with one of the other language.</p>')
    for key, name in (("id_only", "Indonesian"), ("en_only", "English")):
        terms = align.get(key) or []
        if terms:
            parts.append(f'<p class="only"><b>Only in {name}:</b> {_e(", ".join(terms))}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def pairs_markdown(align: dict | None) -> str:
    """A document's terms in both languages as a Markdown subsection (``""`` when
    :func:`pairs_html` shows nothing)."""
    if not _shown(align):
        return ""
    parts = ["### Terms in both languages", ""]
    pairs = align.get("pairs") or []
    if pairs:
        parts += _md_table(["Indonesian", "English", "evidence", "score"],
                           [[p["id"], p["en"], ", ".join(_evidence_label(k) for k in p.get("evidence") or []),
                             f'{p["score"]:.2f}'] for p in pairs])
    else:
        parts.append("_No term paired with one of the other language._")
    for key, name in (("id_only", "Indonesian"), ("en_only", "English")):
        if align.get(key):
            parts += ["", f"Only in {name}: " + _md_cell(", ".join(align[key]))]
    parts.append("")
    return "\n".join(parts)


def pairs_csv_rows(doc_id: str, align: dict | None) -> str:
    """A document's rows of ``glossary.csv``: one per aligned pair, best first."""
    if not align or not align.get("bilingual"):
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for rank, pair in enumerate(align.get("pairs") or [], 1):
        writer.writerow(["document", doc_id, rank, pair["id"], pair["en"], pair["score"],
                         ";".join(pair.get("evidence") or []), "", "", ""])
    return out.getvalue()


# -- the corpus --------------------------------------------------------------------------

def _entry_documents(entry: dict) -> list[str]:
    """An entry's documents, those whose own evidence pairs its two sides first."""
    linked = entry.get("linked_ids") or []
    seen = set(linked)
    return list(linked) + [d for d in entry.get("doc_ids") or [] if d not in seen]


def _forms_cell(forms: list[str]) -> str:
    cell = _e(forms[0])
    if len(forms) > 1:
        cell += f'<div class="forms">also written: {_e(", ".join(forms[1:]))}</div>'
    return cell


def _glossary_row(rank: int, entry: dict, title: Callable[[str], str]) -> str:
    documents = _entry_documents(entry)
    links = ", ".join(f'<a href="#doc-{_e(d)}" title="{title(d)}">{_e(d)}</a>'
                      for d in documents[:GLOSSARY_LINKS])
    if len(documents) > GLOSSARY_LINKS:
        links += f' <span class="more">and {len(documents) - GLOSSARY_LINKS} more</span>'
    return (f'<tr class="filterable"><td>{rank}</td><td>{_forms_cell(entry["id"])}</td>'
            f'<td>{_forms_cell(entry["en"])}</td><td>{entry["documents"]}</td>'
            f'<td>{entry["score"]:.4f}</td><td class="links">{links}</td></tr>')


def glossary_html(glossary: dict | None, title: Callable[[str], str]) -> str:
    """The page's "Glossary" section.

    Parameters
    ----------
    glossary : dict or None
        The ``glossary`` artifact (``entries`` and ``n_documents`` are read), or None
        when there is none.
    title : callable
        A document's title, escaped for HTML (for the links' tooltips).
    """
    parts = ['<section id="glossary"><h2>Glossary</h2>']
    if glossary is None:
        parts.append('<p class="none">No glossary: the align stage has not written one.</p></section>')
        return "\n".join(parts)
    entries = glossary.get("entries") or []
    n_documents = glossary.get("n_documents", 0)
    if not entries:
        parts.append(f'<p class="none">No term found in both languages ({n_documents} documents with text in '
                     'both).</p></section>')
        return "\n".join(parts)
    shown = entries[:GLOSSARY_SHOWN]
    count = (f"{len(entries)} entries" if len(shown) == len(entries)
             else f"the best {len(shown)} of {len(entries)} entries (glossary.csv lists them all)")
    parts.append(f'<p class="note">Concepts named in both languages, learnt from the {n_documents} documents '
                 f'with text in both: {count}. "documents" counts the bilingual documents holding both '
                 'sides; each entry links to the documents holding either, those pairing the two first. '
                 'Click a column to sort.</p>')
    parts.append('<p class="tablebar"><input type="search" class="table-filter" data-table="glossary-table" '
                 'placeholder="Search the glossary…" aria-label="Search the glossary"> '
                 f'<span class="filter-count" data-for="glossary-table">{len(shown)} entries</span></p>')
    parts.append('<table class="sortable glossary" id="glossary-table"><thead><tr><th>rank</th>'
                 '<th>Indonesian</th><th>English</th><th>documents</th><th>score</th><th>in</th>'
                 '</tr></thead><tbody>')
    parts += [_glossary_row(rank, entry, title) for rank, entry in enumerate(shown, 1)]
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _first_documents(entry: dict) -> str:
    documents = _entry_documents(entry)
    shown = ", ".join(documents[:GLOSSARY_MARKDOWN_DOCUMENTS])
    extra = len(documents) - GLOSSARY_MARKDOWN_DOCUMENTS
    return shown + (f" … (+{extra})" if extra > 0 else "")


def glossary_markdown(glossary: dict | None) -> str:
    """The "Glossary" section of ``keywords.md`` (its best entries); ``""`` without a
    glossary artifact."""
    if glossary is None:
        return ""
    entries = glossary.get("entries") or []
    parts = ["## Glossary — Indonesian / English", ""]
    if not entries:
        parts += ["_No term found in both languages._", ""]
        return "\n".join(parts)
    shown = entries[:GLOSSARY_MARKDOWN]
    parts += _md_table(["rank", "Indonesian", "English", "documents", "score", "in"],
                       [[i, ", ".join(e["id"]), ", ".join(e["en"]), e["documents"], f'{e["score"]:.4f}',
                         _first_documents(e)] for i, e in enumerate(shown, 1)])
    if len(shown) < len(entries):
        parts += ["", f"_The best {len(shown)} of {len(entries)} entries; glossary.csv lists them all._"]
    parts.append("")
    return "\n".join(parts)


def glossary_csv_rows(glossary: dict | None) -> str:
    """The corpus rows of ``glossary.csv``: every entry, best first, its forms (most
    frequent first) joined by ``; `` and its documents by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for rank, entry in enumerate((glossary or {}).get("entries") or [], 1):
        writer.writerow(["corpus", "", rank, "; ".join(entry["id"]), "; ".join(entry["en"]), entry["score"], "",
                         entry["documents"], entry["linked"], " ".join(_entry_documents(entry))])
    return out.getvalue()


def glossary_csv_header() -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(GLOSSARY_CSV_HEADER)
    return out.getvalue()
