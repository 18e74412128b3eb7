"""Indonesian stemming (Sastrawi, per token) and English lemmas (spaCy's tables, by part of speech).

Both work on one token at a time, never on raw text: tokenization is the job of
:mod:`pipeline.text.tokens`.

Indonesian rules on top of Sastrawi, in order:

1. a clitic written after a hyphen is dropped (``ACFTA-nya`` -> ``ACFTA``);
2. acronyms (all capitals, >= 2 letters, digits allowed) are kept as written;
3. capitalised words inside a sentence are proper nouns: lowercased, unstemmed;
4. hyphenated words: lexicalised reduplications (``kupu-kupu``) stay whole, full
   or affixed reduplications reduce to the stem of their base
   (``negara-negara`` -> ``negara``, ``tolong-menolong`` -> ``tolong``), and so
   do meN- reduplications, which repeat the nasalised base without ``me-``
   (``memanggil-manggil`` -> ``panggil``: ``me`` + ``manggil`` is a form of the
   first half's root); other compounds are lowercased whole;
5. variant spellings map to one canonical form (``kerja-sama`` -> ``kerjasama``);
6. an override table fixes known false roots (``perbankan`` -> ``bank``)
   and keeps closed-class words whole, because stemming them conflates
   unrelated words (``setelah`` -> ``telah``);
7. a Sastrawi root that never occurs as a word in running Indonesian text
   (wordfreq Zipf frequency below ``min_root_zipf``) is suspected to be a false
   dictionary hit (``memasuki`` -> ``pasuk``, ``melambangkan`` -> ``melambang``):
   the word is stemmed again with such rare roots hidden from Sastrawi's
   dictionary, and the new root is taken if it is a common word of 4+ letters
   (``masuk``, ``lambang``); otherwise an unattested root of <= 3 letters is
   rejected (the word stays unstemmed) and a longer one is kept, because long
   unattested roots are mostly genuine bound roots (``lingkung``, ``salur``).

8. lexicalised derivations stay whole: ke- ordinals and -an collectives of
   numerals (``kedua``, ``ratusan``), se-...-nya adverbs (``sebelumnya``), and
   -nya discourse adverbs that the stopword lists carry (``akhirnya``), when
   that -nya is a clitic (not the end of a root: ``bertanya`` -> ``tanya``);
9. ambiguous root boundaries: peN-/ke- nouns read ...-an, not -kan
   (``penegakan`` -> ``tegak``); per-/ber-/ter- before an r-root take the
   commoner dictionary root (``perasaan`` -> ``rasa``, ``beragam`` -> ``ragam``);
10. clitic and short pronouns take the full pronoun (``nya``/``ia`` -> ``dia``),
    from the override table;
11. a short root that wordfreq does not list (rule 7) is kept when the
    language builds on it: at least two of its regular derivatives are common
    words (``acu``: ``mengacu``, ``acuan``; ``aju``: ``mengajukan``,
    ``pengajuan``), the mark of a bound root rather than an accidental hit;
12. a compound written solid because it carries a prefix and a suffix at once
    (PUEBI: *gabungan kata yang mendapat awalan dan akhiran sekaligus ditulis
    serangkai*) reduces to the compound, written solid as UD Indonesian writes
    it (``pertanggungjawaban`` -> ``tanggungjawab``, ``penyalahgunaan`` ->
    ``salahguna``, ``kewarganegaraan`` -> ``warganegara``), when Sastrawi finds
    no root: both members must be common dictionary roots, and a word whose two
    written halves are words themselves is two words run together
    (``memberikangambaran``) unless the compound is attested written solid;
13. a part of speech, when the caller has one (:meth:`IndonesianStemmer.stem`
    ``upos``): a capitalised ``PROPN`` is a name, kept whole (lowercased) even
    where capitalisation says nothing, at the start of a sentence. Other tags
    leave the capitalisation rule as it is: treebanks disagree on whether a
    capitalised common noun inside a name (``Kementerian Keuangan``) is
    stemmed, and the keyword stage keeps names as written.

English: :class:`EnglishLemmatizer` (spaCy's rule lemmatizer given a universal
part of speech, spacy-lookups-data's lookup table without one).

How well this does against raw Sastrawi is measured by ``benchmarks/stemming_quality.py``
(figures in ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from .resources import read_tsv_pairs, read_word_set
from .stopwords import load_stopwords, zipf_frequency

# An acronym: only capitals and digits (with inner hyphens, dots, slashes or
# ampersands, optional final dot), at least two capital letters: ASEAN, ACFTA,
# COVID-19, R&D, U.S.; one capital suffices next to a digit (G20, 3D).
_ACRONYM_RE = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2}|.*[A-Z].*\d|.*\d.*[A-Z])[A-Z0-9]+(?:[-./&][A-Z0-9]+)*\.?$")
# Clitics and particles Indonesian sometimes writes after a hyphen.
_HYPHEN_CLITIC_RE = re.compile(r"^(.+?)-(nya|ku|mu|lah|kah|pun)$", re.IGNORECASE)
_SASTRAWI_WORD_RE = re.compile(r"^[a-z]+$")
_ALPHA_RE = re.compile(r"[^\W\d_]")

DEFAULT_CACHE_SIZE = 100_000
# A re-analysed root must be a common word (wordfreq Zipf >= 3: about once per
# million words) to replace Sastrawi's first answer.
ATTESTED_ROOT_ZIPF = 3.0
# Unattested Sastrawi roots this short are usually accidental dictionary hits.
MAX_SUSPECT_ROOT_LEN = 3
# ... unless this many of their regular derivatives are common words: the
# language builds on them (a bound root such as "acu", "aju").
MIN_ATTESTED_DERIVATIVES = 2
# Members of a solid compound (tanggung + jawab) are free words of at least
# this many letters: shorter strings split almost any long word by chance.
MIN_COMPOUND_MEMBER_LEN = 4
# Suffixes that close a circumfixed compound (with an optional clitic -nya),
# and how the prefixes that open one begin (meN-, di-, peN-/per-, ber-, ke-, ter-).
_COMPOUND_SUFFIXES = ("an", "kan", "i", "annya", "kannya", "inya")
_COMPOUND_PREFIX_STARTS = ("me", "di", "pe", "be", "ke", "te")
# meN-/peN- allomorphs before a root's first letter (KBBI nasal assimilation):
# (kept prefix ending, letters of the root dropped).
_NASAL = {
    **{c: ("ng", 0) for c in "aiueogh"},
    **{c: ("m", 0) for c in "bfv"},
    "p": ("m", 1),
    "t": ("n", 1),
    **{c: ("n", 0) for c in "cdjz"},
    "k": ("ng", 1),
    "s": ("ny", 1),
}
# Indonesian cardinal numerals (closed class): their ke- ordinals and -an
# collectives are kept whole.
_NUMERALS = frozenset(
    """satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas
    seratus seribu sejuta puluh belas ratus ribu juta miliar triliun""".split()
)


def bounded_put(cache: dict, key, value, size: int) -> None:
    """Store ``key -> value`` in a memo dict holding at most ``size`` entries.

    The oldest entry is dropped first (dicts keep insertion order); ``size <= 0``
    disables memoisation.
    """
    if size <= 0:
        return
    if len(cache) >= size:
        cache.pop(next(iter(cache)))
    cache[key] = value


def is_acronym(word: str) -> bool:
    """Return True for an all-capitals token with at least two letters.

    Parameters
    ----------
    word : str
        A single token.

    Returns
    -------
    bool
        ``ASEAN``, ``COVID-19``, ``G20`` are acronyms; ``Bali``, ``PhD``, ``A``, ``2019`` are not.
    """
    return bool(_ACRONYM_RE.match(word))


def is_capitalised(word: str) -> bool:
    """Return True for a word whose first letter is upper case and the rest lower case."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and not any(c.isupper() for c in letters[1:])


