"""Trends: the concepts of a collection that rise or fall over the years.

Step
    ``trends`` (once for the corpus) reads each document's year (``ingest/<doc>.json``
    ``metadata.year``: given on ``add --year`` or a bulk file's ``--year-field``, or
    printed in a journal issue line, with ``year_source`` saying which), its keywords
    and the glossary, and writes ``trends/corpus.json``: per view (``concepts`` of both
    languages through the glossary, ``id``, ``en``) the documents per year and, per
    concept with enough dated documents, its documents per year, the Cochran–Armitage
    trend statistic and whether it rises, falls or stays flat
    (:mod:`pipeline.text.trends`).  Documents without a year take no part; a corpus
    without years gets empty views and says so.
"""

from __future__ import annotations

from ..config import Param
from ..stage import Read, Step
from ..store import ArtifactRef
from ..text.bilingual import Glossary
from ..text.keymap import document_nodes
from ..text.trends import Z_CRITICAL, concept_trends

NAME = "trends"
PARAMS = {
    "min_documents": Param(5, "a concept needs this many dated documents for a trend", minimum=2, maximum=100000),
    "z_critical": Param(Z_CRITICAL, "|Z| of the Cochran-Armitage test at which a concept rises or falls "
                        "(1.96: two-sided p < 0.05)", minimum=0.0, maximum=10.0),
}

#: The views, as the keyword map's.
VIEWS = {"concepts": ("id", "en"), "id": ("id",), "en": ("en",)}


def run(key: str, inputs, params: dict) -> dict:
    keywords = inputs.all("keywords", cached=False)
    years = {}
    for doc_id in sorted(keywords):
        ref = ArtifactRef("ingest", doc_id)
        if inputs.store.exists(ref):
            # only the metadata: the ingest artifacts hold the whole texts
            years[doc_id] = inputs.store.read_fields(ref, ("metadata",)).get("metadata", {}).get("year")
    glossary = None
    if inputs.store.exists(ArtifactRef("glossary", "corpus")):
        glossary = Glossary.from_dict(inputs.one("glossary", "corpus"))
    nodes = {view: {} for view in VIEWS}
    for doc_id in sorted(keywords):
        artifact = keywords[doc_id]
        for view, langs in VIEWS.items():
            found = document_nodes(artifact, glossary if view == "concepts" else None, langs)
            if found:
                nodes[view][doc_id] = found
    views = {view: concept_trends(years, nodes[view], min_documents=params["min_documents"],
                                  z_critical=params["z_critical"]) for view in VIEWS}
    return {"trends": {"views": views}}


STEPS = (Step("trends", NAME, "corpus", (Read("ingest", "all"), Read("keywords", "all"), Read("glossary", "corpus")),
              ("trends",), run),)
