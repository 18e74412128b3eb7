"""Pairing Indonesian and English terms: word evidence, one document's alignment, the
corpus glossary (issue 24), on the hand-aligned keyword lines of the SINTA dev papers."""

from __future__ import annotations

import json
import math

import pytest

from pipeline.text.bilingual import (EVIDENCE_KINDS, Glossary, align_terms, cognate_similarity,
                                     load_dictionary, merge_terms, phrase_similarity, phrase_words)
from pipeline.text.bilingual.glossary import g2
from pipeline.text.stopwords import load_stopwords
from pipeline.text.tokens import Normalizer
from tests.paths import DATA

STOP = {lang: frozenset(w.lower() for w in load_stopwords(lang, include_academic=False, content_exceptions=True))
        for lang in ("id", "en")}


@pytest.fixture(scope="module")
def dev():
    """``[(gold record, dev item)]`` of the 14 hand-aligned papers (tests/data copies)."""
    with open(DATA / "sinta_dev.jsonl", encoding="utf-8") as fh:
        items = {r["id"]: r for r in map(json.loads, fh) if r}
    with open(DATA / "keyword_pairs_dev.jsonl", encoding="utf-8") as fh:
        return [(r, items[r["id"]]) for r in map(json.loads, fh)]


def _terms(lang, keywords):
    keys = Normalizer(lang).normalize_tokens(keywords)
    return merge_terms([{"phrase": p, "key": k} for p, k in zip(keywords, keys)], [])


def _glossary(dev):
    """The glossary of the 14 papers' keyword lines (it learns how often the order is right)."""
    docs = [(g["id"], _terms("id", i["id_keywords"]), _terms("en", i["en_keywords"])) for g, i in dev]
    return Glossary().fit(docs, id_stopwords=STOP["id"], en_stopwords=STOP["en"], dictionary=load_dictionary())


def _score(dev, **kwargs):
    tp = fp = fn = 0
    glossary = _glossary(dev)
    for gold, item in dev:
        result = align_terms(_terms("id", item["id_keywords"]), _terms("en", item["en_keywords"]),
                             id_stopwords=STOP["id"], en_stopwords=STOP["en"], glossary=glossary,
                             doc_id=gold["id"], **kwargs)
        truth = {(p["id"].lower(), p["en"].lower()) for p in gold["pairs"]}
        found = {(p["id"].lower(), p["en"].lower()) for p in result["pairs"]}
        tp, fp, fn = tp + len(truth & found), fp + len(found - truth), fn + len(truth - found)
    return (tp / (tp + fp) if tp + fp else 1.0), tp / (tp + fn)


def test_cognates_follow_the_loanword_spellings_and_short_words_are_no_evidence():
    for id_word, en_word in [("korespondensi", "correspondence"), ("regresi", "regression"),
                             ("matematis", "mathematical"), ("demokrasi", "democracy"),
                             ("kooperatif", "cooperative"), ("siklis", "cyclical")]:
        assert cognate_similarity(id_word, en_word) >= 0.8, (id_word, en_word)
    # "kota" / "city": short, and -ty is no suffix of "ci"; "pemerintah" / "government": unrelated
    assert cognate_similarity("kota", "city") == 0 and cognate_similarity("pemerintah", "government") == 0


def test_phrases_match_word_by_word_whatever_the_order():
    score, kinds = phrase_similarity(phrase_words("Analisis Regresi", "analisis regresi", STOP["id"]),
                                     phrase_words("Regression Analysis", "regression analysis", STOP["en"]))
    assert score == 1.0 and kinds == ("cognate",)
    score, kinds = phrase_similarity(phrase_words("Limit Fungsi", "limit fungsi", STOP["id"]),
                                     phrase_words("Limit Of The Function", "limit of the function", STOP["en"]))
    assert score > 0.75  # "of", "the" are no words of the term; fungsi / function: a cognate
    # a word left over on one side only: a broader and a narrower term, no more than half
    half, _ = phrase_similarity(phrase_words("strategi diplomasi", "strategi diplomasi", STOP["id"]),
                                phrase_words("strategy", "strategy", STOP["en"]))
    assert half == 0.5
    # one word unmatched on each side: perhaps a translation the dictionary lacks, unless
    # it knows the Indonesian word and lists other translations ("peningkatan": increase)
    score, _ = phrase_similarity(phrase_words("hubungan internasional", "hubung internasional", STOP["id"]),
                                 phrase_words("international relation", "international relation", STOP["en"]))
    assert 0.5 < score < 1  # "internasional": a cognate; "hubungan" / "relation": unknown without a dictionary
    # the dictionary lists "relationship": "relation" is of its word family
    score, kinds = phrase_similarity(phrase_words("hubungan internasional", "hubung internasional", STOP["id"]),
                                     phrase_words("international relation", "international relation", STOP["en"]),
                                     load_dictionary())
    assert score == 1.0 and "dictionary" in kinds
    words = (phrase_words("perbedaan peningkatan", "beda tingkat", STOP["id"]),
             phrase_words("significant differences", "significant difference", STOP["en"]))
    score, kinds = phrase_similarity(*words, load_dictionary())
    assert score == 0.5 and kinds == ("dictionary",)  # "perbedaan" / "differences" alone
    # "models" is known to the dictionary (model): "kooperatif" is not its translation
    assert phrase_similarity(phrase_words("pembelajaran kooperatif", "ajar kooperatif", STOP["id"]),
                             phrase_words("learning models", "learning model", STOP["en"]),
                             load_dictionary())[0] == 0.5
    # a two-word entry of the dictionary: "luar negeri" / "foreign"
    score, kinds = phrase_similarity(phrase_words("kebijakan luar negeri", "bijak luar negeri", STOP["id"]),
                                     phrase_words("foreign policy", "foreign policy", STOP["en"]), load_dictionary())
    assert score == 1.0 and kinds == ("dictionary",)
    # a word's family is one word's: "siklis" (cyclic) is no translation of "cyclic permutation group"
    assert phrase_similarity(phrase_words("siklis", "siklis", STOP["id"]),
                             phrase_words("cyclic permutation group", "cyclic permutation group", STOP["en"]),
                             load_dictionary())[0] < 0.5
    # a name is never the translation of a word: "WLAN" / "system" get no even chance
    assert phrase_similarity(phrase_words("keamanan WLAN", "aman WLAN", STOP["id"]),
                             phrase_words("security system", "security system", STOP["en"]),
                             load_dictionary())[0] == 0.5
    # a weak cognate says little: "aspek" / "cause" are no pair, nor their phrases
    assert phrase_similarity(phrase_words("aspek perizinan", "aspek izin", STOP["id"]),
                             phrase_words("cause deforestation", "cause deforestation", STOP["en"]))[0] <= 0.5