def load_stem_overrides() -> dict[str, str]:
    """Return the ``word -> root`` table of ``stem_overrides_id.tsv``."""
    return dict(read_tsv_pairs("stem_overrides_id.tsv"))


def load_variant_spellings() -> dict[tuple[str, ...], str]:
    """Return ``variant_spellings_id.tsv`` as ``(token, ...) -> canonical``.

    Returns
    -------
    dict
        Keys are tuples of lowercase tokens (one item for a single-token
        variant such as ``kerja-sama``, two for ``kerja sama``).
    """
    return {tuple(key.split()): value for key, value in read_tsv_pairs("variant_spellings_id.tsv")}


def load_fixed_reduplications() -> frozenset[str]:
    """Return the lexicalised reduplications of ``fixed_reduplications_id.txt``."""
    return read_word_set("fixed_reduplications_id.txt")


def merge_variants(
    tokens: Sequence[str],
    variants: Mapping[tuple[str, ...], str] | None = None,
    whitespace: Sequence[str] | None = None,
) -> list[tuple[str, str | None]]:
    """Join multi-token variant spellings into single tokens.

    Parameters
    ----------
    tokens : sequence of str
        Surface tokens of one sentence.
    variants : mapping, optional
        ``(token, ...) -> canonical`` (default: :func:`load_variant_spellings`).
    whitespace : sequence of str, optional
        The whitespace following each token in the original text, used to
        rebuild the surface of a merged span; a single space by default.

    Returns
    -------
    list of (str, str or None)
        ``(surface, canonical)`` per output token; ``canonical`` is None when
        the token is not a known variant. ``["kerja", "sama"]`` gives
        ``[("kerja sama", "kerjasama")]``.
    """
    if variants is None:
        variants = _default_variants()
    max_len = max((len(k) for k in variants), default=1)
    lowered = [t.lower() for t in tokens]
    merged: list[tuple[str, str | None]] = []
    i = 0
    while i < len(tokens):
        match = None
        for n in range(min(max_len, len(tokens) - i), 0, -1):
            canonical = variants.get(tuple(lowered[i : i + n]))
            if canonical is not None:
                match = (n, canonical)
                break
        if match is None:
            merged.append((tokens[i], None))
            i += 1
            continue
        n, canonical = match
        if whitespace is None:
            surface = " ".join(tokens[i : i + n])
        else:
            surface = "".join(tokens[j] + (whitespace[j] or " ") for j in range(i, i + n - 1)) + tokens[i + n - 1]
        merged.append((surface, canonical))
        i += n
    return merged


