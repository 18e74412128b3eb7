"""Surface forms to keys: a document as cleaned sections whose norms meet across it.

The input is the NORMALIZED TEXT of the shared contract: a list of paragraphs, a
paragraph a list of sentences, a sentence a list of ``[surface, norm, tag, ...]``
tokens with ``tag`` one of ``"w"`` (content word), ``"s"`` (stopword), ``"p"``
(punctuation or symbol) and ``"n"`` (number).  Nothing here depends on how the
tokens were made: only the surface, the norm and the tag are read, and a universal
part-of-speech tag (UPOS, :data:`UPOS_TAGS`) where the token carries one at index
:data:`UPOS_INDEX`.

Prepared tokens are ``[surface, norm, tag, upos, written]`` lists: ``upos`` is the
token's UPOS or ``""``, ``written`` whether its surface is as the text writes it
(False for the words of a shouted heading, whose case this module rewrites).

A keyphrase is identified by the lowercased norms of its words, so the same term
must get the same norms wherever the document writes it.  Before any candidate is
selected, :func:`prepare_sections`:

1. accepts the document shapes the scorers take (one text, a list of texts, a list
   of ``(kind, text)`` pairs) and keeps only well-formed tokens;
2. rejoins hyphenated words a tokenizer split (``e - learning`` -> ``e-learning``,
   ``K -means`` -> ``K-means``);
3. gives the words of shouted (all-capitals) headings the norms the rest of the
   document uses for them;
4. stems capitalised words the normalizer kept whole as names, the way author
   keywords are keyed;
5. marks the tokens whose case says nothing of how the text writes the word
   (``written`` False): words of the title section, of shouted or title-cased
   sentences, and the first word of every sentence.  Keyphrases are shown as the
   running text writes them (:attr:`~pipeline.text.keyphrases.base.Candidate.surface`).

:func:`phrase_key` keys a phrase given as normalized text (a gold keyphrase, say);
:func:`echo_phrases` lists the word sequences of the document's text in its other
language, which the echo feature compares surface forms with.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

from .base import SECTION_KINDS, is_acronym, letter_count

__all__ = ["UPOS_TAGS", "UPOS_INDEX", "prepare_sections", "phrase_key", "echo_phrases"]

#: The 17 universal part-of-speech tags (Universal Dependencies).
UPOS_TAGS = frozenset({"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
                       "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"})
#: Where a normalized token carries its UPOS, when it has one: after the surface, the
#: norm, the tag, the normalized form and the flags of the normalize stage's tokens.
UPOS_INDEX = 5

#: Hyphen-like symbols that join two words into one term ("e-learning",
#: "kata-kata", "P-32") when a tokenizer has split them off.
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})

#: A sentence is "shouted" (an all-capitals title or heading) when at least
#: this share of its words of 4+ letters are all capitals.
_SHOUTED_SHARE = 0.6
#: A sentence is title-cased (a heading, a title quoted in the text) when at least
#: this share of its words of 4+ letters start with a capital, and it has 3 such
#: words or more: the normalizer's rule (``pipeline.text.tokens``), so a word the
#: normalizer reads as a name is one the keyphrases show as one.
_TITLE_CASE_SHARE = 0.75


# ---------------------------------------------------------------------------
# document shapes and well-formed tokens


def _is_token(token) -> bool:
    """Whether ``token`` looks like a ``[surface, norm, tag]`` triple."""
    return (
        isinstance(token, (list, tuple))
        and len(token) >= 3
        and isinstance(token[0], str)
        and isinstance(token[1], str)
        and isinstance(token[2], str)
    )


def _joined(left: list, right: list, left_surface: str, right_surface: str, left_norm: str,
            right_norm: str) -> list:
    """One content-word token made of two halves of a hyphenated word (the UPOS of the
    right half, which heads an English compound and repeats the left in a reduplication)."""
    return [left_surface + "-" + right_surface, left_norm + "-" + right_norm, "w", right[3] or left[3], True]


def _merge_hyphens(sentence: list) -> list:
    """Join the halves of hyphenated words into one token.

    Tokenizers differ on hyphenated terms: some keep "e-learning" whole, some
    split it into ``e``, ``-``, ``learning``, and a text that spaced the hyphen on
    one side gives ``K`` ``-means`` or ``K-`` ``means``.  Joining makes the
    candidate key the same either way and keeps hyphenated terms first class, and
    no candidate starts with "-means".  A joined token is a content word ("w")
    unless both halves are numbers.
    """
    merged: list = []
    i = 0
    n = len(sentence)
    while i < n:
        token = sentence[i]
        previous = merged[-1] if merged else None
        if (previous is not None and token[2] == "p" and token[0] in _HYPHENS and i + 1 < n
                and previous[2] in ("w", "s", "n") and sentence[i + 1][2] in ("w", "s", "n")
                and not (previous[2] == "n" and sentence[i + 1][2] == "n")):
            left = merged.pop()
            right = sentence[i + 1]
            merged.append(_joined(left, right, left[0], right[0], left[1], right[1]))
            i += 2
            continue
        if (previous is not None and token[0][:1] in _HYPHENS and _word_half(token[0][1:], True)
                and previous[2] in ("w", "s", "n") and _word_half(previous[0])):
            # "K" "-means": the hyphen stayed on the right half
            left = merged.pop()
            merged.append(_joined(left, token, left[0], token[0][1:], left[1], token[1].lstrip("".join(_HYPHENS))))
            i += 1
            continue
        if (token[0][-1:] in _HYPHENS and _word_half(token[0][:-1], True) and i + 1 < n
                and sentence[i + 1][2] == "w" and _word_half(sentence[i + 1][0])):
            # "K-" "means": the hyphen stayed on the left half
            right = sentence[i + 1]
            merged.append(_joined(token, right, token[0][:-1], right[0], token[1].rstrip("".join(_HYPHENS)),
                                  right[1]))
            i += 2
            continue
        merged.append(token)
        i += 1
    return merged


def _word_half(text: str, letters: bool = False) -> bool:
    """Whether ``text`` can be one half of a hyphenated word: letters or digits (a letter
    with ``letters``: "-5" is a negative number), no hyphen at its ends."""
    return (bool(text) and text[0] not in _HYPHENS and text[-1] not in _HYPHENS
            and any(ch.isalpha() if letters else ch.isalnum() for ch in text))


def _clean_text(text) -> list:
    """Keep only well-formed paragraphs/sentences/tokens of a normalized text."""
    paragraphs = []
    if not isinstance(text, (list, tuple)):
        return paragraphs
    for paragraph in text:
        sentences = []
        if isinstance(paragraph, (list, tuple)):
            for sentence in paragraph:
                if isinstance(sentence, (list, tuple)):
                    sentences.append(_clean_sentence(sentence))
        paragraphs.append(sentences)
    return paragraphs


def _clean_sentence(sentence) -> list:
    """The well-formed tokens of a sentence as fresh ``[surface, norm, tag, upos,
    written]`` lists, hyphenated words rejoined (:func:`_merge_hyphens`)."""
    # _is_token inlined: this runs on every token of every document, twice per run
    tokens = [[t[0], t[1], t[2], _upos(t), True] for t in sentence
              if isinstance(t, (list, tuple)) and len(t) >= 3 and isinstance(t[0], str)
              and isinstance(t[1], str) and isinstance(t[2], str)]
    for t in tokens:
        if t[0][:1] in _HYPHENS or t[0][-1:] in _HYPHENS:
            return _merge_hyphens(tokens)
    return tokens


def _upos(token) -> str:
    """The UPOS a normalized token carries at :data:`UPOS_INDEX`, or ``""``."""
    if len(token) > UPOS_INDEX:
        tag = token[UPOS_INDEX]
        if isinstance(tag, str) and tag in UPOS_TAGS:
            return tag
    return ""


def _text_depth(obj) -> int:
    """Nesting depth down to the first token: 3 for a text, 4 for a list of texts."""
    depth = 0
    while isinstance(obj, (list, tuple)):
        if _is_token(obj):
            return depth
        nonempty = [x for x in obj if isinstance(x, (list, tuple)) and len(x) > 0]
        if not nonempty:
            return -1
        obj = nonempty[0]
        depth += 1
    return -1


def _as_sections(doc, sections=None) -> list:
    """Turn the accepted document shapes into ``[(kind, cleaned_text), ...]``.

    Accepted: one normalized text; a list of normalized texts (sections of
    kind "body" unless ``sections`` says otherwise); a list of
    ``(kind, normalized_text)`` pairs.
    """
    if sections:
        pairs = []
        for item in sections:
            if isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[0], str):
                kind = item[0] if item[0] in SECTION_KINDS else "body"
                pairs.append((kind, _clean_text(item[1])))
        return pairs
    if not isinstance(doc, (list, tuple)) or not doc:
        return []
    # a list of (kind, text) pairs
    if all(isinstance(x, (list, tuple)) and len(x) == 2 and isinstance(x[0], str)
           and not _is_token(x) for x in doc):
        return _as_sections(None, doc)
    depth = _text_depth(doc)
    if depth == 4:
        return [("body", _clean_text(text)) for text in doc]
    if depth == 3:
        return [("body", _clean_text(doc))]
    return []


# ---------------------------------------------------------------------------
# shouted headings and capitalised words


#: What building or calling a stemmer may raise when its data or package is missing
#: or unreadable (Sastrawi is imported, and its dictionary read, on first use).
_STEMMER_ERRORS = (ImportError, OSError, LookupError, ValueError)


@lru_cache(maxsize=2)
def _word_normalizer(lang: str):
    """The project's one-word normalizer of a language (stemmer or lemmatizer).

    Only needed for the words of shouted headings that the rest of the
    document never writes in lower case; None when it cannot be built (a
    warning says why: shouted words are then only lowercased).
    """
    try:
        from ..stemming import word_normalizer

        normalizer = word_normalizer(lang)
        if lang == "id":
            return lambda word: normalizer.stem(word, sentence_initial=True)
        if lang == "en":
            return normalizer.lemma
    except _STEMMER_ERRORS as exc:
        warnings.warn(f"keyphrases: no {lang} word normalizer ({type(exc).__name__}: {exc}); "
                      "words of shouted headings are only lowercased", RuntimeWarning, stacklevel=2)
        return None
    return None


def _is_shouted(sentence: list) -> bool:
    """Whether a sentence is written in capitals (an all-caps title or heading)."""
    long_words = [t[0] for t in sentence if t[2] != "p" and letter_count(t[0]) >= 4]
    if len(long_words) < 2:
        return False
    shouted = sum(1 for w in long_words if is_acronym(w))
    return shouted / len(long_words) >= _SHOUTED_SHARE


def _map_sentences(sections: list, rewrite) -> list:
    """The sections with every sentence replaced by ``rewrite(sentence)``."""
    return [(kind, [[rewrite(sentence) for sentence in paragraph] for paragraph in paragraphs])
            for kind, paragraphs in sections]


def _stem_or(word_norm, word: str, default: str) -> str:
    """``word_norm(word)``, or ``default`` when it fails (a warning says why) or gives nothing."""
    try:
        return str(word_norm(word) or default)
    except _STEMMER_ERRORS as exc:  # a stemmer without its data must not stop keyword extraction
        warnings.warn(f"keyphrases: stemming failed ({type(exc).__name__}); the word keeps its "
                      "lowercased form", RuntimeWarning, stacklevel=2)
        return default


def _unshout(sections: list, lang: str) -> list:
    """Give the words of all-capitals sentences the norms the document uses.

    A title such as "ANALISIS KORESPONDENSI HASIL BELAJAR" is normalized on
    its own, so its words look like acronyms and keep their capitals: as keys
    they would never meet "analisis korespondensi" in the abstract.  A shouted
    word takes the norm of the same word written in lower case elsewhere in
    the document, else its own lowercased stem; short words (4 letters or
    fewer) that the document never lowercases stay acronyms ("THT", "GIS").
    """
    lower_norms: dict = {}
    upper_seen: set = set()
    shouted_ids: set = set()  # id() of the shouted sentences (the sections are held meanwhile)
    for _, paragraphs in sections:
        for paragraph in paragraphs:
            for sentence in paragraph:
                if _is_shouted(sentence):
                    shouted_ids.add(id(sentence))
                    continue
                for surface, norm, tag, _, _ in sentence:
                    if tag == "p":
                        continue
                    if is_acronym(surface):
                        upper_seen.add(surface)
                    elif not surface[:1].isupper():
                        # only a word written in lower case: a capitalised one was
                        # read as a name and left unstemmed (it is rekeyed below)
                        lower = surface.lower()
                        if lower not in lower_norms:
                            lower_norms[lower] = (norm, tag)
    word_norm = _word_normalizer(lang)
    if not shouted_ids:
        return _rekey_capitalised(sections, word_norm, lang)

    def rewrite(sentence):
        if id(sentence) not in shouted_ids:
            return sentence
        # the case of a shouted heading says nothing of how the text writes a word
        tokens = []
        for surface, norm, tag, upos, _ in sentence:
            lower = surface.lower()
            if tag == "p" or not is_acronym(surface) or surface in upper_seen:
                tokens.append([surface, norm, tag, upos, False])
            elif lower in lower_norms:
                seen_norm, seen_tag = lower_norms[lower]
                tokens.append([lower, seen_norm, seen_tag if tag == "w" else tag, upos, False])
            elif sum(ch.isalpha() for ch in surface) <= 4:
                tokens.append([surface, norm, tag, upos, False])
            else:
                stem = lower if word_norm is None else _stem_or(word_norm, lower, lower).lower()
                tokens.append([lower, stem, tag, upos, False])
        return tokens

    out = _map_sentences(sections, rewrite)
    return _rekey_capitalised(out, word_norm, lang)


@lru_cache(maxsize=1 << 17)
def _capitalised_stem(lang: str, surface: str) -> str:
    """``_stem_or(normalizer, surface, surface.lower())`` with the language's normalizer
    (cached: names and capitalised terms recur across a corpus, and stemming is costly)."""
    word_norm = _word_normalizer(lang)
    lower = surface.lower()
    return lower if word_norm is None else _stem_or(word_norm, surface, lower)


def _rekey_capitalised(sections: list, word_norm, lang: str | None = None) -> list:
    """Stem capitalised words the normalizer kept whole as proper nouns.

    The normalizer reads a capitalised word inside a sentence as a name and
    only lowercases it, so "Jaringan Syaraf Tiruan" keys as "jaringan syaraf
    tiruan" while the author keyword "jaringan syaraf tiruan" keys as "jaring
    syaraf tiru" (keyword lists are normalized with capitals treated as
    uninformative).  Keys are made the way author keywords are, so the two
    meet; names mostly have no affix and keep their form.  A sentence with no
    such word is kept as it is (the same list).
    """
    if word_norm is None:
        return sections
    if lang is not None and word_norm is _word_normalizer(lang):
        def stem(surface, norm):
            return _capitalised_stem(lang, surface)
    else:
        def stem(surface, norm):
            return _stem_or(word_norm, surface, norm)

    def rewrite(sentence):
        for surface, norm, tag, _, _ in sentence:
            if tag == "w" and surface[:1].isupper() and norm == surface.lower() and not is_acronym(surface):
                break
        else:
            return sentence
        return [[surface,
                 stem(surface, norm)
                 if (tag == "w" and surface[:1].isupper() and not is_acronym(surface)
                     and norm == surface.lower()) else norm,
                 tag, upos, written]
                for surface, norm, tag, upos, written in sentence]

    return _map_sentences(sections, rewrite)


def prepare_sections(doc, sections=None, lang: str = "id") -> list:
    """A document as cleaned ``[(kind, paragraphs), ...]`` sections.

    Parameters
    ----------
    doc : list or None
        One normalized text, a list of them (sections of kind "body"), or a
        list of ``(kind, normalized_text)`` pairs.  Ignored when ``sections``
        is given and not empty.
    sections : list of (str, list) or None
        ``(kind, normalized_text)`` pairs in reading order.
    lang : str
        Language of the text ("id" or "en").

    Returns
    -------
    list of (str, list)
        Malformed tokens dropped, hyphenated words rejoined, shouted headings
        re-normalized (see ``_unshout``).  Empty for a document of no known shape.
    """
    return _mark_case(_unshout(_as_sections(doc, sections), lang))


def _title_cased(sentence: list) -> bool:
    """Whether a sentence is written in Title Case (see ``_TITLE_CASE_SHARE``)."""
    long_words = [t[0] for t in sentence if t[2] in ("w", "s") and letter_count(t[0]) >= 4]
    if len(long_words) < 3:
        return False
    return sum(1 for w in long_words if w[:1].isupper()) / len(long_words) >= _TITLE_CASE_SHARE


def _mark_case(sections: list) -> list:
    """Set ``written`` False on the tokens whose case is no evidence of how the text
    writes the word: all of a title section, all of a title-cased sentence, the first
    word of every sentence (shouted headings were marked by :func:`_unshout`).  The
    tokens are the fresh lists made by :func:`_clean_sentence`, changed in place."""
    for kind, paragraphs in sections:
        for paragraph in paragraphs:
            for sentence in paragraph:
                if kind == "title" or _title_cased(sentence):
                    for token in sentence:
                        token[4] = False
                    continue
                for token in sentence:
                    if token[2] != "p":
                        token[4] = False  # the sentence's first word: capitalised by rule
                        break
    return sections


# ---------------------------------------------------------------------------
# phrases as keys and as word sequences


def phrase_key(text) -> tuple:
    """The candidate key of a phrase given as normalized text.

    All non-punctuation norms in order, after joining hyphenated words, so
    that a gold keyphrase normalized with the same normalizer can be compared
    to extracted keys (compare lowercased: extracted keys are case-folded
    for identity, see :class:`~pipeline.text.keyphrases.Candidate`).

    Parameters
    ----------
    text : list
        A normalized text (paragraphs/sentences/tokens) holding the phrase.

    Returns
    -------
    tuple of str
    """
    norms = []
    for _, paragraphs in _as_sections(text):
        for paragraph in paragraphs:
            for sentence in paragraph:
                for token in sentence:
                    if token[2] != "p" and token[1]:
                        norms.append(token[1])
    return tuple(norms)


def echo_phrases(other, max_words: int, first_words=None) -> frozenset:
    """The lowercased word sequences of 1 to ``max_words`` tokens of a text in
    the other language (``other`` in any shape :func:`_as_sections` accepts),
    for :func:`~pipeline.text.keyphrases.weighting.echoed`; hyphenated words are rejoined as for candidates.

    ``first_words`` (a set of lowercased words), when given, keeps only the
    sequences that start with one of them: those a candidate can equal (the
    set then grows with the other text's mentions of this document's
    candidates, not with the other text's length).
    """
    out = set()
    n_max = max(1, int(max_words))
    parts = _as_sections(other) if other else []
    for _kind, paragraphs in parts:
        for paragraph in paragraphs:
            for sentence in paragraph:
                run: list = []
                for token in sentence + [("", "", "p")]:  # punctuation ends a run, as for candidates
                    if token[2] != "p":
                        run.append(token[0].lower())
                        continue
                    for i in range(len(run)):
                        if first_words is not None and run[i] not in first_words:
                            continue
                        for n in range(1, min(n_max, len(run) - i) + 1):
                            out.add(" ".join(run[i:i + n]))
                    run = []
    return frozenset(out)
