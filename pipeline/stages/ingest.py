"""Ingest: a raw corpus file in, cleaned blocks and metadata out.

Reads
    ``corpus/<file>`` — the document's bytes.
Writes
    ``ingest/<doc_id>.json`` — ``text`` (the cleaned prose), ``blocks`` (paragraphs,
    headings, tables, ... in document order), ``metadata`` (title, authors, source_url,
    author_keywords) and ``log`` (what the cleanup repaired).
"""

from __future__ import annotations

from ..config import Param
from ..stage import Read, Step
from ..text.encoding import decode_document
from ..text.metadata import extract_metadata
from ..text.ocr import clean_text

NAME = "ingest"
PARAMS = {
    "encoding": Param("auto", "text encoding of corpus files: 'auto' (UTF-8/UTF-16 by BOM) or a codec name"),
    "max_bytes": Param(50_000_000, "refuse corpus files larger than this", minimum=1),
}

# Blocks that are not prose: kept in the artifact, left out of ``text``.
NON_PROSE = ("table", "separator", "meta")


def run(doc_id: str, inputs, params: dict) -> dict:
    path, data = inputs.raw()
    raw = decode_document(data, str(path), params["encoding"], params["max_bytes"])
    blocks, log = clean_text(raw)
    metadata = extract_metadata(blocks)
    text = "\n\n".join(b["text"] for b in blocks if b["kind"] not in NON_PROSE)
    return {"ingest": {
        "source": {"file": path.name, "bytes": len(data), "characters": len(raw)},
        "text": text,
        "blocks": blocks,
        "metadata": metadata,
        "log": log,
    }}


STEPS = (Step("ingest", NAME, "document", (Read("corpus"),), ("ingest",), run),)
