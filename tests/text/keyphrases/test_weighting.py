"""Tests of pipeline.text.keyphrases.weighting: the features and priors, on real abstracts (tests/data only)."""

from __future__ import annotations

import json

import pytest

from pipeline.text.keyphrases import KeyphraseExtractor, extract_candidates, prepare_sections
from pipeline.text.keyphrases.extractor import _fingerprint
from tests.paths import REPO, SHARED_DATA

from .rows import (N_SAMPLE, f1_at, inspec_labelled, normalizer, sinta_bilingual, sinta_rows, sinta_sample,
                   sinta_sections)


def test_keyphraseness_is_leave_one_out_and_harmless_without_keywords():
    """A document's own author keywords never change its ranking; other documents' do."""
    docs, gold, titles = sinta_sample()
    labels = [sorted(g) for g in gold]
    with_kw = KeyphraseExtractor(lang="id").fit(docs, labels)
    assert with_kw.kp_df_
    for i in range(10):
        hidden = list(labels)
        hidden[i] = []
        without_own = KeyphraseExtractor(lang="id").fit(docs, hidden)
        assert with_kw.extract(docs[i]) == without_own.extract(docs[i])
    # no author keywords at all: identical to a model with keyphraseness off
    # (the nesting and cue priors, learnt from them too, are off in both)
    none = KeyphraseExtractor(lang="id", nest_prior=0.0, cue_prior=0.0).fit(docs)
    off = KeyphraseExtractor(lang="id", kp_weight=0.0, nest_prior=0.0, cue_prior=0.0).fit(docs, labels)
    assert [none.extract(d) for d in docs[:10]] == [off.extract(d) for d in docs[:10]]
    # the counts of the other documents do move keys up somewhere
    assert any(with_kw.extract(d) != none.extract(d) for d in docs)
    # saved and reloaded, leave-one-out still holds (the digests are saved)
    again = KeyphraseExtractor.from_dict(json.loads(json.dumps(with_kw.to_dict())))
    assert [again.extract(d) for d in docs[:5]] == [with_kw.extract(d) for d in docs[:5]]


def test_keyphraseness_helps_on_sinta_sample():
    """Learnt from the other documents' keywords, macro F1@10 does not drop.

    On all 100 dev abstracts of tests/data: with one entry per concept in a list,
    the first 40 are too few for the gain to show (a keyword or two either way).
    """
    _, sections, gold = sinta_sections(100)

    def f1(model):
        return sum(f1_at([o["key"].lower() for o in model.extract(None, sections=s)], g)
                   for s, g in zip(sections, gold)) / len(gold)

    without = f1(KeyphraseExtractor(lang="id").fit(sections))
    learnt = f1(KeyphraseExtractor(lang="id").fit(sections, [sorted(g) for g in gold]))
    assert learnt >= without - 0.005


def test_graph_scores_rank_central_early_words():
    norm = normalizer("en")
    doc = norm.normalize("Neural networks learn features. Deep neural networks need data. "
                         "Networks of neurons are trained on images.")
    from pipeline.text.keyphrases import graph_scores

    scores = graph_scores(prepare_sections(doc, None, "en"), "en")
    assert max(scores.values()) == 1.0
    assert scores["network"] == 1.0
    assert graph_scores([], "en") == {}


def test_edge_words_keep_a_term_beside_its_generic_frame():
    """A term found only inside "<generic word> term" stays a candidate when the word is generic.

    Generic: it opens or closes multi-word candidates in many documents of the
    corpus ("pengaruh", "proses", "analisis").  Without the rule the term is
    dropped as dependent on the longer phrase.
    """
    from pipeline.text.keyphrases import load_phrase_words
    from pipeline.text.keyphrases.candidates import frame_norms

    docs, gold, titles = sinta_sample()
    sections = [[("title", t), ("abstract", d)] for t, d in zip(titles, docs)]
    # the lists keep nested phrases ("dependent"): the rule is about which phrases are candidates
    ours = KeyphraseExtractor(lang="id", top_n=500, redundancy="dependent").fit(sections)
    plain = KeyphraseExtractor(lang="id", top_n=500, redundancy="dependent", edge_share=0.0).fit(sections)
    assert ours.edge_df_["first"] and ours.edge_df_["last"]
    assert all(c >= 3 for side in ours.edge_df_.values() for c in side.values())
    kept_only_by_rule = 0
    for s in sections:
        mine = {o["key"].lower() for o in ours.extract(None, sections=s)}
        other = {o["key"].lower() for o in plain.extract(None, sections=s)}
        candidates = {" ".join(c.key): c.count for c in extract_candidates(s, "id")}
        for key in mine - other:
            words = key.split()
            # the longer candidates it never occurs outside of
            longer = [k.split() for k, count in candidates.items()
                      if len(k.split()) > len(words) and f" {key} " in f" {k} "
                      and count >= candidates[key]]
            assert longer
            kept_only_by_rule += 1
            # one of them only adds generic words around it: corpus edge words
            # (at least one) or the frame nouns of the document
            frame = frame_norms(prepare_sections(None, s, "id"), load_phrase_words("id", "frame"))
            assert any(all(ours._is_generic(w) or w in frame for w in _extra(lw, words))
                       and any(ours._is_generic(w) for w in _extra(lw, words)) for lw in longer)
    assert kept_only_by_rule > 0
    # the saved model keeps the edge counts: same output after a round trip
    again = KeyphraseExtractor.from_dict(json.loads(json.dumps(ours.to_dict())))
    assert [again.extract(None, sections=s) for s in sections[:5]] == \
        [ours.extract(None, sections=s) for s in sections[:5]]


