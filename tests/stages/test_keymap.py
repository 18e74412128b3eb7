"""The map stage on the seeds and the map command (issue 25)."""

from __future__ import annotations

import io
import json
from itertools import combinations

import networkx as nx

from pipeline.cli import main
from pipeline.store import ArtifactRef
from pipeline.text.bilingual import Glossary
from pipeline.text.keymap import document_nodes
from tests.paths import SEEDS


def test_map_edges_are_the_documents_holding_both_terms(seed_run):
    """The concept view's co-occurrences equal a direct count over the keyword artifacts."""
    _, pipeline, _ = seed_run
    views = pipeline.store.read(ArtifactRef("map", "corpus"))["views"]
    glossary = Glossary.from_dict(pipeline.store.read(ArtifactRef("glossary", "corpus")))
    direct = {}
    for doc in SEEDS.values():
        nodes = document_nodes(pipeline.store.read(ArtifactRef("keywords", doc)), glossary)
        for pair in combinations(sorted(nodes), 2):
            direct[pair] = direct.get(pair, 0) + 1
    concepts = views["concepts"]
    kept = {n["key"] for n in concepts["nodes"]}
    assert {(e["source"], e["target"]): e["cooccurrences"] for e in concepts["edges"]} == \
        {pair: count for pair, count in direct.items() if set(pair) <= kept}
    labels = {n["label"] for n in concepts["nodes"]}
    # one node for a concept of both languages; Indonesian-only 001 has its own terms
    assert "paradiplomasi / paradiplomacy" in labels and "Tiongkok / China" in labels
    assert any(n["doc_ids"] == [SEEDS["001"]] for n in concepts["nodes"])
    # four documents that share no term: each document its cluster
    assert concepts["clusters"] == 4
    assert {v: bool(views[v]["nodes"]) for v in ("id", "en")} == {"id": True, "en": True}


def test_map_command_exports_what_gephi_and_vosviewer_open(seed_copy, tmp_path, capsys):
    root, _ = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["map", "--format", "gexf", "--out", str(tmp_path / "m.gexf"), *common]) == 0
    graph = nx.read_gexf(tmp_path / "m.gexf")
    assert "c:tiongkok|china" in graph.nodes
    capsys.readouterr()
    assert main(["map", "--view", "en", "--format", "graphml", *common]) == 0
    graph = nx.read_graphml(io.StringIO(capsys.readouterr().out))
    assert "en:china" in graph.nodes
    assert main(["map", "--format", "vosviewer", "--out", str(tmp_path / "v.json"), *common]) == 0
    assert json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["network"]["items"]
    assert main(["map", "--format", "csv", "--out", str(tmp_path / "nodes.csv"), *common]) == 0
    assert (tmp_path / "nodes_edges.csv").read_text(encoding="utf-8").startswith("source,target,")
    capsys.readouterr()
    assert main(["map", "--format", "gexf", "--out", str(tmp_path / "missing" / "m.gexf"), *common]) == 2
    assert "folder does not exist" in capsys.readouterr().err