def test_keyword_lines_of_the_dev_papers_pair_better_than_their_order(dev):
    """The issue's target on the 48 hand-aligned pairs (lines only, no text; the glossary
    of the 14 papers, each paper's own pairs left out): P >= 0.95, R >= 0.93; the order
    alone gives P 0.86 / R 0.90."""
    precision, recall = _score(dev, dictionary=load_dictionary())
    assert precision >= 0.95 and recall >= 0.93, (precision, recall)
    # the evidence kinds each carry weight
    p_order, r_order = _score(dev, dictionary=load_dictionary(), evidence=("keyword_order",))
    assert r_order < recall
    p_words, r_words = _score(dev, dictionary=load_dictionary(),
                              evidence=tuple(k for k in EVIDENCE_KINDS if k != "keyword_order"))
    assert r_words < recall and p_words >= 0.95


def test_order_pairs_only_lines_shown_parallel(dev):
    """sinta-225e4fa3ed lists Belajar, bermain, Template Matching, pola against Early age,
    playing, study, Template Matching: the evidence-linked pairs cross, so the leftovers
    ("pola", "Early age") are not paired by place."""
    gold, item = next((g, i) for g, i in dev if g["id"] == "sinta-225e4fa3ed")
    result = align_terms(_terms("id", item["id_keywords"]), _terms("en", item["en_keywords"]),
                         id_stopwords=STOP["id"], en_stopwords=STOP["en"], dictionary=load_dictionary())
    assert "pola" in result["id_only"] and "Early age" in result["en_only"]
    # sinta-45b69dc5ac: parallel lines, "mimbar" / "pulpit" and the run-on item paired by
    # place, with the order's reliability the papers show (without it, order pairs nothing)
    gold, item = next((g, i) for g, i in dev if g["id"] == "sinta-45b69dc5ac")
    args = (_terms("id", item["id_keywords"]), _terms("en", item["en_keywords"]))
    plain = align_terms(*args, id_stopwords=STOP["id"], en_stopwords=STOP["en"], dictionary=load_dictionary())
    assert "mimbar" in plain["id_only"]
    result = align_terms(*args, id_stopwords=STOP["id"], en_stopwords=STOP["en"], dictionary=load_dictionary(),
                         glossary=_glossary(dev), doc_id=gold["id"])
    pairs = {(p["id"], p["en"]): p["evidence"] for p in result["pairs"]}
    assert "keyword_order" in pairs[("persekutuanThe goals", "fellowship")]
    assert result["id_only"] == ["among others"]


def test_glossary_learns_pairs_and_never_counts_a_document_as_its_own_evidence(dev):
    docs = [(g["id"], _terms("id", i["id_keywords"]), _terms("en", i["en_keywords"])) for g, i in dev]
    glossary = _glossary(dev)
    assert glossary.n_documents_ == 14
    assert 0.5 < glossary.order_reliability_ <= 1.0
    entry = glossary.lookup("analisis", "id")
    assert entry["en"] == ["Analysis"] and entry["linked_ids"] == ["sinta-2bc1655e90"]
    # linked in one paper only: evidence for any other paper, none for that one
    assert glossary.evidence("analisis", "analysis", "sinta-2bc1655e90") == 0.0
    assert glossary.evidence("analisis", "analysis", "another") == 0.5
    again = Glossary.from_dict(json.loads(json.dumps(glossary.to_dict())))
    assert again.entries_ == glossary.entries_ and again.evidence("analisis", "analysis", "x") == 0.5
    # the same documents in another order give the same glossary
    shuffled = Glossary().fit(reversed(docs), id_stopwords=STOP["id"], en_stopwords=STOP["en"],
                              dictionary=load_dictionary())
    assert shuffled.to_dict() == glossary.to_dict()


def test_log_likelihood_ratio_of_a_table():
    # independent counts give no association; a perfect one grows with the documents
    assert g2(1, 2, 50, 100) == pytest.approx(0.0, abs=1e-9)
    assert g2(5, 5, 5, 100) == pytest.approx(2 * (5 * math.log(100 / 5) + 95 * math.log(100 / 95)), rel=1e-6)
    # one shared document of two one-off terms passes the critical value (LLR overrates rare
    # events): hence the glossary also asks for MIN_COOCCURRENCE shared documents
    assert g2(5, 5, 5, 100) > g2(1, 1, 1, 100) > 10.83