def _extra(longer: list, shorter: list) -> list:
    for i in range(len(longer) - len(shorter) + 1):
        if longer[i:i + len(shorter)] == shorter:
            return longer[:i] + longer[i + len(shorter):]
    return longer


def test_length_prior_is_learnt_leave_one_out_for_english():
    """English: how long author keywords are is read off the corpus's own keywords.

    Inspec's keyphrases are mostly two and three words, so the learnt prior
    favours them over single words; a document's own keywords never change
    its ranking; without keywords the fixed length weights apply.
    """
    docs, labels = inspec_labelled()
    model = KeyphraseExtractor(lang="en").fit(docs, labels)
    factors = model._length_factors((), {})
    assert factors is not None and factors[0] == 1.0 and factors[1] > 1.5 and factors[2] > 1.0
    for i in range(6):
        hidden = list(labels)
        hidden[i] = []
        assert KeyphraseExtractor(lang="en").fit(docs, hidden).extract(docs[i]) == model.extract(docs[i])
    # no keywords: the prior stays off and the fixed weights apply
    bare = KeyphraseExtractor(lang="en").fit(docs)
    fixed = KeyphraseExtractor(lang="en", length_prior=0.0).fit(docs)
    assert bare._length_factors((), {}) is None
    assert [bare.extract(d) for d in docs[:10]] == [fixed.extract(d) for d in docs[:10]]
    # Indonesian default: off (it measured as noise there)
    assert KeyphraseExtractor(lang="id")._length_prior() == 0.0
    again = KeyphraseExtractor.from_dict(json.loads(json.dumps(model.to_dict())))
    assert [again.extract(d) for d in docs[:5]] == [model.extract(d) for d in docs[:5]]


def test_nesting_prior_is_learnt_per_collection_leave_one_out():
    """Indonesian authors choose the core terms a text builds on, Inspec's indexers
    the maximal phrases: the nesting prior reads which from the corpus's keywords.

    On real abstracts: fitted on SINTA, a candidate that occurs inside a longer
    one ("grup" in "grup permutasi") scores above one that never does; fitted on
    Inspec, the other way round.  A document's own keywords never change its
    ranking.  Without keywords the reference counts shipped with the package
    (SINTA journal abstracts: nested first in both languages) apply, unless
    ``nest_reference`` is off; with the power 0 nothing changes.
    """
    from pipeline.text.keyphrases import nested_keys

    keys = {("grup",), ("grup", "permutasi"), ("konsep", "grup"), ("studi",), ("siklis",)}
    assert nested_keys(keys) == {("grup",)}
    id_docs, gold, _ = sinta_sample()
    id_labels = [sorted(g) for g in gold]
    en_docs, en_labels = inspec_labelled()
    for lang, docs, labels, nested_first in (("id", id_docs, id_labels, True),
                                             ("en", en_docs, en_labels, False)):
        model = KeyphraseExtractor(lang=lang).fit(docs, labels)
        # a two-word key inside a three-word one, against one that is not
        factor = model._nest_factors((), {("a", "b"): None, ("a", "b", "c"): None, ("d", "e"): None})
        assert factor is not None
        inside, alone = factor(("a", "b")), factor(("d", "e"))
        assert (inside > alone) == nested_first, (lang, inside, alone)
        for i in range(4):
            hidden = list(labels)
            hidden[i] = []
            assert KeyphraseExtractor(lang=lang).fit(docs, hidden).extract(docs[i]) == model.extract(docs[i])
        bare = KeyphraseExtractor(lang=lang, nest_reference=False).fit(docs)
        assert bare._nest_factors((), {}) is None
        reference = KeyphraseExtractor(lang=lang).fit(docs)._nest_factors((), {("a", "b"): None, ("a", "b", "c"): None})
        assert reference(("a", "b")) > reference(("d", "e"))
        off = KeyphraseExtractor(lang=lang, nest_prior=0.0).fit(docs, labels)
        assert off._nest_factors((), {}) is None
        assert any(model.extract(d) != off.extract(d) for d in docs)
        again = KeyphraseExtractor.from_dict(json.loads(json.dumps(model.to_dict())))
        assert [again.extract(d) for d in docs[:5]] == [model.extract(d) for d in docs[:5]]
    # a model saved before the prior existed is scored as it was
    saved = KeyphraseExtractor(lang="id").fit(id_docs, id_labels).to_dict()
    del saved["params"]["nest_prior"], saved["params"]["nest_reference"]
    assert KeyphraseExtractor.from_dict(saved).nest_prior == 0.0
    assert KeyphraseExtractor.from_dict(saved).nest_reference is False