class _PrecompiledRe:
    """Stand-in for the ``re`` module inside Sastrawi's modules: same results, less overhead.

    Sastrawi calls ``re.match(pattern_text, word)`` some forty times per word
    and ``re.sub(root, "", word, count=1)`` with each root as a pattern, so
    ``re``'s cache look-up runs for every rule of every new word and every new
    root is compiled as a regular expression (the 512-entry cache keeps evicting
    them). Here patterns are compiled once into a plain dict, and
    a pattern of letters and digits only (which a regex matches literally) is
    replaced with ``str.replace``: the same string, since both replace the
    leftmost non-overlapping occurrences.
    """

    _MAX_PATTERNS = 4096

    def __init__(self):
        self._compiled: dict = {}
        # pattern -> bound ``match`` of the pattern compiled without flags (the hot path)
        self._matchers: dict = {}

    def _compile(self, pattern, flags: int):
        key = (pattern, flags)
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= self._MAX_PATTERNS:
                self._compiled.clear()
            compiled = self._compiled[key] = re.compile(pattern, flags)
        return compiled

    def match(self, pattern, string, flags=0):
        if not flags:
            matcher = self._matchers.get(pattern)
            if matcher is None:
                if len(self._matchers) >= self._MAX_PATTERNS:
                    self._matchers.clear()
                matcher = self._matchers[pattern] = re.compile(pattern).match
            return matcher(string)
        return self._compile(pattern, flags).match(string)

    def sub(self, pattern, repl, string, count=0, flags=0):
        if (
            not flags and count >= 0 and type(pattern) is str and type(repl) is str and type(string) is str
            and pattern.isalnum() and "\\" not in repl
        ):
            return string.replace(pattern, repl, count or -1)
        return self._compile(pattern, flags).sub(repl, string, count)

    def __getattr__(self, name):
        return getattr(re, name)


_SASTRAWI_RE = _PrecompiledRe()


def speed_up_sastrawi() -> None:
    """Give Sastrawi's loaded modules :class:`_PrecompiledRe` as their ``re`` (idempotent).

    Stems are unchanged (the stand-in returns what ``re`` returns); Sastrawi
    spends less time per new word. Call after building a Sastrawi stemmer, when
    all its rule modules are imported.
    """
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("Sastrawi") and getattr(module, "re", None) is re:
            module.re = _SASTRAWI_RE


_VARIANTS_CACHE: dict[str, dict[tuple[str, ...], str]] = {}


def _default_variants() -> dict[tuple[str, ...], str]:
    # Read once per process: the table is a packaged, read-only resource.
    if "id" not in _VARIANTS_CACHE:
        _VARIANTS_CACHE["id"] = load_variant_spellings()
    return _VARIANTS_CACHE["id"]


class _FrequencyFilteredDictionary:
    """Sastrawi dictionary view hiding roots that are not attested as words.

    Sastrawi accepts an analysis as soon as the stripped string is in its
    29,932-entry root list, which holds many archaic or regional homographs
    (``gera``, ``meni``, ``upa``). Hiding roots with a wordfreq Zipf frequency
    below a floor makes Sastrawi continue to its next analysis
    (``gerakan`` -> ``gerak``, ``menikah`` -> ``nikah``).
    """

    def __init__(self, words: Mapping[str, str], min_zipf: float, zipf):
        self.words = words
        self.min_zipf = min_zipf
        self._zipf = zipf

    def contains(self, word: str) -> bool:
        return word in self.words and self._zipf(word) >= self.min_zipf

    def count(self) -> int:
        return len(self.words)


def regular_derivatives(root: str) -> frozenset[str]:
    """Return the regular affixed forms of an Indonesian root.

    meN- and peN- take the allomorph of the root's first letter (``tulis`` ->
    ``menulis``, ``penulisan``); the other affixes attach as they are. The set
    is what the language would build on a productive root, used to tell a
    bound root (many of these are words) from an accidental dictionary hit.

    Parameters
    ----------
    root : str
        A lowercase root.

    Returns
    -------
    frozenset of str
        ``meN-``, ``meN-...-kan``, ``meN-...-i``, ``di-``, ``di-...-kan``,
        ``di-...-i``, ``-an``, ``-kan``, ``peN-``, ``peN-...-an``, ``ber-``,
        ``ter-``, ``ke-...-an``, ``per-...-an`` forms of ``root``.
    """
    if not root:
        return frozenset()
    ending, dropped = _NASAL.get(root[0], ("", 0))
    nasal_base = ending + root[dropped:]
    me, pe = "me" + nasal_base, "pe" + nasal_base
    return frozenset(
        {me, me + "kan", me + "i", pe, pe + "an", "di" + root, "di" + root + "kan", "di" + root + "i",
         root + "an", root + "kan", "ber" + root, "ter" + root, "ke" + root + "an", "per" + root + "an"}
    )


