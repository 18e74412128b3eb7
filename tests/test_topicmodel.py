"""The topic model estimator on real abstracts: choice of k, determinism, save and reload."""

from __future__ import annotations

import json

import numpy as np

from pipeline.topicmodel import TopicModel, npmi_coherence

from .conftest import DATA


def sinta_units(n=60):
    from pipeline.text.tokens import Normalizer
    from pipeline.text.stopwords import load_stopwords

    normalizer = Normalizer("id", stopwords=load_stopwords("id"))
    units = []
    for line in (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[:n]:
        text = json.loads(line)["abstract"]
        units.append([tok[1] for para in normalizer.normalize(text) for sent in para for tok in sent
                      if tok[2] == "w" and len(tok[1]) >= 3])
    return units


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