def test_nesting_reference_is_the_sinta_corpus_keyword_lines():
    """The shipped reference counts are what the builder script reads off the SINTA
    corpus (checked when ``../shared`` is beside the repo), and a missing or
    hand-broken file turns the fallback off instead of failing."""
    import subprocess
    import sys

    from pipeline.text.keyphrases import load_nest_reference

    for lang in ("id", "en"):
        cand, chosen = load_nest_reference(lang)
        assert sum(map(sum, chosen)) >= 20  # enough keywords to stand in for a corpus's
        assert all(k <= c for kc, cc in zip(chosen, cand) for k, c in zip(kc, cc))
    assert load_nest_reference("fr") is None
    shared = SHARED_DATA / "corpus" / "sinta_abstracts.jsonl"
    if shared.exists():
        script = REPO / "benchmarks" / "nest_prior_reference.py"
        done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_broken_nesting_reference_turns_the_fallback_off(tmp_path, monkeypatch):
    from pipeline.text.keyphrases import weighting

    docs, _, _ = sinta_sample()
    broken = tmp_path / "keywords_nest_prior.json"
    broken.write_text('{"id": {"candidates": [[1, 2]]', encoding="utf-8")
    monkeypatch.setattr(weighting, "NEST_REFERENCE_PATH", broken)
    weighting.load_nest_reference.cache_clear()
    weighting.load_cue_reference.cache_clear()
    try:
        model = KeyphraseExtractor(lang="id").fit(docs)
        assert model._nest_factors((), {}) is None and model._cue_factors((), {}) is None
        plain = KeyphraseExtractor(lang="id", nest_prior=0.0, cue_prior=0.0).fit(docs)
        assert model.extract(docs[0]) == plain.extract(docs[0])
    finally:
        weighting.load_nest_reference.cache_clear()
        weighting.load_cue_reference.cache_clear()


