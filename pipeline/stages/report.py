"""Report: the pages and tables a person reads.

Two steps, so that adding a document to a large corpus re-renders that document only.

``report_section`` (one per document)
    Reads ``ingest/<doc>.json``, ``separate/<doc>.json``, ``keywords/<doc>.json``
    (with author keywords) and ``align/<doc>.json`` (its terms in both languages).
    Writes ``report_section/<doc>.json``: the document's part of the pages, already
    rendered (overview row, HTML article, its chunk of ``keywords.md``, its rows of
    ``keywords.csv`` and ``glossary.csv``) and nothing of other documents but what
    its align artifact draws from the corpus glossary, so it stays byte-identical
    when others are added (unless they change that artifact).
``report`` (the corpus)
    Reads every ``report_section``, ``corpus_keywords/<lang>.json``,
    ``glossary/corpus.json``, ``topics/<lang>.json``, ``map/corpus.json``,
    ``related/corpus.json`` and ``trends/corpus.json`` (of these, only the fields the
    pages show). Writes ``report.html`` (one self-contained page), ``keywords.md``,
    ``keywords.csv``, ``glossary.csv``, ``topics.md``, ``topics.csv`` in the output
    folder, and ``report/corpus.json``
    listing them with their sha256. The corpus results a document's article shows (its
    topics, its related documents) are put in at this point: a section holds nothing of
    other documents, so adding one does not change every section. Keeps ``report/sections.cache``, the sections'
    text in one file, so that the next assembly reads one file rather than one per
    document (see ``read_cache``); the pages are written from its bytes, which are
    never decoded, one file at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from ..version import __version__
from ..config import Param
from ..errors import ArtifactError
from ..render import (document_section, glossary_csv_chunks, html_report_chunks, keywords_csv_chunks,
                      keywords_markdown_chunks, topics_csv, topics_markdown)
from ..stage import LANGS, Read, Step
from ..store import MODEL_KINDS, ArtifactRef, sha256_bytes

NAME = "report"
PARAMS = {
    "html": Param(True, "write report.html besides the Markdown and CSV files"),
}


def run_section(key: str, inputs, params: dict) -> dict:
    """The ``report_section`` of one document."""
    try:
        align = inputs.one("align")
    except (FileNotFoundError, ArtifactError):
        # The runner never runs this step without it (a declared input); called
        # otherwise, the document is shown as it was before alignment: without pairs.
        align = None
    return {"report_section": document_section(key, inputs.one("ingest"), inputs.one("separate"),
                                               inputs.one("keywords"), align)}


def _present(store, kind: str, keys: list[str]) -> int:
    """How many of ``keys`` have an artifact of ``kind`` (one directory listing, not a
    file check per key)."""
    if kind in MODEL_KINDS:
        return sum(1 for k in keys if store.exists(ArtifactRef(kind, k)))
    present = set(store.keys(kind))
    return sum(1 for k in keys if k in present)


def _artifact_counts(inputs) -> list[tuple[str, int, int]]:
    """Per step before the report: artifacts on disk and artifacts expected."""
    n_docs = inputs.options.n_documents or len(inputs.documents)
    doc_ids = [d.doc_id for d in inputs.documents]
    rows = []
    for name, scope, writes in inputs.options.steps:
        if name == NAME:
            continue
        keys = doc_ids if scope == "document" else (["corpus"] if scope == "corpus" else list(LANGS))
        present = sum(_present(inputs.store, kind, keys) for kind in writes)
        per_kind = n_docs if scope == "document" else len(keys)
        rows.append((name, present, len(writes) * per_kind))
    return rows


# -- the sections, with a cache of their text -------------------------------------------
# Assembling the pages needs every document's section. Read one by one they cost a
# file open and a JSON parse each (most of the assembly of a large corpus), so the
# report step also keeps their text in one file, ``report/sections.cache``:
#
#     report-sections <v> <sha256 of the next line>
#     [[doc_id, payload sha256 of the section, [piece lengths], languages, characters,
#       sha256 of the entry's bytes (32 hex)], ...]
#     the pieces of every entry, UTF-8, concatenated
#
# An entry is taken from the cache only when its section still has the payload sha256
# recorded there, and the whole cache only when every sha256 holds; anything else is
# read from the section itself. The pieces stay bytes from this file to the pages (they
# are never decoded), and as each entry carries its own sha256 the file is rewritten,
# when a section changed, without hashing the entries that did not. The cache holds
# nothing but what the sections hold, sorted by document id, so it is as reproducible
# as they are.

CACHE_VERSION = b"report-sections 4 "
SECTION = "report_section"
CACHE_NAME = "report/sections.cache"  # a side file of the output folder
_DIGEST = 32  # hex digits of an entry's sha256 kept: damage detection, not security
_PIECES = len(LANGS) + 5  # overview row, article (len(LANGS) + 1 pieces), Markdown, two CSV


def _digest(record) -> str:
    return sha256_bytes(record)[:_DIGEST]


def _pieces(section: dict) -> list[str]:
    return [section["overview_row"], *section["article"], section["keywords_md"], section["keywords_csv"],
            section["glossary_csv"]]


@dataclass(slots=True)
class CacheEntry:
    """One document in the cache: its section's payload sha256, what the overview counts
    of it, its pieces' lengths and bytes (a view of the cache file when read from it),
    and their sha256."""

    sha: str
    languages: list[str]
    characters: int
    lengths: list[int]
    record: bytes | memoryview
    digest: str

    def _piece(self, index: int) -> memoryview:
        start = sum(self.lengths[:index])
        return memoryview(self.record)[start:start + self.lengths[index]]

    def __getitem__(self, key: str):
        """The section as the page assembly reads it (``render``): its pieces as views of
        the bytes, made when asked for (a large corpus has hundreds of thousands)."""
        if key == "overview_row":
            return self._piece(0)
        if key == "article":
            return [self._piece(i) for i in range(1, len(self.lengths) - 3)]
        if key == "keywords_md":
            return self._piece(len(self.lengths) - 3)
        if key == "keywords_csv":
            return self._piece(len(self.lengths) - 2)
        if key == "glossary_csv":
            return self._piece(len(self.lengths) - 1)
        if key in ("languages", "characters"):
            return getattr(self, key)
        raise KeyError(key)

    def section(self) -> dict:
        """The section (but its header and title) as its artifact holds it, pieces decoded."""
        pieces = [str(self._piece(i), "utf-8") for i in range(len(self.lengths))]
        return {"languages": self.languages, "characters": self.characters, "overview_row": pieces[0],
                "article": pieces[1:-3], "keywords_md": pieces[-3], "keywords_csv": pieces[-2],
                "glossary_csv": pieces[-1]}


def _entry(sha: str, section: dict) -> CacheEntry:
    encoded = [piece.encode("utf-8") for piece in _pieces(section)]
    record = b"".join(encoded)
    return CacheEntry(sha, section["languages"], section["characters"], [len(b) for b in encoded], record,
                      _digest(record))


def read_cache(data: bytes | None) -> dict[str, CacheEntry]:
    """``{doc_id: CacheEntry}`` from the bytes of a cache file; ``{}`` when there are none
    or they are damaged or of another version."""
    if not data:
        return {}
    # Views, not copies: the file is tens of MB for a large corpus.
    view = memoryview(data)
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1)
    if first < 0 or second < 0:
        return {}
    if data[:first] != CACHE_VERSION + sha256_bytes(view[first + 1:second]).encode("ascii"):
        return {}
    entries = {}
    at = second + 1
    try:
        for doc_id, sha, lengths, languages, characters, digest in json.loads(view[first + 1:second].tobytes()):
            if len(lengths) != _PIECES or min(lengths) < 0:
                return {}
            size = sum(lengths)
            record = view[at:at + size]
            at += size
            if len(record) != size or _digest(record) != digest:
                return {}
            entries[doc_id] = CacheEntry(sha, languages, characters, lengths, record, digest)
    except (ValueError, TypeError):
        return {}
    return entries if at == len(data) else {}


def cache_chunks(entries: list[tuple[str, CacheEntry]]) -> list:
    """The cache file of ``[(doc_id, CacheEntry), ...]`` (in that order), as chunks."""
    index = json.dumps([[doc_id, e.sha, e.lengths, e.languages, e.characters, e.digest] for doc_id, e in entries],
                       ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    return [CACHE_VERSION + sha256_bytes(index[:-1]).encode("ascii") + b"\n", index,
            *(e.record for _, e in entries)]


def cache_bytes(entries: list[tuple[str, CacheEntry]]) -> bytes:
    """The cache file of ``[(doc_id, CacheEntry), ...]`` (in that order)."""
    return b"".join(cache_chunks(entries))


def _write(store, name: str, chunks) -> str:
    """Write a side file given as UTF-8 chunks, each as it comes (a page is never held
    whole); its sha256."""
    return store.write_file(name, chunks)


def _load_sections(inputs) -> dict[str, CacheEntry]:
    """Every document's ``report_section`` as a cache entry, by document id, sorted.

    From the cache when the section is the one cached (same payload sha256, as the runner
    recorded it for this step), else read (and validated) from the store; the cache is
    rewritten when it changed.
    """
    store = inputs.store
    try:
        cached = read_cache(store.read_file(CACHE_NAME))
    except OSError:  # missing or unreadable: it is only a cache
        cached = {}
    entries = []
    missed = 0
    for doc_id in sorted(d.doc_id for d in inputs.documents):
        try:
            sha = inputs.payload_hash(SECTION, doc_id)
        except (FileNotFoundError, ArtifactError):
            # Missing: an upstream step failed for this document (reported there).
            continue
        entry = cached.get(doc_id)
        if entry is None or entry.sha != sha:
            section = store.load_with_sha(ArtifactRef(SECTION, doc_id))[0]
            entry = _entry(sha, section)
            missed += 1
        entries.append((doc_id, entry))
    # A section missing from the cache costs one artifact read, and one of a removed
    # document some bytes read for nothing: the cache (megabytes for a large corpus) is
    # written again only once either is worth it, not for every document added.
    kept = max(_CACHE_MISSES_KEPT, len(entries) // 100)
    dead = len(cached.keys() - {doc_id for doc_id, _ in entries})
    if missed > kept or dead > kept or (missed and not cached):
        _write(store, CACHE_NAME, cache_chunks(entries))
    return dict(entries)


# Up to this many sections (or 1 % of the corpus) may be read past the cache, and as
# many of removed documents left in it.
_CACHE_MISSES_KEPT = 32


# What the pages show of the corpus artifacts: only these fields are parsed (a corpus
# keywords artifact also holds every document's contributions, a topics artifact every
# document's statistics).
CORPUS_KEYWORDS_FIELDS = ("keywords",)
TOPICS_FIELDS = ("status", "message", "k", "n_units", "unit", "n_documents", "topics", "documents")
GLOSSARY_FIELDS = ("n_documents", "entries")
#: The collection artifacts the page shows (the keyword map, each article's related
#: documents, the trends), and the fields read of each.
COLLECTION_FIELDS = (("map", ("views",)), ("related", ("documents",)), ("trends", ("views",)))


def _corpus(inputs, kind: str, fields: tuple[str, ...]) -> dict | None:
    """The given fields of that kind's corpus artifact; None when there is none."""
    ref = ArtifactRef(kind, "corpus")
    return inputs.store.read_fields(ref, fields) if inputs.store.exists(ref) else None


