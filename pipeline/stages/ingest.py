"""Ingest: a raw corpus file in, cleaned blocks and metadata out.

Reads
    ``corpus/<file>`` — the document's bytes.
Writes
    ``ingest/<doc_id>.json`` — ``text`` (the cleaned prose), ``blocks`` (paragraphs,
    headings, tables, ... in document order), ``metadata`` (title, authors, source_url,
    author_keywords), ``changes`` (every repair: rule, before, after, source line,
    block), ``log`` (a per-rule summary) and ``source`` (file name, size and the
    decoded original text, so that every change can be read in its context even
    after the corpus file changed; the header's sha256 identifies the bytes).
"""

from __future__ import annotations

from ..config import Param
from ..stage import Read, Step
from ..text.encoding import decode_document
from ..text.metadata import extract_metadata, printed_year
from ..text.cleanup import clean_document

NAME = "ingest"
PARAMS = {
    "encoding": Param("auto", "text encoding of corpus files: 'auto' (UTF-8/UTF-16 by BOM) or a codec name"),
    "max_bytes": Param(50_000_000, "refuse corpus files larger than this", minimum=1),
    # Off by default: about one split in eight breaks a valid word the lexicons do not
    # know (metakognitif, dianalisa), and scraped gold texts keep their joins.
    "split_words": Param(False, "split run-together words (kesejahteraanmasyarakat) when both halves are known words"),
}

# A whitespace-free run this long is no word of any language (a base64 blob, a
# broken export): worth a warning.
LONG_RUN = 10_000

# Blocks that are not prose: kept in the artifact, left out of ``text``.
NON_PROSE = ("table", "separator", "meta")


def run(doc_id: str, inputs, params: dict) -> dict:
    path, data = inputs.raw()
    raw = decode_document(data, str(path), params["encoding"], params["max_bytes"])
    result = clean_document(raw, split_words=params["split_words"])
    blocks = result.blocks
    metadata = extract_metadata(blocks)
    # What the user gave on 'add' (title, authors, year, source) wins over what the
    # text shows; the fields are always present so readers need not guess.
    given = inputs.given_metadata()
    metadata.update({k: given[k] for k in ("title", "authors") if given.get(k)})
    # the year given on 'add' (or a bulk file's field), else one printed in an issue line
    printed = printed_year(raw)
    metadata["year"] = given.get("year") or printed
    metadata["year_source"] = "given" if given.get("year") else ("text" if printed else None)
    metadata["source"] = given.get("source")
    # a reference file's record (RIS, BibTeX): its DOI and keywords, only when given
    metadata.update({k: given[k] for k in ("doi", "keywords") if given.get(k)})
    metadata["given"] = sorted(k for k in ("title", "authors", "year", "source") if k in given)
    text = "\n\n".join(b["text"] for b in blocks if b["kind"] not in NON_PROSE)
    warnings = []
    longest = max((len(run) for run in raw.split()), default=0)
    if longest >= LONG_RUN:
        warnings.append(f"{path}: a run of {longest:,} characters without spaces (not prose?); "
                        "it is kept but no word comes of it: check the file")
    return {"warnings": warnings, "ingest": {
        # the original text costs about as much as the cleaned one and makes the
        # change log (line numbers) readable without the corpus file
        "source": {"file": path.name, "bytes": len(data), "characters": len(raw), "text": raw},
        "text": text,
        "blocks": blocks,
        "metadata": metadata,
        "changes": result.changes,
        "log": result.log,
    }}


STEPS = (Step("ingest", NAME, "document", (Read("corpus"),), ("ingest",), run),)
