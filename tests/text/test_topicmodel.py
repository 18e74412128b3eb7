"""The topic model estimator on real abstracts: choice of k, determinism, save and reload."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache

import numpy as np

from pipeline.text.topicmodel import TopicModel, npmi_coherence
from tests.paths import DATA, REPO


def sinta_units(n=60):
    return [list(u) for u in _sinta_units(n)]


@lru_cache(maxsize=None)
def _sinta_units(n):
    from pipeline.text.tokens import Normalizer
    from pipeline.text.stopwords import load_stopwords

    normalizer = Normalizer("id", stopwords=load_stopwords("id"))
    units = []
    for line in (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[:n]:
        text = json.loads(line)["abstract"]
        units.append([tok[1] for para in normalizer.normalize(text) for sent in para for tok in sent
                      if tok[2] == "w" and len(tok[1]) >= 3])
    return tuple(tuple(u) for u in units)


def test_fit_chooses_k_within_bounds_and_is_deterministic():
    units = sinta_units()
    a = TopicModel(k_min=3, k_max=8, stability_seeds=1).fit(units)
    b = TopicModel(k_min=3, k_max=8, stability_seeds=1).fit(units)
    assert 3 <= a.n_components_ <= 8
    assert [c["k"] for c in a.candidates_] == list(range(3, 9))
    assert a.to_dict() == b.to_dict()
    best = max(a.candidates_, key=lambda c: c["score"])
    assert best["k"] == a.n_components_


def test_saved_model_places_documents_like_the_fitted_one():
    units = sinta_units()
    model = TopicModel(k_min=4, k_max=4, stability_seeds=0).fit(units)
    reloaded = TopicModel.from_dict(json.loads(json.dumps(model.to_dict())))
    w1, w2 = model.transform(units[:5]), reloaded.transform(units[:5])
    assert np.allclose(w1, w2, atol=1e-5)
    # Placement agrees with the fit: each unit's strongest topic is the same.
    assert (w1.argmax(axis=1) == model.unit_topics_[:5].argmax(axis=1)).mean() >= 0.8


def test_lda_is_selectable_and_reloads():
    units = sinta_units(40)
    model = TopicModel(method="lda", k_min=3, k_max=3, stability_seeds=0).fit(units)
    reloaded = TopicModel.from_dict(model.to_dict())
    assert reloaded.transform(units[:3]).shape == (3, 3)


def test_npmi_prefers_terms_that_occur_together():
    from scipy import sparse

    binary = sparse.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]], float))
    together, apart = npmi_coherence([[0, 1], [0, 2]], binary)
    assert together > 0.9 and apart == -1.0


def test_placing_documents_one_at_a_time_equals_one_batch():
    # The stage places only newly added documents with the saved model; that must agree
    # with placing every document together.
    units = sinta_units()
    model = TopicModel.from_dict(json.loads(json.dumps(
        TopicModel(k_min=5, k_max=5, stability_seeds=0).fit(units[:45]).to_dict())))
    batch = model.transform(units)
    alone = np.vstack([model.transform([u]) for u in units])
    shuffled = model.transform(units[::-1])[::-1]
    assert batch.shape == (60, 5) and (batch >= 0).all() and (batch.sum(axis=1) > 0).all()
    assert np.abs(batch - alone).max() <= 1e-6
    assert np.abs(batch - shuffled).max() <= 1e-6
    # A unit with no known term gets no topic instead of failing.
    assert np.array_equal(model.transform([[], ["\u200b", "zzzzqqq"]]), np.zeros((2, 5)))


def test_placement_is_the_exact_nonnegative_least_squares_fit():
    from scipy.optimize import nnls

    units = sinta_units()
    model = TopicModel(k_min=6, k_max=6, stability_seeds=0).fit(units)
    W = model.transform(units[:20])
    H = np.asarray(model.components_)
    counts, weighted, _, _ = model._vectorize(units)
    for r in range(20):
        exact, _ = nnls(H.T, weighted[r].toarray().ravel())
        assert np.abs(W[r] - exact).max() <= 1e-6


def test_lda_placement_matches_scikit_learn_and_is_row_independent():
    from sklearn.decomposition import LatentDirichletAllocation

    units = sinta_units(40)
    model = TopicModel(method="lda", k_min=3, k_max=3, stability_seeds=0).fit(units)
    counts = model._vectorize(units)[0]
    reference = LatentDirichletAllocation(n_components=3, random_state=0, max_iter=50,
                                          learning_method="batch").fit(counts)
    assert np.allclose(reference.components_, model.components_)
    ours = model.transform(units)
    assert np.abs(ours - reference.transform(counts)).max() <= 1e-6
    assert np.abs(ours - np.vstack([model.transform([u]) for u in units])).max() <= 1e-6


def test_vectorizer_matches_scikit_learn():
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    units = sinta_units()
    counts, weighted, vocabulary, idf = TopicModel()._vectorize(units)
    counter = CountVectorizer(analyzer=lambda tokens: tokens, min_df=2, max_df=0.9)
    reference = counter.fit_transform(units)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(reference)
    assert vocabulary == counter.get_feature_names_out().tolist()
    assert np.allclose(idf, tfidf.idf_)
    assert abs(counts - reference).max() == 0
    assert abs(weighted - tfidf.transform(reference)).max() <= 1e-12


def test_reloading_and_placing_does_not_import_scikit_learn(tmp_path):
    units = sinta_units(40)
    saved = tmp_path / "model.json"
    saved.write_text(json.dumps(TopicModel(k_min=3, k_max=3, stability_seeds=0).fit(units).to_dict()))
    code = ("import json, sys\n"
            "from pipeline.text.topicmodel import TopicModel\n"
            f"m = TopicModel.from_dict(json.loads(open({str(saved)!r}).read()))\n"
            f"w = m.transform([{units[0]!r}])\n"
            "print(w.shape, 'sklearn' in sys.modules, 'scipy' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["(1,", "3)", "False", "False"]


def test_stability_fits_change_the_choice_only_through_their_own_parameter():
    # Stability fits stop early; the model kept is always a full fit.
    units = sinta_units()
    quick = TopicModel(k_min=4, k_max=4, stability_seeds=1, stability_tol=1e-2).fit(units)
    plain = TopicModel(k_min=4, k_max=4, stability_seeds=0).fit(units)
    assert np.array_equal(quick.components_, plain.components_)
    assert 0.0 < quick.candidates_[0]["stability"] <= 1.0


def test_k_is_chosen_on_a_seeded_sample_and_the_model_fitted_on_all_units():
    # Above search_units the k search runs on a sample only; the kept model is one fit of
    # the chosen k on every unit, with the whole corpus's vocabulary.
    units = sinta_units()
    params = dict(k_min=3, k_max=5, stability_seeds=1)
    a = TopicModel(**params, search_units=30).fit(units)
    b = TopicModel(**params, search_units=30).fit(units)
    assert a.to_dict() == b.to_dict()
    sample = a._search_sample(len(units))
    assert len(sample) == a.search_units_ == 30 and list(sample) == sorted(set(sample.tolist()))
    alone = TopicModel(**params, search_units=0).fit([units[i] for i in sample])
    assert a.candidates_ == alone.candidates_ and a.n_components_ == alone.n_components_
    assert a.vocabulary_ == TopicModel()._vectorize(units)[2] != alone.vocabulary_
    assert a.unit_topics_.shape == (60, a.n_components_) and len(a.coherence_) == a.n_components_
    # Another seed draws another sample.
    assert list(TopicModel(random_state=1, search_units=30)._search_sample(60)) != list(sample)
    # At or under the bound the search runs on all units, exactly as without a bound.
    under = TopicModel(**params, search_units=60).fit(units)
    unbounded = TopicModel(**params, search_units=0).fit(units)
    assert under.to_dict()["components"] == unbounded.to_dict()["components"]
    assert under.candidates_ == unbounded.candidates_


def test_counting_in_blocks_equals_counting_at_once():
    from pipeline.text.topicmodel import count_rows, tfidf_rows

    units = sinta_units() + [[], ["zzzzqqq"]]
    vocabulary = TopicModel()._vectorize(units)[2]
    index = {t: i for i, t in enumerate(vocabulary)}
    whole = count_rows(units, index, block=10_000)
    idf = np.linspace(1.0, 3.0, len(vocabulary))
    for block in (1, 7, 61):
        parts = count_rows(units, index, block=block)
        assert all(np.array_equal(x, y) for x, y in zip(whole, parts))
    # TF-IDF rows are the same bits alone as in the batch.
    batch = tfidf_rows(*whole, idf)
    for r in (0, 5, 60, 61):
        alone = count_rows([units[r]], index)
        assert tfidf_rows(*alone, idf).tobytes() == batch[whole[0][r]:whole[0][r + 1]].tobytes()


def test_search_on_threads_gives_the_same_model():
    """The values of k fitted on threads give the model (candidates, topics, saved
    form) of the one-thread search; n_jobs is not saved with the model."""
    import threading

    units = sinta_units()
    one = TopicModel(k_min=2, k_max=7, stability_seeds=1).fit(units)
    seen = set()
    original = TopicModel._factorize

    def factorize(self, *args, **kwargs):
        seen.add(threading.current_thread().name)
        return original(self, *args, **kwargs)

    try:
        TopicModel._factorize = factorize
        three = TopicModel(k_min=2, k_max=7, stability_seeds=1, n_jobs=3).fit(units)
    finally:
        TopicModel._factorize = original
    assert any(name.startswith("topic-k") for name in seen)  # the search did run on threads
    assert three.candidates_ == one.candidates_ and three.n_components_ == one.n_components_
    assert three.to_dict() == one.to_dict()
    assert "n_jobs" not in three.to_dict().get("params", {}) and "n_jobs" not in three.get_params()
