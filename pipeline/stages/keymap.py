"""Map: the collection's keyword map (which concepts occur together in its documents).

Step
    ``map`` (once for the corpus) reads ``keywords/*.json`` and the glossary and writes
    ``map/corpus.json``: three views of the same recipe
    (:mod:`pipeline.text.keymap`): ``concepts`` (the terms of both languages, one node
    per glossary concept, so Indonesian and English documents meet), and ``id`` and
    ``en`` (the phrases of one language).  Each view holds nodes (label, documents,
    cluster, x, y and the documents' ids) and edges (co-occurrences and association
    strength); ``run_pipeline.py map`` exports them for Gephi and VOSviewer.
"""

from __future__ import annotations

from ..config import Param
from ..stage import Read, Step
from ..store import ArtifactRef
from ..text.bilingual import Glossary
from ..text.keymap import build_map, document_nodes

NAME = "map"
PARAMS = {
    "min_documents": Param(2, "a node needs this many documents", minimum=1, maximum=100000),
    "max_nodes": Param(300, "most nodes per view (those in most documents)", minimum=2, maximum=5000),
    "min_cooccurrences": Param(1, "an edge needs this many shared documents", minimum=1, maximum=100000),
}

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


STEPS = (Step("map", NAME, "corpus", (Read("keywords", "all"), Read("glossary", "corpus")), ("map",), run),)
