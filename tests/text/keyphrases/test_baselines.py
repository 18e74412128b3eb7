"""Tests of pipeline.text.keyphrases.baselines (YAKE, TF-IDF) and of the scorers by method name
(pipeline.text.keyphrases.methods), on real abstracts (tests/data only)."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from pipeline.text.keyphrases import METHODS, KeyphraseExtractor, TfidfScorer, YakeScorer, make_scorer, scorer_from_dict
from tests.paths import DATA

from .rows import f1_at, normalizer, sinta_rows, sinta_sample


@lru_cache(maxsize=None)
def sinta_docs(n: int = 20):
    from pipeline.text.tokens import Normalizer

    norm = Normalizer("id")
    rows = sinta_rows(n)
    docs = [[("title", norm.normalize(r.get("title") or "")), ("abstract", norm.normalize(r["id_abstract"]))]
            for r in rows]
    gold = [sorted(k.lower() for k in norm.normalize_tokens(r["id_keywords"]) if k) for r in rows]
    return docs, gold


@pytest.mark.parametrize("method", METHODS)
def test_fit_accepts_author_keywords_and_reloads_without_refit(method):
    """Every scorer takes ``fit(docs, y)``; the saved dict scores a new document alike."""
    docs, gold = sinta_docs()
    scorer = make_scorer(method, "id", top_n=5).fit(docs[:-1], gold[:-1])
    again = scorer_from_dict(json.loads(json.dumps(scorer.to_dict())))
    new_doc = docs[-1]  # not in the fitted corpus
    out = scorer.extract(None, sections=new_doc)
    assert out and len(out) <= 5
    assert again.extract(None, sections=new_doc) == out
    assert set(out[0]) == {"phrase", "key", "score", "count", "first", "occurrences", "paragraphs"}


def test_baselines_ignore_author_keywords():
    docs, gold = sinta_docs()
    for method in ("yake", "tfidf"):
        with_kw = make_scorer(method, "id").fit(docs, gold)
        without = make_scorer(method, "id").fit(docs)
        assert [with_kw.extract(None, sections=d) for d in docs[:5]] == \
               [without.extract(None, sections=d) for d in docs[:5]]


@pytest.mark.parametrize("bad", [[], None, [("abstract", [])], [("abstract", [[["x"]]])], "ünïcödé ✓"])
@pytest.mark.parametrize("method", METHODS)
def test_never_raises_on_odd_input(method, bad):
    scorer = make_scorer(method, "id").fit([bad] if bad else [])
    assert scorer.extract(bad) == []


def test_ours_beats_yake_and_tfidf_scorers_on_sinta_sample():
    # all 100 SINTA dev abstracts: on 40 the three scorers are within noise
    rows = [json.loads(line) for line in open(DATA / "sinta_dev.jsonl", encoding="utf-8")]
    rows = [r for r in rows if r.get("id_abstract") and r.get("id_keywords")]
    norm = normalizer("id")
    inputs = [[("title", norm.normalize(r.get("title") or "")), ("abstract", norm.normalize(r["id_abstract"]))]
              for r in rows]
    gold = [{k for k in norm.normalize_tokens(r["id_keywords"]) if k} for r in rows]

    def f1(scorer):
        scorer.fit(inputs)
        return sum(f1_at([o["key"].lower() for o in scorer.extract(None, sections=x)], g)
                   for x, g in zip(inputs, [{k.lower() for k in g} for g in gold])) / len(inputs)

    ours, yake, tfidf = f1(KeyphraseExtractor(lang="id")), f1(YakeScorer(lang="id")), f1(TfidfScorer(lang="id"))
    assert ours > tfidf > yake > 0.05, (ours, tfidf, yake)
    assert ours > 0.2


@pytest.mark.parametrize("method", ["ours", "yake", "tfidf"])
def test_scorers_share_interface_and_round_trip(method):
    docs, _, _ = sinta_sample()
    scorer = make_scorer(method, "id", top_n=6, redundancy="dependent").fit(docs[:15])
    saved = json.loads(json.dumps(scorer.to_dict()))
    loaded = scorer_from_dict(saved)
    assert type(loaded) is type(scorer) and loaded.get_params() == scorer.get_params()
    for doc in docs[:5]:
        out = scorer.extract(doc)
        assert out == loaded.extract(doc)
        assert 1 <= len(out) <= 6
        assert [o["score"] for o in out] == sorted((o["score"] for o in out), reverse=True)
        assert len({o["key"].lower() for o in out}) == len(out)
    assert scorer.extract([]) == [] and scorer.extract(None, sections=[("title", "✓")]) == []
    with pytest.raises(ValueError):
        make_scorer("nonsense", "id")
