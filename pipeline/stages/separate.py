"""Separate: find each document's Indonesian and English parts.

Reads
    ``ingest/<doc_id>.json`` — blocks and metadata.
Writes
    ``separate/<doc_id>.json`` — ``sections`` (lang, kind, text, block ids, confidence, in
    document order), ``abstracts`` and ``titles`` per language, author ``keywords`` per language.

Works on ingest's blocks, never on raw lines.  A scraped abstract arrives as the
document ``title\n\nabstract``: its paragraph block may run the Indonesian abstract,
``Kata kunci: ...``, the English abstract and ``Keywords: ...`` together;
:func:`pipeline.text.sections.split_sections` cuts such blocks (embedded keyword or
abstract labels, function words of both languages) before deciding languages.
"""

from __future__ import annotations

from ..stage import LANGS, Read, Step
from ..text.sections import split_sections

NAME = "separate"
PARAMS: dict = {}


def run(doc_id: str, inputs, params: dict) -> dict:
    ingested = inputs.one("ingest")
    result = split_sections(ingested["blocks"], ingested["metadata"])
    # Author keywords found by ingest's metadata win where separate found none.
    keywords = result.get("keywords") or {}
    meta_keywords = ingested["metadata"].get("author_keywords", {})
    merged = {lang: list(keywords.get(lang) or meta_keywords.get(lang) or []) for lang in LANGS}
    warnings = []
    if not any(s["lang"] in LANGS and s["kind"] in ("abstract", "body") for s in result["sections"]):
        source = next((str(d.path) for d in inputs.documents if d.doc_id == doc_id),
                      ingested.get("source", {}).get("file", doc_id))
        warnings.append(
            f"{source}: no Indonesian or English prose found (only a title, a table, numbers or "
            "another language); it gets no keywords or topics: check the file or remove it"
        )
    return {"separate": {
        "sections": result["sections"],
        "abstracts": result["abstracts"],
        "titles": result.get("titles", {"id": None, "en": None}),
        "keywords": merged,
    }, "warnings": warnings}


STEPS = (Step("separate", NAME, "document", (Read("ingest"),), ("separate",), run),)
