"""The keyword map (issue 25): co-occurrence counts, association strength, clusters,
layout and the exports networkx, Gephi and VOSviewer read."""

from __future__ import annotations

import io
import json
from itertools import combinations

import networkx as nx
import pytest

from pipeline.text.keymap import build_map, document_nodes, to_csv, to_gexf, to_graphml, to_vosviewer_json


@pytest.fixture(scope="module")
def corpus():
    """Two fields that never meet (diplomacy and fisheries), eight documents each, and a
    bridge document holding a term of each."""
    docs = {}
    diplomacy = ["diplomasi ekonomi", "kebijakan luar negeri", "ASEAN", "paradiplomasi"]
    fisheries = ["logam berat", "perairan pesisir", "ikan", "sedimen"]
    for i in range(8):
        docs[f"d{i}"] = {f"id:{t.lower()}": t for t in diplomacy[: 2 + i % 3]}
        docs[f"f{i}"] = {f"id:{t.lower()}": t for t in fisheries[: 2 + i % 3]}
    docs["bridge"] = {"id:asean": "ASEAN", "id:ikan": "ikan"}
    return docs


def test_edges_count_the_documents_holding_both_and_weigh_by_association_strength(corpus):
    keymap = build_map(corpus, min_documents=2)
    holders = {}
    for doc, nodes in corpus.items():
        for node in nodes:
            holders.setdefault(node, set()).add(doc)
    direct = {}
    for doc, nodes in corpus.items():
        for a, b in combinations(sorted(nodes), 2):
            direct[(a, b)] = direct.get((a, b), 0) + 1
    assert {(e["source"], e["target"]): e["cooccurrences"] for e in keymap["edges"]} == direct
    for e in keymap["edges"]:
        expected = e["cooccurrences"] / (len(holders[e["source"]]) * len(holders[e["target"]]))
        assert e["strength"] == pytest.approx(expected)
    documents = {n["key"]: n["documents"] for n in keymap["nodes"]}
    assert documents["id:asean"] == len(holders["id:asean"]) == 6  # d1, d2, d4, d5, d7 and the bridge


def test_the_two_fields_are_two_clusters_and_the_map_is_deterministic(corpus):
    keymap = build_map(corpus, min_documents=2)
    cluster = {n["key"]: n["cluster"] for n in keymap["nodes"]}
    assert cluster["id:diplomasi ekonomi"] == cluster["id:kebijakan luar negeri"] == cluster["id:asean"]
    assert cluster["id:logam berat"] == cluster["id:perairan pesisir"] == cluster["id:ikan"]
    assert cluster["id:asean"] != cluster["id:ikan"] and keymap["clusters"] == 2
    shuffled = dict(reversed(list(corpus.items())))
    assert build_map(shuffled, min_documents=2) == keymap
    # thresholds: a term of one document is no node; max_nodes keeps those in most documents
    assert all(n["documents"] >= 2 for n in keymap["nodes"])
    top = build_map(corpus, min_documents=2, max_nodes=2)
    assert [n["key"] for n in top["nodes"]] == ["id:diplomasi ekonomi", "id:kebijakan luar negeri"]  # 8 each; ties by key


def test_networkx_reads_the_gexf_and_graphml_back_with_the_same_nodes_and_weights(corpus):
    keymap = build_map(corpus, min_documents=2)
    for data, reader in ((to_gexf(keymap), nx.read_gexf), (to_graphml(keymap), nx.read_graphml)):
        graph = reader(io.BytesIO(data))
        assert set(graph.nodes) == {n["key"] for n in keymap["nodes"]}
        for e in keymap["edges"]:
            assert float(graph.edges[e["source"], e["target"]]["weight"]) == pytest.approx(e["strength"])
    graph = nx.read_graphml(io.BytesIO(to_graphml(keymap)))
    assert graph.nodes["id:asean"]["label"] == "ASEAN" and int(graph.nodes["id:asean"]["documents"]) == 6


def test_vosviewer_json_and_csv(corpus):
    keymap = build_map(corpus, min_documents=2)
    network = json.loads(to_vosviewer_json(keymap))["network"]
    ids = {item["id"] for item in network["items"]}
    assert len(ids) == len(keymap["nodes"]) and all({"id", "label", "x", "y", "cluster"} <= set(i) for i in network["items"])
    assert all(link["source_id"] in ids and link["target_id"] in ids and link["strength"] >= 1
               for link in network["links"])
    nodes, edges = to_csv(keymap)
    assert nodes.splitlines()[0] == "key,label,documents,cluster,x,y" and len(nodes.splitlines()) == len(ids) + 1
    assert len(edges.splitlines()) == len(keymap["edges"]) + 1


def test_document_nodes_merge_a_concept_of_both_languages():
    class Glossary:  # the one method document_nodes uses
        def lookup(self, key, lang):
            pairs = {("id", "kebijakan luar negeri"): 0, ("en", "foreign policy"): 0}
            if (lang, key) in pairs:
                return {"id_key": "kebijakan luar negeri", "en_key": "foreign policy",
                        "id": ["kebijakan luar negeri"], "en": ["foreign policy"]}
            return None

    keywords = {"keywords": {"id": [{"phrase": "kebijakan luar negeri", "key": "kebijakan luar negeri"}],
                             "en": [{"phrase": "Foreign Policy", "key": "foreign policy"},
                                    {"phrase": "ASEAN", "key": "ASEAN"}]},
                "author_keywords": {"id": [], "en": []}}
    nodes = document_nodes(keywords, Glossary())
    assert nodes == {"c:kebijakan luar negeri|foreign policy": "kebijakan luar negeri / foreign policy",
                     "en:asean": "ASEAN"}