class _CompoundDictionary:
    """Sastrawi dictionary view that also accepts a solid compound of two roots.

    ``contains("tanggungjawab")`` is true because ``tanggung`` and ``jawab``
    are both dictionary roots, common words (wordfreq Zipf >= ``min_zipf``) and
    at least :data:`MIN_COMPOUND_MEMBER_LEN` letters long. The split found is
    remembered (:meth:`split_of`) for the caller's checks.
    """

    def __init__(self, words: Mapping[str, str], min_zipf: float, zipf):
        self.words = words
        self.min_zipf = min_zipf
        self._zipf = zipf
        self._splits: dict[str, int] = {}
        # Sastrawi asks about the same string after every rule it tries.
        self._not_compounds: dict[str, bool] = {}

    def split_of(self, word: str) -> int | None:
        """Return where the compound ``word`` splits into its two roots (None if not a compound)."""
        return self._splits.get(word)

    def contains(self, word: str) -> bool:
        if not word:
            return False
        if word in self.words:
            return True
        if word in self._splits:
            return True
        if word in self._not_compounds:
            return False
        for cut in range(MIN_COMPOUND_MEMBER_LEN, len(word) - MIN_COMPOUND_MEMBER_LEN + 1):
            first, second = word[:cut], word[cut:]
            if (
                first in self.words and second in self.words
                and self._zipf(first) >= self.min_zipf and self._zipf(second) >= self.min_zipf
            ):
                bounded_put(self._splits, word, cut, DEFAULT_CACHE_SIZE)
                return True
        bounded_put(self._not_compounds, word, True, DEFAULT_CACHE_SIZE)
        return False

    def count(self) -> int:
        return len(self.words)


