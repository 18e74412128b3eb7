"""Related documents: each document's nearest neighbours by the concepts they share.

Each document is the set of its map nodes (:func:`pipeline.text.keymap.document_nodes`:
its keyphrases and author keywords, one node per glossary concept, so an Indonesian
document and an English one meet on ``kebijakan luar negeri / foreign policy``).  Two
documents are scored by the cosine similarity of their node sets weighted by inverse
document frequency::

    idf(n)      = log(N / df(n))          N documents with a node, df(n) of them hold n
    score(a, b) = sum(idf(n)^2 for n in A & B) / (|a| * |b|)
    |a|         = sqrt(sum(idf(n)^2 for n in A))

so a concept few documents hold counts for more than one most of them hold (and one
every document holds counts for nothing).  Pairs sharing nothing (score 0) are left
out; the ``top`` best of each document are kept, ties by document id; scores are
rounded to 6 decimals.  The dot products come from an inverted index (node ->
documents, a sparse matrix multiplied by its transpose), so only the pairs that share
a node are ever visited.
"""

from __future__ import annotations

import math
from .keymap import node_index, node_label

__all__ = ["related_documents"]


def related_documents(documents: dict, top: int = 5, shared: int = 5) -> dict:
    """``{doc_id: [{"doc_id", "score", "shared": [label, ...]}, ...]}`` for every document.

    Parameters
    ----------
    documents : dict
        ``{doc_id: {node_key: label}}``.
    top : int
        Related documents kept per document (best first, ties by document id).
    shared : int
        Labels of shared nodes given per pair (the rarest first, ties by key).
    """
    import numpy as np
    from scipy import sparse

    holders, labels = node_index(documents)
    order = sorted(documents)
    row_of = {doc_id: i for i, doc_id in enumerate(order)}
    n_docs = sum(1 for nodes in documents.values() if nodes)
    weight = {node: math.log(n_docs / len(docs)) ** 2 for node, docs in holders.items()}
    norm = np.array([math.sqrt(sum(weight[n] for n in documents[d])) for d in order])
    # the inverted index as a sparse matrix (documents x nodes shared by two or more,
    # entries idf): its product with itself holds the dot product of every pair that
    # shares a node, and of no other
    rows, cols, values = [], [], []
    for col, node in enumerate(n for n in sorted(holders) if len(holders[n]) > 1 and weight[n] > 0.0):
        idf = math.sqrt(weight[node])
        for doc_id in holders[node]:
            rows.append(row_of[doc_id])
            cols.append(col)
            values.append(idf)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(order), len(set(cols)) if cols else 0))
    dots = (matrix @ matrix.T).tocsr()
    dots.sort_indices()
    neighbours: dict = {}
    for i, doc_id in enumerate(order):
        start, end = dots.indptr[i], dots.indptr[i + 1]
        others, dot = dots.indices[start:end], dots.data[start:end]
        keep = others != i
        others, dot = others[keep], dot[keep]
        scores = np.round(dot / (norm[i] * norm[others]), 6) if len(others) else dot
        keep = scores > 0.0
        others, scores = others[keep], scores[keep]
        best = np.lexsort((others, -scores))[:top]  # score descending, then document id
        neighbours[doc_id] = [(float(scores[j]), order[others[j]]) for j in best]
    out = {}
    for doc_id, found in neighbours.items():
        out[doc_id] = [{"doc_id": other, "score": score,
                        "shared": _shared_labels(documents[doc_id], documents[other], weight, labels, shared)}
                       for score, other in found]
    return out


def _shared_labels(a: dict, b: dict, weight: dict, labels: dict, limit: int) -> list:
    nodes = sorted((n for n in a if n in b and weight[n] > 0.0), key=lambda n: (-weight[n], n))[:limit]
    return [node_label(labels[n]) for n in nodes]
