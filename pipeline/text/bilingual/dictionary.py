"""The Indonesian-English word and phrase dictionary shipped as package data, and its lookups.

The pairs are ``pipeline/text/resources/dictionary_id_en.tsv``, built by
``benchmarks/build_dictionary.py`` from FreeDict's English-Indonesian dictionary
(FreeDict / WikDict, from Wiktionary via DBnary; CC BY-SA 3.0, see
``dictionary_id_en.LICENSE.txt``). After ``#`` header lines, one pair a line::

    indonesian<TAB>english<TAB>pos<TAB>id_key<TAB>en_key

lowercased, whitespace collapsed, sorted and without duplicates; ``pos`` is the part
of speech of the English headword as the source tags it (``n``, ``v``, ``adj``,
``pn`` for a proper noun, ...; several, comma-separated, when the pair comes from
headwords of several parts of speech).

Two kinds of lookup:

* by phrase (:meth:`BilingualDictionary.en_for`, :meth:`~BilingualDictionary.id_for`):
  exact, after lowercasing and collapsing whitespace;
* by key (:meth:`~BilingualDictionary.en_keys_for`,
  :meth:`~BilingualDictionary.id_keys_for`): a phrase keyed as the pipeline keys
  phrases (:func:`phrase_key`: Indonesian words by their stem, English words by
  their lemma), so an inflected or affixed word written in a document meets the
  dictionary's base form.

The keys are computed once by the builder with :func:`phrase_key` and stored in the
file, so loading the dictionary stems nothing; the tests recompute them with the
current stemmer and lemmatizer, so a change to either shows up as a failing test
(and a rebuild) instead of keys that silently no longer match the pipeline's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path

from ..resources import resource_path

__all__ = ["DICTIONARY_FILE", "BilingualDictionary", "load_dictionary", "read_dictionary", "phrase_key"]

#: The dictionary's file in the resources folder.
DICTIONARY_FILE = "dictionary_id_en.tsv"
#: The columns of a data line, in order.
COLUMNS = ("indonesian", "english", "pos", "id_key", "en_key")
# The header line whose text is the edition shown to users.
_EDITION_PREFIX = "# edition:"


def _normal(phrase: str) -> str:
    """A phrase as the file writes it: lowercased, whitespace collapsed to single spaces."""
    return " ".join(phrase.lower().split())


def phrase_key(phrase: str, lang: str) -> str:
    """The normalized key of a word or phrase, the way the pipeline keys phrases.

    Parameters
    ----------
    phrase : str
        One word or a phrase of words separated by whitespace.
    lang : str
        ``"id"`` (each word's stem) or ``"en"`` (each word's lemma); any other
        language only lowercases.

    Returns
    -------
    str
        The words' stems or lemmas, lowercased, joined by single spaces.
    """
    from ..stemming import word_normalizer

    words = _normal(phrase).split()
    normalizer = word_normalizer(lang)
    if lang == "id":
        # As the keyphrase code normalizes a word whose case says nothing: the words
        # are already lowercase, so none of them is taken for a proper noun.
        norms = (normalizer.stem(word, sentence_initial=True) for word in words)
    elif lang == "en":
        norms = (normalizer.lemma(word) for word in words)
    else:
        norms = iter(words)
    return " ".join(norm.lower() for norm in norms)


def _grouped(pairs: Iterable[tuple[str, str]], kind):
    """``{key: kind(sorted values)}`` of ``(key, value)`` pairs."""
    groups: dict[str, set[str]] = {}
    for key, value in pairs:
        groups.setdefault(key, set()).add(value)
    return {key: kind(sorted(values)) for key, values in groups.items()}


class BilingualDictionary:
    """Indonesian-English pairs of words and phrases, looked up either way.

    Parameters
    ----------
    rows : iterable of sequence of str, optional
        ``(indonesian, english, pos, id_key, en_key)`` per pair, as the dictionary
        file writes them (lowercase, whitespace collapsed; keys by :func:`phrase_key`).
    source : str, optional
        What the pairs are, for display (the file's edition line).

    Attributes
    ----------
    rows : tuple of tuple of str
        The pairs, in the order given.
    source : str
        The edition of the source dictionary; empty when none was given.
    """

    def __init__(self, rows: Iterable[Sequence[str]] = (), source: str = ""):
        self.rows = tuple(tuple(row) for row in rows)
        self.source = source

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"BilingualDictionary({len(self)} pairs, source={self.source!r})"

    # The maps are built on first use: most callers need one direction only.
    @cached_property
    def _en_by_id(self) -> dict[str, tuple[str, ...]]:
        return _grouped(((row[0], row[1]) for row in self.rows), tuple)

    @cached_property
    def _id_by_en(self) -> dict[str, tuple[str, ...]]:
        return _grouped(((row[1], row[0]) for row in self.rows), tuple)

    @cached_property
    def _en_keys_by_id_key(self) -> dict[str, frozenset[str]]:
        return _grouped(((row[3], row[4]) for row in self.rows), frozenset)

    @cached_property
    def _id_keys_by_en_key(self) -> dict[str, frozenset[str]]:
        return _grouped(((row[4], row[3]) for row in self.rows), frozenset)

    def en_for(self, id_phrase: str) -> tuple[str, ...]:
        """The English translations of an Indonesian word or phrase.

        Parameters
        ----------
        id_phrase : str
            The Indonesian word or phrase, in any case and spacing.

        Returns
        -------
        tuple of str
            The translations, lowercase and sorted; empty when the dictionary has none.
        """
        return self._en_by_id.get(_normal(id_phrase), ())

    def id_for(self, en_phrase: str) -> tuple[str, ...]:
        """The Indonesian translations of an English word or phrase.

        Parameters
        ----------
        en_phrase : str
            The English word or phrase, in any case and spacing.

        Returns
        -------
        tuple of str
            The translations, lowercase and sorted; empty when the dictionary has none.
        """
        return self._id_by_en.get(_normal(en_phrase), ())

    def en_keys_for(self, id_key: str) -> frozenset[str]:
        """The English keys paired with an Indonesian key.

        Parameters
        ----------
        id_key : str
            An Indonesian word or phrase keyed by :func:`phrase_key` (stems).

        Returns
        -------
        frozenset of str
            The English keys (lemmas) of its translations; empty when there are none.
        """
        return self._en_keys_by_id_key.get(_normal(id_key), frozenset())

    def id_keys_for(self, en_key: str) -> frozenset[str]:
        """The Indonesian keys paired with an English key.

        Parameters
        ----------
        en_key : str
            An English word or phrase keyed by :func:`phrase_key` (lemmas).

        Returns
        -------
        frozenset of str
            The Indonesian keys (stems) of its translations; empty when there are none.
        """
        return self._id_keys_by_en_key.get(_normal(en_key), frozenset())


def read_dictionary(path: str | Path) -> BilingualDictionary:
    """Read a dictionary file (see the module docstring for its layout).

    Parameters
    ----------
    path : str or Path
        A file name inside the resources folder, or an absolute path.

    Returns
    -------
    BilingualDictionary
        Its pairs; empty when the file is missing or unreadable. Lines without
        all five columns are skipped.
    """
    try:
        text = resource_path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        # A trimmed installation translates nothing instead of failing.
        return BilingualDictionary()
    rows, source = [], ""
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith(_EDITION_PREFIX) and not source:
                source = line[len(_EDITION_PREFIX):].strip()
            continue
        fields = line.split("\t")
        if len(fields) == len(COLUMNS) and fields[0] and fields[1]:
            rows.append(tuple(fields))
    return BilingualDictionary(rows, source)


@lru_cache(maxsize=1)
def load_dictionary() -> BilingualDictionary:
    """The shipped dictionary (:data:`DICTIONARY_FILE`), read once per process.

    Returns
    -------
    BilingualDictionary
        Its pairs; empty (never an error) when the file is missing.
    """
    return read_dictionary(DICTIONARY_FILE)