class IndonesianStemmer:
    """Per-token Indonesian stemmer: Sastrawi plus the rules in the module docstring.

    Parameters
    ----------
    overrides : dict, optional
        ``word -> root`` corrections (lowercase); default: ``stem_overrides_id.tsv``.
    variants : dict, optional
        ``(token, ...) -> canonical`` spellings; default: ``variant_spellings_id.tsv``.
    fixed_reduplications : frozenset of str, optional
        Reduplications kept whole; default: ``fixed_reduplications_id.txt``.
    min_root_zipf : float, default 1.0
        Roots rarer than this wordfreq Zipf value trigger re-analysis
        (``None`` disables the rule).
    cache_size : int, default 100_000
        Bound on the number of memoised word stems.
    """

    def __init__(
        self,
        overrides: dict | None = None,
        variants: dict | None = None,
        fixed_reduplications: frozenset[str] | None = None,
        min_root_zipf: float | None = 1.0,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ):
        self.overrides = overrides
        self.variants = variants
        self.fixed_reduplications = fixed_reduplications
        self.min_root_zipf = min_root_zipf
        self.cache_size = cache_size
        self._overrides = {k.lower(): v.lower() for k, v in (load_stem_overrides() if overrides is None else overrides).items()}
        self._variants = _default_variants() if variants is None else dict(variants)
        self._single_variants = {k[0]: v for k, v in self._variants.items() if len(k) == 1}
        self._fixed = load_fixed_reduplications() if fixed_reduplications is None else frozenset(fixed_reduplications)
        self._nya_function_words = frozenset(
            w for w in load_stopwords("id", include_academic=False) if w.endswith("nya") and "-" not in w
        )
        self._sastrawi = None
        self._sastrawi_filtered = None
        self._sastrawi_compounds = None
        self._zipf_cache: dict[str, float] = {}
        self._cache: dict[str, str] = {}

    # -- Sastrawi ------------------------------------------------------------
    def _build_sastrawi(self) -> None:
        # Sastrawi's plain Stemmer (not the factory's CachedStemmer, whose cache
        # is unbounded): our own bounded cache sits in front of it.
        from Sastrawi.Stemmer.Stemmer import Stemmer
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        base = StemmerFactory().create_stemmer().delegatedStemmer
        speed_up_sastrawi()
        self._sastrawi = base
        if self.min_root_zipf is not None:
            filtered = _FrequencyFilteredDictionary(base.get_dictionary().words, self.min_root_zipf, self._zipf)
            self._sastrawi_filtered = Stemmer(filtered)
        self._compound_dictionary = _CompoundDictionary(base.get_dictionary().words, ATTESTED_ROOT_ZIPF, self._zipf)
        self._sastrawi_compounds = Stemmer(self._compound_dictionary)

    def _in_dictionary(self, word: str) -> bool:
        if self._sastrawi is None:
            self._build_sastrawi()
        return word in self._sastrawi.get_dictionary().words

    def _zipf(self, word: str) -> float:
        value = self._zipf_cache.get(word)
        if value is None:
            try:
                value = zipf_frequency(word, "id")
            except (ImportError, LookupError, OSError):  # wordfreq or its list missing: never block stemming
                value = 99.0
            bounded_put(self._zipf_cache, word, value, self.cache_size)
        return value

    def sastrawi_root(self, word: str) -> str:
        """Return raw Sastrawi's root of one lowercase word (no extra rules)."""
        if self._sastrawi is None:
            self._build_sastrawi()
        if not _SASTRAWI_WORD_RE.match(word):
            return word
        return self._sastrawi.stem_word(word)

    def _stem_lower(self, word: str) -> str:
        """Stem one lowercase unhyphenated word (cached)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        result = self._stem_lower_uncached(word)
        bounded_put(self._cache, word, result, self.cache_size)
        return result

    def _stem_lower_uncached(self, word: str) -> str:
        if word in self._overrides:
            return self._overrides[word]
        if word in self._single_variants:
            return self._single_variants[word]
        if not _SASTRAWI_WORD_RE.match(word):
            return word
        if self._is_lexicalised(word):
            return word
        root = self.sastrawi_root(word)
        if root != word and word.endswith("kan") and word.startswith(("pe", "ke")):
            # peN-/per-/ke- nouns take the confix ...-an, never the verbal
            # suffix -kan: a root ending in k is read whole (penegakan -> tegak,
            # not tega; kerusakan -> rusak, not rusa).
            an_reading = self.sastrawi_root(word[:-2])
            if an_reading == root + "k":
                root = an_reading
        if root != word and word.startswith(("per", "ber", "ter")) and not root.startswith("r"):
            # The r of per-/ber-/ter- may begin the root: per-asa-an or
            # pe-rasa-an? Take the reading whose root is the commoner word
            # (perasaan, terasa -> rasa; beragam -> ragam; berasal -> asal).
            r_root = "r" + root
            if self._in_dictionary(r_root) and self._zipf(r_root) > self._zipf(root):
                root = r_root
        if root != word and self._sastrawi_filtered is not None and self._zipf(root) < self.min_root_zipf:
            # Unattested root: prefer Sastrawi's next analysis when that one is
            # a common word; else distrust only short roots (long unattested
            # roots are usually bound morphemes: lingkung, labuh, salur).
            retry = self._sastrawi_filtered.stem_word(word)
            if retry != word and len(retry) >= 4 and self._zipf(retry) >= ATTESTED_ROOT_ZIPF:
                root = retry
            elif len(root) <= MAX_SUSPECT_ROOT_LEN and not self._is_productive_root(root):
                root = word
        if root == word:
            root = self._circumfixed_compound(word) or word
        return self._single_variants.get(root, root)

    def _is_productive_root(self, root: str) -> bool:
        """Return True when enough regular derivatives of ``root`` are common words.

        A bound root (``acu``) is not a word itself, but the language builds on
        it (``mengacu``, ``acuan``); an accidental dictionary hit has no such
        family (``nal`` of ``penal``: only ``kenalan``, which is ``kenal`` + ``-an``).
        """
        attested = sum(1 for form in regular_derivatives(root) if self._zipf(form) >= ATTESTED_ROOT_ZIPF)
        return attested >= MIN_ATTESTED_DERIVATIVES

    def _circumfixed_compound(self, word: str) -> str | None:
        """Return the solid compound inside a circumfixed word, or None.

        ``pertanggungjawaban`` -> ``tanggungjawab`` (rule 12 of the module
        docstring). Tried only on words Sastrawi leaves whole: its stemmer runs
        again with :class:`_CompoundDictionary`, and the answer is kept when

        * a suffix follows the compound and a prefix precedes it (only then is
          a compound written solid), the prefix never holding an inner ``di-``
          (passive ``di-`` comes first: ``mendiseminasikan`` is not
          ``men-di-semi-nasi-kan``);
        * the written word does not split, where the compound's members meet,
          into two common words (``memberikan|gambaran`` is two words run
          together), unless the compound itself is a common word written solid
          (``pertanggung|jawaban``, ``tanggungjawab``).
        """
        if (
            len(word) < 2 * MIN_COMPOUND_MEMBER_LEN + 3
            or not word.startswith(_COMPOUND_PREFIX_STARTS)
            or not word.endswith(_COMPOUND_SUFFIXES)
        ):
            return None
        if self._sastrawi_compounds is None:
            self._build_sastrawi()
        if word in self._compound_dictionary.words:
            return None
        compound = self._sastrawi_compounds.stem_word(word)
        cut = self._compound_dictionary.split_of(compound)
        if compound == word or cut is None or compound in self._compound_dictionary.words:
            return None
        suffix = next((sfx for sfx in _COMPOUND_SUFFIXES if word.endswith(compound[1:] + sfx)), None)
        if suffix is None:
            return None
        # The compound's first letter may have merged with a nasal prefix
        # (penyalahgunaan: peny- + salah), so the prefix is measured from its end.
        prefix = word[: len(word) - len(suffix) - len(compound) + 1]
        if len(prefix) < 3 or "di" in prefix[1:]:
            return None
        second = compound[cut:]
        boundary = len(word) - len(suffix) - len(second)
        written_halves_are_words = (
            self._zipf(word[:boundary]) >= ATTESTED_ROOT_ZIPF
            and self._zipf(word[boundary:].removesuffix("nya")) >= ATTESTED_ROOT_ZIPF
        )
        if written_halves_are_words and self._zipf(compound) < ATTESTED_ROOT_ZIPF:
            return None
        return compound

    def _is_lexicalised(self, word: str) -> bool:
        """Return True for derived words that are words of their own, kept whole.

        * ordinals and collective numerals: ``ke-`` + numeral (``kedua``,
          ``ketiga``) and numeral + ``-an`` (``ratusan``): stemming them would
          merge "second" with "two";
        * adverbs built with the confix ``se-...-nya`` on a root
          (``sebelumnya``, ``sebaiknya``, ``setidaknya``);
        * ``-nya`` words that the stopword lists carry whole on an unaffixed
          base (``akhirnya``, ``lainnya``, ``biasanya``): discourse adverbs
          whose stem is a different content word.
        """
        if word in _NUMERALS or (word.startswith("ke") and word[2:] in _NUMERALS):
            return True
        if word.endswith("an") and word[:-2] in _NUMERALS:
            return True
        if len(word) > 6 and word.endswith("nya"):
            base = word[:-3]
            if word.startswith("se") and self.sastrawi_root(base) == base[2:]:
                return True
            # -nya must be the clitic Sastrawi strips (akhir-nya), not the end
            # of a root (ber-tanya, di-tanya: stopwords too, but verbs).
            if word in self._nya_function_words and self.sastrawi_root(base) == base == self.sastrawi_root(word):
                return True
        return False

    # -- public --------------------------------------------------------------
    def stem(self, word: str, sentence_initial: bool = False, upos: str | None = None) -> str:
        """Return the normalized form of one Indonesian token.

        Parameters
        ----------
        word : str
            One token as written.
        sentence_initial : bool, default False
            True when capitalisation carries no information (first word of a
            sentence, title-case headings); otherwise a capitalised word is a
            proper noun and is only lowercased.
        upos : str, optional
            The token's universal part of speech, from a tagger. ``"PROPN"``
            keeps a capitalised word whole (lowercased) even at the start of a
            sentence, where capitalisation says nothing (rule 13 of the module
            docstring); other tags and ``None`` (default) leave the
            capitalisation rule alone.

        Returns
        -------
        str
            The stem, lowercased, or the acronym as written.
        """
        if not word or not _ALPHA_RE.search(word):
            return word
        match = _HYPHEN_CLITIC_RE.match(word)
        base = match.group(1) if match and _ALPHA_RE.search(match.group(1)) else word
        if is_acronym(base):
            return base
        lower = base.lower()
        if upos == "PROPN" and "-" not in lower and base != lower:
            # A name, wherever it stands (Bekasi at the start of a sentence).
            return self._single_variants.get(lower, lower)
        if not sentence_initial and is_capitalised(base) and "-" not in lower:
            # A proper noun (Bali, Bekasi, Nya): lowercased, never rewritten.
            return self._single_variants.get(lower, lower)
        if lower in self._overrides:
            return self._overrides[lower]
        if lower in self._single_variants:
            return self._single_variants[lower]
        if "-" in lower:
            return self._stem_hyphenated(base, sentence_initial)
        return self._stem_lower(lower)

    def _stem_hyphenated(self, word: str, sentence_initial: bool) -> str:
        lower = word.lower()
        if lower in self._fixed:
            return lower
        parts = [p for p in word.split("-")]
        if len(parts) == 2 and all(_SASTRAWI_WORD_RE.match(p.lower()) for p in parts):
            first, second = parts[0].lower(), parts[1].lower()
            proper = not sentence_initial and is_capitalised(parts[0]) and is_capitalised(parts[1])
            if first == second:
                # Full reduplication marks plurality: negara-negara -> negara.
                return first if proper else self._stem_lower(first)
            if not proper:
                # Affixed reduplication (berbalas-balasan, tolong-menolong):
                # both halves reduce to one root.
                root_first, root_second = self._stem_lower(first), self._stem_lower(second)
                if root_first == root_second and len(root_first) >= 3:
                    return root_first
                # meN- reduplication repeats the nasalised base without me-
                # (memanggil-manggil, menyebut-nyebut, meniru-nirukan): me- +
                # the second half is a form of the first half's root.
                if len(root_first) >= 3 and self._stem_lower("me" + second) == root_first:
                    return root_first
        # A compound (e-commerce, ASEAN-China): keep whole, acronym parts as written.
        return "-".join(p if is_acronym(p) else p.lower() for p in parts)


# Lookup entries that cross parts of speech (ordinal -> numeral, comparative ->
# positive, gerund noun -> verb, Latin plural -> singular). They are right for
# some readings but merge distinct index terms in academic text, so these words
# are kept as they are when no part of speech is known.
_EN_KEEP_AS_IS = frozenset(
    """as first second third fourth fifth number data media criteria
    well more most less least further better best worse worst related finding
    meaning bit left""".split()
)
_EN_FIXED_LEMMAS = {"findings": "finding", "numbers": "number"}
# With a part of speech the crossings above resolve themselves (``finding``
# NOUN stays, ``left`` VERB is ``leave``, ``best`` ADJ is ``good`` as in UD),
# except Latin plurals that English uses as words of their own: ``data`` and
# ``media`` are not the plurals of a geodetic ``datum`` or an artist's
# ``medium`` in academic text (UD English-EWT lemmatises ``data`` as ``data``).
_EN_KEEP_AS_IS_TAGGED = frozenset({"data", "media", "criteria"})
# Universal tags spaCy's rule tables cover (spacy-lookups-data ``lemma_rules``,
# ``lemma_index``, ``lemma_exc``); every other tag takes the lookup table.
_EN_RULE_UPOS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})


_LOOKUP_TABLES: dict[tuple[str, str], Mapping] = {}


def load_lookup_table(lang: str, table: str) -> Mapping:
    """Return one spacy-lookups-data table as a plain dict, read once per process.

    The gzipped JSON file is read directly from the installed
    ``spacy_lookups_data`` package: the same data as
    ``spacy.lookups.load_lookups(lang, [table])``, without importing spaCy or
    hashing every key into a ``Table`` (slow for a table the size of English
    ``lemma_lookup``). Falls back to ``load_lookups`` when the file is not where
    expected, and to an empty dict when the data is missing.

    Parameters
    ----------
    lang : str
        Language code (``"en"``).
    table : str
        Table name (``"lemma_lookup"``).

    Returns
    -------
    mapping
        ``str -> value`` (``.get``); shared between callers, do not modify.
    """
    key = (lang, table)
    cached = _LOOKUP_TABLES.get(key)
    if cached is not None:
        return cached
    data = None
    try:
        import gzip
        import json
        from importlib.util import find_spec

        spec = find_spec("spacy_lookups_data")
        if spec is not None and spec.origin:
            path = Path(spec.origin).parent / "data" / f"{lang}_{table}.json"
            if path.exists():
                data = json.loads(path.read_text(encoding="utf-8"))
            elif path.with_name(path.name + ".gz").exists():
                with gzip.open(path.with_name(path.name + ".gz"), "rt", encoding="utf-8") as handle:
                    data = json.load(handle)
    except (ImportError, OSError, EOFError, zlib.error, ValueError):  # unreadable: try spaCy's own loader below
        data = None
    if not isinstance(data, dict):
        try:
            from spacy.lookups import load_lookups

            data = load_lookups(lang, [table]).get_table(table)  # a Table: .get(str) works
        except (ImportError, OSError, ValueError, KeyError):  # tables missing: degrade to lowercasing
            data = {}
    _LOOKUP_TABLES[key] = data
    return data


class EnglishLemmatizer:
    """English lemmas: spaCy's rule lemmatizer given a part of speech, its lookup table otherwise.

    ``lemma(word)`` reads spacy-lookups-data's ``lemma_lookup`` (one lemma per
    form, whatever the part of speech). ``lemma(word, upos)`` with a universal
    tag NOUN, VERB, ADJ or ADV runs spaCy's own rule lemmatizer
    (``spacy.lang.en.lemmatizer.EnglishLemmatizer`` in ``"rule"`` mode, tables
    ``lemma_rules``, ``lemma_index``, ``lemma_exc``), which knows that
    ``meaning`` NOUN is ``meaning`` and ``meaning`` VERB is ``mean``. Two
    decisions are added around it, because without morphological features
    spaCy cannot tell an uninflected word:

    * when no rule reaches a known lemma and no exception applies, a word that
      is itself a known lemma of its part of speech stays (``other`` ADJ,
      ``process`` NOUN; spaCy would strip ``-er`` or ``-s`` into ``oth``,
      ``proces``);
    * when the rules reach several known lemmas, the lookup table's lemma
      among them wins (``hoping`` VERB: ``hope``, not ``hop``).

    Other tags (PROPN, AUX, PRON, ...), words with digits or apostrophes, and
    a missing or unknown tag take the lookup table. Acronyms are kept as
    written; other words are lowercased. Hyphenated compounds are lemmatised
    on their last part (``decision-makers`` -> ``decision-maker``).

    Parameters
    ----------
    cache_size : int, default 100_000
        Bound on the number of memoised lemmas.
    """

    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE):
        self.cache_size = cache_size
        self._table = None
        self._rules = None
        self._cache: dict[tuple[str, str | None], str] = {}

    def _load_table(self):
        self._table = load_lookup_table("en", "lemma_lookup")

    def _load_rules(self):
        # spaCy's Lemmatizer tests ``form in index`` on each table; the package
        # stores the index as lists, so sets are passed (same answers, no scan).
        from spacy.lang.en.lemmatizer import EnglishLemmatizer as SpacyEnglishLemmatizer
        from spacy.lookups import Lookups
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        index = {pos: frozenset(words) for pos, words in load_lookup_table("en", "lemma_index").items()}
        exceptions = load_lookup_table("en", "lemma_exc")
        lookups = Lookups()
        lookups.add_table("lemma_index", index)
        lookups.add_table("lemma_exc", exceptions)
        lookups.add_table("lemma_rules", load_lookup_table("en", "lemma_rules"))
        lemmatizer = SpacyEnglishLemmatizer(Vocab(), None, mode="rule")
        lemmatizer.initialize(lookups=lookups)
        self._rules = (lemmatizer, Doc, index, exceptions)

    def _lookup(self, lower: str) -> str:
        if lower in _EN_FIXED_LEMMAS:
            return _EN_FIXED_LEMMAS[lower]
        if lower in _EN_KEEP_AS_IS:
            return lower
        if self._table is None:
            self._load_table()
        lemma = self._table.get(lower, lower)
        return lemma.lower() if isinstance(lemma, str) and lemma else lower

    def _rule_lemma(self, lower: str, upos: str) -> str:
        """Lemma of a lowercase word with a tag of :data:`_EN_RULE_UPOS` (see the class docstring)."""
        if lower in _EN_KEEP_AS_IS_TAGGED:
            return lower
        if self._rules is None:
            self._load_rules()
        lemmatizer, doc_class, index, exceptions = self._rules
        pos = upos.lower()
        forms = lemmatizer.rule_lemmatize(doc_class(lemmatizer.vocab, words=[lower], pos=[upos])[0])
        if len(lemmatizer.cache) > DEFAULT_CACHE_SIZE:
            # spaCy memoises every word without bound, and its vocabulary keeps
            # every string: a fresh lemmatizer (about 20 ms) bounds both.
            self._rules = None
        known = index.get(pos, frozenset())
        if forms[0] not in known and not exceptions.get(pos, {}).get(lower) and lower in known:
            return lower
        if len(forms) > 1:
            looked_up = self._lookup(lower)
            if looked_up in forms:
                return looked_up
        return forms[0].lower()

    def _lemma_lower(self, lower: str, upos: str | None) -> str:
        if upos in _EN_RULE_UPOS and lower.isalpha():
            return self._rule_lemma(lower, upos)
        return self._lookup(lower)

    def lemma(self, word: str, upos: str | None = None) -> str:
        """Return the lemma of one English token.

        Parameters
        ----------
        word : str
            One token as written.
        upos : str, optional
            Its universal part of speech (``"NOUN"``, ``"VERB"``, ...), from a
            tagger; None (default) gives the lookup table's lemma.

        Returns
        -------
        str
            Lowercase lemma, or the acronym as written.
        """
        if not word or not _ALPHA_RE.search(word):
            return word
        if is_acronym(word):
            return word
        # Plural acronyms: "NGOs" -> "NGO".
        if len(word) > 2 and word.endswith("s") and is_acronym(word[:-1]):
            return word[:-1]
        key = (word, upos)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        lower = word.lower()
        if "-" in lower.strip("-"):
            parts = word.split("-")
            head = [p if is_acronym(p) else p.lower() for p in parts[:-1]]
            if not parts[-1] or is_acronym(parts[-1]):
                last = parts[-1]
            else:
                last = self._lemma_lower(parts[-1].lower(), upos)
            result = "-".join(head + [last])
        else:
            result = self._lemma_lower(lower, upos)
        bounded_put(self._cache, key, result, self.cache_size)
        return result


@lru_cache(maxsize=None)
def word_normalizer(lang: str) -> "IndonesianStemmer | EnglishLemmatizer | None":
    """The process's one stemmer (``id``) or lemmatizer (``en``) for single words met
    outside a :class:`~pipeline.text.tokens.Normalizer` (shouted headings of keyphrases,
    corpus theme keys); None for other languages.

    Built once and shared: building the Indonesian stemmer costs about a fifth of a
    second, and its cache serves every caller.
    """
    if lang == "id":
        return IndonesianStemmer()
    if lang == "en":
        return EnglishLemmatizer()
    return None
