"""The project's keyphrase scorer ("ours"): :class:`KeyphraseExtractor`.

A scikit-learn style estimator: :meth:`KeyphraseExtractor.fit` reads a corpus once
and keeps what ranking needs, :meth:`KeyphraseExtractor.extract` ranks the
candidates of one document, :meth:`KeyphraseExtractor.to_dict` /
:meth:`KeyphraseExtractor.from_dict` save and reload the fitted model (the keywords
stage's ``models/<lang>/keyphrase_model.json``).  Candidates come from
:mod:`~pipeline.text.keyphrases.candidates`, their weights from
:mod:`~pipeline.text.keyphrases.weighting`.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from .base import EstimatorParams, dependent_keys, nested_keys, pack_counts, select_top, unpack_counts
from .candidates import collect_candidates, collect_keys, frame_norms, load_phrase_words
from .surface import echo_phrases, prepare_sections
from .weighting import N_LENGTHS, CandidateWeighting, echoed, graph_scores

__all__ = ["KeyphraseExtractor"]


class KeyphraseExtractor(CandidateWeighting, EstimatorParams):
    """Rank the candidate keyphrases of a document ("ours"), scikit-learn style.

    All evidence is computed on lowercased stem keys, so inflected variants count
    together; a phrase is shown in its most frequent surface form.  ``fit`` learns
    from the corpus what a single document cannot say: how common a phrase is
    (document frequencies) and which phrases the corpus's authors choose as
    keywords (from the author keywords given as ``y``).  ``extract`` then ranks one
    document in seven steps:

    1. **Prepare** the document (:func:`~pipeline.text.keyphrases.prepare_sections`):
       well-formed tokens only, hyphenated words rejoined, shouted headings and
       capitalised words given the norms the rest of the document uses, so one
       term has one key wherever it is written.

    2. **Select candidates** (:mod:`~pipeline.text.keyphrases.candidates`): runs of
       content words inside a sentence, plus the stopwords of ``phrase_words``
       (nouns among the frame words: "hasil belajar", "fuzzy methods"), which may
       stand anywhere in a phrase of two or more words but never alone.  English
       phrases end in a noun; an Indonesian phrase never ends in a me-/di- verb,
       the predicate of a clause ("hasil belajar siswa meningkat"), unless it is
       one of the adjectival forms of fixed terms ("sekolah menengah"), nor is such a
       verb a candidate alone.  An English name is not cut at its "of" ("Ministry"
       of "Ministry of Foreign Affairs").  Where the tokens carry universal
       part-of-speech tags, a candidate is a noun phrase (no function word, no
       verb-headed phrase where a verbal prefix or the lexicon agrees).  A
       candidate whose first word is verb-affixed is dropped with
       ``verbal_head="drop"`` (Indonesian phrases are head-first: "diplomasi
       ekonomi", not "menggunakan metode"); a one-word candidate needs
       ``single_min_count`` occurrences.

    3. **Drop dependent sub-phrases** (``redundancy`` "concept", "dependent" or "overlap",
       :func:`~pipeline.text.keyphrases.base.dependent_keys`): a sub-phrase that
       never occurs outside a longer candidate adds nothing of its own, unless the
       longer one only adds generic words, or the sub-phrase is a unit of its own
       across the corpus.  Generic: frame words of the document, words that open
       or close multi-word candidates all over the corpus (``edge_share``:
       "pengaruh pupuk kandang" keeps "pupuk kandang", "proses denoising" keeps
       "denoising"), words in many documents (``generic_share``).  A unit: used on
       its own in more documents (``reuse_ratio``), or chosen as a keyword by the
       authors of other documents (``kp_units``).

    4. **Score the document's evidence**
       (:meth:`~pipeline.text.keyphrases.weighting.CandidateWeighting.score`)::

           tf     = sum over sections of weight[kind] * count[kind]
                    (body counts raised to body_tf_power: a long body repeats
                    background terms, the title and abstract say what it is about)
           idf    = log((1 + n_docs) / (1 + df)) + 1            (sklearn's smooth idf)
                    of the whole key ("key"), the mean of its words ("words") or
                    their geometric mean ("mix"); in a corpus of more than
                    idf_ref_docs documents, n_docs and df are scaled down to
                    idf_ref_docs (the document share is kept), so the idf of a
                    phrase depends on its share, not on the corpus's size
           score  = tf ** tf_power * idf ** idf_power
                    * (1 + position_weight * (1 - first))        first occurrence, 0..1
                    * (1 + spread_weight * spread)               last - first, 0..1
                    * (1 + maximal_weight * share of occurrences that are a whole
                       run of content words)
                    * (1 + title_boost)    if in the title and again in the text
                    * length_weights[n_words]                    1, 2, 3, 4+ words
                      (or the length prior, step 5)
                    * verb_penalty   if most occurrences hold an Indonesian
                                     verb-affixed word (me-, di-, ber-, ter-)

    5. **Multiply in what the corpus's authors chose**, each strictly
       leave-one-out: a fitted document is recognised by a digest of its prepared
       text and its own author keywords are taken out of the counts before it is
       ranked, so they never rank it.  In this order:

       * *length prior* (``length_prior``, in place of ``length_weights``): per
         length, the share of author keywords over the share of candidate keys,
         relative to one-word phrases: how long keyphrases are is a property of a
         language and a field, read off the corpus;
       * *nesting prior* (``nest_prior``): a candidate that also occurs inside a
         longer candidate of its document ("grup" in "grup permutasi") is a unit
         the text builds on, one that never does is said in passing or already
         maximal.  Which of the two authors choose is a convention of a
         collection, not of a language, so ``fit`` learns per phrase length the
         share of nested and of other candidates the authors chose;
       * *cue prior* (``cue_prior``): a phrase right after a cue word outside the
         title is named by its author, the method a study uses or a term it
         introduces ("metode *template matching*", "..., yaitu *client server*":
         Edmundson's cue method, 1969); ``fit`` learns how much that says in
         this collection the same way;
       * *PositionRank* (``graph_weight``, off by default): ``1 + graph_weight *``
         the sum of the word scores of :func:`~pipeline.text.keyphrases.weighting.graph_scores`;
       * *keyphraseness* (KEA's feature, Witten et al. 1999; ``kp_weight``): a key
         the authors of other documents chose is likely a keyphrase here too
         ("ratio": the share of the documents holding the key whose authors chose
         it; "log": log(1 + number of such documents)).  A key no other author
         chose but that ``others`` documents WITH author keywords hold gets the
         non-choice factor ``kp_negative / (others + kp_negative)`` instead: the
         posterior chance that an author chooses it (a Beta prior worth
         ``kp_negative`` documents, centred on the base rate) over that base rate.
         A field's everyday words occur in many labelled documents and are never
         chosen; documents without author keywords count for nothing, so a corpus
         with few keyword lines does not turn this into a second idf;
       * *word keyphraseness* (``kp_word_weight``, off by default): the same for
         the key's words.

       The length, nesting and cue priors need at least 20 author keywords
       (besides the ranked document's own).  With fewer (a few documents, or none
       with keyword lines) the nesting and cue priors use the reference counts
       shipped with the package (``nest_reference``: the keyword lines of
       Indonesian journal abstracts, the genre this tool is made for) and the
       length prior is off.  Without author keywords at all, keyphraseness leaves
       every key at factor 1.

    6. **Echo** (``echo_weight``): in a document with abstracts in both languages,
       a phrase the author wrote identically in the other one ("template
       matching", "backpropagation") is a term kept untranslated: a technical term
       (``extract`` is given that other text as ``other``).  Names, numbers and
       phrases of everyday words of either language are exempt: they are written
       the same way in both texts anyway (:func:`~pipeline.text.keyphrases.weighting.echoed`).

    7. **Keep the top N** (:func:`~pipeline.text.keyphrases.base.select_top`):
       best first, ties by key, one entry per concept (``redundancy="concept"``):
       a phrase inside a kept one, holding one, or repeating one up to word order,
       hyphens and spaces is skipped, so of a cluster of nested phrases the form
       with the most evidence stands for the concept and the places the other
       forms would take go to other concepts; at most ``max_single`` one-word
       phrases.  The other modes keep some nested phrases ("dependent": a phrase
       inside a kept one that occurs more often than it), which lists hedge with
       ("logam berat", "logam", "kandungan logam berat").

    The defaults were chosen on one half of the SINTA development set and kept
    only where they did not lose on the held-out half, Inspec and SINTA English;
    options that measured as noise default to off (``benchmarks/keywords_quality.py``,
    figures in ``benchmarks/RESULTS.md``).  One entry per concept is the default by
    principle (a list a researcher would publish), though hedging lists score
    higher against author keywords.

    Parameters
    ----------
    lang : str
        "id" or "en".
    max_words : int
        Longest candidate phrase in tokens.
    top_n : int
        Number of keyphrases ``extract`` returns.
    section_weights : dict or None
        Weight of one occurrence per section kind; None uses
        ``{"title": 2.0, "abstract": 2.0, "keywords": 0.0, "body": 1.0}``.
    min_df : int
        ``fit`` keeps document frequencies of keys seen in at least this many
        documents (others count as unseen, i.e. df 0).
    redundancy : str
        "concept" (one entry per concept: no phrase of the list inside another,
        and sub-phrases never said outside a longer candidate dropped, step 3),
        "none", "duplicate", "subphrase", "dependent" or "overlap" (see
        :func:`~pipeline.text.keyphrases.base.redundant`).
    tf_power, idf_power, position_weight, spread_weight, title_boost, maximal_weight : float
        Weights of the score (step 4).
    length_weights : sequence of float or None
        Factor by phrase length, for 1, 2, 3, 4+ words (the last one applies
        to longer phrases too); None disables.
    verb_penalty : float
        Factor for candidates most of whose occurrences hold a verb-affixed
        word; 1 disables.
    verbal_head : str
        "drop" (a phrase starting with a verb-affixed word is no candidate)
        or "keep".
    single_min_count : int
        A one-word candidate needs at least this many occurrences; 1 disables.
    idf_mode : str
        "key", "words" or "mix" (step 4).
    idf_ref_docs : int
        Corpus size at which idf saturates: above it, the idf is that of a
        corpus of this many documents with the same document shares, so a
        phrase held by fewer than 1 / idf_ref_docs of the documents counts as
        fully specific.  Without it, idf ** idf_power grows with the corpus
        and one-off phrases (typos, chance word pairs) outrank the terms a
        field shares.  0 disables.
    max_single : int or None
        At most this many one-word phrases in the top N (None: no cap).
    body_tf_power : float
        Power of the body counts in tf (1 counts body occurrences fully).
    generic_share : float
        A word is generic when at least this share of the corpus documents
        (and 3 or more) hold it; 0 disables the exception.
    reuse_ratio : float
        A sub-phrase whose document frequency is at least this many times
        that of the longer phrase is kept; 0 disables the exception.
    phrase_words : str
        "none", "frame" or "frame+content" (see
        :func:`~pipeline.text.keyphrases.load_phrase_words`).
    graph_weight : float
        Weight of the PositionRank word scores; 0 disables.
    graph_window : int
        Co-occurrence window of the word graph, in tokens.
    kp_weight : float
        Weight of keyphraseness; 0 disables (as does fitting without ``y``).
    kp_mode : str
        "ratio" or "log" (step 5).
    edge_share : float
        A word that opens or closes (``edge_side``) a multi-word candidate in
        at least this share of the corpus documents (and 3 or more) is
        generic: a phrase that only adds such words around a term does not
        make the term redundant.  0 disables.
    edge_side : str
        "both", "first", "last", or "auto" (the head: first word in
        Indonesian, last in English).
    length_prior : float or None
        Power of the length prior learnt by ``fit`` from the corpus's author
        keywords; when there are enough of them it replaces
        ``length_weights``.  0 disables; None is the language's default: 1 for
        English, 0 for Indonesian (where it measured as noise).
    kp_negative : float
        Prior strength, in documents, of the non-choice factor (step 5); 0
        disables.  Only never-chosen keys get it: applied to chosen keys as well
        (their unchosen documents against them) it measured worse.
    kp_units : bool
        A sub-phrase that the authors of other documents chose as a keyword
        is never dropped as dependent on a longer candidate (step 3); needs
        keyphraseness on.
    kp_word_weight : float
        Weight of word-level keyphraseness (step 5); 0 disables (the default:
        it did not help on every set).
    echo_weight : float
        Weight of the echo in the document's other language (step 6); 0
        disables, as does ranking without ``other``.
    nest_prior : float
        Power of the nesting prior learnt by ``fit`` from the corpus's author
        keywords (step 5); 0 disables.
    nest_reference : bool
        When the corpus has fewer than 20 author keywords (other than the
        ranked document's own), the nesting and cue priors use the reference
        counts shipped with the package
        (:data:`~pipeline.text.keyphrases.NEST_REFERENCE_PATH`, built by
        ``benchmarks/nest_prior_reference.py``); False: no prior then.
    cue_prior : float
        Power of the cue prior learnt by ``fit`` from the corpus's author
        keywords (step 5); 0 disables.

    Attributes
    ----------
    n_docs_ : int
        Number of documents fitted on.
    df_ : dict
        Document frequency of each candidate key (and of the words of multi-word
        keys), at least ``min_df``.
    kp_df_, kp_cand_df_, kpw_df_ : dict
        Documents whose authors chose the key; documents with author keywords
        holding the key; documents whose author keywords hold the word.
    kp_docs_ : dict
        Digest of a fitted document's prepared text -> its author keywords (for
        leave-one-out).
    length_cand_, length_kp_ : list of int
        Candidate keys and author keywords per length (1, 2, 3, 4+ words).
    nest_cand_, nest_kp_ : list of [int, int]
        The same per length, split into [not nested, nested].
    cue_cand_, cue_kp_ : [int, int]
        Candidate keys and author keywords, [not named, named] after a cue word.
    edge_df_ : dict
        ``{"first": {word: documents}, "last": {...}}``: words opening or closing
        multi-word candidates in 3 documents or more.
    """

    _PARAM_NAMES = (
        "lang", "max_words", "top_n", "section_weights", "min_df", "redundancy",
        "tf_power", "idf_power", "position_weight", "spread_weight", "title_boost",
        "maximal_weight", "length_weights", "verb_penalty", "verbal_head",
        "single_min_count", "idf_mode", "idf_ref_docs", "max_single", "body_tf_power", "generic_share",
        "reuse_ratio", "phrase_words", "graph_weight", "graph_window", "kp_weight", "kp_mode",
        "edge_share", "edge_side", "length_prior", "kp_negative", "kp_units", "kp_word_weight",
        "echo_weight", "nest_prior", "nest_reference", "cue_prior",
    )

    def __init__(
        self,
        lang: str = "id",
        max_words: int = 4,
        top_n: int = 10,
        section_weights: dict | None = None,
        min_df: int = 1,
        redundancy: str = "concept",
        tf_power: float = 1.0,
        idf_power: float = 1.75,
        position_weight: float = 0.5,
        spread_weight: float = 0.0,
        title_boost: float = 0.0,
        maximal_weight: float = 0.0,
        length_weights: tuple | None = (1.0, 1.5, 1.2, 0.6),
        verb_penalty: float = 0.5,
        verbal_head: str = "keep",
        single_min_count: int = 1,
        idf_mode: str = "key",
        idf_ref_docs: int = 100,
        max_single: int | None = None,
        body_tf_power: float = 0.5,
        generic_share: float = 0.0,
        reuse_ratio: float = 0.0,
        phrase_words: str = "frame",
        graph_weight: float = 0.0,
        graph_window: int = 3,
        kp_weight: float = 1.0,
        kp_mode: str = "ratio",
        edge_share: float = 0.1,
        edge_side: str = "both",
        length_prior: float | None = None,
        kp_negative: float = 10.0,
        kp_units: bool = True,
        kp_word_weight: float = 0.0,
        echo_weight: float = 1.0,
        nest_prior: float = 0.5,
        nest_reference: bool = True,
        cue_prior: float = 0.5,
    ):
        self.lang = lang
        self.max_words = max_words
        self.top_n = top_n
        self.section_weights = section_weights
        self.min_df = min_df
        self.redundancy = redundancy
        self.tf_power = tf_power
        self.idf_power = idf_power
        self.position_weight = position_weight
        self.spread_weight = spread_weight
        self.title_boost = title_boost
        self.maximal_weight = maximal_weight
        self.length_weights = length_weights
        self.verb_penalty = verb_penalty
        self.verbal_head = verbal_head
        self.single_min_count = single_min_count
        self.idf_mode = idf_mode
        self.idf_ref_docs = idf_ref_docs
        self.max_single = max_single
        self.body_tf_power = body_tf_power
        self.generic_share = generic_share
        self.reuse_ratio = reuse_ratio
        self.phrase_words = phrase_words
        self.graph_weight = graph_weight
        self.graph_window = graph_window
        self.kp_weight = kp_weight
        self.kp_mode = kp_mode
        self.edge_share = edge_share
        self.edge_side = edge_side
        self.length_prior = length_prior
        self.kp_negative = kp_negative
        self.kp_units = kp_units
        self.kp_word_weight = kp_word_weight
        self.echo_weight = echo_weight
        self.nest_prior = nest_prior
        self.nest_reference = nest_reference
        self.cue_prior = cue_prior

    # -- scikit-learn contract ------------------------------------------------

    def get_params(self, deep: bool = True) -> dict:
        """Parameters of the estimator; ``deep`` copies the section weights."""
        params = super().get_params(deep)
        if deep and isinstance(params["section_weights"], dict):
            params["section_weights"] = dict(params["section_weights"])
        return params

    # -- learning ---------------------------------------------------------------

    def fit(self, docs: list, y=None) -> "KeyphraseExtractor":
        """Learn document frequencies of candidate keys over a corpus.

        Parameters
        ----------
        docs : list
            Documents, each in any shape :func:`prepare_sections` accepts.
        y : list or None
            The author keywords of each document (parallel to ``docs``): a
            list of keys (lowercased stem keys, as strings) or of dicts with a
            ``"key"``; None or empty lists where a document has none.  They
            give the keyphraseness of a key (in how many documents authors
            chose it) used with ``kp_weight``; a document's own keywords are
            never used to rank it (see :meth:`extract`).

        Returns
        -------
        self
        """
        df: Counter = Counter()
        kp_df: Counter = Counter()
        kpw_df: Counter = Counter()  # documents whose author keywords hold the word
        kp_cand_df: Counter = Counter()  # documents with author keywords holding the key
        kp_docs: dict = {}
        edge_df = {"first": Counter(), "last": Counter()}
        # [length][nested]: candidate keys, and the author keywords among them (their
        # sums over nested are the length prior's counts)
        nest_cand = [[0, 0] for _ in range(N_LENGTHS)]
        nest_kp = [[0, 0] for _ in range(N_LENGTHS)]
        # [named]: candidate keys not named / named after a cue word, and the author keywords among them
        cue_cand, cue_kp = [0, 0], [0, 0]
        cues = self._cue_words()
        n_docs = 0
        # A list is used as it is: the label of document i is read only after document
        # i is drawn from ``docs``, so a caller may fill both in one streaming pass.
        labels = y if isinstance(y, list) else (list(y) if y is not None else [])
        phrase_words = self._phrase_word_set()
        max_words = max(1, int(self.max_words))
        for index, doc in enumerate(docs or []):
            n_docs += 1
            named: set = set()
            parts = prepare_sections(doc, None, self.lang)
            candidate_keys = collect_keys(parts, self.lang, max_words, phrase_words, cues, named)
            keys = {" ".join(key) for key in candidate_keys}
            # the words of multi-word keys count too (idf_mode "words"/"mix")
            for key in candidate_keys:
                if len(key) > 1:
                    keys.update(w for w in key if w != "of")
            df.update(keys)
            edge_df["first"].update({key[0] for key in candidate_keys if len(key) > 1})
            edge_df["last"].update({key[-1] for key in candidate_keys if len(key) > 1})
            nested = nested_keys(candidate_keys)
            for key in candidate_keys:
                nest_cand[min(len(key), N_LENGTHS) - 1][key in nested] += 1
            cue_cand[1] += len(named)
            cue_cand[0] += len(candidate_keys) - len(named)
            own = _label_keys(labels[index]) if index < len(labels) else []
            for key in own:
                words = tuple(key.split(" "))
                if words in candidate_keys:
                    nest_kp[min(len(words), N_LENGTHS) - 1][words in nested] += 1
                    cue_kp[words in named] += 1
            if own:
                kpw_df.update({w for key in own for w in key.split(" ")})
                kp_cand_df.update(keys)
                kp_df.update(own)
                kp_docs.setdefault(_fingerprint(parts), []).extend(own)
        min_df = max(1, int(self.min_df))
        self.n_docs_ = n_docs
        # lookups only: saved grouped and sorted by to_dict, so not sorted here
        self.df_ = {k: v for k, v in df.items() if v >= min_df}
        self.kp_df_ = dict(sorted(kp_df.items()))
        self.kp_cand_df_ = dict(kp_cand_df)
        self.kpw_df_ = dict(sorted(kpw_df.items()))
        self.kp_docs_ = {fp: sorted(keys) for fp, keys in sorted(kp_docs.items())}
        self.length_cand_ = [sum(row) for row in nest_cand]
        self.length_kp_ = [sum(row) for row in nest_kp]
        self.nest_cand_ = nest_cand
        self.nest_kp_ = nest_kp
        self.cue_cand_ = cue_cand
        self.cue_kp_ = cue_kp
        self.edge_df_ = {side: {w: c for w, c in sorted(counts.items()) if c >= 3}
                         for side, counts in edge_df.items()}
        return self

    def _phrase_word_set(self) -> frozenset:
        """The stopwords that may stand in a phrase (``phrase_words``, see :func:`load_phrase_words`)."""
        return load_phrase_words(self.lang, self.phrase_words)

    def _document(self, doc, sections, phrase_words):
        """``(prepared sections, candidates by key, n_tokens)``; empty for a document of no known shape."""
        parts = prepare_sections(doc, sections, self.lang)
        candidates, n_tokens, _ = collect_candidates(parts, self.lang, max(1, int(self.max_words)),
                                                     phrase_words, self._cue_words())
        return parts, candidates, n_tokens

    # -- ranking ----------------------------------------------------------------

    def extract(self, doc, sections=None, other=None) -> list:
        """Rank the keyphrases of one document.

        Parameters
        ----------
        doc : list or None
            One normalized text (or a list of them, or of ``(kind, text)``
            pairs).  Ignored when ``sections`` is given and not empty.
        sections : list of (str, list) or None
            The document as ``(kind, normalized_text)`` pairs in reading
            order, kind one of title/abstract/body; occurrences are weighted
            by ``section_weights``.
        other : list or None
            The same document in its other language, in any shape ``doc`` or
            ``sections`` accepts (a list of ``(kind, text)`` pairs, say): a
            phrase written the same way there gets the echo factor (see
            ``echo_weight``).  None or empty: no echo.

        Returns
        -------
        list of dict
            ``{"phrase", "key", "score", "count", "first", "occurrences",
            "paragraphs"}``, best first, at most ``top_n`` (see
            :func:`keyphrase_record`).
        """
        # steps 1 and 2: prepare the document, select its candidates
        phrase_words = self._phrase_word_set()
        parts, candidates, n_tokens = self._document(doc, sections, phrase_words)
        if not candidates:
            return []
        weights = self._weights()
        graph = (graph_scores(parts, self.lang, phrase_words, int(self.graph_window))
                 if self.graph_weight else None)
        # this document's own author keywords, if it is one the model was fitted on
        own = (getattr(self, "kp_docs_", {}).get(_fingerprint(parts), ())
               if getattr(self, "kp_docs_", None) else ())
        keyphraseness = self._keyphraseness(own) if self.kp_weight else None
        word_keyphraseness = self._word_keyphraseness(own) if self.kp_word_weight else None
        # a frame word around a term ("pendekatan metakognisi") does not make the
        # term redundant: it is generic, like a corpus-wide or edge word
        frame = frame_norms(parts, phrase_words) if phrase_words else frozenset()
        generic_words = frame | self._edge_words() if self.edge_share else frame
        if self.generic_share:
            def is_generic(word, _words=generic_words):
                return word in _words or self._is_generic(word)
        elif generic_words:
            is_generic = generic_words.__contains__  # one set lookup: called for every sub-phrase
        else:
            is_generic = None
        length_factors = self._length_factors(own, candidates) if self._length_prior() else None
        nest_factor = self._nest_factors(own, candidates)
        cue_factor = self._cue_factors(own, candidates)
        echo = (echo_phrases(other, self.max_words,
                             {surface.split(" ", 1)[0].lower() for cand in candidates.values()
                              for surface in cand.surfaces})
                if other and self.echo_weight else frozenset())
        if echo:
            from ..langid import load_word_frequencies  # loaded already where languages were detected

            zipf = load_word_frequencies()
        # step 3: sub-phrases that never occur outside a longer candidate
        reused = self._reused if self.reuse_ratio else None
        if self.kp_units and keyphraseness is not None:
            reused = self._chosen_units(own, reused)
        dependents = (dependent_keys(candidates, is_generic, reused)
                      if self.redundancy in ("dependent", "overlap", "concept") else set())
        scored = []
        for key, cand in candidates.items():
            if cand.n_words == 1 and cand.count < self.single_min_count:
                continue
            if key in dependents:
                continue
            if cand.verbal_head * 2 > cand.count and self.verbal_head == "drop":
                continue  # head-first noun phrases: a verb-affixed first word is no head
            score = self.score(cand, n_tokens, weights, length_factors)  # step 4
            # step 5: what the corpus's authors chose; step 6: the echo
            if nest_factor is not None:
                score *= nest_factor(key)
            if cue_factor is not None:
                score *= cue_factor[cand.named > 0]
            if graph:
                score *= 1.0 + self.graph_weight * sum(graph.get(w, 0.0) for w in key)
            if keyphraseness is not None:
                score *= keyphraseness(key)
            if word_keyphraseness is not None:
                score *= word_keyphraseness(key)
            if echo and echoed(cand, echo, zipf):
                score *= 1.0 + self.echo_weight
            if score > 0:
                scored.append((score, cand))
        # step 7: the top N
        return select_top(scored, n_tokens, self.top_n, self.redundancy, self.max_single, is_generic)

    # -- persistence ------------------------------------------------------------

    @classmethod
    def from_dict(cls, d: dict) -> "KeyphraseExtractor":
        """Rebuild an extractor saved with :meth:`to_dict`."""
        params = {k: v for k, v in (d.get("params") or {}).items() if k in cls._PARAM_NAMES}
        if isinstance(params.get("length_weights"), list):
            params["length_weights"] = tuple(params["length_weights"])  # JSON has no tuples
        # saved before a parameter existed: scored as it was when fitted
        if d.get("params") and "idf_ref_docs" not in params:
            params["idf_ref_docs"] = 0
        if d.get("params") and "echo_weight" not in params:
            params["echo_weight"] = 0.0
        if d.get("params") and "nest_prior" not in params:
            params["nest_prior"] = 0.0
        if d.get("params") and "nest_reference" not in params:
            params["nest_reference"] = False
        if d.get("params") and "cue_prior" not in params:
            params["cue_prior"] = 0.0
        model = cls(**params)
        if "df_" in d or "df_groups_" in d:
            model.n_docs_ = int(d.get("n_docs_", 0))
            model.df_ = unpack_counts(d, "df_")
            model.kp_df_ = {str(k): int(v) for k, v in (d.get("kp_df_") or {}).items()}
            model.kp_docs_ = {str(k): [str(x) for x in v] for k, v in (d.get("kp_docs_") or {}).items()}
            model.kp_cand_df_ = unpack_counts(d, "kp_cand_df_")
            model.kpw_df_ = {str(k): int(v) for k, v in (d.get("kpw_df_") or {}).items()}
            model.edge_df_ = {str(side): {str(k): int(v) for k, v in (counts or {}).items()}
                              for side, counts in (d.get("edge_df_") or {}).items()}
            if d.get("length_kp_") and d.get("length_cand_"):
                model.length_kp_ = [int(v) for v in d["length_kp_"]]
                model.length_cand_ = [int(v) for v in d["length_cand_"]]
            if d.get("nest_kp_") and d.get("nest_cand_"):
                model.nest_kp_ = [[int(v) for v in row] for row in d["nest_kp_"]]
                model.nest_cand_ = [[int(v) for v in row] for row in d["nest_cand_"]]
            if d.get("cue_kp_") and d.get("cue_cand_"):
                model.cue_kp_ = [int(v) for v in d["cue_kp_"]]
                model.cue_cand_ = [int(v) for v in d["cue_cand_"]]
        return model

    def to_dict(self) -> dict:
        """JSON-serialisable form: parameters, learned df and author-keyword counts."""
        out = super().to_dict()
        if hasattr(self, "df_") and getattr(self, "kp_df_", None):
            out["kp_df_"] = {k: int(v) for k, v in sorted(self.kp_df_.items())}
            out["kp_docs_"] = {k: list(v) for k, v in sorted(self.kp_docs_.items())}
            out["kp_cand_df_groups_"] = pack_counts(getattr(self, "kp_cand_df_", {}))
            out["kpw_df_"] = {k: int(v) for k, v in sorted(getattr(self, "kpw_df_", {}).items())}
        if hasattr(self, "df_"):
            out["edge_df_"] = {side: dict(sorted(counts.items()))
                               for side, counts in sorted(getattr(self, "edge_df_", {}).items())}
            out["length_kp_"] = [int(v) for v in getattr(self, "length_kp_", [0] * N_LENGTHS)]
            out["length_cand_"] = [int(v) for v in getattr(self, "length_cand_", [0] * N_LENGTHS)]
            empty = [[0, 0] for _ in range(N_LENGTHS)]
            out["nest_kp_"] = [[int(v) for v in row] for row in getattr(self, "nest_kp_", empty)]
            out["nest_cand_"] = [[int(v) for v in row] for row in getattr(self, "nest_cand_", empty)]
            out["cue_kp_"] = [int(v) for v in getattr(self, "cue_kp_", [0, 0])]
            out["cue_cand_"] = [int(v) for v in getattr(self, "cue_cand_", [0, 0])]
        return out


def _label_keys(label) -> list:
    """Distinct lowercased keys of one document's author keywords (strings or ``{"key"}`` dicts)."""
    if not isinstance(label, (list, tuple)):
        return []
    keys = []
    for item in label:
        key = item.get("key") if isinstance(item, dict) else item
        if isinstance(key, str) and key.strip():
            key = " ".join(key.lower().split())
            if key not in keys:
                keys.append(key)
    return sorted(keys)


def _fingerprint(parts: list) -> str:
    """A stable digest of a prepared document (section kinds and token norms).

    Identifies a fitted document when it is ranked again, so that its own
    author keywords can be left out of the keyphraseness counts.
    """
    digest = hashlib.sha1()
    for kind, paragraphs in parts:
        digest.update(kind.encode("utf-8", "replace") + b"\x1e")
        for paragraph in paragraphs:
            for sentence in paragraph:
                digest.update(" ".join(t[1] for t in sentence).encode("utf-8", "replace") + b"\x1f")
            digest.update(b"\x1d")
    return digest.hexdigest()