def test_cue_prior_is_learnt_from_the_corpus_keywords_leave_one_out():
    """A phrase right after a cue word ("metode template matching", "yaitu client server")
    is named by its author; how much that counts is learnt from the corpus's keywords.

    On the 100 SINTA dev abstracts, named candidates are author keywords about four
    times as often as the others, so a named candidate scores above an unnamed one.
    A title occurrence names nothing, a document's own keywords never change its
    ranking, and without keywords the reference counts of the SINTA corpus apply.
    """
    from pipeline.text.keyphrases import load_cue_words

    norm = normalizer("id")
    title = norm.normalize("Pengenalan Angka dengan Metode Template Matching")
    text = norm.normalize("Pengenalan angka memakai metode template matching. Template matching "
                          "yaitu pencocokan citra. Metode template matching sederhana.")
    cands = {c.key: c for c in extract_candidates([("title", title), ("abstract", text)], "id")}
    assert cands[("template", "matching")].named == 2  # the title's "Metode Template Matching" is not counted
    assert cands[("cocok", "citra")].named == 1 and cands[("angka",)].named == 0
    assert {"metode", "yaitu", "adalah"} <= load_cue_words("id")
    assert "called" in load_cue_words("en") and load_cue_words("fr") == frozenset()

    rows = sinta_rows(100)
    docs = [[("title", norm.normalize(r.get("title") or "")), ("abstract", norm.normalize(r["id_abstract"]))]
            for r in rows]
    labels = [sorted(k.lower() for k in norm.normalize_tokens(r["id_keywords"]) if k) for r in rows]
    model = KeyphraseExtractor(lang="id").fit(docs, labels)
    (c_out, c_named), (k_out, k_named) = model.cue_cand_, model.cue_kp_
    assert k_named / c_named > 2.5 * k_out / c_out, (model.cue_cand_, model.cue_kp_)
    unnamed, named = model._cue_factors((), {})
    assert named > 1.5 > 1.0 > unnamed
    for i in range(3):
        hidden = list(labels)
        hidden[i] = []
        assert KeyphraseExtractor(lang="id").fit(docs, hidden).extract(None, sections=docs[i]) == \
            model.extract(None, sections=docs[i])
    off = KeyphraseExtractor(lang="id", cue_prior=0.0).fit(docs, labels)
    assert off._cue_factors((), {}) is None
    assert any(model.extract(None, sections=d) != off.extract(None, sections=d) for d in docs)
    reference = KeyphraseExtractor(lang="id").fit(docs)._cue_factors((), {})
    assert reference[1] > 1.0 > reference[0]
    assert KeyphraseExtractor(lang="id", nest_reference=False).fit(docs)._cue_factors((), {}) is None
    again = KeyphraseExtractor.from_dict(json.loads(json.dumps(model.to_dict())))
    assert [again.extract(None, sections=d) for d in docs[:5]] == [model.extract(None, sections=d) for d in docs[:5]]
    # a model saved before the prior existed is scored as it was
    saved = model.to_dict()
    del saved["params"]["cue_prior"]
    assert KeyphraseExtractor.from_dict(saved).cue_prior == 0.0


def test_non_choice_evidence_counts_only_labelled_documents_leave_one_out():
    """A key held by other documents with author keywords, none choosing it, is scored down.

    Counted by hand: only documents with author keywords count, the document
    ranked is left out, and the factor is kp_negative / (others + kp_negative).
    """
    from collections import Counter

    docs, gold, _ = sinta_sample()
    labels = [sorted(g) if i < 20 else [] for i, g in enumerate(gold)]
    model = KeyphraseExtractor(lang="id").fit(docs, labels)
    held = Counter()
    for doc in docs[:20]:
        held.update({" ".join(c.key) for c in extract_candidates(doc, "id") if c.n_words > 1})
    for key, n in held.items():
        assert model.kp_cand_df_[key] == n
    chosen = Counter(" ".join(k.lower().split()) for label in labels for k in label)
    checked = 0
    for i in (0, 1, 25, 30):
        prepared = prepare_sections(docs[i], None, "id")
        own = model.kp_docs_.get(_fingerprint(prepared), ())
        assert bool(own) == (i < 20)
        factor = model._keyphraseness(own)
        mine = {" ".join(c.key) for c in extract_candidates(docs[i], "id") if c.n_words > 1}
        for key in sorted(mine):
            others = held[key] - (1 if i < 20 else 0)
            if others > 0 and chosen[key] == 0:
                assert factor(tuple(key.split(" "))) == pytest.approx(10.0 / (others + 10.0))
                checked += 1
    assert checked > 0
    # off: never-chosen keys keep factor 1
    off = KeyphraseExtractor(lang="id", kp_negative=0.0).fit(docs, labels)
    assert all(off._keyphraseness(())(tuple(k.split(" "))) == 1.0 for k in held if chosen[k] == 0)


def test_sub_phrases_other_authors_chose_are_not_dependent():
    """A sub-phrase other documents' authors chose as a keyword survives the closed filter."""
    docs, gold, titles = sinta_sample()
    sections = [[("title", t), ("abstract", d)] for t, d in zip(titles, docs)]
    labels = [sorted(g) for g in gold]
    on = KeyphraseExtractor(lang="id", top_n=500).fit(sections, labels)
    off = KeyphraseExtractor(lang="id", top_n=500, kp_units=False).fit(sections, labels)
    gained = 0
    for s in sections:
        keys_on = {o["key"].lower() for o in on.extract(None, sections=s)}
        keys_off = {o["key"].lower() for o in off.extract(None, sections=s)}
        for key in keys_on - keys_off:
            # only keys chosen elsewhere come back
            assert on.kp_df_.get(key, 0) > 0
            gained += 1
    assert gained > 0