def _langs(inputs, kind: str, fields: tuple[str, ...]) -> dict[str, dict]:
    """Per language that has one, the given fields of that kind's artifact."""
    store = inputs.store
    return {lang: store.read_fields(ArtifactRef(kind, lang), fields) for lang in LANGS
            if store.exists(ArtifactRef(kind, lang))}


def run(key: str, inputs, params: dict) -> dict:
    # The corpus artifacts first: parsing them takes memory for a moment, which is then
    # not added to the cache's.
    corpus_keywords = _langs(inputs, "corpus_keywords", CORPUS_KEYWORDS_FIELDS)
    topics = _langs(inputs, "topics", TOPICS_FIELDS)
    glossary_ref = ArtifactRef("glossary", "corpus")
    glossary = (inputs.store.read_fields(glossary_ref, GLOSSARY_FIELDS) if inputs.store.exists(glossary_ref)
                else None)
    keymap, related, trends = (_corpus(inputs, kind, fields) for kind, fields in COLLECTION_FIELDS)
    # The cache entries are the sections the pages are assembled from: their pieces
    # are views of the cache's bytes, written out as they are.
    sections = entries = _load_sections(inputs)
    # Each file is made and written in turn, so one page at a time is held.
    files = {
        "keywords.csv": lambda: keywords_csv_chunks(sections, corpus_keywords),
        "keywords.md": lambda: keywords_markdown_chunks(sections, corpus_keywords, glossary),
        "glossary.csv": lambda: glossary_csv_chunks(sections, glossary),
        "topics.csv": lambda: [topics_csv(topics).encode("utf-8")],
        "topics.md": lambda: [topics_markdown(topics).encode("utf-8")],
    }
    if params["html"]:
        overview = {
            "documents": len(entries),
            "documents with Indonesian text": sum(1 for e in entries.values() if "id" in e.languages),
            "documents with English text": sum(1 for e in entries.values() if "en" in e.languages),
            "characters of cleaned text": f"{sum(e.characters for e in entries.values()):,}",
            "topics (id / en)": " / ".join(str((topics.get(lang) or {}).get("k", 0)) for lang in LANGS),
            "pipeline version": __version__,
            # The page says when it was built; the JSON artifacts carry no clock and stay
            # byte-identical from run to run.
            "built": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        }
        freshness = _artifact_counts(inputs)
        files["report.html"] = lambda: html_report_chunks(
            overview=overview, freshness=freshness, settings=inputs.options.params,
            sections=sections, corpus_keywords=corpus_keywords, topics=topics, glossary=glossary,
            keymap=keymap, related=related, trends=trends)
    written = {}
    for name in sorted(files):
        sha = _write(inputs.store, name, files[name]())
        # The page carries its build time, so only its presence is recorded: this
        # artifact stays byte-identical from run to run.
        written[name] = None if name == "report.html" else sha
    return {"report": {"files": written}}


STEPS = (
    Step("report_section", NAME, "document",
         (Read("ingest"), Read("separate"), Read("keywords"), Read("align")),
         ("report_section",), run_section),
    Step("report", NAME, "corpus",
         (Read("report_section", "all"), Read("corpus_keywords", "langs"), Read("glossary", "corpus"),
          Read("topics", "langs"), Read("map", "corpus"), Read("related", "corpus"), Read("trends", "corpus")),
         ("report",), run),
)
