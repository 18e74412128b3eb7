"""The align stage on the seeds: term pairs per bilingual document, the corpus glossary,
and the commands that show them (issue 24)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from pipeline.cli import main
from pipeline.store import ArtifactRef
from tests.paths import SEEDS


def _pairs(pipeline, doc):
    art = pipeline.store.read(ArtifactRef("align", doc))
    return art, {(p["id"], p["en"]): p for p in art["pairs"]}


def test_each_bilingual_seed_pairs_its_terms_and_the_others_say_why_not(seed_run):
    _, pipeline, _ = seed_run
    art, pairs = _pairs(pipeline, SEEDS["003"])
    assert art["bilingual"]
    # the author's Indonesian keywords meet the English keyphrases written the same way
    assert pairs[("ACFTA", "ACFTA")]["evidence"] == ["identical"]
    assert pairs[("ACFTA", "ACFTA")]["sources"] == {"id": "author", "en": "keyphrase"}
    assert ("E-commerce", "e-commerce") in pairs
    # a name and its translation, through the dictionary
    assert pairs[("Tiongkok", "China")]["evidence"] == ["dictionary"]
    _, pairs = _pairs(pipeline, SEEDS["004"])
    assert ("paradiplomasi", "paradiplomacy") in pairs and ("pemerintah lokal", "local governments") in pairs
    # a broader and a narrower term are no pair: "process tracing" / "process"
    assert not any(p["id"] == "process tracing" and p["en"] == "process" for p in
                   pipeline.store.read(ArtifactRef("align", SEEDS["004"]))["pairs"])
    # 001 is written in Indonesian only
    art, pairs = _pairs(pipeline, SEEDS["001"])
    assert not art["bilingual"] and not pairs
    for doc in SEEDS.values():
        art = pipeline.store.read(ArtifactRef("align", doc))
        ids = [p["id"] for p in art["pairs"]]
        ens = [p["en"] for p in art["pairs"]]
        assert len(ids) == len(set(ids)) and len(ens) == len(set(ens))  # each term pairs once
        assert [p["score"] for p in art["pairs"]] == sorted((p["score"] for p in art["pairs"]), reverse=True)
        assert all(0.5 < p["score"] <= 1.0 for p in art["pairs"])


def test_glossary_holds_the_pairs_of_the_corpus_with_their_documents(seed_run):
    _, pipeline, _ = seed_run
    glossary = pipeline.store.read(ArtifactRef("glossary", "corpus"))
    assert glossary["n_documents"] == 3  # 002, 003, 004
    by_id = {e["id"][0]: e for e in glossary["entries"]}
    assert by_id["Tiongkok"]["en"] == ["China"] and by_id["Tiongkok"]["doc_ids"] == [SEEDS["003"]]
    assert by_id["paradiplomasi"]["en"] == ["paradiplomacy"]
    keys = [e["id_key"] for e in glossary["entries"]]
    assert len(keys) == len(set(keys))


def test_glossary_command_looks_a_term_up_in_either_language_and_exports_tbx(seed_copy, capsys):
    root, _ = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["glossary", "--lookup", "China", "--format", "json", *common]) == 0
    rows = {r["lang"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["id"]["term"] == "Tiongkok" and rows["id"]["document_ids"] == [SEEDS["003"]]
    assert main(["glossary", "--lookup", "paradiplomasi", "--format", "json", *common]) == 0
    rows = {r["lang"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["en"]["term"] == "paradiplomacy" and rows["en"]["document_ids"] == [SEEDS["004"]]
    assert main(["glossary", "--format", "tbx", *common]) == 0
    tbx = ET.fromstring(capsys.readouterr().out)
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    entries = tbx.findall(".//t:conceptEntry", ns)
    assert entries and all(len(e.findall("t:langSec", ns)) == 2 for e in entries)
    terms = {e.find("t:langSec[@{http://www.w3.org/XML/1998/namespace}lang='id']//t:term", ns).text
             for e in entries}
    assert {"Tiongkok", "ACFTA", "paradiplomasi"} <= terms
    assert main(["glossary", "--format", "csv", *common]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("rank,id,en,documents")
    assert main(["glossary", "--lookup", " ", *common]) == 2
    assert "--lookup needs a phrase" in capsys.readouterr().err


def test_keywords_as_concepts_merge_the_two_languages(seed_copy, capsys):
    root, _ = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["keywords", "--concepts", "--format", "json", "--top", "100", *common]) == 0
    concepts = json.loads(capsys.readouterr().out)
    both = {(c["id"], c["en"]) for c in concepts if c["id"] and c["en"]}
    assert ("ACFTA", "ACFTA") in both and ("paradiplomasi", "paradiplomacy") in both
    asean = next(c for c in concepts if c["id"] == "ASEAN")
    assert asean["documents"] == 2 and SEEDS["001"] in asean["document_ids"]  # the Indonesian-only 001 too
    assert main(["keywords", SEEDS["003"], "--concepts", "--format", "json", *common]) == 0
    pairs = json.loads(capsys.readouterr().out)
    assert pairs[0]["doc"] == SEEDS["003"] and {"id": "ACFTA", "en": "ACFTA"}.items() <= pairs[0].items()
