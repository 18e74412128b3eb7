"""Concepts across the two languages: corpus themes merged through the glossary, a term
looked up in either language, and the glossary as a TermBase eXchange (TBX) file.

- :func:`merge_themes`: the Indonesian and English corpus themes whose keys the
  glossary pairs become one concept ("kebijakan luar negeri / foreign policy") with
  the documents of both languages; the others stay concepts of one language.
- :func:`documents_holding`: which documents hold a key in their keyword lists or
  author keywords (so a term looked up in English finds Indonesian-only theses).
- :func:`glossary_tbx`: the glossary in TBX-Core (ISO 30042:2019), the exchange
  format translators' and terminologists' tools import.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

__all__ = ["merge_themes", "documents_holding", "glossary_tbx", "glossary_rows"]


def merge_themes(themes: dict, glossary, top: int | None = None) -> list[dict]:
    """Corpus themes of both languages as concepts.

    Parameters
    ----------
    themes : dict
        ``{lang: corpus_keywords artifact}`` (its ``keywords``: ``{phrase, key, df,
        score, documents}`` best first).
    glossary : Glossary or None
        Pairs an Indonesian key with an English one (:meth:`Glossary.lookup`).
    top : int or None
        Concepts returned.

    Returns
    -------
    list of dict
        ``{"id": phrase or None, "en": phrase or None, "documents": [ids],
        "df": n, "score": x}``, by score (the sum of the two themes' scores: a
        concept both languages carry weighs what both say), then df, then phrase.
    """
    by_key = {lang: {str(t["key"]).lower(): t for t in art.get("keywords", [])}
              for lang, art in themes.items()}
    concepts, used_en = [], set()
    for key, theme in by_key.get("id", {}).items():
        entry = glossary.lookup(key, "id") if glossary is not None else None
        other = by_key.get("en", {}).get(entry["en_key"]) if entry is not None else None
        documents = set(theme["documents"])
        score = float(theme["score"])
        if other is not None:
            used_en.add(entry["en_key"])
            documents |= set(other["documents"])
            score += float(other["score"])
        concepts.append({"id": theme["phrase"], "en": other["phrase"] if other is not None else None,
                         "documents": sorted(documents), "df": len(documents), "score": round(score, 6)})
    for key, theme in by_key.get("en", {}).items():
        if key in used_en:
            continue
        concepts.append({"id": None, "en": theme["phrase"], "documents": sorted(theme["documents"]),
                         "df": len(theme["documents"]), "score": round(float(theme["score"]), 6)})
    concepts.sort(key=lambda c: (-c["score"], -c["df"], c["id"] or "", c["en"] or ""))
    return concepts[:top] if top is not None else concepts


def documents_holding(keywords_by_doc, keys: dict) -> dict:
    """``{lang: [doc ids]}``: the documents whose keyphrases or author keywords of
    ``lang`` hold ``keys[lang]`` (lowercased keys), sorted.

    ``keywords_by_doc`` maps a document id to its keywords artifact, which carries
    both (``keywords`` and ``author_keywords``, by language).
    """
    found: dict = {lang: [] for lang in keys}
    for doc_id in sorted(keywords_by_doc):
        artifact = keywords_by_doc[doc_id]
        for lang, key in keys.items():
            if not key:
                continue
            held = {str(k["key"]).lower() for k in artifact.get("keywords", {}).get(lang, [])}
            held |= {str(k["key"]).lower() for k in artifact.get("author_keywords", {}).get(lang, [])}
            if key in held:
                found[lang].append(doc_id)
    return found


def glossary_rows(entries: list, top: int | None = None) -> list[dict]:
    """Flat rows of glossary entries for tables and CSV: the preferred forms, the other
    forms, how many documents use either side (and their ids), how many bilingual
    documents pair the two by their own evidence, and the score."""
    rows = []
    for rank, e in enumerate(entries[:top] if top is not None else entries, 1):
        rows.append({"rank": rank, "id": e["id"][0], "en": e["en"][0], "documents": len(e["doc_ids"]),
                     "paired_in": e["linked"], "score": e["score"],
                     "also_id": e["id"][1:], "also_en": e["en"][1:], "document_ids": e["doc_ids"]})
    return rows


def glossary_tbx(entries: list, title: str = "Glossary", source: str = "") -> str:
    """The entries as a TBX-Core document (ISO 30042:2019, DCA style).

    One ``conceptEntry`` per entry, with an Indonesian and an English ``langSec``
    holding every form as a ``termSec`` (the preferred form first).  Deterministic:
    the same entries give the same bytes.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<tbx style="dca" type="TBX-Core" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">',
             "  <tbxHeader>",
             "    <fileDesc>",
             f"      <titleStmt><title>{escape(title)}</title></titleStmt>",
             f"      <sourceDesc><p>{escape(source or 'bilingual keyword pipeline glossary')}</p></sourceDesc>",
             "    </fileDesc>",
             "  </tbxHeader>",
             "  <text>",
             "    <body>"]
    for number, e in enumerate(entries, 1):
        lines.append(f"      <conceptEntry id={quoteattr(f'c{number}')}>")
        for lang in ("id", "en"):
            lines.append(f"        <langSec xml:lang={quoteattr(lang)}>")
            for form in e[lang]:
                lines.append(f"          <termSec><term>{escape(form)}</term></termSec>")
            lines.append("        </langSec>")
        lines.append("      </conceptEntry>")
    lines += ["    </body>", "  </text>", "</tbx>"]
    return "\n".join(lines) + "\n"
