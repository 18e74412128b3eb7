"""Stopword lists for the normalize stage.

The lists are packaged resource files (``pipeline/text/resources/``), so they can be
edited without touching code:

* ``stopwords_id.txt``  -- PySastrawi's list merged with spaCy's Indonesian list,
* ``stopwords_en.txt``  -- spaCy's English list,
* ``academic_stopwords_{id,en}.txt`` -- frame words of journal abstracts
  ("penelitian", "hasil", "study", "paper", ...);
* ``not_stopwords_{lang}.txt`` -- content words (nouns, adjectives) that the
  general lists carry but that may belong in keyphrases ("dataran tinggi",
  "lingkungan kerja"), selected by the rule in the file's header. Removed from
  the general list only with ``content_exceptions=True`` (off by default: it did
  not improve keyword quality, see ``benchmarks/RESULTS.md``). The academic list
  and extra files are added after the removal, so they can still make such a
  word a stopword.
"""

from __future__ import annotations

import math
import zlib
from functools import lru_cache
from pathlib import Path

from . import LANGS
from .resources import read_word_list


@lru_cache(maxsize=1)
def _english_function_words() -> frozenset[str]:
    """English stopwords that are not Indonesian words, for Indonesian text.

    Indonesian articles quote English phrases and untranslated sentences; without
    these, "the", "of", "and" become Indonesian content words and whole topics. A
    word stays out when it is at least as frequent in Indonesian as in English
    (wordfreq), so no Indonesian word is ever dropped this way.
    """
    return frozenset(
        w for w in read_word_list("stopwords_en.txt")
        if w.isalpha() and zipf_frequency(w, "id") < zipf_frequency(w, "en") - 0.5
    )


# --------------------------------------------------------------------------
# word frequencies: wordfreq's own lists, read without importing wordfreq
# --------------------------------------------------------------------------


def _wordfreq_list_path(lang: str) -> Path | None:
    """The file wordfreq's default (``"best"``) list of ``lang`` is read from, or None.

    wordfreq takes its ``large_<lang>`` list where it has one and its
    ``small_<lang>`` list otherwise. The package is located, not imported:
    importing it (and its language-code and tokenizer modules) is a noticeable
    part of a short process's start.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("wordfreq")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for size in ("large", "small"):
            path = Path(location) / "data" / f"{size}_{lang}.msgpack.gz"
            if path.is_file():
                return path
    return None


def _read_cbpack(path: Path) -> list:
    """The frequency bands of a wordfreq ``cBpack`` file (as ``wordfreq.read_cBpack`` reads them).

    Band ``i`` holds the words whose frequency is ``-i`` centibels
    (``10 ** (-i / 100)``).
    """
    import gzip

    import msgpack

    data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False, use_list=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path} is not a wordfreq cBpack file")
    return data[1:]


def _band_zipf(band: int) -> float:
    """Zipf value of frequency band ``band``: ``zipf_frequency``'s rounding of ``10 ** (-band / 100)``."""
    return round(math.log10(10 ** (-band / 100)) + 9, 2)


@lru_cache(maxsize=4)
def frequency_table(lang: str) -> dict[str, float] | None:
    """Every word of wordfreq's word list for ``lang`` with its Zipf frequency.

    Parameters
    ----------
    lang : str
        ``"id"``, ``"en"`` or another code wordfreq has a list for under that
        exact name.

    Returns
    -------
    dict of str to float, or None
        ``word -> zipf``, the value ``wordfreq.zipf_frequency`` gives a word
        that is a single token (for a word that occurs in several bands the
        last, as in ``wordfreq.get_frequency_dict``); None when wordfreq or its
        list is missing. Read straight from wordfreq's packaged file, which
        costs much less than importing wordfreq and building its frequency
        dictionary.
    """
    path = _wordfreq_list_path(lang)
    if path is None:
        return None
    try:
        bands = _read_cbpack(path)
    # unreadable (gzip, msgpack) or another format: let callers ask wordfreq itself
    except (ImportError, OSError, EOFError, zlib.error, ValueError, TypeError, IndexError):
        return None
    table: dict[str, float] = {}
    for band, words in enumerate(bands):
        table.update(dict.fromkeys(words, _band_zipf(band)))
    return table


def zipf_frequency(word: str, lang: str) -> float:
    """wordfreq's ``zipf_frequency(word, lang)`` (default list, minimum 0).

    A lowercase ASCII word of letters is one token to wordfreq's tokenizer and
    is looked up in :func:`frequency_table`, without importing wordfreq; any
    other word goes to wordfreq itself (its tokenizer folds case, splits and
    normalises).

    Parameters
    ----------
    word : str
    lang : str

    Returns
    -------
    float
        0.0 for a word absent from the list.

    Raises
    ------
    ImportError
        When wordfreq is not installed and the word needs its tokenizer.
    """
    if word.isascii() and word.isalpha() and word.islower():
        table = frequency_table(lang)
        if table is not None:
            return table.get(word, 0.0)
    from wordfreq import zipf_frequency as wordfreq_zipf

    return float(wordfreq_zipf(word, lang))


@lru_cache(maxsize=32)
def load_stopwords(
    lang: str,
    extra_files: tuple[str, ...] = (),
    include_academic: bool = True,
    content_exceptions: bool = False,
) -> frozenset[str]:
    """Return the stopword set of a language.

    Parameters
    ----------
    lang : str
        ``"id"`` (Sastrawi + spaCy lists, plus English function words) or ``"en"``
        (spaCy list). Any other
        language code gives an empty set (no guessing).
    extra_files : tuple of str, optional
        Further word-list files, by name inside ``pipeline/text/resources/`` or by
        absolute path; missing files are ignored.
    include_academic : bool, default True
        Also include ``academic_stopwords_<lang>.txt`` (abstract frame words).
    content_exceptions : bool, default False
        Remove the content words of ``not_stopwords_<lang>.txt`` (when the
        file exists) from the general list.

    Returns
    -------
    frozenset of str
        Lowercase stopwords; compare against ``token.lower()``.
    """
    lang = (lang or "").lower()
    if lang not in LANGS:
        words: set[str] = set()
    else:
        words = set(read_word_list(f"stopwords_{lang}.txt"))
        if content_exceptions:
            words.difference_update(read_word_list(f"not_stopwords_{lang}.txt"))
        if lang == "id":
            words.update(_english_function_words())
        if include_academic:
            words.update(read_word_list(f"academic_stopwords_{lang}.txt"))
    for name in extra_files:
        words.update(read_word_list(name))
    return frozenset(words)
