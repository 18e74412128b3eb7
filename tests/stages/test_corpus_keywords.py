"""The keywords stage's corpus ranking on the extractor's output (tests/data only).

The corpus keywords are ranked by the keywords stage (``corpus_keywords`` step:
:func:`pipeline.stages.keywords.document_contributions` per document, then
:func:`pipeline.stages.keywords.rank_corpus_keywords`); these tests feed it what
:class:`~pipeline.text.keyphrases.KeyphraseExtractor` returns for real abstracts.
"""

from __future__ import annotations

from pipeline.stages.keywords import document_contributions, rank_corpus_keywords
from pipeline.text.keyphrases import KeyphraseExtractor

from tests.text.keyphrases.rows import sinta_sample


def corpus_ranking(per_doc: dict, top_n: int = 50) -> list:
    """Corpus keywords of ``{doc_id: keyphrases}``, put together as the stage's
    aggregate step does (documents without keyphrases give nothing)."""
    contributions = {doc_id: document_contributions(items) for doc_id, items in sorted(per_doc.items()) if items}
    return rank_corpus_keywords({d: c for d, c in contributions.items() if c}, top_n)


def test_corpus_keywords_aggregates():
    docs, _, _ = sinta_sample()
    model = KeyphraseExtractor(lang="id").fit(docs[:10])
    per_doc = {f"d{i}": model.extract(d) for i, d in enumerate(docs[:10])}
    per_doc["dup"] = per_doc["d0"]
    rows = corpus_ranking(per_doc, top_n=5)
    assert 1 <= len(rows) <= 5
    for row in rows:
        assert set(row) == {"phrase", "key", "df", "score", "documents"}
        assert row["df"] == len(row["documents"]) and row["documents"] == sorted(row["documents"])
    d0_keys = {i["key"] for i in per_doc["d0"]}
    assert any(r["key"] in d0_keys and "dup" in r["documents"] for r in corpus_ranking(per_doc, 100))
    assert [(-r["score"], -r["df"], r["key"]) for r in rows] == sorted((-r["score"], -r["df"], r["key"]) for r in rows)
    assert corpus_ranking({}) == []


def test_corpus_keywords_weigh_documents_equally():
    per_doc = {
        "long_article": [{"phrase": "ACFTA", "key": "ACFTA", "score": 500.0},
                         {"phrase": "ekonomi", "key": "ekonomi", "score": 250.0}],
        "abstract_a": [{"phrase": "diplomasi kota", "key": "diplomasi kota", "score": 2.0}],
        "abstract_b": [{"phrase": "diplomasi kota", "key": "diplomasi kota", "score": 1.5},
                       {"phrase": "ekonomi", "key": "ekonomi", "score": 0.6}],
    }
    ranked = corpus_ranking(per_doc)
    assert [r["key"] for r in ranked] == ["diplomasi kota", "ACFTA", "ekonomi"]
    assert ranked[0]["df"] == 2 and ranked[0]["documents"] == ["abstract_a", "abstract_b"]
    assert ranked[0]["score"] == 2.0 and ranked[2]["score"] == 0.9
