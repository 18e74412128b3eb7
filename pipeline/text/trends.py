"""Trends: which concepts of a collection rise or fall over the years.

Recipe of :func:`concept_trends`:

1. **Counts**: per concept (a node of the keyword map: a glossary concept of both
   languages, or a phrase of one), the documents holding it per year, beside the
   documents of each year (``n_y``).  Documents without a year take no part.
2. **Test**: the Cochran–Armitage test for trend in proportions (Armitage 1955): with
   ``k_y`` of the ``n_y`` documents of year ``y`` holding the concept, ``K`` and ``N``
   their sums, ``p = K / N`` and ``ȳ`` the documents' mean year::

       Z = sum_y k_y (y - ȳ)  /  sqrt(p (1 - p) sum_y n_y (y - ȳ)²)

   ``Z`` is the standardised slope of the concept's share over the years.  A concept
   rises when ``Z >= z_critical`` and falls when ``Z <= -z_critical`` (1.96: two-sided
   p < 0.05), and only with at least ``min_documents`` documents (a handful cannot show
   a trend).
3. **Order**: risers strongest first, then fallers strongest first, then the rest by
   documents; ties by key.  ``since`` is a riser's first year with a share above its
   overall share (where the rise begins).
"""

from __future__ import annotations

import math
from collections import Counter

from .keymap import node_index, node_label

__all__ = ["Z_CRITICAL", "cochran_armitage", "concept_trends"]

#: Two-sided 5 % critical value of the standard normal.
Z_CRITICAL = 1.96


def cochran_armitage(counts: dict, totals: dict) -> float:
    """The Cochran–Armitage ``Z`` of ``counts[year]`` out of ``totals[year]`` documents
    (0 when it is undefined: one year, or a concept in all or none of the documents)."""
    years = sorted(totals)
    n = sum(totals.values())
    k = sum(counts.get(y, 0) for y in years)
    if n == 0 or len(years) < 2 or k in (0, n):
        return 0.0
    p = k / n
    mean_year = sum(totals[y] * y for y in years) / n
    numerator = sum(counts.get(y, 0) * (y - mean_year) for y in years)
    variance = p * (1 - p) * sum(totals[y] * (y - mean_year) ** 2 for y in years)
    return numerator / math.sqrt(variance) if variance > 0 else 0.0


def concept_trends(years: dict, documents: dict, *, min_documents: int = 5,
                   z_critical: float = Z_CRITICAL) -> dict:
    """Trends of a collection (see the module's recipe).

    Parameters
    ----------
    years : dict
        ``{doc_id: year or None}``.
    documents : dict
        ``{doc_id: {node_key: label}}`` (the keyword map's
        :func:`~pipeline.text.keymap.document_nodes`).

    Returns
    -------
    dict
        ``{"years": {year: documents}, "undated": n, "concepts": [{"key", "label",
        "documents", "by_year": {year: n}, "z", "trend": "rising"|"falling"|"flat",
        "since": year or None}, ...]}``; ``concepts`` holds those with at least
        ``min_documents`` dated documents, in the order of step 3.
    """
    dated = {doc_id: nodes for doc_id, nodes in documents.items() if isinstance(years.get(doc_id), int)}
    undated = len(documents) - len(dated)
    totals = Counter(years[doc_id] for doc_id in dated)
    holders, labels = node_index(dated)
    n = sum(totals.values())
    concepts = []
    for node, docs in holders.items():
        by_year = Counter(years[doc_id] for doc_id in docs)
        k = len(docs)
        if k < min_documents:
            continue
        z = cochran_armitage(by_year, totals)
        trend = "rising" if z >= z_critical else ("falling" if z <= -z_critical else "flat")
        share = k / n
        since = next((y for y in sorted(totals) if by_year.get(y, 0) / totals[y] > share), None) \
            if trend == "rising" else None
        concepts.append({"key": node, "label": node_label(labels[node]), "documents": k,
                         "by_year": {str(y): by_year[y] for y in sorted(by_year)},
                         "z": round(z, 6), "trend": trend, "since": since})
    rank = {"rising": 0, "falling": 1, "flat": 2}
    concepts.sort(key=lambda c: (rank[c["trend"]], -abs(c["z"]) if c["trend"] != "flat" else -c["documents"],
                                 c["key"]))
    return {"years": {str(y): totals[y] for y in sorted(totals)}, "undated": undated, "concepts": concepts}