def test_idf_depends_on_document_share_not_on_corpus_size():
    """Above ``idf_ref_docs`` documents the idf is read at that size: the same
    corpus three times over (every share kept) ranks every document the same,
    while the unscaled idf (``idf_ref_docs=0``) grows with the corpus and changes
    the rankings; a model saved before the parameter existed keeps its idf."""
    docs, _, titles = sinta_sample()
    sections = [[("title", t), ("abstract", d)] for t, d in zip(titles, docs)]
    assert len(sections) == N_SAMPLE  # below the reference size of 100

    def rankings(model):
        return [[o["key"] for o in model.extract(None, sections=s)] for s in sections]

    once = KeyphraseExtractor(lang="id", idf_ref_docs=N_SAMPLE).fit(sections)
    thrice = KeyphraseExtractor(lang="id", idf_ref_docs=N_SAMPLE).fit(sections * 3)
    assert thrice.n_docs_ == 3 * N_SAMPLE
    assert rankings(thrice) == rankings(once)
    unscaled_once = KeyphraseExtractor(lang="id", idf_ref_docs=0).fit(sections)
    unscaled_thrice = KeyphraseExtractor(lang="id", idf_ref_docs=0).fit(sections * 3)
    assert rankings(unscaled_once) == rankings(once)  # at or under the size: no scaling
    assert rankings(unscaled_thrice) != rankings(unscaled_once)

    saved = json.loads(json.dumps(unscaled_thrice.to_dict()))
    del saved["params"]["idf_ref_docs"]
    assert KeyphraseExtractor.from_dict(saved).idf_ref_docs == 0


def test_terms_kept_untranslated_in_the_other_abstract_rank_higher():
    rows, docs, others, gold = sinta_bilingual()
    assert len(rows) == 14
    labels = [sorted(g) for g in gold]
    model = KeyphraseExtractor(lang="en").fit(docs, labels)

    def ranked(scorer, with_other):
        return [[o["key"].lower() for o in scorer.extract(None, sections=d, other=o if with_other else None)]
                for d, o in zip(docs, others)]

    echoed, plain = ranked(model, True), ranked(model, False)
    # a statistics paper writes "kernel" and "bootstrap" in English in its Indonesian abstract
    i = [r["id"] for r in rows].index("sinta-564c5304f5")
    assert {"kernel", "bootstrap"} <= set(echoed[i])

    def rank(keys, term):
        return keys.index(term) if term in keys else len(keys)

    assert all(rank(echoed[i], term) < rank(plain[i], term) for term in ("kernel", "bootstrap"))

    def hits(predicted):
        return sum(len(set(p) & g) for p, g in zip(predicted, gold))

    assert hits(echoed) >= hits(plain) + 3  # 4 more author keywords in the top ten
    off = KeyphraseExtractor(lang="en", echo_weight=0).fit(docs, labels)
    assert ranked(off, True) == plain
    saved = model.to_dict()
    del saved["params"]["echo_weight"]  # a model saved before the echo existed ranks as it did
    assert KeyphraseExtractor.from_dict(saved).echo_weight == 0


def test_echo_exempts_names_numbers_and_everyday_words():
    from pipeline.text.langid import load_word_frequencies
    from pipeline.text.keyphrases import echo_phrases
    from pipeline.text.keyphrases.weighting import echoed

    doc = normalizer("id").normalize(
        "Alibaba dan Tencent memakai internet. Metode bootstrap diuji pada 2019 data. "
        "Alibaba menerapkan metode bootstrap dan process tracing.")
    other = [("abstract", normalizer("en").normalize(
        "Alibaba and Tencent use the internet. The bootstrap method was tested on 2019 data "
        "with process tracing."))]
    echo = echo_phrases(other, 4)
    assert {"alibaba", "bootstrap", "bootstrap method", "internet", "2019 data"} <= echo
    assert "internet the" not in echo and "data alibaba" not in echo  # runs end at punctuation
    assert echo_phrases(other[0][1], 4) == echo  # a plain text, as the docstring allows
    # only what can equal a candidate is kept when the candidates' first words are given
    assert echo_phrases(other, 4, {"bootstrap"}) == {
        "bootstrap", "bootstrap method", "bootstrap method was", "bootstrap method was tested"}
    echoed = {c.surface.lower() for c in extract_candidates(doc, "id")
              if echoed(c, echo, load_word_frequencies())}
    assert {"bootstrap", "process tracing"} <= echoed
    # names, everyday words of either language: written the same way in both texts anyway
    assert not {"alibaba", "tencent", "internet", "process"} & echoed
    assert echo_phrases(None, 4) == frozenset() and echo_phrases([("abstract", "junk")], 4) == frozenset()
