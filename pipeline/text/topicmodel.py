"""A topic model over token lists that chooses its own number of topics.

Follows the scikit-learn estimator contract: parameters in the constructor, learning
in :meth:`TopicModel.fit`, learned attributes end with ``_``. The fitted model
serialises to plain JSON (:meth:`TopicModel.to_dict`) so it can be saved in
``models/<lang>/`` and reloaded to place a new document without refitting.

Only :meth:`TopicModel.fit` needs scikit-learn and SciPy, and imports them when called:
reloading a model and placing documents (:meth:`TopicModel.from_dict`,
:meth:`TopicModel.transform`) use NumPy alone (SciPy's digamma for LDA), so a process
that only places one new document does not pay for importing them.
"""

from __future__ import annotations

import warnings
from array import array
from collections import Counter
from numbers import Integral
from typing import Any, Sequence

import numpy as np


def npmi_coherence(top_term_ids: Sequence[Sequence[int]], binary) -> list[float]:
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
    topics = [[int(i) for i in ids] for ids in top_term_ids]
    union = sorted({i for ids in topics for i in ids})
    if not union or n == 0:
        return [0.0 for _ in topics]
    # One co-occurrence product over the terms of all topics instead of one per topic.
    sub = binary[:, union]
    co = sub.T @ sub
    co = np.asarray(co.toarray() if hasattr(co, "toarray") else co, dtype=np.float64)
    position = {term: p for p, term in enumerate(union)}
    scores = []
    for ids in topics:
        if len(ids) < 2:
            scores.append(0.0)
            continue
        at = np.array([position[i] for i in ids])
        pair_a, pair_b = np.triu_indices(len(ids), k=1)
        joint = co[at[pair_a], at[pair_b]]
        df_a, df_b = co[at[pair_a], at[pair_a]], co[at[pair_b], at[pair_b]]
        p_ab = joint / n
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log(p_ab / ((df_a / n) * (df_b / n)))
            npmi = pmi / -np.log(p_ab)
        # Never together: -1; together in every unit: 1 (the ratio is 0/0 there).
        npmi = np.where(joint == 0, -1.0, np.where(p_ab >= 1.0, 1.0, npmi))
        scores.append(float(npmi.sum() / len(npmi)))
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


def count_rows(units: Sequence[Sequence[str]], index: dict[str, int], block: int = 2048):
    """Term counts of units in CSR form: sorted columns per row, unknown terms dropped.

    Counted ``block`` units at a time, so the scratch arrays of the count stay small
    whatever the number of units (the result does not depend on ``block``).

    Returns
    -------
    indptr : ndarray of int, shape (n_units + 1,)
    columns : ndarray of int32 (int64 beyond 2**31 terms)
    counts : ndarray of float
    """
    n_terms = max(len(index), 1)
    parts = [_count_block(units[a:a + block], index, n_terms) for a in range(0, len(units), block)]
    if not parts:
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=_column_dtype(n_terms)), np.zeros(0)
    if len(parts) == 1:
        return parts[0]
    # Rows are independent: blocks joined end to end are the rows counted all at once.
    offsets = np.cumsum([0] + [p[0][-1] for p in parts[:-1]])
    indptr = np.concatenate([parts[0][0][:1]] + [p[0][1:] + o for p, o in zip(parts, offsets)])
    return (indptr, np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts]))


def _count_block(units: Sequence[Sequence[str]], index: dict[str, int], n_terms: int):
    # Term ids gathered in a typed array (8 bytes a token, not a Python int each), one
    # length per unit.
    found = array("q")
    lengths = np.zeros(len(units), dtype=np.int64)
    for r, unit in enumerate(units):
        before = len(found)
        found.extend(j for j in map(index.get, unit) if j is not None)
        lengths[r] = len(found) - before
    keys = np.frombuffer(found, dtype=np.int64) if len(found) else np.zeros(0, dtype=np.int64)
    keys = np.repeat(np.arange(len(units), dtype=np.int64) * n_terms, lengths) + keys
    del found
    # Row-major keys: one sort counts every (unit, term) pair, in column order per row.
    unique, counts = np.unique(keys, return_counts=True)
    del keys
    rows, columns = np.divmod(unique, n_terms)
    indptr = np.zeros(len(units) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(units)), out=indptr[1:])
    # 32-bit column ids, as SciPy keeps them: its matrices then share this array.
    return indptr, columns.astype(_column_dtype(n_terms)), counts.astype(np.float64)


def _column_dtype(n_terms: int):
    return np.int32 if n_terms < 2**31 else np.int64


