"""Report: the pages and tables a person reads.

Two steps, so that adding a document to a large corpus re-renders that document only.

``report_section`` (one per document)
    Reads ``ingest/<doc>.json``, ``separate/<doc>.json`` and ``keywords/<doc>.json``
    (with author keywords). Writes ``report_section/<doc>.json``: the document's part
    of the pages, already rendered (overview row, HTML article, its chunk of
    ``keywords.md`` and ``keywords.csv``) and nothing that depends on other documents,
    so it stays byte-identical when others are added.
``report`` (the corpus)
    Reads every ``report_section``, ``corpus_keywords/<lang>.json`` and
    ``topics/<lang>.json``. Writes ``report.html`` (one self-contained page),
    ``keywords.md``, ``keywords.csv``, ``topics.md``, ``topics.csv`` in the output
    folder, and ``report/corpus.json`` listing them with their sha256. The corpus
    results a document's article shows (its topics) are put in at this point. Keeps
    ``report/sections.cache``, the sections' text in one file, so that the next
    assembly reads one file rather than one per document (see ``read_cache``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePosixPath

from .. import __version__
from ..artifacts import MODEL_KINDS, ArtifactRef, sha256_bytes
from ..config import Param
from ..errors import ArtifactError
from ..render import document_section, html_report, keywords_csv, keywords_markdown, topics_csv, topics_markdown
from ..stage import LANGS, Read, Step

NAME = "report"
PARAMS = {
    "html": Param(True, "write report.html besides the Markdown and CSV files"),
}


def run_section(key: str, inputs, params: dict) -> dict:
    """The ``report_section`` of one document."""
    return {"report_section": document_section(key, inputs.one("ingest"), inputs.one("separate"),
                                               inputs.one("keywords"))}


def _present(store, kind: str, keys: list[str]) -> int:
    """How many of ``keys`` have an artifact of ``kind`` (one directory listing, not a
    file check per key)."""
    if kind in MODEL_KINDS:
        return sum(1 for k in keys if store.exists(ArtifactRef(kind, k)))
    folder = store.path(ArtifactRef(kind, "_")).parent
    if store.files.url:
        names = {PurePosixPath(str(p)).name for p in store.files.glob(folder, "*.json")}
    else:
        try:
            with os.scandir(folder) as entries:
                names = {entry.name for entry in entries}
        except (FileNotFoundError, NotADirectoryError):
            return 0
    return sum(1 for k in keys if f"{k}.json" in names)


def _artifact_counts(inputs) -> list[tuple[str, int, int]]:
    """Per step before the report: artifacts on disk and artifacts expected."""
    n_docs = inputs.options.get("n_documents", len(inputs.documents))
    doc_ids = [d.doc_id for d in inputs.documents]
    rows = []
    for name, scope, writes in inputs.options.get("steps", []):
        if name == NAME:
            continue
        keys = doc_ids if scope == "document" else list(LANGS)
        present = sum(_present(inputs.store, kind, keys) for kind in writes)
        rows.append((name, present, len(writes) * (n_docs if scope == "document" else len(LANGS))))
    return rows


# -- the sections, with a cache of their text -------------------------------------------
# Assembling the pages needs every document's section. Read one by one they cost a
# file open and a JSON parse each (most of the assembly of a large corpus), so the
# report step also keeps their text in one file, ``report/sections.cache``: a line
# ``report-sections <v> <sha256 of the rest>``, a line of JSON
# ``[[doc_id, sha256 of the section file, [piece lengths], languages, characters], ...]``
# and the pieces, concatenated. A section is taken from the cache only when its file
# still has the sha256 recorded there, and the whole cache only when its own sha256
# holds; anything else is read from the section itself. The cache holds nothing but
# what the sections hold, sorted by document id, so it is as reproducible as they are.

CACHE_VERSION = b"report-sections 2 "
SECTION = "report_section"


CACHE_NAME = "report/sections.cache"  # a side file of the output folder


def _pieces(section: dict) -> list[str]:
    return [section["overview_row"], *section["article"], section["keywords_md"], section["keywords_csv"]]


@dataclass
class CacheEntry:
    """One document in the cache: its section file's sha256, the section (but its header
    and title), and the bytes it takes in the cache file (reused when rewriting it)."""

    sha: str
    section: dict
    lengths: list[int]
    record: bytes | memoryview


def _entry(sha: str, section: dict) -> CacheEntry:
    encoded = [piece.encode("utf-8") for piece in _pieces(section)]
    return CacheEntry(sha, section, [len(b) for b in encoded], b"".join(encoded))


def read_cache(data: bytes | None) -> dict[str, CacheEntry]:
    """``{doc_id: CacheEntry}`` from the bytes of a cache file; ``{}`` when there are none
    or they are damaged or of another version."""
    if not data:
        return {}
    # Views, not copies: the file is tens of MB for a large corpus.
    view = memoryview(data)
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1)
    if first < 0 or second < 0 or data[:first] != CACHE_VERSION + sha256_bytes(view[first + 1:]).encode("ascii"):
        return {}
    entries = {}
    at = second + 1
    try:
        for doc_id, sha, lengths, languages, characters in json.loads(data[first + 1:second]):
            start = at
            pieces = []
            for length in lengths:
                pieces.append(str(view[at:at + length], "utf-8"))
                at += length
            section = {"languages": languages, "characters": characters, "overview_row": pieces[0],
                       "article": pieces[1:-2], "keywords_md": pieces[-2], "keywords_csv": pieces[-1]}
            entries[doc_id] = CacheEntry(sha, section, lengths, view[start:at])
    except (ValueError, TypeError, UnicodeDecodeError, IndexError):
        return {}
    return entries if at == len(data) else {}


def cache_bytes(entries: list[tuple[str, CacheEntry]]) -> bytes:
    """The cache file of ``[(doc_id, CacheEntry), ...]`` (in that order)."""
    index = [[doc_id, e.sha, e.lengths, e.section["languages"], e.section["characters"]] for doc_id, e in entries]
    rest = b"".join([json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), b"\n",
                     *(e.record for _, e in entries)])
    return CACHE_VERSION + sha256_bytes(rest).encode("ascii") + b"\n" + rest


def _load_sections(inputs) -> dict[str, dict]:
    """Every document's ``report_section`` (but its header), by document id, sorted.

    From the cache when the section file is the one cached, else read (and validated)
    from the store; the cache is rewritten when it changed.
    """
    store = inputs.store
    try:
        cached = read_cache(store.files.read(store.output_dir / CACHE_NAME)[0])
    except OSError:  # missing or unreadable: it is only a cache
        cached = {}
    entries = []
    changed = False
    for doc_id in sorted(d.doc_id for d in inputs.documents):
        ref = ArtifactRef(SECTION, doc_id)
        try:
            sha = store.sha256(ref)
        except (FileNotFoundError, ArtifactError):
            # Missing: an upstream step failed for this document (reported there).
            continue
        entry = cached.get(doc_id)
        if entry is None or entry.sha != sha:
            section, sha = store.load(ref)
            entry = _entry(sha, section)
            changed = True
        entries.append((doc_id, entry))
    if changed or len(entries) != len(cached):
        store.write_file(CACHE_NAME, cache_bytes(entries))
    return {doc_id: entry.section for doc_id, entry in entries}


def run(key: str, inputs, params: dict) -> dict:
    sections = _load_sections(inputs)
    corpus_keywords = inputs.langs("corpus_keywords")
    topics = inputs.langs("topics")
    files = {
        "keywords.md": keywords_markdown(sections, corpus_keywords),
        "keywords.csv": keywords_csv(sections, corpus_keywords),
        "topics.md": topics_markdown(topics),
        "topics.csv": topics_csv(topics),
    }
    if params["html"]:
        overview = {
            "documents": len(sections),
            "documents with Indonesian text": sum(1 for s in sections.values() if "id" in s["languages"]),
            "documents with English text": sum(1 for s in sections.values() if "en" in s["languages"]),
            "characters of cleaned text": f"{sum(s['characters'] for s in sections.values()):,}",
            "topics (id / en)": " / ".join(str((topics.get(lang) or {}).get("k", 0)) for lang in LANGS),
            "pipeline version": __version__,
            # The page says when it was built; the JSON artifacts carry no clock and stay
            # byte-identical from run to run.
            "built": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        }
        files["report.html"] = html_report(
            overview=overview, freshness=_artifact_counts(inputs), settings=inputs.options.get("params", {}),
            sections=sections, corpus_keywords=corpus_keywords, topics=topics)
    written = {}
    for name in sorted(files):
        sha = inputs.store.write_file(name, files[name].encode("utf-8"))
        # The page carries its build time, so only its presence is recorded: this
        # artifact stays byte-identical from run to run.
        written[name] = None if name == "report.html" else sha
    return {"report": {"files": written}}


STEPS = (
    Step("report_section", NAME, "document",
         (Read("ingest"), Read("separate"), Read("keywords")),
         ("report_section",), run_section),
    Step("report", NAME, "corpus",
         (Read("report_section", "all"), Read("corpus_keywords", "langs"), Read("topics", "langs")),
         ("report",), run),
)
