"""The lexicons cleanup judges words by: wordfreq's Zipf frequencies and Sastrawi's roots and stemmer.

Each is loaded on first use and cached for the life of the process (a process
that never cleans a document never imports wordfreq or Sastrawi); the heading
and function-word lists are packaged resources. A lexicon that is missing
reads as empty, so cleanup degrades to fewer repairs instead of failing.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from .. import LANGS
from ..resources import read_word_set
from ..stopwords import frequency_table

# What reading wordfreq's lists can raise: the package missing (ImportError), no list
# for the language (LookupError), a damaged or truncated file (OSError, EOFError, and
# ValueError from its header check and from msgpack).
_WORDFREQ_ERRORS = (ImportError, LookupError, OSError, EOFError, ValueError)


@functools.lru_cache(maxsize=1)
def section_headings() -> frozenset[str]:
    """The usual article section names (Abstrak, PENDAHULUAN, ...), lowercase."""
    return read_word_set("ocr_section_headings.txt")


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Function words that stay lowercase in a title-case line (dan, di, of, ...)."""
    return read_word_set("ocr_function_words.txt")


@functools.lru_cache(maxsize=1)
def sastrawi_roots() -> frozenset[str]:
    """Sastrawi's list of Indonesian root words, lowercase; empty when Sastrawi is missing."""
    try:
        import Sastrawi

        path = Path(Sastrawi.__file__).resolve().parent / "Stemmer" / "data" / "kata-dasar.txt"
        return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").split() if w.strip())
    except (ImportError, OSError, UnicodeError):  # lexicon missing: fall back to wordfreq only
        return frozenset()


@functools.lru_cache(maxsize=1)
def sastrawi_stemmer():
    """Sastrawi's stemmer (its rule modules sped up), or None when Sastrawi is missing."""
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        from ..stemming import speed_up_sastrawi

        # the factory raises RuntimeError when its root list is missing
        stemmer = StemmerFactory().create_stemmer()
        speed_up_sastrawi()
        return stemmer
    except (ImportError, RuntimeError, OSError, UnicodeError):
        return None
@functools.lru_cache(maxsize=4)
def frequency_dict(lang: str) -> dict[str, float]:
    """wordfreq's word list of ``lang`` as ``{word: zipf}``, empty when wordfreq is missing."""
    try:
        table = frequency_table(lang)
        if table is None:  # not readable directly: wordfreq's own dictionary
            from wordfreq import get_frequency_dict

            table = {w: round(math.log10(f) + 9, 2) for w, f in get_frequency_dict(lang).items() if f}
        return table
    except _WORDFREQ_ERRORS:
        return {}


def dict_zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` read straight from wordfreq's list (0.0 when absent or not letters).

    For a plain lowercase ASCII word this equals ``wordfreq.zipf_frequency``
    (wordfreq stores frequencies in whole centibels, so rounding to two
    decimals gives the same value) without its tokenizer, which is what
    makes the per-candidate look-ups of the misread repairs affordable.
    """
    z = frequency_dict(lang).get(word)
    if not z or not word.isalpha():
        return 0.0
    return z


@functools.lru_cache(maxsize=65536)
def _zipf_wordfreq(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, lang))
    except _WORDFREQ_ERRORS:
        return 0.0


@functools.lru_cache(maxsize=1 << 17)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (a plain list look-up for lowercase ASCII words)."""
    if word.isascii() and word.isalpha() and word.islower() and lang in LANGS:
        return dict_zipf(word, lang)
    return _zipf_wordfreq(word, lang)


def zipf_any(word: str) -> float:
    """Highest Zipf frequency of ``word`` (lowercased) in Indonesian or English."""
    w = word.lower()
    if not w or not w.isalpha():
        return 0.0
    return max(zipf(w, "id"), zipf(w, "en"))


@functools.lru_cache(maxsize=65536)
def root_known(word: str) -> bool:
    """True when Sastrawi strips an affix from ``word`` and the root is in its root list."""
    w = word.lower()
    if len(w) < 4 or not w.isalpha():
        return False
    roots = sastrawi_roots()
    if w in roots:
        return True
    stemmer = sastrawi_stemmer()
    if stemmer is None:
        return False
    # Nothing is caught here: Sastrawi's stem is string work on a word it first reduces
    # to [a-z0-9 -], and raises nothing on a string (an error would be a bug, which
    # clean_document records as a "degraded" change).
    root = stemmer.stem(w)
    return root != w and len(root) >= 3 and root in roots


def lex_zipf(word: str, lang: str) -> float:
    """Zipf frequency of lowercase ``word`` in ``lang`` ("id", "en"; anything else: the higher)."""
    if lang in LANGS:
        return zipf(word, lang)
    return max(zipf(word, "id"), zipf(word, "en"))
