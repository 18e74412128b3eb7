"""The keyword map of a collection: which concepts occur together in its documents.

Recipe of :func:`build_map` (the co-occurrence map of VOSviewer, van Eck & Waltman 2009,
with networkx doing the graph work):

1. **Nodes**: the terms of each document (its keyphrases and author keywords), as
   concepts where the glossary pairs an Indonesian term with an English one (one node
   for `kebijakan luar negeri / foreign policy`, holding the documents of both
   languages), else as the phrase of its language.  A node needs ``min_documents``
   documents (1 when fewer than two nodes would have them: a handful of documents
   shares no term, and its map shows each document's terms); the ``max_nodes`` held
   by most documents are kept (ties by key).
2. **Edges**: two nodes are joined by the documents holding both (``cooccurrences``),
   weighted by their association strength ``c_ij / (c_i * c_j)`` (co-occurrences
   over the product of occurrences, VOSviewer's normalisation), so two frequent
   concepts are not joined merely for being frequent.  An edge needs
   ``min_cooccurrences`` documents.
3. **Clusters**: Louvain modularity communities on the association strengths
   (``networkx.community.louvain_communities``, fixed seed), numbered from 1 by size.
4. **Layout**: a force-directed layout on the same weights
   (``networkx.spring_layout``, fixed seed), coordinates rounded, so the same corpus
   gives the same map byte for byte.

Exports: :func:`to_gexf`, :func:`to_graphml` (Gephi, networkx), :func:`to_vosviewer_json`
(VOSviewer's JSON map and network format), :func:`to_csv` (nodes and edges).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from itertools import combinations

__all__ = ["build_map", "document_nodes", "node_index", "node_label", "to_graph", "to_gexf", "to_graphml", "to_vosviewer_json", "to_csv"]

#: Seed of the community detection and of the layout: the map is deterministic.
SEED = 42


def document_nodes(keywords: dict, glossary=None, langs=("id", "en")) -> dict:
    """``{node_key: label}`` of one document's terms for the map.

    ``keywords`` is a keywords artifact (``keywords`` and ``author_keywords`` by
    language).  A term the glossary pairs becomes the concept ``c:<id key>|<en key>``
    labelled ``"<id form> / <en form>"``; another the phrase ``<lang>:<key>``.
    """
    nodes: dict = {}
    for lang in langs:
        items = list(keywords.get("keywords", {}).get(lang, []))
        items += list(keywords.get("author_keywords", {}).get(lang, []))
        for item in items:
            key = str(item.get("key", "")).lower()
            if not key:
                continue
            entry = glossary.lookup(key, lang) if glossary is not None else None
            if entry is not None:
                node = f"c:{entry['id_key']}|{entry['en_key']}"
                nodes.setdefault(node, f"{entry['id'][0]} / {entry['en'][0]}")
            else:
                nodes.setdefault(f"{lang}:{key}", str(item.get("phrase") or key))
    return nodes


def node_index(documents: dict) -> tuple[dict, dict]:
    """``(holders, labels)`` of ``{doc_id: {node_key: label}}``: each node's documents
    (sorted) and the count of each label it was shown with."""
    holders: dict = {}
    labels: dict = {}
    for doc_id in sorted(documents):
        for node, label in documents[doc_id].items():
            holders.setdefault(node, []).append(doc_id)
            labels.setdefault(node, Counter())[label] += 1
    return holders, labels


def node_label(label_counts: Counter) -> str:
    """The label most documents show a node with (ties: the first in sort order)."""
    return min(label_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def build_map(documents: dict, *, min_documents: int = 2, max_nodes: int = 300,
              min_cooccurrences: int = 1) -> dict:
    """The map of a corpus (see the module's recipe).

    Parameters
    ----------
    documents : dict
        ``{doc_id: {node_key: label}}`` (:func:`document_nodes` of each document).
    min_documents, max_nodes, min_cooccurrences : int
        Node and edge thresholds (steps 1 and 2).

    Returns
    -------
    dict
        ``{"nodes": [{"key", "label", "documents", "cluster", "x", "y", "doc_ids"}],
        "edges": [{"source", "target", "cooccurrences", "strength"}], "clusters": n}``,
        nodes by documents (then key), edges by source and target.
    """
    import networkx as nx

    holders, labels = node_index(documents)
    threshold = min_documents
    if sum(1 for docs in holders.values() if len(docs) >= threshold) < 2:
        # a handful of documents shares no term: map each document's terms rather than nothing
        threshold = 1
    kept = sorted((n for n, docs in holders.items() if len(docs) >= threshold),
                  key=lambda n: (-len(holders[n]), n))[:max_nodes]
    kept_set = set(kept)
    pairs: Counter = Counter()
    for doc_id in sorted(documents):
        nodes = sorted(n for n in documents[doc_id] if n in kept_set)
        pairs.update(combinations(nodes, 2))
    graph = nx.Graph()
    for node in kept:
        graph.add_node(node)
    edges = []
    for (a, b), count in sorted(pairs.items()):
        if count < min_cooccurrences:
            continue
        strength = count / (len(holders[a]) * len(holders[b]))
        graph.add_edge(a, b, weight=strength)
        edges.append({"source": a, "target": b, "cooccurrences": count, "strength": round(strength, 9)})
    clusters = _clusters(graph, nx) if kept else {}
    layout = nx.spring_layout(graph, weight="weight", seed=SEED) if kept else {}
    nodes = []
    for node in kept:
        x, y = layout[node]
        nodes.append({"key": node, "label": node_label(labels[node]), "documents": len(holders[node]),
                      "cluster": clusters.get(node, 0), "x": round(float(x), 6), "y": round(float(y), 6),
                      "doc_ids": holders[node]})
    return {"nodes": nodes, "edges": edges, "clusters": len(set(clusters.values()))}


def _clusters(graph, nx) -> dict:
    """``{node: cluster number}``: Louvain communities, numbered from 1 by size (then
    first node), so numbers are stable for the same graph."""
    communities = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    return {node: number for number, community in enumerate(ordered, 1) for node in community}


def to_graph(keymap: dict):
    """The map as a ``networkx.Graph`` (node attributes label, documents, cluster, x, y;
    edge attributes weight = strength, cooccurrences)."""
    import networkx as nx

    graph = nx.Graph()
    for n in keymap["nodes"]:
        graph.add_node(n["key"], label=n["label"], documents=n["documents"], cluster=n["cluster"],
                       x=n["x"], y=n["y"])
    for e in keymap["edges"]:
        graph.add_edge(e["source"], e["target"], weight=e["strength"], cooccurrences=e["cooccurrences"])
    return graph


def to_gexf(keymap: dict) -> bytes:
    """GEXF 1.2 (Gephi), with the layout as node positions."""
    import networkx as nx

    graph = to_graph(keymap)
    for node, data in graph.nodes(data=True):
        data["viz"] = {"position": {"x": data["x"], "y": data["y"], "z": 0.0}}
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def to_graphml(keymap: dict) -> bytes:
    """GraphML (Gephi, yEd, networkx)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(to_graph(keymap), buffer)
    return buffer.getvalue()


def to_vosviewer_json(keymap: dict) -> str:
    """VOSviewer's JSON map and network format: ``network.items`` (id, label, x, y,
    cluster, weights) and ``network.links`` (source_id, target_id, strength)."""
    ids = {n["key"]: number for number, n in enumerate(keymap["nodes"], 1)}
    items = [{"id": ids[n["key"]], "label": n["label"], "x": n["x"], "y": n["y"], "cluster": n["cluster"],
              "weights": {"Documents": n["documents"]}} for n in keymap["nodes"]]
    links = [{"source_id": ids[e["source"]], "target_id": ids[e["target"]], "strength": e["cooccurrences"]}
             for e in keymap["edges"]]
    return json.dumps({"network": {"items": items, "links": links}}, ensure_ascii=False, indent=1) + "\n"


def to_csv(keymap: dict) -> tuple[str, str]:
    """``(nodes CSV, edges CSV)``."""
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["key", "label", "documents", "cluster", "x", "y"])
    for n in keymap["nodes"]:
        writer.writerow([n["key"], n["label"], n["documents"], n["cluster"], n["x"], n["y"]])
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    writer.writerow(["source", "target", "cooccurrences", "strength"])
    for e in keymap["edges"]:
        writer.writerow([e["source"], e["target"], e["cooccurrences"], e["strength"]])
    return nodes.getvalue(), edges.getvalue()
