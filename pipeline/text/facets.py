"""Facets: the collection's themes per journal (source), year or author.

A facet value groups the documents whose metadata carry it (a document with two
authors is in both authors' groups); each group's themes are ranked by the corpus
keywords' own rule (:func:`pipeline.text.themes.rank_corpus_keywords`) over what
its documents contributed, so a journal's themes are read the way the collection's
are.
"""

from __future__ import annotations

from .themes import rank_corpus_keywords

__all__ = ["FACETS", "facet_values", "facet_groups", "facet_themes"]

#: Facets and the metadata field each reads.
FACETS = {"source": "source", "year": "year", "author": "authors"}


def facet_values(metadata: dict, by: str) -> list[str]:
    """The values of facet ``by`` in one document's metadata (empty when it has none)."""
    value = (metadata or {}).get(FACETS[by])
    if value in (None, "", []):
        return []
    values = value if isinstance(value, list) else [value]
    return sorted({" ".join(str(v).split()) for v in values if str(v).strip()})


def facet_groups(metadata_by_doc: dict, by: str) -> dict:
    """``{value: [doc ids]}`` of facet ``by``; documents without a value are left out."""
    groups: dict = {}
    for doc_id in sorted(metadata_by_doc):
        for value in facet_values(metadata_by_doc[doc_id], by):
            groups.setdefault(value, []).append(doc_id)
    return groups


def facet_themes(contributions: dict, groups: dict, top_n: int) -> dict:
    """``{value: [theme, ...]}``: each group's ``top_n`` themes from the documents'
    corpus-keyword contributions (``{doc_id: contribution}`` of one language)."""
    return {value: rank_corpus_keywords({d: contributions[d] for d in docs if d in contributions}, top_n)
            for value, docs in groups.items()}
