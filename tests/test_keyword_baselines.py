"""Tests of pipeline.text.keyword_baselines (YAKE, TF-IDF) on real abstracts (tests/data only)."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from pipeline.text.keyword_baselines import METHODS, make_scorer, scorer_from_dict

from .test_phrases import sinta_rows


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
