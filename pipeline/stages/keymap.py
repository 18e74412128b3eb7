"""Map: the collection's keyword map (which concepts occur together in its documents).

Step
    ``map`` (once for the corpus) reads ``keywords/*.json`` and the glossary and writes
    ``map/corpus.json``: three views of the same recipe
    (:mod:`pipeline.text.keymap`): ``concepts`` (the terms of both languages, one node
    per glossary concept, so Indonesian and English documents meet), and ``id`` and
    ``en`` (the phrases of one language).  Each view holds nodes (label, documents,
    cluster, x, y and the documents' ids) and edges (co-occurrences and association
    strength); ``run_pipeline.py map`` exports them for Gephi and VOSviewer.
    ``related`` (once for the corpus) reads the same and writes ``related/corpus.json``:
    each document's five most related documents by the concepts they share, across
    languages (idf-weighted cosine of their node sets, :mod:`pipeline.text.related`),
    with the labels of up to five shared concepts.
"""

from __future__ import annotations

from ..config import Param
from ..stage import Read, Step
from ..store import ArtifactRef
from ..text.bilingual import Glossary
from ..text.keymap import build_map, document_nodes
from ..text.related import related_documents

NAME = "map"
PARAMS = {
    "min_documents": Param(2, "a node needs this many documents", minimum=1, maximum=100000),
    "max_nodes": Param(300, "most nodes per view (those in most documents)", minimum=2, maximum=5000),
    "min_cooccurrences": Param(1, "an edge needs this many shared documents", minimum=1, maximum=100000),
}

#: Related documents kept per document, and shared concepts named per pair (step ``related``).
RELATED_TOP = 5
RELATED_SHARED = 5

#: The views of the map: the concepts of both languages, and each language alone.
VIEWS = {"concepts": ("id", "en"), "id": ("id",), "en": ("en",)}


def run(key: str, inputs, params: dict) -> dict:
    keywords = inputs.all("keywords")
    glossary = None
    if inputs.store.exists(ArtifactRef("glossary", "corpus")):
        glossary = Glossary.from_dict(inputs.one("glossary", "corpus"))
    views = {}
    for view, langs in VIEWS.items():
        documents = {}
        for doc_id in sorted(keywords):
            nodes = document_nodes(keywords[doc_id], glossary if view == "concepts" else None, langs)
            if nodes:
                documents[doc_id] = nodes
        views[view] = build_map(documents, min_documents=params["min_documents"], max_nodes=params["max_nodes"],
                                min_cooccurrences=params["min_cooccurrences"])
    return {"map": {"views": views}}


def run_related(key: str, inputs, params: dict) -> dict:
    """Each document's most related documents by shared concepts (see :mod:`pipeline.text.related`)."""
    keywords = inputs.all("keywords")
    glossary = None
    if inputs.store.exists(ArtifactRef("glossary", "corpus")):
        glossary = Glossary.from_dict(inputs.one("glossary", "corpus"))
    documents = {doc_id: document_nodes(keywords[doc_id], glossary) for doc_id in sorted(keywords)}
    return {"related": {"documents": related_documents(documents, top=RELATED_TOP, shared=RELATED_SHARED)}}


STEPS = (Step("map", NAME, "corpus", (Read("keywords", "all"), Read("glossary", "corpus")), ("map",), run),
         Step("related", NAME, "corpus", (Read("keywords", "all"), Read("glossary", "corpus")), ("related",),
              run_related))
