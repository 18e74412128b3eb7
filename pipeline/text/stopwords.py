"""Stopword lists for the normalize stage.

The lists are packaged resource files (``pipeline/resources/``), so they can be
edited without touching code:

* ``stopwords_id.txt``  -- PySastrawi's list merged with spaCy's Indonesian list,
* ``stopwords_en.txt``  -- spaCy's English list,
* ``academic_stopwords_{id,en}.txt`` -- frame words of journal abstracts
  ("penelitian", "hasil", "study", "paper", ...);
* ``not_stopwords_{lang}.txt`` -- content words (nouns, adjectives) that the
  general lists carry but that may belong in keyphrases ("dataran tinggi",
  "lingkungan kerja"), selected by the rule in the file's header. Removed from
  the general list only with ``content_exceptions=True`` (off by default: on
  the SINTA keyword dev set it did not improve F1@10 on either half). The
  academic list and extra files are added after the removal, so they can still
  make such a word a stopword.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"

SUPPORTED_LANGS = ("id", "en")


def read_word_list(path: Path) -> tuple[str, ...]:
    """Read a one-entry-per-line resource file.

    Parameters
    ----------
    path : Path
        File to read. Lines starting with ``#`` and blank lines are skipped.

    Returns
    -------
    tuple of str
        Stripped, lowercased entries in file order; empty if the file is missing.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ()
    entries = []
    for line in text.splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            entries.append(entry.lower())
    return tuple(entries)


def _resolve_resource(name: str) -> Path:
    """Resolve a resource name relative to the package resources unless absolute."""
    path = Path(name)
    return path if path.is_absolute() else RESOURCES_DIR / path


@lru_cache(maxsize=1)
def _english_function_words() -> frozenset[str]:
    """English stopwords that are not Indonesian words, for Indonesian text.

    Indonesian articles quote English phrases and untranslated sentences; without
    these, "the", "of", "and" become Indonesian content words and whole topics. A
    word stays out when it is at least as frequent in Indonesian as in English
    (wordfreq), so no Indonesian word is ever dropped this way.
    """
    import wordfreq

    return frozenset(
        w for w in read_word_list(RESOURCES_DIR / "stopwords_en.txt")
        if w.isalpha() and wordfreq.zipf_frequency(w, "id") < wordfreq.zipf_frequency(w, "en") - 0.5
    )


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
        Further word-list files, by name inside ``pipeline/resources/`` or by
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
    if lang not in SUPPORTED_LANGS:
        words: set[str] = set()
    else:
        words = set(read_word_list(RESOURCES_DIR / f"stopwords_{lang}.txt"))
        if content_exceptions:
            words.difference_update(read_word_list(RESOURCES_DIR / f"not_stopwords_{lang}.txt"))
        if lang == "id":
            words.update(_english_function_words())
        if include_academic:
            words.update(read_word_list(RESOURCES_DIR / f"academic_stopwords_{lang}.txt"))
    for name in extra_files:
        words.update(read_word_list(_resolve_resource(name)))
    return frozenset(words)