def tfidf_rows(indptr: np.ndarray, columns: np.ndarray, counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """TF-IDF values of count rows as scikit-learn's ``TfidfTransformer(sublinear_tf=True)``.

    ``1 + log(count)`` times idf, each row divided by its Euclidean norm. Every row is
    computed from its own values only, its squares summed one by one in column order
    (scikit-learn's order; the zero padding of shorter rows adds nothing), so a unit gets
    the same vector alone or within any batch, in the fit and when placed later.
    """
    # In place where possible: at 28,670 documents each temporary is 12 MB.
    values = np.log(counts)
    values += 1.0
    values *= idf[columns]
    lengths = np.diff(indptr)
    if not len(values):
        return values
    squares = values * values
    # Position p of every row that has one, rows longest first: the rows still summing
    # at position p are a prefix of that order. Each row's squares are added one by one
    # in column order, as before with a zero-padded (units x longest row) matrix, but
    # without it (at 28,670 documents that matrix alone took tens of MB).
    order = np.argsort(-lengths, kind="stable")
    starts = indptr[:-1][order]
    longer = np.bincount(lengths, minlength=int(lengths.max()) + 1)[::-1].cumsum()[::-1]
    total = np.zeros(len(lengths))
    for p in range(int(lengths.max())):
        m = int(longer[p + 1])
        total[:m] += squares[starts[:m] + p]
    del squares
    norm = np.zeros(len(lengths))
    norm[order] = np.sqrt(total)
    norm[norm == 0] = 1.0
    values /= np.repeat(norm, lengths)
    return values


def nnls_rows(B: np.ndarray, gram: np.ndarray, tol: float = 1e-12, max_sweeps: int = 10000) -> np.ndarray:
    """Solve ``min_w 0.5 w·G·w - b·w, w >= 0`` for every row ``b`` of ``B``, independently.

    Cyclic coordinate descent, vectorised over rows but stopped row by row (a row stops
    when no weight of it moves by more than ``tol`` times its largest weight in a full
    sweep), so a row's answer does not depend on the rows beside it. With ``B = X·Hᵀ``
    and ``G = H·Hᵀ`` this is the non-negative least-squares placement of ``X`` on the
    topics ``H``.

    Parameters
    ----------
    B : ndarray, shape (n_rows, k)
    gram : ndarray, shape (k, k), symmetric positive semi-definite
    tol : float
        Relative change below which a row has converged.
    max_sweeps : int
        Safety bound on full sweeps over the k coordinates.

    Returns
    -------
    ndarray, shape (n_rows, k)
    """
    B = np.asarray(B, dtype=np.float64)
    n, k = B.shape
    W = np.zeros((n, k))
    diag = np.diag(gram).copy()
    usable = [j for j in range(k) if diag[j] > 0]
    active = np.flatnonzero(np.abs(B).max(axis=1) > 0) if n and k else np.zeros(0, dtype=np.int64)
    for _ in range(max_sweeps):
        if not active.size:
            break
        Wa, Ba = W[active], B[active]
        change = np.zeros(len(active))
        for j in usable:
            # Row-wise dot products (not one matrix product) keep each row's arithmetic alone.
            grad = (Wa * gram[j]).sum(axis=1) - Ba[:, j]
            new = np.maximum(0.0, Wa[:, j] - grad / diag[j])
            np.maximum(change, np.abs(new - Wa[:, j]), out=change)
            Wa[:, j] = new
        W[active] = Wa
        scale = Wa.max(axis=1)
        converged = change <= tol * np.where(scale > 0, scale, 1.0)
        active = active[~converged]
    return W


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
    stability_tol : float
        Stopping tolerance of the stability fits (NMF only; the kept fit uses
        scikit-learn's default 1e-4). They only supply top terms, which settle before
        the weights do, so a looser tolerance gives the same stability scores for less
        solver time. They are never used as the model.
    min_df : int
        Minimum number of units a term must occur in (lowered to 1 for tiny corpora).
    max_df : float
        Maximum share of units a term may occur in.
    random_state : int
        Seed of every random choice.
    max_iter : int
        Iterations of the solver.
    search_units : int
        Most units the choice of k is made on. A larger corpus chooses k on a seeded
        random sample of this many units (every fit of the search, stability fits
        included, runs on the sample, vectorised on its own as if it were the corpus),
        then fits the model of the chosen k once on all units. 0: always search on all.
        The search is most of a fit's cost: this bounds it whatever the corpus size.
    n_jobs : int
        Threads the search fits its values of k on (scikit-learn's NMF solver
        releases the GIL, so threads shorten the search). An execution setting, not a parameter of the model:
        the result is the same for any value, so it is not saved with the model
        nor part of :meth:`get_params`.
    """

    def __init__(self, method: str = "nmf", k_min: int = 2, k_max: int = 10, top_terms: int = 10,
                 relevance_lambda: float = 0.6, stability_seeds: int = 2, stability_weight: float = 0.25,
                 stability_tol: float = 1e-3, min_df: int = 2,
                 max_df: float = 0.9, random_state: int = 0, max_iter: int = 400,
                 search_units: int = 4000, n_jobs: int = 1):
        self.method = method
        self.k_min = k_min
        self.k_max = k_max
        self.top_terms = top_terms
        self.relevance_lambda = relevance_lambda
        self.stability_seeds = stability_seeds
        self.stability_weight = stability_weight
        self.stability_tol = stability_tol
        self.min_df = min_df
        self.max_df = max_df
        self.random_state = random_state
        self.max_iter = max_iter
        self.search_units = search_units
        self.n_jobs = n_jobs

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "method", "k_min", "k_max", "top_terms", "relevance_lambda", "stability_seeds", "stability_weight",
            "stability_tol", "min_df", "max_df", "random_state", "max_iter", "search_units")}

    # -- fitting -----------------------------------------------------------------
    def _vectorize(self, units: list[list[str]]):
        """Counts, TF-IDF, vocabulary and idf of the units.

        Same vocabulary rules and weights as scikit-learn's ``CountVectorizer`` (sorted
        terms, ``min_df``/``max_df`` pruning) and ``TfidfTransformer(sublinear_tf=True)``
        (smoothed idf), built directly: faster, and the rows come from
        :func:`count_rows` and :func:`tfidf_rows`, the very code :meth:`transform` uses.
        """
        from scipy import sparse

        n = len(units)
        min_df = self.min_df if n >= 4 * self.min_df else 1
        max_df = self.max_df if n > 10 else 1.0
        high = max_df if isinstance(max_df, Integral) else max_df * n
        low = min_df if isinstance(min_df, Integral) else min_df * n
        if high < low:
            raise ValueError("max_df corresponds to fewer units than min_df")
        df = Counter(term for unit in units for term in set(unit))
        vocabulary = sorted(term for term, count in df.items() if low <= count <= high)
        if not vocabulary:
            raise ValueError("no terms left after min_df/max_df pruning")
        index = {term: j for j, term in enumerate(vocabulary)}
        dfs = np.array([df[term] for term in vocabulary], dtype=np.float64)
        idf = np.log((n + 1.0) / (dfs + 1.0)) + 1.0
        indptr, columns, counts = count_rows(units, index)
        shape = (n, len(vocabulary))
        weighted = sparse.csr_matrix((tfidf_rows(indptr, columns, counts, idf), columns, indptr), shape=shape)
        counts = sparse.csr_matrix((counts, columns, indptr), shape=shape)
        return counts, weighted, vocabulary, idf

    def _factorize(self, X, k: int, seed: int, init: str, tol: float = 1e-4):
        from sklearn.exceptions import ConvergenceWarning

        if self.method == "lda":
            from sklearn.decomposition import LatentDirichletAllocation

            model = LatentDirichletAllocation(n_components=k, random_state=seed,
                                              max_iter=min(self.max_iter, 50), learning_method="batch")
            W = model.fit_transform(X)
            return W, model.components_
        from sklearn.decomposition import NMF

        model = NMF(n_components=k, init=init, random_state=seed, max_iter=self.max_iter, tol=tol,
                    solver="cd", beta_loss="frobenius")
        with warnings.catch_warnings():
            # A solver that stops at max_iter still gives usable, deterministic topics.
            warnings.simplefilter("ignore", ConvergenceWarning)
            W = model.fit_transform(X)
        return W, model.components_

    def fit(self, units: list[list[str]]) -> "TopicModel":
        """Fit on tokenised units (documents or paragraphs) and choose k.

        With more than ``search_units`` units, k is chosen on a seeded sample of that
        many and the model of that k is then fitted once on all units.

        Parameters
        ----------
        units : list of list of str
            Normalised tokens of each unit.

        Returns
        -------
        self
        """
        from sklearn.exceptions import ConvergenceWarning

        # Set here, in the calling thread, for the whole fit: the search over k runs on
        # threads, and a filter each thread sets and restores for itself races with the
        # others (one restores the filters while another still fits), which let a solver's
        # ConvergenceWarning reach the user. A solver stopped at max_iter still gives
        # usable, deterministic topics.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self._fit(units)

    def _fit(self, units: list[list[str]]) -> "TopicModel":
        # Import the solvers first: threadpoolctl limits only the BLAS/OpenMP libraries
        # already loaded, and SciPy's own BLAS loads with them.
        import sklearn.decomposition  # noqa: F401
        from threadpoolctl import threadpool_limits

        # The matrices are small: threaded BLAS only spins (it cost half the CPU time of
        # a fit on 2,865 abstracts) and the pipeline already runs steps in parallel.
        with threadpool_limits(limits=1):
            return self._fit(units)

    def _fit(self, units: list[list[str]]) -> "TopicModel":
        n_units = len(units)
        sample = self._search_sample(n_units)
        if sample is None:
            # Search on all units: the kept model is the search's own fit of the best k.
            X, binary, vocabulary, idf = self._matrices(units)
            candidates, (_, k, W, H, top) = self._search(X, binary)
        else:
            X, binary, _, _ = self._matrices([units[i] for i in sample])
            candidates, (_, k, _, _, _) = self._search(X, binary)
            # The sample's matrices go before the full ones are built: never both at once.
            del X, binary
            X, binary, vocabulary, idf = self._matrices(units)
            k = max(1, min(k, X.shape[1]))
            W, H = self._factorize(X, k, self.random_state, self._main_init())
            top = _top_ids(H, self.top_terms, self.relevance_lambda)
        del X
        self.vocabulary_ = vocabulary
        self.idf_ = [float(v) for v in idf]
        self.components_ = H
        self.n_components_ = k
        self.candidates_ = candidates
        self.unit_topics_ = W
        self.search_units_ = n_units if sample is None else len(sample)
        self.coherence_ = npmi_coherence(top, binary)
        return self

    def _search_sample(self, n_units: int) -> np.ndarray | None:
        """Sorted indices of the units the k search runs on; None for all of them."""
        if not self.search_units or n_units <= self.search_units:
            return None
        # A seeded draw without replacement, in corpus order: the same corpus and seed
        # always search on the same units.
        rng = np.random.RandomState(self.random_state)
        return np.sort(rng.choice(n_units, size=int(self.search_units), replace=False))

    def _main_init(self) -> str:
        return "nndsvda" if self.method == "nmf" else "random"

    def _matrices(self, units: list[list[str]]):
        """The matrix the model factorises, the unit-term incidence (CSR) for coherence,
        the vocabulary and the idf."""
        from scipy import sparse

        counts, weighted, vocabulary, idf = self._vectorize(units)
        X = counts if self.method == "lda" else weighted
        # Shares the structure of the counts; 32-bit integer ones count co-occurrences
        # exactly, at half the size of floats.
        binary = sparse.csr_matrix((np.ones(counts.nnz, dtype=np.int32), counts.indices, counts.indptr),
                                   shape=counts.shape)
        return X, binary, vocabulary, idf

    def _search(self, X, binary):
        """Fit every k in ``k_min..k_max`` on ``X`` and score it.

        Returns
        -------
        candidates : list of dict
            k, coherence, stability and score of every k tried.
        best : tuple
            ``(score, k, W, H, top term ids)`` of the best k.
        """
        n_units, n_terms = X.shape
        upper = min(self.k_max, n_units - 1, n_terms - 1)
        ks = list(range(self.k_min, upper + 1)) or [max(1, min(self.k_min, upper, n_units))]

        def try_k(k: int):
            W, H = self._factorize(X, k, self.random_state, self._main_init())
            top = _top_ids(H, self.top_terms, self.relevance_lambda)
            coherence = float(np.mean(npmi_coherence(top, binary)))
            stability = self._stability(X, k, top)
            return k, W, H, top, coherence, stability

        threads = max(1, min(int(self.n_jobs or 1), len(ks)))
        if threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            # Each k is fitted from its own seeds: the same fits in any order, read
            # back here in the order of k.
            pool = ThreadPoolExecutor(threads, thread_name_prefix="topic-k")
            tried = pool.map(try_k, ks)
        else:
            pool, tried = None, map(try_k, ks)
        candidates = []
        best = None
        try:
            for k, W, H, top, coherence, stability in tried:
                score = coherence + self.stability_weight * stability
                candidates.append({"k": k, "coherence": round(coherence, 6),
                                   "stability": round(stability, 6), "score": round(score, 6)})
                # Ties go to the smaller k: fewer topics are easier to read.
                if best is None or score > best[0] + 1e-12:
                    best = (score, k, W, H, top)
                del W, H
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)  # on an error, fits not yet begun are dropped
        return candidates, best

    def _stability(self, X, k: int, top: list[list[int]]) -> float:
        if self.stability_seeds <= 0 or k < 1:
            return 0.0
        reference = [set(t) for t in top]
        agreements = []
        for offset in range(1, self.stability_seeds + 1):
            _, H = self._factorize(X, k, self.random_state + offset, "random", self.stability_tol)
            other = [set(t) for t in _top_ids(H, self.top_terms, self.relevance_lambda)]
            for ref in reference:
                agreements.append(max(len(ref & o) / len(ref | o) for o in other))
        return float(np.mean(agreements))

    # -- applying ------------------------------------------------------------------
    def _rows(self, units: list[list[str]]):
        # The term index is built once per vocabulary, not on every call.
        cached = getattr(self, "_term_index", None)
        if cached is None or cached[0] is not self.vocabulary_:
            cached = self._term_index = (self.vocabulary_, {t: i for i, t in enumerate(self.vocabulary_)})
        index = cached[1]
        idf = None if self.method == "lda" else np.asarray(self.idf_, dtype=np.float64)
        indptr, columns, counts = count_rows(units, index)
        values = counts if idf is None else tfidf_rows(indptr, columns, counts, idf)
        return indptr, columns, values

    def transform(self, units: list[list[str]]) -> np.ndarray:
        """Topic weights of new units under the fitted topics (no refit).

        Each unit is placed on its own: NMF weights are the exact non-negative
        least-squares fit of the unit's TF-IDF vector by the topics (:func:`nnls_rows`),
        LDA weights the per-document variational inference of scikit-learn's
        ``LatentDirichletAllocation.transform``. A unit placed alone gets the same weights
        as within any batch, so placing only new documents agrees with placing all.

        Returns
        -------
        ndarray, shape (n_units, n_components_)
        """
        H = np.asarray(self.components_, dtype=np.float64)
        indptr, columns, values = self._rows(units)
        if self.method == "lda":
            return _lda_doc_topics(indptr, columns, values, H)
        # Each row of B = X·Hᵀ, summed over that row's own terms only.
        B = np.zeros((len(units), H.shape[0]))
        for r in range(len(units)):
            a, b = indptr[r], indptr[r + 1]
            if b > a:
                B[r] = H[:, columns[a:b]] @ values[a:b]
        return nnls_rows(B, H @ H.T)

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
        # Parameters this version does not know (a model saved by another version) do
        # not matter for placing documents: ignore them rather than refuse the model.
        known = set(cls().get_params())
        model = cls(**{name: value for name, value in data["params"].items() if name in known})
        model.n_components_ = data["n_components"]
        model.vocabulary_ = list(data["vocabulary"])
        model.idf_ = list(data["idf"])
        model.components_ = np.asarray(data["components"], dtype=np.float64)
        model.candidates_ = data.get("candidates", [])
        return model


def _dirichlet_expectation(alpha: np.ndarray) -> np.ndarray:
    from scipy.special import psi

    if alpha.ndim == 1:
        return psi(alpha) - psi(np.sum(alpha))
    return psi(alpha) - psi(np.sum(alpha, axis=1))[:, np.newaxis]


def _lda_doc_topics(indptr, columns, counts, components: np.ndarray, max_iter: int = 100,
                    mean_change_tol: float = 1e-3) -> np.ndarray:
    """Normalised document-topic distributions, one document at a time.

    The E-step of scikit-learn's online LDA (Hoffman et al., 2010) as run by
    ``LatentDirichletAllocation.transform``: prior ``1/k``, start at ones, stop per
    document when the mean change falls below ``mean_change_tol``.
    """
    k = components.shape[0]
    prior = 1.0 / k
    exp_topic_word = np.exp(_dirichlet_expectation(components))
    n = len(indptr) - 1
    out = np.ones((n, k))
    eps = np.finfo(np.float64).eps
    for r in range(n):
        a, b = indptr[r], indptr[r + 1]
        doc_topic = np.ones(k)
        if b > a:
            cnts = counts[a:b]
            exp_doc_topic = np.exp(_dirichlet_expectation(doc_topic))
            beta = exp_topic_word[:, columns[a:b]]
            for _ in range(max_iter):
                last = doc_topic
                norm_phi = exp_doc_topic @ beta + eps
                doc_topic = exp_doc_topic * ((cnts / norm_phi) @ beta.T) + prior
                exp_doc_topic = np.exp(_dirichlet_expectation(doc_topic))
                if np.mean(np.abs(last - doc_topic)) < mean_change_tol:
                    break
        out[r] = doc_topic / doc_topic.sum()
    return out
