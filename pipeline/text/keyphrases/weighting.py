"""Candidate weighting: the features and priors :class:`KeyphraseExtractor` scores with.

Every feature is one named method of :class:`CandidateWeighting` (the extractor's
base class), its formula in its docstring; they read the extractor's parameters
and what ``fit`` learnt from the corpus (``n_docs_``, ``df_``, the author-keyword
counts ``kp_*_``, ``length_*_``, ``nest_*_``, ``cue_*_``, ``edge_df_``):

* :meth:`CandidateWeighting.score`: the document's own evidence (section-weighted
  frequency, idf, position, spread, title, length, verb penalty);
* :meth:`CandidateWeighting._keyphraseness`, :meth:`CandidateWeighting._word_keyphraseness`:
  how often the authors of other documents chose the phrase or its words;
* the priors learnt from the corpus's author keywords, each falling back to the
  reference counts of :data:`NEST_REFERENCE_PATH` when the corpus has too few of
  them: length (:meth:`CandidateWeighting._length_factors`), nesting
  (:meth:`CandidateWeighting._nest_factors`) and cue (:meth:`CandidateWeighting._cue_factors`);
* generic words, which keep a term beside the longer phrase that frames it
  (:meth:`CandidateWeighting._is_generic`);
* the echo in the document's other language (:func:`echoed`) and the PositionRank
  word scores (:func:`graph_scores`).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import lru_cache

from ..resources import resource_path
from .base import Candidate, is_acronym, letter_count, nested_keys, token_ok
from .candidates import is_phrase_word, load_cue_words

__all__ = [
    "N_LENGTHS",
    "NEST_REFERENCE_PATH",
    "load_nest_reference",
    "load_cue_reference",
    "echoed",
    "graph_scores",
    "CandidateWeighting",
]

#: Weight of one occurrence per section kind.  Titles and abstracts are where
#: authors state what a paper is about; a long body repeats background terms.
_DEFAULT_SECTION_WEIGHTS = {"title": 2.0, "abstract": 2.0, "keywords": 0.0, "body": 1.0}


#: Phrase lengths told apart by the length prior: 1, 2, 3, 4 or more words.
N_LENGTHS = 4

#: The length prior needs at least this many author keywords of other documents.
_MIN_LENGTH_KEYWORDS = 20
#: Strength, in candidates, of the prior that shrinks the cue prior's shares towards the
#: base rate (see KeyphraseExtractor._cue_factors).
_CUE_PRIOR_CANDIDATES = 50.0


# ---------------------------------------------------------------------------
# the reference counts of the priors


#: Reference counts of the nesting prior, for a corpus with too few author keywords
#: of its own (built by ``benchmarks/nest_prior_reference.py``; see that script).
NEST_REFERENCE_PATH = resource_path("keywords_nest_prior.json")


def _reference_entry(lang: str) -> dict:
    """The counts of ``lang`` in :data:`NEST_REFERENCE_PATH`; empty when the file is
    missing or malformed, or has none for the language."""
    try:
        data = json.loads(NEST_REFERENCE_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entry = data.get(lang) if isinstance(data, dict) else None
    return entry if isinstance(entry, dict) else {}


@lru_cache(maxsize=4)
def load_nest_reference(lang: str):
    """``(candidates, chosen)`` of the reference nesting prior for ``lang``, each a
    list per phrase length (1, 2, 3, 4+) of ``[not nested, nested]`` counts; None
    for a language it has no counts for (or when the file is missing or malformed)."""
    data = _reference_entry(lang)
    try:
        cand = [[int(v) for v in row] for row in data["candidates"]]
        chosen = [[int(v) for v in row] for row in data["chosen"]]
    except (ValueError, KeyError, TypeError):
        return None
    if len(cand) != N_LENGTHS or len(chosen) != N_LENGTHS or \
            any(len(row) != 2 for row in cand + chosen):
        return None
    return cand, chosen


@lru_cache(maxsize=4)
def load_cue_reference(lang: str):
    """``(candidates, chosen)`` of the reference cue prior for ``lang``, each
    ``[not named, named]`` counts (the ``cue_candidates`` / ``cue_chosen`` of
    :data:`NEST_REFERENCE_PATH`); None when missing or malformed."""
    data = _reference_entry(lang)
    try:
        cand = [int(v) for v in data["cue_candidates"]]
        chosen = [int(v) for v in data["cue_chosen"]]
    except (ValueError, KeyError, TypeError):
        return None
    return (cand, chosen) if len(cand) == 2 and len(chosen) == 2 else None


# ---------------------------------------------------------------------------
# features of their own


#: A word at least this common in everyday Indonesian or English (Zipf 4: ten per
#: million words, wordfreq) is no technical term: shared vocabulary ("formal",
#: "internet", "semester") is written the same way in both abstracts anyway, and an
#: everyday English word ("process", "strategy") turns up in an Indonesian text inside
#: a quoted title or a term ("process tracing") more often than as a term of its own.
_ECHO_COMMON_ZIPF = 4.0


def echoed(cand: Candidate, echo: frozenset, zipf: dict) -> bool:
    """Whether a candidate is written the same way in the other language's text, is
    not a name (every word capitalised wherever it occurs, and not an acronym) and
    holds a word that is an everyday word of neither language (``_ECHO_COMMON_ZIPF``;
    ``zipf``: :func:`pipeline.text.langid.load_word_frequencies`)."""
    surfaces = [surface for surface in (s.lower() for s in cand.surfaces) if surface in echo]
    if not surfaces:
        return False
    words = [w for surface in cand.surfaces for w in surface.split(" ")]
    if all(w[:1].isupper() for w in words) and not all(is_acronym(w) for w in words):
        return False  # never written in lower case: a name
    # a number is written the same way in every language: it is no evidence either
    return any(max(zipf.get(w, (0.0, 0.0))) < _ECHO_COMMON_ZIPF
               for surface in surfaces for w in surface.split(" ") if letter_count(w))


def graph_scores(parts: list, lang: str, phrase_words=frozenset(), window: int = 3,
                 damping: float = 0.85, iterations: int = 30) -> dict:
    """PositionRank-style word scores of one document, scaled to a maximum of 1.

    Words (lowercased norms of the tokens that can be part of a candidate)
    are nodes; two words are linked when they occur within ``window`` tokens
    of each other in a sentence, weighted by how often.  A PageRank biased
    toward words that occur early and often (Florescu & Caragea, ACL 2017:
    each occurrence at token position ``i`` adds ``1 / (i + 1)``) ranks them:
    central, early words are what the text is about.
    """
    bias: dict = {}
    edges: dict = {}
    offset = 0
    for _, paragraphs in parts:
        for paragraph in paragraphs:
            for sentence in paragraph:
                seen = []  # (position, word) of eligible tokens of this sentence
                for i, token in enumerate(sentence):
                    eligible = (token[2] == "w" or (phrase_words and is_phrase_word(token, phrase_words))) \
                        and token_ok(token, lang)
                    if not eligible:
                        continue
                    word = token[1].lower()
                    bias[word] = bias.get(word, 0.0) + 1.0 / (offset + i + 1)
                    for j, other in reversed(seen):
                        if i - j >= window:
                            break
                        if other != word:
                            pair = (other, word) if other < word else (word, other)
                            edges[pair] = edges.get(pair, 0) + 1
                    seen.append((i, word))
                offset += len(sentence)
    if not bias:
        return {}
    words = sorted(bias)
    total_bias = sum(bias.values())
    prior = {w: bias[w] / total_bias for w in words}
    links: dict = {w: [] for w in words}
    strength = dict.fromkeys(words, 0.0)
    for (a, b), weight in sorted(edges.items()):
        links[a].append((b, weight))
        links[b].append((a, weight))
        strength[a] += weight
        strength[b] += weight
    rank = dict(prior)
    for _ in range(iterations):
        incoming = dict.fromkeys(words, 0.0)
        for w in words:
            if strength[w]:
                share = rank[w] / strength[w]
                for other, weight in links[w]:
                    incoming[other] += share * weight
        rank = {w: (1.0 - damping) * prior[w] + damping * incoming[w] for w in words}
    top = max(rank.values())
    return {w: r / top for w, r in rank.items()} if top > 0 else {}


# ---------------------------------------------------------------------------
# the features and priors of the extractor


class CandidateWeighting:
    """The features and priors of :class:`~pipeline.text.keyphrases.KeyphraseExtractor`.

    A base class, not a scorer of its own: its methods read the extractor's
    parameters (``idf_power``, ``kp_weight``, ``nest_prior``, ...) and fitted state,
    and return a score (:meth:`score`) or a factor, or a function giving the factor
    of a key, that :meth:`KeyphraseExtractor.extract` multiplies in.  Each prior
    leaves the ranked document's own author keywords out (``own_keys``): a document
    is never ranked by its own keywords.
    """

    # -- the document's own evidence ---------------------------------------------

    def _weights(self) -> dict:
        """Weight of one occurrence per section kind: the defaults updated with ``section_weights``."""
        weights = dict(_DEFAULT_SECTION_WEIGHTS)
        if isinstance(self.section_weights, dict):
            weights.update(self.section_weights)
        return weights

    def _idf(self, key: tuple) -> float:
        """Inverse document frequency of a key, ``log((1 + n_docs) / (1 + df)) + 1``.

        Of the whole key ("key"), the mean over its words ("words") or the geometric
        mean of the two ("mix"), by ``idf_mode``; above ``idf_ref_docs`` documents,
        ``n_docs`` and ``df`` are scaled down to that size (shares kept).
        """
        n_docs = getattr(self, "n_docs_", 0)
        df = getattr(self, "df_", {})
        ref = int(self.idf_ref_docs or 0)
        # a larger corpus is read at the reference size, document shares kept
        scale = ref / n_docs if 0 < ref < n_docs else 1.0

        def idf(k: str) -> float:
            return math.log((1.0 + n_docs * scale) / (1.0 + df.get(k, 0) * scale)) + 1.0

        whole = idf(" ".join(key))
        if len(key) == 1 or self.idf_mode == "key":
            return whole
        words = [idf(w) for w in key if w != "of"] or [whole]
        mean_words = sum(words) / len(words)
        if self.idf_mode == "words":
            return mean_words
        return math.sqrt(whole * mean_words)  # "mix": geometric mean

    def score(self, cand: Candidate, n_tokens: int, weights: dict | None = None,
              length_factors: list | None = None) -> float:
        """Score of one candidate of a document of ``n_tokens`` tokens (higher is better).

        The document's own evidence (step 4 of the extractor's recipe), one factor per
        feature, multiplied in this order::

            tf ** tf_power * idf ** idf_power
            * (1 + position_weight * (1 - first)) * (1 + spread_weight * (last - first))
            * (1 + maximal_weight * maximal / count)
            * (1 + title_boost)            in the title and again in the text
            * length factor                by number of words
            * verb_penalty                 most occurrences verb-affixed

        ``length_factors`` (1, 2, 3, 4+ words), when given, replace ``length_weights``.
        """
        weights = self._weights() if weights is None else weights
        tf = sum(weights.get(kind, 1.0) * (c ** self.body_tf_power if kind == "body" else c)
                 for kind, c in cand.section_counts.items())
        if tf <= 0:
            return 0.0
        first = cand.offsets[0] / n_tokens if n_tokens else 0.0
        last = cand.offsets[-1] / n_tokens if n_tokens else 0.0
        score = (
            tf ** self.tf_power                                          # frequency
            * self._idf(cand.key) ** self.idf_power                      # specificity
            * (1.0 + self.position_weight * (1.0 - first))               # position
            * (1.0 + self.spread_weight * (last - first))                # spread
            * (1.0 + self.maximal_weight * cand.maximal / cand.count)    # maximal runs
        )
        in_title = cand.section_counts.get("title", 0)
        if in_title and cand.count > in_title:
            # said in the title and taken up again in the text: what the paper
            # is about (a title fragment that never recurs is rarely a keyphrase)
            score *= 1.0 + self.title_boost
        # length: the learnt length prior when given, else the fixed weights
        if length_factors is not None:
            score *= length_factors[min(cand.n_words, N_LENGTHS) - 1]
        elif self.length_weights:
            by_len = list(self.length_weights)
            score *= float(by_len[min(cand.n_words, len(by_len)) - 1])
        if cand.verbal * 2 > cand.count:
            # mostly verb-affixed: an Indonesian clause, not a term
            score *= self.verb_penalty
        return score

    # -- what other authors chose ------------------------------------------------

    def _keyphraseness(self, own_keys):
        """Factor of a key from the author keywords of the OTHER fitted documents.

        Leave-one-out: when the document being ranked is one the model was
        fitted on (same prepared text), its own author keywords are taken out
        of the counts first, so they never rank it.  A key no other document
        chose gets factor 1, or with ``kp_negative`` the non-choice factor
        when other documents with author keywords hold it (so a corpus
        without author keywords changes nothing).
        """
        kp_df = getattr(self, "kp_df_", None)
        if not kp_df:
            return None
        own = Counter(own_keys)
        df = getattr(self, "df_", {})
        weight = float(self.kp_weight)
        mode = self.kp_mode
        prior = float(self.kp_negative or 0.0)
        cand_df = (getattr(self, "kp_cand_df_", None) or {}) if prior > 0 else {}
        # a fitted document with author keywords counts itself in kp_cand_df_
        self_count = 1 if own else 0

        def factor(key: tuple) -> float:
            k = " ".join(key)
            chosen = kp_df.get(k, 0) - own.get(k, 0)
            if chosen <= 0:
                others = cand_df.get(k, 0) - self_count if cand_df else 0
                # Beta-smoothed chance that an author chooses it, over the base rate
                return prior / (others + prior) if others > 0 else 1.0
            if mode == "ratio":
                # share of the corpus documents holding the phrase whose authors
                # chose it (df counts this document either way: no own-label leak)
                return 1.0 + weight * min(1.0, chosen / max(1, df.get(k, 0)))
            return 1.0 + weight * math.log1p(chosen)

        return factor

    def _word_keyphraseness(self, own_keys):
        """Factor of a key from how often other authors use its WORDS in their keywords.

        ``1 + kp_word_weight * mean over its words of min(1, chosen / df)``,
        chosen = other documents whose author keywords hold the word, df = the
        documents holding it; leave-one-out as :meth:`_keyphraseness`.  None
        when the corpus has no author keywords.
        """
        kpw_df = getattr(self, "kpw_df_", None)
        if not kpw_df:
            return None
        own_words = {w for key in own_keys for w in key.split(" ")}
        df = getattr(self, "df_", {})
        weight = float(self.kp_word_weight)

        def factor(key: tuple) -> float:
            shares = [min(1.0, max(0, kpw_df.get(w, 0) - (w in own_words)) / max(1, df.get(w, 0)))
                      for w in key]
            return 1.0 + weight * sum(shares) / len(shares)

        return factor

    def _chosen_units(self, own_keys, reused=None):
        """``reused`` widened to sub-phrases the authors of OTHER documents chose as keywords.

        A key chosen on its own elsewhere in the corpus ("lamun" beside
        "padang lamun") is a unit, not a fragment of the longer phrase, so the
        closed filter (:func:`dependent_keys`) does not drop it; leave-one-out
        like the rest of keyphraseness.
        """
        kp_df = getattr(self, "kp_df_", None) or {}
        own = Counter(own_keys)

        def unit(sub: tuple, key: tuple) -> bool:
            k = " ".join(sub)
            if kp_df.get(k, 0) - own.get(k, 0) > 0:
                return True
            return bool(reused is not None and reused(sub, key))

        return unit

    # -- priors learnt from the corpus's author keywords --------------------------

    def _length_prior(self) -> float:
        """``length_prior``, None meaning the language's default (1 for English, 0 otherwise)."""
        if self.length_prior is None:
            return 1.0 if self.lang == "en" else 0.0
        return float(self.length_prior)

    def _length_factors(self, own_keys, candidates: dict):
        """Length prior learnt from the OTHER documents' author keywords, or None.

        For each length (1, 2, 3, 4+ words): the share of author keywords of
        that length among those that are candidates of their document, over
        the share of candidate keys of that length in the corpus (both
        add-one smoothed), relative to one-word phrases, raised to
        ``length_prior``.  How long keyphrases are is a property of a
        language and a field, so it is read off the corpus being processed;
        the document's own keywords (``own_keys``) are taken out first, as
        for keyphraseness.  None (the fixed ``length_weights`` apply) when
        fewer than 20 such keywords remain.
        """
        kp = list(getattr(self, "length_kp_", ()) or ())
        cand = list(getattr(self, "length_cand_", ()) or ())
        if len(kp) != N_LENGTHS or len(cand) != N_LENGTHS:
            return None
        for key in own_keys:
            words = tuple(key.split(" "))
            if words in candidates:
                kp[min(len(words), N_LENGTHS) - 1] -= 1
        if sum(kp) < _MIN_LENGTH_KEYWORDS:
            return None
        total_kp, total_cand = sum(kp), sum(cand)
        ratio = [((k + 1.0) / (total_kp + N_LENGTHS)) / ((c + 1.0) / (total_cand + N_LENGTHS))
                 for k, c in zip(kp, cand)]
        power = self._length_prior()
        return [(r / ratio[0]) ** power for r in ratio]

    def _nest_factors(self, own_keys, candidates: dict):
        """Nesting prior of this document's candidates, or None (step 5 of the recipe of
        :class:`~pipeline.text.keyphrases.KeyphraseExtractor`).

        Returns a function of a key: for a candidate of n words, nested (inside a
        longer candidate of this document) or not, the add-one smoothed share of
        such candidates the authors of the OTHER fitted documents chose, over the
        share for all candidates of n words, raised to ``nest_prior``.  When
        fewer than 20 such author keywords remain, the reference counts
        (``nest_reference``, :func:`load_nest_reference`) are used instead;
        None when those are off or missing too, or ``nest_prior`` is 0.
        """
        power = float(self.nest_prior or 0.0)
        if not power:
            return None
        kp = [list(row) for row in (getattr(self, "nest_kp_", None) or ())]
        cand = getattr(self, "nest_cand_", None) or ()
        nested = nested_keys(candidates)
        if len(kp) == N_LENGTHS and len(cand) == N_LENGTHS:
            for key in own_keys:  # leave-one-out: this document's own keywords
                words = tuple(key.split(" "))
                if words in candidates:
                    kp[min(len(words), N_LENGTHS) - 1][words in nested] -= 1
        if len(kp) != N_LENGTHS or len(cand) != N_LENGTHS or sum(map(sum, kp)) < _MIN_LENGTH_KEYWORDS:
            # too few author keywords of its own: the reference corpus's convention
            reference = load_nest_reference(self.lang) if self.nest_reference else None
            if reference is None:
                return None
            cand, kp = reference
        table = []
        for (k_out, k_in), (c_out, c_in) in zip(kp, cand):
            base = (k_out + k_in + 1.0) / (c_out + c_in + 2.0)
            table.append(tuple((((k + 1.0) / (c + 2.0)) / base) ** power
                               for k, c in ((k_out, c_out), (k_in, c_in))))

        def factor(key: tuple) -> float:
            return table[min(len(key), N_LENGTHS) - 1][key in nested]

        return factor

    def _cue_words(self) -> frozenset:
        """The cue words of the language, or none when ``cue_prior`` is 0."""
        return load_cue_words(self.lang) if self.cue_prior else frozenset()

    def _cue_factors(self, own_keys, candidates: dict):
        """Cue prior of this document's candidates, or None (step 5 of the recipe of
        :class:`~pipeline.text.keyphrases.KeyphraseExtractor`).

        Returns ``(factor of a candidate never named, factor of a named one)``:
        the share of such candidates the authors of the OTHER fitted documents
        chose (shrunk towards the base rate by a prior worth
        ``_CUE_PRIOR_CANDIDATES`` candidates), over the share for all
        candidates, raised to ``cue_prior``.  When fewer than 20 such author keywords remain, the
        reference counts (``nest_reference``, :func:`load_cue_reference`) are
        used instead; None when those are off or missing too, or ``cue_prior``
        is 0.
        """
        power = float(self.cue_prior or 0.0)
        if not power:
            return None
        kp = list(getattr(self, "cue_kp_", None) or ())
        cand = list(getattr(self, "cue_cand_", None) or ())
        if len(kp) == 2 and len(cand) == 2:
            for key in own_keys:  # leave-one-out: this document's own keywords
                own = candidates.get(tuple(key.split(" ")))
                if own is not None:
                    kp[own.named > 0] -= 1
        if len(kp) != 2 or len(cand) != 2 or sum(kp) < _MIN_LENGTH_KEYWORDS:
            reference = load_cue_reference(self.lang) if self.nest_reference else None
            if reference is None:
                return None
            cand, kp = reference
        base = (sum(kp) + 1.0) / (sum(cand) + 2.0)
        # each share shrunk towards the base rate by a prior worth _CUE_PRIOR_CANDIDATES
        # candidates: few named candidates (a corpus that rarely uses cue words) say little
        prior = _CUE_PRIOR_CANDIDATES
        return tuple((((k + prior * base) / (c + prior)) / base) ** power for k, c in zip(kp, cand))

    # -- generic words -------------------------------------------------------------

    def _reused(self, sub: tuple, key: tuple) -> bool:
        """Whether ``sub`` stands on its own in the corpus more than ``key`` does.

        Its document frequency is at least ``reuse_ratio`` times that of the
        longer ``key`` holding it (and 2 or more): other documents use it
        without the extra words, so it is a unit, not a fragment.
        """
        df = getattr(self, "df_", {})
        sub_df = df.get(" ".join(sub), 0)
        return sub_df >= 2 and sub_df >= self.reuse_ratio * max(1, df.get(" ".join(key), 0))

    def _is_generic(self, word: str) -> bool:
        """Whether a word is generic in the corpus (it then does not make a term inside it redundant).

        Generic: found in at least ``generic_share`` of the corpus documents,
        or opening/closing (``edge_side``) a multi-word candidate in at least
        ``edge_share`` of them (3 documents or more either way): a word that
        combines with many different words across the corpus ("pengaruh",
        "proses", "analisis"; "system", "new") is a frame around terms, so
        "pupuk kandang" stays a candidate beside "pengaruh pupuk kandang".
        """
        n_docs = getattr(self, "n_docs_", 0)
        if self.generic_share:
            df = getattr(self, "df_", {}).get(word, 0)
            if df >= 3 and df >= self.generic_share * n_docs:
                return True
        return bool(self.edge_share) and word in self._edge_words()

    def _edge_words(self) -> frozenset:
        """The generic edge words of the fitted corpus (see :meth:`_is_generic`), cached."""
        edge = getattr(self, "edge_df_", None) or {}
        side = self.edge_side
        if side == "auto":
            side = "first" if self.lang == "id" else "last"  # the head of the phrase
        # cached per fitted table and setting (set_params or a refit changes the key)
        token = (id(edge), float(self.edge_share), side, getattr(self, "n_docs_", 0))
        cached = getattr(self, "_edge_cache", None)
        if cached is not None and cached[0] == token:
            return cached[1]
        floor = max(3.0, float(self.edge_share) * getattr(self, "n_docs_", 0))
        words = frozenset(w for one in (("first", "last") if side == "both" else (side,))
                          for w, c in edge.get(one, {}).items() if c >= floor)
        self._edge_cache = (token, words)
        return words
