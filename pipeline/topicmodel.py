"""A topic model over token lists that chooses its own number of topics.

Follows the scikit-learn estimator contract: parameters in the constructor, learning
in :meth:`TopicModel.fit`, learned attributes end with ``_``. The fitted model
serialises to plain JSON (:meth:`TopicModel.to_dict`) so it can be saved in
``models/<lang>/`` and reloaded to place a new document without refitting.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.decomposition import NMF, LatentDirichletAllocation, non_negative_factorization
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer


def _identity(tokens):
    # Units arrive already tokenised and stemmed by the normalize stage.
    return tokens


def npmi_coherence(top_term_ids: Sequence[Sequence[int]], binary: sparse.csr_matrix) -> list[float]:
    """Mean normalised PMI of each topic's top terms, from document co-occurrence.

    Parameters
    ----------
    top_term_ids : list of list of int
        Column indices of each topic's top terms.
    binary : sparse matrix, shape (n_units, n_terms)
        1 where a term occurs in a unit.

    Returns
    -------
    list of float
        One score per topic in [-1, 1]; pairs that never co-occur count -1.
    """
    n = binary.shape[0]
    scores = []
    for ids in top_term_ids:
        ids = list(ids)
        if len(ids) < 2:
            scores.append(0.0)
            continue
        sub = binary[:, ids]
        co = (sub.T @ sub).toarray()
        df = np.diag(co)
        total, pairs = 0.0, 0
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                pairs += 1
                joint = co[a, b]
                if joint == 0:
                    total += -1.0
                    continue
                p_ab = joint / n
                if p_ab >= 1.0:
                    total += 1.0
                    continue
                pmi = math.log(p_ab / ((df[a] / n) * (df[b] / n)))
                total += pmi / -math.log(p_ab)
        scores.append(total / pairs)
    return scores


def term_relevance(components: np.ndarray, lam: float) -> np.ndarray:
    """Relevance of every term to every topic (Sievert & Shirley, 2014).

    ``lam * log p(w|t) + (1 - lam) * log(p(w|t) / p(w))``: with ``lam = 1`` terms rank by
    their weight in the topic; lower values favour terms that are also exclusive to it,
    which keeps corpus-wide words (``masyarakat``, ``sistem``) from heading every topic.
    """
    H = np.asarray(components, dtype=np.float64) + 1e-12
    p_w_t = H / H.sum(axis=1, keepdims=True)
    p_w = H.sum(axis=0) / H.sum()
    return lam * np.log(p_w_t) + (1.0 - lam) * np.log(p_w_t / p_w)


def _top_ids(components: np.ndarray, n: int, lam: float = 1.0) -> list[list[int]]:
    ranking = np.asarray(components) if lam >= 1.0 else term_relevance(components, lam)
    # Stable sort so equal scores keep column order: identical output run after run.
    return [list(np.argsort(-row, kind="stable")[:n]) for row in ranking]


class TopicModel:
    """NMF (default) or LDA topic model with the number of topics chosen by coherence.

    Parameters
    ----------
    method : {"nmf", "lda"}
        NMF on TF-IDF, or LDA on counts.
    k_min, k_max : int
        Bounds of the number of topics tried.
    top_terms : int
        Terms per topic used for coherence and descriptions.
    relevance_lambda : float
        How topic terms are ranked for coherence, labels and descriptions: 1 ranks by
        weight in the topic, lower values also reward exclusivity (see
        :func:`term_relevance`).
    stability_seeds : int
        Extra randomly initialised fits per k whose agreement with the main fit
        (mean best-match Jaccard of top terms) measures stability; 0 disables it.
    stability_weight : float
        Weight of stability next to coherence when choosing k.
    min_df : int
        Minimum number of units a term must occur in (lowered to 1 for tiny corpora).
    max_df : float
        Maximum share of units a term may occur in.
    random_state : int
        Seed of every random choice.
    max_iter : int
        Iterations of the solver.
    """

    def __init__(self, method: str = "nmf", k_min: int = 2, k_max: int = 10, top_terms: int = 10,
                 relevance_lambda: float = 0.6, stability_seeds: int = 2, stability_weight: float = 0.25,
                 min_df: int = 2,
                 max_df: float = 0.9, random_state: int = 0, max_iter: int = 400):
        self.method = method
        self.k_min = k_min
        self.k_max = k_max
        self.top_terms = top_terms
        self.relevance_lambda = relevance_lambda
        self.stability_seeds = stability_seeds
        self.stability_weight = stability_weight
        self.min_df = min_df
        self.max_df = max_df
        self.random_state = random_state
        self.max_iter = max_iter

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "method", "k_min", "k_max", "top_terms", "relevance_lambda", "stability_seeds", "stability_weight",
            "min_df", "max_df", "random_state", "max_iter")}

    # -- fitting -----------------------------------------------------------------
    def _vectorize(self, units: list[list[str]]):
        min_df = self.min_df if len(units) >= 4 * self.min_df else 1
        counter = CountVectorizer(analyzer=_identity, min_df=min_df, max_df=self.max_df
                                  if len(units) > 10 else 1.0)
        counts = counter.fit_transform(units)
        vocabulary = counter.get_feature_names_out().tolist()
        tfidf = TfidfTransformer(sublinear_tf=True)
        weighted = tfidf.fit_transform(counts)
        return counts, weighted, vocabulary, tfidf.idf_

    def _factorize(self, X, k: int, seed: int, init: str):
        if self.method == "lda":
            model = LatentDirichletAllocation(n_components=k, random_state=seed,
                                              max_iter=min(self.max_iter, 50), learning_method="batch")
            W = model.fit_transform(X)
            return W, model.components_
        model = NMF(n_components=k, init=init, random_state=seed, max_iter=self.max_iter,
                    solver="cd", beta_loss="frobenius")
        with warnings.catch_warnings():
            # A solver that stops at max_iter still gives usable, deterministic topics.
            warnings.simplefilter("ignore", ConvergenceWarning)
            W = model.fit_transform(X)
        return W, model.components_

    def fit(self, units: list[list[str]]) -> "TopicModel":
        """Fit on tokenised units (documents or paragraphs) and choose k.

        Parameters
        ----------
        units : list of list of str
            Normalised tokens of each unit.

        Returns
        -------
        self
        """
        counts, weighted, vocabulary, idf = self._vectorize(units)
        X = counts if self.method == "lda" else weighted
        binary = (counts > 0).astype(np.float64).tocsr()
        n_units, n_terms = X.shape
        upper = min(self.k_max, n_units - 1, n_terms - 1)
        ks = list(range(self.k_min, upper + 1)) or [max(1, min(self.k_min, upper, n_units))]
        main_init = "nndsvda" if self.method == "nmf" else "random"
        candidates = []
        best = None
        for k in ks:
            W, H = self._factorize(X, k, self.random_state, main_init)
            top = _top_ids(H, self.top_terms, self.relevance_lambda)
            coherence = float(np.mean(npmi_coherence(top, binary)))
            stability = self._stability(X, k, top)
            score = coherence + self.stability_weight * stability
            candidates.append({"k": k, "coherence": round(coherence, 6),
                               "stability": round(stability, 6), "score": round(score, 6)})
            # Ties go to the smaller k: fewer topics are easier to read.
            if best is None or score > best[0] + 1e-12:
                best = (score, k, W, H)
        _, k, W, H = best
        self.vocabulary_ = vocabulary
        self.idf_ = [float(v) for v in idf]
        self.components_ = H
        self.n_components_ = k
        self.candidates_ = candidates
        self.unit_topics_ = W
        self.coherence_ = npmi_coherence(_top_ids(H, self.top_terms, self.relevance_lambda), binary)
        return self

    def _stability(self, X, k: int, top: list[list[int]]) -> float:
        if self.stability_seeds <= 0 or k < 1:
            return 0.0
        reference = [set(t) for t in top]
        agreements = []
        for offset in range(1, self.stability_seeds + 1):
            _, H = self._factorize(X, k, self.random_state + offset, "random")
            other = [set(t) for t in _top_ids(H, self.top_terms, self.relevance_lambda)]
            for ref in reference:
                agreements.append(max(len(ref & o) / len(ref | o) for o in other))
        return float(np.mean(agreements))

    # -- applying ------------------------------------------------------------------
    def _matrix(self, units: list[list[str]]):
        index = {term: i for i, term in enumerate(self.vocabulary_)}
        rows, cols, vals = [], [], []
        for r, unit in enumerate(units):
            counts: dict[int, int] = {}
            for tok in unit:
                j = index.get(tok)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j in sorted(counts):
                rows.append(r)
                cols.append(j)
                vals.append(counts[j])
        counts = sparse.csr_matrix((vals, (rows, cols)), shape=(len(units), len(self.vocabulary_)),
                                   dtype=np.float64)
        if self.method == "lda":
            return counts
        weighted = counts.copy()
        weighted.data = 1.0 + np.log(weighted.data)
        weighted = weighted @ sparse.diags(np.asarray(self.idf_))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ weighted

    def transform(self, units: list[list[str]]) -> np.ndarray:
        """Topic weights of new units under the fitted topics (no refit).

        Returns
        -------
        ndarray, shape (n_units, n_components_)
        """
        X = self._matrix(units)
        H = np.asarray(self.components_)
        if self.method == "lda":
            model = LatentDirichletAllocation(n_components=self.n_components_)
            model.components_ = H
            model.exp_dirichlet_component_ = np.exp(
                _dirichlet_expectation(H))
            model.doc_topic_prior_ = 1.0 / self.n_components_
            model.n_features_in_ = H.shape[1]
            return model.transform(X)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            W, _, _ = non_negative_factorization(
                X, H=H, n_components=self.n_components_, init="custom", update_H=False,
                solver="cd", max_iter=self.max_iter, random_state=self.random_state)
        return W

    def top_terms_of(self, topic: int, n: int | None = None) -> list[tuple[str, float]]:
        """A topic's top terms (ranked by relevance) and their weights in the topic."""
        H = np.asarray(self.components_)
        ids = _top_ids(H, n or self.top_terms, self.relevance_lambda)[topic]
        row = H[topic]
        return [(self.vocabulary_[i], float(row[i])) for i in ids if row[i] > 0]

    # -- persistence -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Parameters and learned state as JSON-serialisable values."""
        return {
            "params": self.get_params(),
            "n_components": int(self.n_components_),
            "vocabulary": list(self.vocabulary_),
            "idf": [round(v, 8) for v in self.idf_],
            "components": [[round(float(v), 8) for v in row] for row in np.asarray(self.components_)],
            "candidates": self.candidates_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TopicModel":
        """Rebuild a fitted model saved with :meth:`to_dict`."""
        model = cls(**data["params"])
        model.n_components_ = data["n_components"]
        model.vocabulary_ = list(data["vocabulary"])
        model.idf_ = list(data["idf"])
        model.components_ = np.asarray(data["components"], dtype=np.float64)
        model.candidates_ = data.get("candidates", [])
        return model


def _dirichlet_expectation(alpha: np.ndarray) -> np.ndarray:
    from scipy.special import psi

    return psi(alpha) - psi(np.sum(alpha, axis=1))[:, np.newaxis]
