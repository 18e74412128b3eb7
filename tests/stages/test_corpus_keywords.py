"""Corpus keywords as the collection's themes (:mod:`pipeline.text.themes`), on real text.

The keywords stage's ``corpus_keywords`` step gives every document's list to
:func:`~pipeline.text.themes.document_contributions` and ranks them with
:func:`~pipeline.text.themes.rank_corpus_keywords`. These tests feed it what the
extractor returns for real abstracts (SINTA abstracts of tests/data, the seeds) and check
the rules: variants and nested parts merged, themes of several documents first, scores
from ranks, documents listed, and the same artifact whether updated or rebuilt.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache

import pytest

from pipeline.corpus import BulkFields, read_file
from pipeline.stage import LANGS
from pipeline.text.themes import concept_key, document_contributions, rank_corpus_keywords, rank_weight
from pipeline.store import ArtifactRef

from tests.paths import DATA, all_artifacts


def _is_run_of(short: str, long: str) -> bool:
    a, b = short.split(), long.split()
    return len(a) < len(b) and any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


@lru_cache(maxsize=None)
def sinta_60_keywords() -> dict[str, list[dict]]:
    """Each of the 60 SINTA abstracts of tests/data (title and abstract) ranked by an
    Indonesian extractor fitted on them: what the keywords stage gives the corpus step."""
    from pipeline.text.keyphrases import KeyphraseExtractor
    from pipeline.text.tokens import Normalizer

    rows = [json.loads(line) for line in (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()]
    norm = Normalizer("id")
    docs = {r["id"]: [("title", norm.normalize(r["title"])), ("abstract", norm.normalize(r["abstract"]))]
            for r in rows}
    model = KeyphraseExtractor(lang="id").fit(list(docs.values()))
    return {doc_id: model.extract(None, sections=sections) for doc_id, sections in docs.items()}


def sinta_60_contributions() -> dict[str, list[list]]:
    return {d: c for d, items in sorted(sinta_60_keywords().items()) if (c := document_contributions(items, "id"))}


def test_concept_keys_take_case_and_inflection_out_but_keep_acronyms():
    # A shouted title keeps its capitals in the key; the concept is the lowercase stem.
    assert concept_key("ANALISIS TRIWULANAN", "id") == concept_key("analisis triwulan", "id") == "analisis triwulan"
    assert concept_key("TRIWULANAN", "id") == "triwulan"
    assert concept_key("Pilar hasil", "id") == "pilar hasil"
    # Acronyms (four letters or fewer) are only lowercased: AIDS is not "aid".
    assert concept_key("AIDS", "en") == "aids" and concept_key("ASEAN", "id") == "asean"
    assert concept_key("GUNUNG HALIMUN", "en") == "gunung halimun"


def test_contributions_are_ranks_with_the_longer_concepts_that_hold_them():
    items = sinta_60_keywords()["sinta-4146d1c39c"]  # a Bank Indonesia quarterly analysis
    contribution = document_contributions(items, "id")
    assert [c[2] for c in contribution] == sorted(c[2] for c in contribution)
    assert len({c[0] for c in contribution}) == len(contribution)
    by_rank = {}
    for c in contribution:  # a name found inside a phrase shares the phrase's rank
        by_rank.setdefault(c[2], c[0])
    for concept, _phrase, _rank, *containers in contribution:
        for rank in containers:
            assert _is_run_of(concept, by_rank[rank]), (concept, by_rank[rank])
    # Every nested pair of the list is recorded.
    pairs = {(c[0], by_rank[r]) for c in contribution for r in c[3:]}
    assert pairs == {(a[0], b[0]) for a in contribution for b in contribution if _is_run_of(a[0], b[0])}


def test_sinta_themes_merge_variants_and_lead_with_shared_themes():
    contributions = sinta_60_contributions()
    ranked = rank_corpus_keywords(contributions, 10_000)
    keys = [e["key"] for e in ranked]
    assert len(set(keys)) == len(keys)
    # Themes of several documents first, then those of one.
    several = [e["df"] >= 2 for e in ranked]
    assert several[0] and several == sorted(several, reverse=True)
    # Concepts the documents write in several ways (TRIWULANAN / triwulan, Triwulan III /
    # triwulan III): all their forms are in one entry.
    written: dict[str, set] = {}
    for items in contributions.values():
        for concept, phrase, *_ in items:
            written.setdefault(concept, set()).add(phrase)
    variants = {c: forms for c, forms in written.items() if len(forms) >= 2}
    assert len(variants) >= 5, variants
    for concept, forms in variants.items():
        holding = [e for e in ranked if forms & {f["phrase"] for f in e["forms"]}]
        assert len(holding) == 1 and forms <= {f["phrase"] for f in holding[0]["forms"]}, (concept, forms)
    # Each entry's documents list one of its forms, or a phrase naming it beside common
    # words (a name inside a phrase); the most central first.
    keywords = sinta_60_keywords()
    for entry in ranked:
        forms = {f["phrase"] for f in entry["forms"]}
        assert sum(f["df"] for f in entry["forms"]) >= entry["df"] == len(entry["documents"])
        ranks = []
        for doc_id in entry["documents"]:
            listed = [i for i, k in enumerate(keywords[doc_id], 1)
                      if k["phrase"] in forms or any(f" {form} " in f" {k['phrase']} " for form in forms)]
            assert listed, (entry["phrase"], doc_id)
            ranks.append(listed[0])
        assert ranks == sorted(ranks), entry["phrase"]


def test_a_shorter_concept_merges_only_when_it_does_not_stand_alone():
    contributions = sinta_60_contributions()
    documents: dict[str, set] = {}
    for doc_id, items in contributions.items():
        for concept, *_ in items:
            documents.setdefault(concept, set()).add(doc_id)
    ranked = rank_corpus_keywords(contributions, 10_000)
    # The concepts of each entry: those its documents list in one of its forms.
    members: list[set] = []
    for entry in ranked:
        forms = {f["phrase"] for f in entry["forms"]}
        members.append({c for d in entry["documents"] for c, phrase, *_ in contributions[d] if phrase in forms})
    assert sum(len(m) for m in members) == len(documents)  # each concept in one entry
    assert len(ranked) < len(documents), "no nested part merged on 60 abstracts"

    def is_part(short, longer):
        return _is_run_of(short, longer) and 2 * len(documents[short] & documents[longer]) > len(documents[short])

    for entry, concepts in zip(ranked, members):
        assert entry["key"] in concepts
        # One concept stands on its own; each other one is a part of a longer one of the
        # entry, listed with it in most of its documents.
        roots = [c for c in concepts if not any(is_part(c, other) for other in concepts)]
        assert len(roots) == 1, (entry["phrase"], roots)
        # ... and that one is part of no longer concept of the corpus.
        assert not any(is_part(roots[0], other) for other in documents), entry["phrase"]


def test_scores_are_sums_of_rank_weights_and_one_document_never_leads():
    # One document's first phrase against a theme two documents list low.
    contributions = {
        "a": document_contributions([{"key": "acfta", "phrase": "ACFTA"}, {"key": "ekonomi", "phrase": "ekonomi"}]
                                    + [{"key": f"x{i}", "phrase": f"x{i}"} for i in range(7)]
                                    + [{"key": "diplomasi", "phrase": "diplomasi"}], "id"),
        "b": document_contributions([{"key": "kota", "phrase": "kota"}, {"key": "ekonomi", "phrase": "Ekonomi"},
                                     {"key": "diplomasi", "phrase": "diplomasi"}], "id"),
    }
    ranked = rank_corpus_keywords(contributions, 10)
    # one form each: the tie goes to the first in code-point order
    assert [e["phrase"] for e in ranked[:2]] == ["Ekonomi", "diplomasi"]
    assert ranked[0]["score"] == round(2 * rank_weight(2), 6)
    assert ranked[1]["score"] == round(rank_weight(10) + rank_weight(3), 6)
    assert ranked[1]["documents"] == ["b", "a"]  # the most central first
    assert {f["phrase"] for f in ranked[0]["forms"]} == {"ekonomi", "Ekonomi"}
    assert [e["df"] for e in ranked] == [2, 2] + [1] * (len(ranked) - 2)
    # ties among one-document entries: score, then key
    singles = ranked[2:]
    assert [(-e["score"], e["key"]) for e in singles] == sorted((-e["score"], e["key"]) for e in singles)
    # A corpus of one document is ranked by score alone.
    alone = rank_corpus_keywords({"a": contributions["a"]}, 3)
    assert [e["phrase"] for e in alone] == ["ACFTA", "ekonomi", "x0"]


def test_the_top_n_are_the_first_n_of_the_whole_ranking():
    # Only the entries that can make the top N are built: ties at the N-th included.
    import random

    contributions = sinta_60_contributions()
    full = rank_corpus_keywords(contributions, 10_000)
    for top_n in (1, 5, 30, 100, len(full) + 5):
        assert rank_corpus_keywords(contributions, top_n) == full[:top_n]
    rng = random.Random(0)
    words = [f"k{i}" for i in range(60)]
    # many ties: few ranks, a small vocabulary, one-document entries among them
    tied = {f"d{j:03d}": document_contributions(
        [{"key": k, "phrase": k.upper() if rng.random() < 0.5 else k} for k in rng.sample(words, 4)], "id")
        for j in range(40)}
    full = rank_corpus_keywords(tied, 10_000)
    for top_n in (1, 3, 10, 50, 70):
        assert rank_corpus_keywords(tied, top_n) == full[:top_n]


def test_ranking_does_not_depend_on_the_order_documents_come_in():
    contributions = sinta_60_contributions()
    reverse = dict(reversed(list(contributions.items())))
    assert rank_corpus_keywords(reverse, 100) == rank_corpus_keywords(contributions, 100)
    assert rank_corpus_keywords({}, 10) == [] and rank_corpus_keywords(contributions, 0) == []


def test_seed_corpus_keywords_are_themes_with_their_documents(seed_run):
    _, pipeline, _ = seed_run
    for lang in LANGS:
        corpus = pipeline.store.read(ArtifactRef("corpus_keywords", lang))
        entries = corpus["keywords"]
        assert entries and corpus["header"]["schema_version"] == 2
        # What several seeds carry leads; one seed's first phrase never does.
        several = [e["df"] >= 2 for e in entries]
        assert several == sorted(several, reverse=True)
        # ... and something leads with two documents or more exactly when two seeds list
        # one concept
        listed_by = Counter(c[0] for items in corpus["contributions"].values() for c in items)
        assert any(several) == (max(listed_by.values()) >= 2)
        lists = {d: pipeline.store.read(ArtifactRef("keywords", d))["keywords"][lang] for d in corpus["contributions"]}
        for entry in entries:
            assert entry["df"] == len(entry["documents"]) == len(set(entry["documents"]))
            forms = {f["phrase"] for f in entry["forms"]}
            assert entry["phrase"] in forms
            for doc_id in entry["documents"]:
                # listed as such, or as a name inside a listed phrase (ASEAN in diplomasi ASEAN)
                assert any(k["phrase"] in forms or any(f" {f} " in f" {k['phrase']} " for f in forms)
                           for k in lists[doc_id]), (lang, entry["phrase"], doc_id)
        if lang == "id":
            # ASEAN: listed by 003, named inside 001's "diplomasi ASEAN": a shared theme.
            assert entries[0]["phrase"] == "ASEAN" and entries[0]["df"] == 2
        # Every concept of every list is in one entry (none lost, none twice).
        concepts = {c[0] for items in corpus["contributions"].values() for c in items}
        assert len(entries) <= len(concepts) and sum(len(e["forms"]) for e in entries) >= len(entries)


def test_adding_a_document_updates_merged_themes_as_a_fresh_aggregation_would(tmp_path):
    """Bank Indonesia quarterly analyses of tests/data, one added to the others: the
    artifact updated from its keywords (with variants and nested parts merged across
    the old and the new contributions) is the one aggregated afresh, byte for byte."""
    from pipeline import Pipeline

    lines = (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()
    quarterly = [line for line in lines if json.loads(line)["journal"].startswith("Buletin Ekonomi Moneter")]
    new, first = quarterly[-1], quarterly[:12]
    bulk = tmp_path / "first.jsonl"
    bulk.write_text("\n".join(first) + "\n", encoding="utf-8")
    pipeline = Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models")
    fields = BulkFields(text="abstract", title="title", id="id")
    pipeline.corpus.add(read_file(bulk, fields=fields))
    assert not pipeline.run(jobs=1).errors
    before = pipeline.store.read(ArtifactRef("corpus_keywords", "id"))
    (tmp_path / "new.jsonl").write_text(new + "\n", encoding="utf-8")
    [added] = pipeline.corpus.add(read_file(tmp_path / "new.jsonl", fields=fields))
    summary = pipeline.run(jobs=1)
    assert not summary.errors and {s.name: s.ran for s in summary.steps}["keywords"] == 1
    after = pipeline.store.read(ArtifactRef("corpus_keywords", "id"))
    assert after["contributions"] == {**before["contributions"], **{added.doc_id: after["contributions"][added.doc_id]}}
    # The new document joins themes of the others; entries merge forms written differently.
    assert any(added.doc_id in e["documents"] and e["df"] >= 2 for e in after["keywords"])
    assert any(len(e["forms"]) >= 2 for e in after["keywords"])
    updated = all_artifacts(tmp_path)
    for lang in LANGS:
        (tmp_path / "output" / "corpus_keywords" / f"{lang}.json").unlink()
    again = Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models").run(jobs=1)
    assert {s.name: s.ran for s in again.steps}["corpus_keywords"] == 2
    assert all_artifacts(tmp_path) == updated


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_keywords_command_lists_every_document_of_a_theme(seed_run, fmt, capsys):
    from pipeline.cli import main

    root, pipeline, _ = seed_run
    assert main(["keywords", "--corpus", str(root / "corpus"), "--output", str(root / "output"),
                 "--models", str(root / "models"), "--lang", "id", "--top", "3", "--format", fmt]) == 0
    out = capsys.readouterr().out
    entries = pipeline.store.read(ArtifactRef("corpus_keywords", "id"))["keywords"][:3]
    if fmt == "json":
        rows = json.loads(out)
        assert [r["document_ids"] for r in rows] == [e["documents"] for e in entries]
        assert [r["documents"] for r in rows] == [e["df"] for e in entries]
    else:
        lines = out.splitlines()
        assert lines[0] == "lang,rank,phrase,documents,score,document_ids,also_written"
        assert [line.split(",")[5] for line in lines[1:]] == [";".join(e["documents"]) for e in entries]


def test_keywords_table_names_the_first_documents(seed_run, capsys):
    from pipeline.cli import main

    root, pipeline, _ = seed_run
    assert main(["keywords", "--corpus", str(root / "corpus"), "--output", str(root / "output"),
                 "--models", str(root / "models"), "--lang", "en", "--top", "2"]) == 0
    out = capsys.readouterr().out
    first = pipeline.store.read(ArtifactRef("corpus_keywords", "en"))["keywords"][0]
    assert first["phrase"] in out and first["documents"][0][:12] in out
