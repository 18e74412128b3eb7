"""The related step and the context command on the seeds (issue 25)."""

from __future__ import annotations

import json

from pipeline.cli import main
from pipeline.store import ArtifactRef
from pipeline.text.bilingual import Glossary
from pipeline.text.keymap import document_nodes
from tests.paths import CORPUS, SEEDS


def _common(root) -> list:
    return ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]


def test_context_finds_a_concept_in_both_languages_through_the_glossary(seed_copy, capsys):
    root, _ = seed_copy
    assert main(["context", "paradiplomacy", "--format", "json", "--top", "100", *_common(root)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["doc"] for r in rows} == {SEEDS["004"]}
    assert {(r["lang"], r["match"].lower()) for r in rows} == {("id", "paradiplomasi"), ("en", "paradiplomacy")}
    assert {r["kind"] for r in rows} == {"title", "abstract"}
    assert all(r["title"].startswith("Peran paradiplomasi") for r in rows)
    # the table caps rows and says how many there are in all
    assert main(["context", "paradiplomasi", "--lang", "id", "--top", "2", *_common(root)]) == 0
    table = capsys.readouterr().out
    assert "9 sentences in 1 documents, 2 shown" in table and "[[paradiplomasi]]" in table
    assert main(["context", "zzz nowhere", "--format", "json", *_common(root)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "occurs in no sentence" in captured.err


def test_related_documents_share_concepts_and_never_list_themselves(seed_copy, tmp_path, capsys):
    root, pipeline = seed_copy
    related = pipeline.store.read(ArtifactRef("related", "corpus"))["documents"]
    glossary = Glossary.from_dict(pipeline.store.read(ArtifactRef("glossary", "corpus")))
    nodes = {doc: set(document_nodes(pipeline.store.read(ArtifactRef("keywords", doc)), glossary))
             for doc in SEEDS.values()}
    # the four seeds share no concept (001's "diplomasi ASEAN" is not 003's "ASEAN"):
    # every document is listed, with nothing related
    assert all(not (nodes[a] & nodes[b]) for a in nodes for b in nodes if a < b)
    assert related == {doc: [] for doc in SEEDS.values()}
    # a second version of 004 (another title): related to 004 through their shared
    # concepts, of both languages
    given = tmp_path / "given.txt"
    given.write_text((CORPUS / f"{SEEDS['004']}.txt").read_text(encoding="utf-8").replace(
        "Peran paradiplomasi", "Peran paradiplomasi kota", 1), encoding="utf-8")
    assert main(["add", str(given), "--allow-duplicates", "--quiet", *_common(root)]) == 0
    related = pipeline.store.read(ArtifactRef("related", "corpus"))["documents"]
    assert set(related) == set(SEEDS.values()) | {"given"}
    for doc, found in related.items():
        assert len(found) <= 5 and doc not in {r["doc_id"] for r in found}
        assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)
        assert all(0 < r["score"] <= 1 and r["shared"] for r in found)
    [pair] = related["given"]
    assert pair["doc_id"] == SEEDS["004"] and pair["score"] > 0.5
    assert "paradiplomasi / paradiplomacy" in pair["shared"]
    assert related[SEEDS["004"]] == [{**pair, "doc_id": "given"}]
    assert related[SEEDS["001"]] == [] and related[SEEDS["003"]] == []
