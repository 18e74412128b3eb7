"""What every keyphrase scorer shares: the candidate, word tests, parameters, the top N.

The scorers of this package (:class:`~pipeline.text.keyphrases.KeyphraseExtractor`
and the baselines of :mod:`pipeline.text.keyphrases.baselines`) read the same
prepared sections and return the same records, so the keywords stage can run
any of them.  This module holds what they have in common:

* :class:`Candidate`: one candidate phrase of a document, with the counts and
  positions the scorers read and its display forms (``surface``, ``key_string``);
* word tests on surface forms (:func:`is_acronym`, :func:`letter_count`,
  :func:`surface_ok`, :func:`token_ok`);
* :class:`EstimatorParams`: scikit-learn's parameter contract and the saved form
  (:func:`pack_counts` / :func:`unpack_counts` for the learned tables);
* the top N: :func:`select_top` ranks scored candidates into the output records
  (:func:`keyphrase_record`), one entry per concept or keeping some overlapping
  phrases (:func:`redundant`, :func:`dependent_keys`, :func:`nested_keys`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "SECTION_KINDS",
    "Candidate",
    "is_acronym",
    "letter_count",
    "surface_ok",
    "token_ok",
    "EstimatorParams",
    "pack_counts",
    "unpack_counts",
    "nested_keys",
    "keyphrase_record",
    "redundant",
    "dependent_keys",
    "select_top",
]

#: Section kinds a document may be given in (see ``KeyphraseExtractor.extract``).
#: "keywords" is accepted for completeness, but the pipeline never passes the
#: author keywords in: they are the answer, not evidence.
SECTION_KINDS = ("title", "abstract", "keywords", "body")

#: How many occurrences an extracted keyphrase lists at most.
_MAX_OCCURRENCES = 20

# ---------------------------------------------------------------------------
# words


@lru_cache(maxsize=1 << 16)
def is_acronym(surface: str) -> bool:
    """An acronym: letters all capital, at least one letter ("GIS", "COVID-19", "P")."""
    letters = [ch for ch in surface if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=1 << 16)
def letter_count(surface: str) -> int:
    """Number of letters in a word (cached: the same words recur all over a corpus)."""
    return sum(ch.isalpha() for ch in surface)


def token_ok(token, lang) -> bool:
    """Whether a content token may be part of a phrase.

    Rejected: tokens without a letter, tokens longer than any word, one-letter
    tokens that are not capitals, abbreviations cut with a period ("D.", "dkk."), and lowercase
    letter-digit mixtures, which are units and codes ("ml-1", "ha-1") rather
    than terms; capitalised codes stay ("P-32", "COVID-19", "A7").
    """
    return surface_ok(token[0])


# Longer than any word of either language ("pertanggungjawabannya" has 21 letters):
# a scan's run-together line or a file of junk, never a term.
_MAX_WORD_CHARS = 64


@lru_cache(maxsize=1 << 16)
def surface_ok(surface: str) -> bool:
    """:func:`token_ok` on the surface form (cached)."""
    if not any(ch.isalpha() for ch in surface) or len(surface) > _MAX_WORD_CHARS:
        return False
    if len(surface) < 2 and not is_acronym(surface):
        return False
    if surface.endswith("."):
        return False
    if any(ch.isdigit() for ch in surface) and not any(ch.isupper() for ch in surface):
        return False
    return True


# ---------------------------------------------------------------------------
# the candidate


@dataclass
class Candidate:
    """A candidate keyphrase of one document.

    Attributes
    ----------
    key : tuple of str
        The lowercased norms (stems/lemmas) of its tokens: the identity of the
        phrase, so "ACFTA" and "Acfta", "e-commerce" and "E-Commerce" meet.
    norms : Counter
        The keys as written (acronyms keep their capitals) with their counts.
    surfaces : Counter
        Surface forms (tokens joined by spaces) with their counts.
    cased : Counter
        The same, of the occurrences whose case is as the running text writes
        the words (not in a title, a heading or at a sentence's start).
    word_case : dict or None
        How the document's running text writes each word: lowercased word ->
        ``{written form: count}`` (shared by the candidates of a document).
    count : int
        Number of occurrences.
    offsets : list of int
        Token offset of each occurrence from the start of the document
        (sections concatenated in order).
    sentences : list of int
        Sentence ordinal (over the whole document) of each occurrence.
    occurrences : list of tuple
        ``(section_index, paragraph_index, sentence_index)`` of each
        occurrence; paragraph indexes run over the whole document.
    section_counts : Counter
        Occurrences per section kind.
    maximal : int
        Occurrences that are a whole run of content words (not part of a
        longer run): evidence that the phrase stands on its own.
    capitalised : int
        Occurrences with every word capitalised, not just sentence-initially.
    verbal : int
        Occurrences holding a word with an Indonesian verbal prefix.
    verbal_head : int
        Occurrences whose first word carries an Indonesian verbal prefix.
    named : int
        Occurrences outside the title right after a cue word (see
        :func:`~pipeline.text.keyphrases.load_cue_words`): the author names the phrase ("metode
        *template matching*", "yaitu *client server*").
    """

    key: tuple
    norms: Counter = field(default_factory=Counter)
    surfaces: Counter = field(default_factory=Counter)
    cased: Counter = field(default_factory=Counter)
    word_case: dict | None = None
    count: int = 0
    offsets: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    occurrences: list = field(default_factory=list)
    section_counts: Counter = field(default_factory=Counter)
    maximal: int = 0
    capitalised: int = 0
    verbal: int = 0
    verbal_head: int = 0
    named: int = 0

    @property
    def n_words(self) -> int:
        """Number of tokens in the phrase."""
        return len(self.key)

    @property
    def key_string(self) -> str:
        """The key as one string: the most frequent way its norms are written."""
        if not self.norms:
            return " ".join(self.key)
        return sorted(self.norms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    @property
    def surface(self) -> str:
        """Display form: as the running text writes it.

        The most frequent surface among the occurrences whose case is known (see
        ``cased``): names and acronyms keep their capitals ("Tiongkok", "ASEAN"),
        common words their lower case.  A phrase seen only where case says nothing
        (a Title Case title, a sentence's start) shows each word as the running
        text writes it elsewhere (``word_case``), lowercased when it never does,
        acronyms as written.  Without that record (the baselines' candidates): the
        most frequent surface, lowercased unless an acronym or capitalised at every
        occurrence.  Ties: the form with fewer capitals, then alphabetically.
        """
        if not self.surfaces:
            return self.key_string
        if self.cased:
            return _most_frequent(self.cased)
        best = _most_frequent(self.surfaces)
        if self.word_case is None:
            if self.capitalised >= self.count:
                return best
            return " ".join(w if is_acronym(w) and len(w) > 1 else w.lower() for w in best.split(" "))
        return " ".join(_as_written(w, self.word_case) for w in best.split(" "))


def _most_frequent(counts) -> str:
    """The most frequent key of a ``{text: count}`` table; of equally frequent ones the
    one with the fewest capitals (a capital is evidence of a name only when the text
    writes it more often than not), then the alphabetically first."""
    return min(counts.items(), key=lambda kv: (-kv[1], sum(ch.isupper() for ch in kv[0]), kv[0]))[0]


def _as_written(word: str, word_case: dict) -> str:
    """``word`` as the document's running text writes it (``word_case``): its most
    frequent form there; an acronym as it is; else lowercased."""
    if is_acronym(word) and letter_count(word) > 1:
        return word
    forms = word_case.get(word.lower())
    if not forms:
        return word.lower()
    return _most_frequent(forms)


# ---------------------------------------------------------------------------
# parameters and the saved form


class EstimatorParams:
    """scikit-learn's parameter contract for the keyword scorers: the constructor's
    arguments, listed in ``_PARAM_NAMES``, read and set by name; and their saved form
    (parameters plus the learned document frequencies)."""

    _PARAM_NAMES: tuple = ()

    def get_params(self, deep: bool = True) -> dict:
        """Parameters of the estimator, as scikit-learn's ``get_params``."""
        return {name: getattr(self, name) for name in self._PARAM_NAMES}

    def set_params(self, **params):
        """Set parameters, as scikit-learn's ``set_params``."""
        for name, value in params.items():
            if name not in self._PARAM_NAMES:
                raise ValueError(f"unknown parameter {name!r}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def to_dict(self) -> dict:
        """JSON-serialisable form: parameters and, once fitted, the learned df
        (as ``df_groups_``, see :func:`pack_counts`)."""
        out = {"model": type(self).__name__, "params": self.get_params()}
        if hasattr(self, "df_"):
            out["n_docs_"] = int(self.n_docs_)
            out["df_groups_"] = pack_counts(self.df_)
        return out


def pack_counts(counts: dict) -> list:
    """A ``{key: count}`` table in its saved form: ``[[count, [keys sorted]], ...]``, counts ascending.

    Most keys of a corpus occur in one document: grouping them under their count saves
    writing the count for each, and a JSON list of strings parses several times faster
    than an object of the same keys (the saved model is read by every process that
    scores documents).
    """
    groups: dict = {}
    for key, count in counts.items():
        groups.setdefault(int(count), []).append(str(key))
    return [[count, sorted(keys)] for count, keys in sorted(groups.items())]


def unpack_counts(d: dict, name: str) -> dict:
    """The ``{key: count}`` table ``name`` of a saved model: from ``<name>groups_`` (see
    :func:`pack_counts`), or from the older ``{key: count}`` object ``name``; ``{}`` if absent.

    Lookups are all the scorers do with these tables, so the order of the keys is left
    as stored (by count, then key), not sorted again.
    """
    groups = d.get(name + "groups_")
    if groups is not None:
        table = {}
        for count, keys in groups:
            table.update(dict.fromkeys(keys, int(count)))
        return table
    return {str(k): int(v) for k, v in (d.get(name) or {}).items()}


# ---------------------------------------------------------------------------
# the top N


def _contains(longer: tuple, shorter: tuple) -> bool:
    """Whether ``shorter`` is a contiguous sub-sequence of ``longer``."""
    n, m = len(longer), len(shorter)
    if m > n:
        return False
    return any(longer[i:i + m] == shorter for i in range(n - m + 1))


@lru_cache(maxsize=16)
def _sub_slices(n: int) -> tuple:
    """``(start, end)`` of every proper contiguous sub-sequence of ``n`` items."""
    return tuple((i, i + size) for size in range(1, n) for i in range(n - size + 1))


def nested_keys(keys) -> set:
    """The keys that occur inside a longer key of the same set ("grup" in "grup
    permutasi", "pupuk kandang" in "pengaruh pupuk kandang")."""
    keys = keys if isinstance(keys, (set, frozenset, dict)) else set(keys)
    subs = {key[i:j] for key in keys if len(key) > 1 for i, j in _sub_slices(len(key))}
    return {sub for sub in subs if sub in keys}


def _squash(key: tuple) -> str:
    """Key with spaces and hyphens removed: "e learning" == "e-learning"."""
    return "".join(key).replace("-", "")


def keyphrase_record(cand: Candidate, score: float, n_tokens: int) -> dict:
    """The output dict of one ranked candidate (shared by all scorers).

    ``{"phrase", "key", "score", "count", "first", "occurrences", "paragraphs"}``:
    ``first`` is the relative token position (0..1) of the first occurrence,
    ``occurrences`` the distinct ``[paragraph_index, sentence_index]`` pairs
    (paragraphs numbered over all sections in order), at most 20, and
    ``paragraphs`` every distinct paragraph index it occurs in, ascending.
    """
    first = cand.offsets[0] / n_tokens if n_tokens else 0.0
    seen = []
    for _, p_index, s_index in cand.occurrences:
        if [p_index, s_index] not in seen:
            seen.append([p_index, s_index])
        if len(seen) >= _MAX_OCCURRENCES:
            break
    return {
        "phrase": cand.surface,
        "key": cand.key_string,
        "score": round(float(score), 6),
        "count": cand.count,
        "first": round(float(first), 6),
        "occurrences": seen,
        "paragraphs": sorted({p_index for _, p_index, _ in cand.occurrences}),
    }


def redundant(cand: Candidate, kept: list, mode: str, is_generic=None) -> bool:
    """Whether ``cand`` overlaps an already kept (higher-ranked) candidate.

    ``mode``: "none"; "duplicate" (same words in another order, or the same
    key up to hyphens/spaces); "subphrase" and "concept" (also any key contained
    in or containing a kept key: one entry per concept); "dependent"
    (duplicates, plus a key contained in a kept key only when it occurs no more
    often than that key and the kept key adds no generic word, see
    :func:`dependent_keys`); "overlap"
    ("dependent", plus keys that straddle a kept key, and keys that hold a
    kept key and otherwise only words of kept keys).
    """
    if mode == "none":
        return False
    for other in kept:
        if sorted(cand.key) == sorted(other.key) or _squash(cand.key) == _squash(other.key):
            return True
        if mode == "duplicate":
            continue
        inside = _contains(other.key, cand.key)
        if mode in ("subphrase", "concept") and (inside or _contains(cand.key, other.key)):
            return True
        if (mode in ("dependent", "overlap") and inside and cand.count <= other.count
                and not _adds_generic(other.key, cand.key, is_generic)):
            return True
        if mode == "overlap" and _straddles(cand.key, other.key):
            return True
    if mode == "overlap" and cand.n_words > 1:
        # a combination of kept phrases ("ACFTA" + "upgrading protocol")
        kept_words = {w for other in kept for w in other.key}
        if any(_contains(cand.key, other.key) for other in kept) and all(w in kept_words for w in cand.key):
            return True
    return False


def _adds_generic(longer: tuple, shorter: tuple, is_generic) -> bool:
    """Whether the words ``longer`` adds around ``shorter`` are all generic.

    "pengaruh iradiasi gamma" is the term "iradiasi gamma" inside a frame
    word that opens phrases all over the corpus; such a longer phrase does
    not make the term redundant.
    """
    if is_generic is None:
        return False
    n, m = len(longer), len(shorter)
    for i in range(n - m + 1):
        if longer[i:i + m] == shorter:
            extra = longer[:i] + longer[i + m:]
            return bool(extra) and all(is_generic(w) for w in extra)
    return False


def _straddles(a: tuple, b: tuple) -> bool:
    """Whether two keys overlap without one holding the other.

    "strategi ajar aktif tipe" and "ajar aktif tipe inquiring" are two cuts
    of one longer run: a suffix of one is a prefix of the other.
    """
    for size in range(1, min(len(a), len(b))):
        if a[-size:] == b[:size] or b[-size:] == a[:size]:
            return True
    return False


def dependent_keys(candidates: dict, is_generic=None, reused=None) -> set:
    """Keys that never occur outside one longer candidate ("closed" filter).

    A sub-phrase counted exactly as often as a phrase containing it only
    ever occurs inside that phrase, so it adds nothing of its own, unless
    the longer phrase only adds generic words (``is_generic(word)``, e.g.
    words found in many documents of the corpus): then the sub-phrase is the
    term and both stay candidates.
    """
    drop = set()
    for key, cand in candidates.items():
        if cand.n_words < 2:
            continue
        for size in range(1, cand.n_words):
            for i in range(cand.n_words - size + 1):
                sub = key[i:i + size]
                other = candidates.get(sub)
                if other is not None and other.count <= cand.count:
                    extra = key[:i] + key[i + size:]
                    if is_generic is not None and all(is_generic(w) for w in extra):
                        continue
                    if reused is not None and reused(sub, key):
                        continue
                    drop.add(sub)
    return drop


def select_top(scored: list, n_tokens: int, top_n: int, mode: str, max_single: int | None = None,
               is_generic=None) -> list:
    """Best ``top_n`` of ``[(score, Candidate), ...]`` (higher is better) as records.

    Ties are broken by key, so the order never depends on dict order.  With
    ``max_single``, at most that many one-word phrases are kept (the rest of
    the list goes to longer phrases when there are enough of them).

    With mode "subphrase" or "concept" the list holds one entry per concept: no
    kept phrase holds, or lies inside, another, or repeats it up to word order,
    hyphens and spaces.  Candidates are taken best first, so of a cluster of
    nested phrases the form with the most evidence stands for the concept, and
    the places its other forms took go to other concepts.
    """
    scored = sorted(scored, key=lambda sc: (-round(sc[0], 9), sc[1].key))
    limit = max(0, int(top_n))
    kept: list = []
    results = []
    skipped: list = []
    singles = 0
    for score, cand in scored:
        if len(results) >= limit:
            break
        if redundant(cand, kept, mode, is_generic):
            continue
        if max_single is not None and cand.n_words == 1 and singles >= max_single:
            skipped.append((score, cand))
            continue
        singles += cand.n_words == 1
        kept.append(cand)
        results.append(keyphrase_record(cand, score, n_tokens))
    # too few longer phrases: fill up with the single words held back (those that
    # still overlap nothing kept)
    for score, cand in skipped:
        if len(results) >= limit:
            break
        if redundant(cand, kept, mode, is_generic):
            continue
        kept.append(cand)
        results.append(keyphrase_record(cand, score, n_tokens))
    results.sort(key=lambda r: (-r["score"], r["key"]))
    return results
