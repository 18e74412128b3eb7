"""Keyphrase extraction from normalized text.

The input is the NORMALIZED TEXT of the shared contract: a list of paragraphs,
a paragraph a list of sentences, a sentence a list of ``[surface, norm, tag]``
tokens with ``tag`` one of ``"w"`` (content word), ``"s"`` (stopword), ``"p"``
(punctuation or symbol) and ``"n"`` (number).  Nothing here depends on how the
tokens were made: only the surface, the norm and the tag are read.

Public pieces:

* :func:`prepare_sections` turns the accepted document shapes into cleaned
  ``(kind, paragraphs)`` sections (hyphenated words rejoined, shouted
  all-capitals headings given the norms the rest of the document uses).
* :func:`extract_candidates` lists the candidate phrases of a document,
  each keyed by the lowercased tuple of its norms (stems or lemmas).
* :class:`KeyphraseExtractor` is a scikit-learn style estimator: ``fit`` learns
  corpus statistics of candidate keys, ``extract`` ranks the candidates of one
  document, ``to_dict``/``from_dict`` save and reload it.
* :func:`corpus_keywords` aggregates per-document keyphrases into corpus
  keywords.

Baseline scorers with the same interface (YAKE, TF-IDF) are in
:mod:`pipeline.text.keyword_baselines`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "Candidate",
    "SECTION_KINDS",
    "prepare_sections",
    "extract_candidates",
    "phrase_key",
    "KeyphraseExtractor",
    "corpus_keywords",
]

#: Hyphen-like symbols that join two words into one term ("e-learning",
#: "kata-kata", "P-32") when a tokenizer has split them off.
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})

#: Stopwords that may stand inside an English phrase ("ministry of foreign
#: affairs", "quality of service").  Kept to "of": "and"/"for" joined phrases
#: are mostly two keyphrases run together.  Indonesian phrases need none:
#: modifiers follow their head directly ("hasil belajar", "pupuk kandang").
_INTERNAL_STOPWORDS = {"en": frozenset({"of"}), "id": frozenset()}

#: Section kinds a document may be given in (see ``KeyphraseExtractor.extract``).
#: "keywords" is accepted for completeness, but the pipeline never passes the
#: author keywords in: they are the answer, not evidence.
SECTION_KINDS = ("title", "abstract", "keywords", "body")

#: How many occurrences an extracted keyphrase lists at most.
_MAX_OCCURRENCES = 20

#: A sentence is "shouted" (an all-capitals title or heading) when at least
#: this share of its words of 4+ letters are all capitals.
_SHOUTED_SHARE = 0.6

# ---------------------------------------------------------------------------
# tokens


def _is_token(token) -> bool:
    """Whether ``token`` looks like a ``[surface, norm, tag]`` triple."""
    return (
        isinstance(token, (list, tuple))
        and len(token) >= 3
        and isinstance(token[0], str)
        and isinstance(token[1], str)
        and isinstance(token[2], str)
    )


@lru_cache(maxsize=1 << 16)
def _is_acronym(surface: str) -> bool:
    """An acronym: letters all capital, at least one letter ("GIS", "COVID-19", "P")."""
    letters = [ch for ch in surface if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _merge_hyphens(sentence: list) -> list:
    """Join ``word - word`` token triples into one hyphenated token.

    Tokenizers differ on hyphenated terms: some keep "e-learning" whole, some
    split it into ``e``, ``-``, ``learning``.  Joining makes the candidate key
    the same either way and keeps hyphenated terms first class.  A joined
    token is a content word ("w") unless both halves are numbers.
    """
    merged: list = []
    i = 0
    n = len(sentence)
    while i < n:
        token = sentence[i]
        if (
            merged
            and token[2] == "p"
            and token[0] in _HYPHENS
            and i + 1 < n
            and merged[-1][2] in ("w", "s", "n")
            and sentence[i + 1][2] in ("w", "s", "n")
            and not (merged[-1][2] == "n" and sentence[i + 1][2] == "n")
        ):
            left = merged.pop()
            right = sentence[i + 1]
            merged.append([left[0] + "-" + right[0], left[1] + "-" + right[1], "w"])
            i += 2
            continue
        merged.append([token[0], token[1], token[2]])
        i += 1
    return merged


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
    """The well-formed tokens of a sentence as fresh ``[surface, norm, tag]`` lists,
    hyphenated words rejoined (:func:`_merge_hyphens`)."""
    # _is_token inlined: this runs on every token of every document, twice per run
    tokens = [list(t[:3]) for t in sentence
              if isinstance(t, (list, tuple)) and len(t) >= 3 and isinstance(t[0], str)
              and isinstance(t[1], str) and isinstance(t[2], str)]
    for t in tokens:
        if t[0] in _HYPHENS and t[2] == "p":
            return _merge_hyphens(tokens)
    return tokens


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


@lru_cache(maxsize=2)
def _word_normalizer(lang: str):
    """The project's one-word normalizer of a language (stemmer or lemmatizer).

    Only needed for the words of shouted headings that the rest of the
    document never writes in lower case; None when it cannot be built.
    """
    try:
        from .stemming import EnglishLemmatizer, IndonesianStemmer

        if lang == "id":
            stemmer = IndonesianStemmer()
            return lambda word: stemmer.stem(word, sentence_initial=True)
        if lang == "en":
            lemmatizer = EnglishLemmatizer()
            return lemmatizer.lemma
    except Exception:  # noqa: BLE001 - without it shouted words are only lowercased
        return None
    return None


@lru_cache(maxsize=1 << 16)
def _letter_count(surface: str) -> int:
    """Number of letters in a word (cached: the same words recur all over a corpus)."""
    return sum(ch.isalpha() for ch in surface)


def _is_shouted(sentence: list) -> bool:
    """Whether a sentence is written in capitals (an all-caps title or heading)."""
    long_words = [t[0] for t in sentence if t[2] != "p" and _letter_count(t[0]) >= 4]
    if len(long_words) < 2:
        return False
    shouted = sum(1 for w in long_words if _is_acronym(w))
    return shouted / len(long_words) >= _SHOUTED_SHARE


def _map_sentences(sections: list, rewrite) -> list:
    """The sections with every sentence replaced by ``rewrite(sentence)``."""
    return [(kind, [[rewrite(sentence) for sentence in paragraph] for paragraph in paragraphs])
            for kind, paragraphs in sections]


def _stem_or(word_norm, word: str, default: str) -> str:
    """``word_norm(word)``, or ``default`` when it fails or gives nothing (never raises)."""
    try:
        return str(word_norm(word) or default)
    except Exception:  # noqa: BLE001 - a stemmer error must not stop keyword extraction
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
                for surface, norm, tag in sentence:
                    if tag == "p":
                        continue
                    if _is_acronym(surface):
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
        tokens = []
        for surface, norm, tag in sentence:
            lower = surface.lower()
            if tag == "p" or not _is_acronym(surface) or surface in upper_seen:
                tokens.append([surface, norm, tag])
            elif lower in lower_norms:
                seen_norm, seen_tag = lower_norms[lower]
                tokens.append([lower, seen_norm, seen_tag if tag == "w" else tag])
            elif sum(ch.isalpha() for ch in surface) <= 4:
                tokens.append([surface, norm, tag])
            else:
                stem = lower if word_norm is None else _stem_or(word_norm, lower, lower).lower()
                tokens.append([lower, stem, tag])
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
        for surface, norm, tag in sentence:
            if tag == "w" and surface[:1].isupper() and norm == surface.lower() and not _is_acronym(surface):
                break
        else:
            return sentence
        return [[surface,
                 stem(surface, norm)
                 if (tag == "w" and surface[:1].isupper() and not _is_acronym(surface)
                     and norm == surface.lower()) else norm,
                 tag]
                for surface, norm, tag in sentence]

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
        re-normalized (see ``_unshout``).  Empty for unusable input.
    """
    try:
        return _unshout(_as_sections(doc, sections), lang)
    except (TypeError, ValueError, AttributeError, IndexError):
        return []


# ---------------------------------------------------------------------------
# candidates


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
        :func:`load_cue_words`): the author names the phrase ("metode
        *template matching*", "yaitu *client server*").
    """

    key: tuple
    norms: Counter = field(default_factory=Counter)
    surfaces: Counter = field(default_factory=Counter)
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
        """Display form: the most frequent surface, lowercased unless an
        acronym or capitalised at every occurrence (ties broken alphabetically)."""
        if not self.surfaces:
            return self.key_string
        best = sorted(self.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if self.capitalised >= self.count:
            return best
        words = best.split(" ")
        return " ".join(w if _is_acronym(w) and len(w) > 1 else w.lower() for w in words)

@lru_cache(maxsize=1)
def _english_pos_index() -> dict:
    """Word lists by part of speech (WordNet's, shipped by spacy-lookups-data).

    Used only as a lexicon: which lemmas can be nouns, verbs, adjectives or
    adverbs.  Empty when the package is missing, which switches the filter
    off rather than failing.
    """
    try:
        from .stemming import load_lookup_table

        # Read straight from spacy-lookups-data: scoring a document does not import spaCy.
        table = load_lookup_table("en", "lemma_index")
        return {pos: frozenset(table.get(pos, ())) for pos in ("noun", "verb", "adj", "adv")}
    except Exception:  # noqa: BLE001 - a missing lexicon only disables the filter
        return {}


def _english_pos_ok(span) -> bool:
    """Whether an English span can be a noun phrase, by lexicon only.

    Without a tagger: the last word must be able to be a noun (or be unknown
    to the lexicon, as names and technical terms are); no word may be only an
    adverb; a word that can only be a verb may stand before the head only as
    a participle ("supervised learning", "operating system").
    """
    index = _english_pos_index()
    if not index:
        return True
    nouns, verbs, adjs, advs = index["noun"], index["verb"], index["adj"], index["adv"]
    for pos, token in enumerate(span):
        if token[2] != "w" or _is_acronym(token[0]):
            continue
        forms = {token[1].lower(), token[0].lower()}
        known = any(f in lex for f in forms for lex in (nouns, verbs, adjs, advs))
        if not known or "-" in token[0]:
            continue
        is_noun = any(f in nouns for f in forms)
        is_adj = any(f in adjs for f in forms)
        is_verb = any(f in verbs for f in forms)
        if not (is_noun or is_adj or is_verb):
            return False  # adverb only
        if pos == len(span) - 1:
            if not is_noun:
                return False
            surface = token[0].lower()
            if surface.endswith("ed") and surface != token[1].lower():
                return False  # a past participle ("implemented", "based") heads no noun phrase
        elif not is_noun and not is_adj:
            surface = token[0].lower()
            if not surface.endswith(("ed", "ing", "en")):
                return False
    return True


#: Indonesian verbal prefixes: a word that carries one (and so differs from its
#: stem) is a verb ("menggunakan", "dilakukan", "bertujuan", "terdapat").
_ID_VERB_PREFIXES = ("me", "di", "ber", "ter", "be", "per")

#: Indonesian prefixes of finite verbs: the active me- and the passive di-.  A noun
#: phrase is head-first and its modifiers follow the head, but such a verb after a
#: noun is the predicate of a clause, not a modifier ("pendekatan induktif-deduktif
#: disertai ...", "hasil belajar siswa meningkat"): it never closes a phrase.  ber-
#: and ter- words are left alone, they are often adjectives inside terms ("regresi
#: berganda", "muatan padatan tersuspensi").
_ID_PREDICATE_PREFIXES = ("me", "di")


@lru_cache(maxsize=1)
def _adjectival_verbs() -> frozenset:
    """me-/di- words that are adjectives inside terms ("sekolah menengah", "penyakit
    menular"): ``resources/keywords_adjectival_verbs_id.txt``."""
    from .stopwords import read_word_list

    return frozenset(read_word_list(_RESOURCES / "keywords_adjectival_verbs_id.txt"))


@lru_cache(maxsize=1 << 16)
def _predicate_verb(surface: str, norm: str) -> bool:
    """Whether an Indonesian word is a me-/di- verb (see ``_ID_PREDICATE_PREFIXES``),
    not one of the adjectival forms fixed terms end in."""
    lower = surface.lower()
    return (lower.startswith(_ID_PREDICATE_PREFIXES) and _verbal_form(surface, norm)
            and lower not in _adjectival_verbs())


def _closes_phrase(token, lang) -> bool:
    """Whether a content token may be the last word of a phrase of two or more words."""
    return lang != "id" or token[2] != "w" or not _predicate_verb(token[0], token[1])


def _looks_verbal(token, lang) -> bool:
    """Whether a token looks like an inflected verb (used as a penalty)."""
    if lang != "id" or token[2] != "w":
        return False
    return _verbal_form(token[0], token[1])


@lru_cache(maxsize=1 << 16)
def _verbal_form(surface: str, norm: str) -> bool:
    """Whether ``surface`` carries an Indonesian verbal prefix before its stem ``norm``.

    The confix per-...-an makes nouns, not verbs ("pertumbuhan", "perlakuan",
    "pertanian", "perubahan"): such a word is not verbal, while per-...-kan
    is ("perhatikan").
    """
    surface, norm = surface.lower(), norm.lower()
    if surface.startswith("per") and surface.endswith("an") and not surface.endswith("kan"):
        return False
    return surface != norm and surface.startswith(_ID_VERB_PREFIXES) and not surface.startswith(norm)


def _token_ok(token, lang) -> bool:
    """Whether a content token may be part of a phrase.

    Rejected: tokens without a letter, tokens longer than any word, one-letter
    tokens that are not capitals, abbreviations cut with a period ("D.", "dkk."), and lowercase
    letter-digit mixtures, which are units and codes ("ml-1", "ha-1") rather
    than terms; capitalised codes stay ("P-32", "COVID-19", "A7").
    """
    return _surface_ok(token[0])


# Longer than any word of either language ("pertanggungjawabannya" has 21 letters):
# a scan's run-together line or a file of junk, never a term.
_MAX_WORD_CHARS = 64


@lru_cache(maxsize=1 << 16)
def _surface_ok(surface: str) -> bool:
    """:func:`_token_ok` on the surface form (cached)."""
    if not any(ch.isalpha() for ch in surface) or len(surface) > _MAX_WORD_CHARS:
        return False
    if len(surface) < 2 and not _is_acronym(surface):
        return False
    if surface.endswith("."):
        return False
    if any(ch.isdigit() for ch in surface) and not any(ch.isupper() for ch in surface):
        return False
    return True


def _sentence_candidates(tokens, lang, max_words, phrase_words=frozenset()):
    """Yield ``(start, end)`` spans of valid candidates in one sentence."""
    yield from _sentence_spans(tokens, lang, max_words, phrase_words)


# What a token is to a span (see _span_codes): it breaks the span; it is skipped
# (a number, an internal stopword: may stand inside, never at an end); it is a phrase
# word (may open or close a span, but a span needs a content word); it is a content word
# that may not open a span (a tag other than w/s/n/p); or it is a content word; or it
# is a content word that may not close a span of two or more words (an Indonesian
# me-/di- verb, see _closes_phrase).
_BREAK, _SKIP, _PHRASE, _CONTENT, _OPEN, _OPEN_NO_CLOSE = 0, 1, 2, 3, 4, 5


def _span_codes(tokens, lang, phrase_words) -> list:
    """The role of each token of a sentence in candidate spans, the rules of
    :func:`_raw_spans` decided once per token rather than once per span."""
    internal = _INTERNAL_STOPWORDS.get(lang, frozenset())
    codes = []
    for surface, norm, tag in tokens:
        if tag == "w":
            if not _surface_ok(surface):
                codes.append(_BREAK)
            else:
                codes.append(_OPEN if _closes_phrase((surface, norm, tag), lang) else _OPEN_NO_CLOSE)
        elif tag == "s":
            if (phrase_words and (surface.lower() in phrase_words or norm.lower() in phrase_words)
                    and _surface_ok(surface)):
                codes.append(_PHRASE)
            elif internal and (norm.lower() in internal or surface.lower() in internal):
                codes.append(_SKIP)
            else:
                codes.append(_BREAK)
        elif tag == "n":
            codes.append(_SKIP)
        elif tag == "p":
            codes.append(_BREAK)
        else:
            codes.append(_CONTENT if _surface_ok(surface) else _BREAK)
    return codes


def _sentence_spans(tokens, lang, max_words, phrase_words=frozenset()) -> list:
    """``(start, end)`` spans of the valid candidates of one sentence, in the order
    :func:`_raw_spans` yields them, English spans filtered by :func:`_english_pos_ok`
    (the same decisions, made from per-token codes)."""
    codes = _span_codes(tokens, lang, phrase_words)
    n = len(codes)
    spans = []
    for start in range(n):
        code = codes[start]
        if code in (_OPEN, _OPEN_NO_CLOSE):
            content = 1
            spans.append((start, start + 1))
        elif code == _PHRASE:
            content = 0
        else:
            continue
        for end in range(start + 2, min(n, start + max_words) + 1):
            code = codes[end - 1]
            if code == _BREAK:
                break
            if code == _SKIP:
                continue
            if code == _PHRASE:
                if content:
                    spans.append((start, end))
                continue
            content += 1
            if code != _OPEN_NO_CLOSE:
                spans.append((start, end))
    if lang == "en" and spans and _english_pos_index():
        roles = [_english_pos_roles(t[0], t[1]) if t[2] == "w" else _POS_ANY for t in tokens]
        spans = [(start, end) for start, end in spans
                 if roles[end - 1] & _POS_HEAD and all(r & _POS_BEFORE for r in roles[start:end - 1])]
    return spans


#: Bits of :func:`_english_pos_roles`: the word may end an English noun phrase (be its
#: head), and it may stand before the head.
_POS_HEAD, _POS_BEFORE = 1, 2
_POS_ANY = _POS_HEAD | _POS_BEFORE


@lru_cache(maxsize=1 << 17)
def _english_pos_roles(surface: str, norm: str) -> int:
    """Where a content word may stand in an English noun phrase, by the rules of
    :func:`_english_pos_ok` (``_POS_HEAD`` / ``_POS_BEFORE`` bits; cached)."""
    index = _english_pos_index()
    if not index or _is_acronym(surface):
        return _POS_ANY
    nouns, verbs, adjs, advs = index["noun"], index["verb"], index["adj"], index["adv"]
    forms = {norm.lower(), surface.lower()}
    known = any(f in lex for f in forms for lex in (nouns, verbs, adjs, advs))
    if not known or "-" in surface:
        return _POS_ANY
    is_noun = any(f in nouns for f in forms)
    is_adj = any(f in adjs for f in forms)
    is_verb = any(f in verbs for f in forms)
    if not (is_noun or is_adj or is_verb):
        return 0  # adverb only
    lower = surface.lower()
    roles = 0
    if is_noun and not (lower.endswith("ed") and lower != norm.lower()):
        roles |= _POS_HEAD
    if is_noun or is_adj or lower.endswith(("ed", "ing", "en")):
        roles |= _POS_BEFORE
    return roles


#: Resource folder of the package (word lists).
_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@lru_cache(maxsize=8)
def load_phrase_words(lang: str, mode: str = "frame+content") -> frozenset:
    """Stopwords that may be part of a multi-word keyphrase (see :func:`_is_phrase_word`).

    Parameters
    ----------
    lang : str
        "id" or "en".
    mode : str
        "none" (empty set); "frame": the nouns and adjectives among the
        academic frame words (``keywords_phrase_words_<lang>.txt``);
        "frame+content": also the content words the general stopword list
        carries (``not_stopwords_<lang>.txt``, where it exists).

    Returns
    -------
    frozenset of str
        Lowercase words; empty for an unknown language or mode.
    """
    if mode not in ("frame", "frame+content") or lang not in ("id", "en"):
        return frozenset()
    from .stopwords import read_word_list

    words = set(read_word_list(_RESOURCES / f"keywords_phrase_words_{lang}.txt"))
    if mode == "frame+content":
        words.update(read_word_list(_RESOURCES / f"not_stopwords_{lang}.txt"))
    return frozenset(words)


@lru_cache(maxsize=4)
def load_cue_words(lang: str) -> frozenset:
    """The cue words of a language (``resources/keywords_cue_words_<lang>.txt``).

    A phrase right after one of them is named by the author: a method or model
    ("metode", "teknik", "model"; English puts those after the name, so it has
    none) or a term being introduced ("yaitu", "adalah"; "namely", "called").
    Empty for a language without a list.
    """
    from .stopwords import read_word_list

    path = _RESOURCES / f"keywords_cue_words_{lang}.txt"
    return frozenset(read_word_list(path)) if lang in ("id", "en") and path.exists() else frozenset()


#: Reference counts of the nesting prior, for a corpus with too few author keywords
#: of its own (built by ``benchmarks/nest_prior_reference.py``; see that script).
NEST_REFERENCE_PATH = _RESOURCES / "keywords_nest_prior.json"


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
    if len(cand) != _N_LENGTHS or len(chosen) != _N_LENGTHS or \
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


def _is_phrase_word(token, phrase_words) -> bool:
    """Whether a token tagged stopword is a noun that may stand in a phrase.

    Stopword lists carry content words (Sastrawi's "kerja", "tinggi"; the
    academic frame words "hasil", "metode", "data", "approach"): alone they
    say nothing, inside a term they are part of it ("hasil belajar", "dataran
    tinggi", "fuzzy methods").
    """
    return token[2] == "s" and (token[0].lower() in phrase_words or token[1].lower() in phrase_words)


def _frame_norms(parts: list, phrase_words) -> frozenset:
    """Lowercased norms of the tokens of a document that are phrase words."""
    return frozenset(t[1].lower() for _, paragraphs in parts for paragraph in paragraphs
                     for sentence in paragraph for t in sentence if _is_phrase_word(t, phrase_words))


def _raw_spans(tokens, lang, max_words, phrase_words=frozenset()):
    """Spans obeying the token-tag rules only.

    Tokens of ``phrase_words`` (see :func:`_is_phrase_word`) count as content
    words, but a span needs at least one real content word.
    """
    internal = _INTERNAL_STOPWORDS.get(lang, frozenset())
    n = len(tokens)
    for start in range(n):
        first = tokens[start]
        if first[2] == "w":
            content = 1
        elif phrase_words and _is_phrase_word(first, phrase_words):
            content = 0
        else:
            continue
        if not _token_ok(first, lang):
            continue
        if content:
            yield start, start + 1
        for end in range(start + 2, min(n, start + max_words) + 1):
            last = tokens[end - 1]
            tag = last[2]
            if tag == "p":
                break
            if tag == "s":
                if phrase_words and _is_phrase_word(last, phrase_words) and _token_ok(last, lang):
                    if content:
                        yield start, end
                    continue
                if last[1].lower() not in internal and last[0].lower() not in internal:
                    break
                continue  # an allowed internal stopword cannot end a phrase
            if tag == "n":
                # a bare number neither opens nor closes a phrase: "semester
                # 1", "kelas XII IPS 4" are references, not terms
                continue
            if not _token_ok(last, lang):
                break
            content += 1
            if _closes_phrase(last, lang):
                yield start, end


def _is_run_edge(tokens, index) -> bool:
    """Whether position ``index`` is outside a run of content words."""
    if index < 0 or index >= len(tokens):
        return True
    return tokens[index][2] != "w"


def phrase_key(text) -> tuple:
    """The candidate key of a phrase given as normalized text.

    All non-punctuation norms in order, after joining hyphenated words, so
    that a gold keyphrase normalized with the same normalizer can be compared
    to extracted keys (compare lowercased: extracted keys are case-folded
    for identity, see :class:`Candidate`).

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


def _new_candidate(key: tuple) -> Candidate:
    """An empty :class:`Candidate` made without the dataclass's default factories
    (a document makes hundreds: this is the cheap way to get the same object)."""
    cand = _CANDIDATE_NEW(Candidate)
    cand.key = key
    cand.norms = _COUNTER_NEW(Counter)
    cand.surfaces = _COUNTER_NEW(Counter)
    cand.count = 0
    cand.offsets = []
    cand.sentences = []
    cand.occurrences = []
    cand.section_counts = _COUNTER_NEW(Counter)
    cand.maximal = cand.capitalised = cand.verbal = cand.verbal_head = 0
    return cand


_CANDIDATE_NEW = object.__new__
_COUNTER_NEW = dict.__new__


def _after_cue(tokens, cues, lowered):
    """Per token of a sentence: whether the token before it is a cue word (see
    :func:`load_cue_words`), matched on its norm (``lowered``: the lowercased
    norms) and its surface, lowercased; None when the sentence holds no cue word
    (most do not)."""
    flags = [norm in cues or t[0].lower() in cues for norm, t in zip(lowered, tokens)]
    return [False] + flags[:-1] if any(flags) else None


def _collect(sections, lang, max_words, phrase_words=frozenset(), cues=frozenset()):
    """Candidates of a document given as cleaned ``[(kind, paragraphs), ...]``.

    ``cues``: the cue words; occurrences right after one, outside the title,
    are counted as ``named``.  Returns ``(candidates by key, number of tokens,
    number of sentences)``.
    """
    candidates: dict = {}
    offset = 0
    paragraph_base = 0
    sentence_ordinal = 0
    is_id = lang == "id"
    for section_index, (kind, paragraphs) in enumerate(sections):
        for p_index, paragraph in enumerate(paragraphs):
            for s_index, tokens in enumerate(paragraph):
                spans = _sentence_spans(tokens, lang, max_words, phrase_words)
                if spans:
                    # per-token facts, computed once per sentence rather than per span
                    n = len(tokens)
                    surfaces = [t[0] for t in tokens]
                    norms = [t[1] for t in tokens]
                    lowered = [w.lower() for w in norms]
                    check_written = not all(norms)
                    verbal = ([t[2] == "w" and _verbal_form(t[0], t[1]) for t in tokens] if is_id
                              else [False] * n)
                    outside = [t[2] != "w" for t in tokens]  # not part of a run of content words
                    capital = [t[2] != "w" or t[0][:1].isupper() for t in tokens]
                    cued = _after_cue(tokens, cues, lowered) if cues and kind != "title" else None
                    occurrence = (section_index, paragraph_base + p_index, s_index)
                    for start, end in spans:
                        written = norms[start:end]
                        if check_written and not all(written):
                            continue
                        key = tuple(lowered[start:end])
                        cand = candidates.get(key)
                        if cand is None:
                            cand = candidates[key] = _new_candidate(key)
                        counts = cand.norms
                        text = " ".join(written)
                        counts[text] = counts.get(text, 0) + 1
                        if any(verbal[start:end]):
                            cand.verbal += 1
                            if verbal[start]:
                                cand.verbal_head += 1
                        if (start == 0 or outside[start - 1]) and (end >= n or outside[end]):
                            cand.maximal += 1
                        if cued is not None and cued[start]:
                            cand.named += 1
                        counts = cand.surfaces
                        text = " ".join(surfaces[start:end])
                        counts[text] = counts.get(text, 0) + 1
                        cand.count += 1
                        cand.offsets.append(offset + start)
                        cand.sentences.append(sentence_ordinal)
                        cand.occurrences.append(occurrence)
                        counts = cand.section_counts
                        counts[kind] = counts.get(kind, 0) + 1
                        # capitalised: every content word starts with a capital,
                        # not merely because the phrase opens the sentence
                        if all(capital[start:end]) and (start > 0 or _is_acronym(surfaces[start])):
                            cand.capitalised += 1
                offset += len(tokens)
                sentence_ordinal += 1
        paragraph_base += len(paragraphs)
    return candidates, offset, sentence_ordinal


def _collect_keys(sections, lang, max_words, phrase_words=frozenset(), cues=frozenset(),
                  named=None) -> set:
    """The candidate keys of a document only (what ``fit`` needs: no counts, no positions).

    With ``cues`` and a set ``named``, the keys of the candidates named at least
    once (see :func:`_collect`) are added to ``named``.
    """
    keys = set()
    for kind, paragraphs in sections:
        for paragraph in paragraphs:
            for tokens in paragraph:
                spans = _sentence_spans(tokens, lang, max_words, phrase_words)
                if not spans:
                    continue
                lowered = [t[1].lower() for t in tokens]
                if not all(t[1] for t in tokens):
                    spans = [(start, end) for start, end in spans if all(t[1] for t in tokens[start:end])]
                keys.update([tuple(lowered[start:end]) for start, end in spans])
                if cues and named is not None and kind != "title":
                    cued = _after_cue(tokens, cues, lowered)
                    if cued is not None:
                        named.update([tuple(lowered[start:end]) for start, end in spans if cued[start]])
    return keys


def extract_candidates(doc: list, lang: str, max_words: int = 4, phrase_words: str = "frame") -> list:
    """List the candidate keyphrases of a document.

    A candidate is a run of 1..``max_words`` tokens inside one sentence that
    does not start or end with a stopword, does not span punctuation, does
    not start or end with a number, and holds no token shorter than 2
    characters unless it is an acronym.  English phrases may hold "of"
    inside ("ministry of foreign affairs") and must end in a word that can be
    a noun.  Hyphenated words split by a tokenizer are joined first.  The
    stopwords of ``phrase_words`` (frame nouns: "hasil", "method") count as
    words in phrases of two or more words.  Occurrences right after a cue
    word of the language (:func:`load_cue_words`) outside the title are
    counted as ``named``.

    Parameters
    ----------
    doc : list
        One normalized text, a list of normalized texts (sections), or a list
        of ``(kind, normalized_text)`` pairs.
    lang : str
        "id" or "en" (any other code gets no internal stopwords).
    max_words : int
        Longest phrase, in tokens.
    phrase_words : str
        Which stopwords may be part of a multi-word phrase: "none", "frame"
        or "frame+content" (see :func:`load_phrase_words`).

    Returns
    -------
    list of Candidate
        Sorted by first occurrence, then key.  Empty for empty or malformed
        input.
    """
    try:
        sections = prepare_sections(doc, None, lang)
        candidates, _, _ = _collect(sections, lang, max(1, int(max_words)),
                                    load_phrase_words(lang, phrase_words), load_cue_words(lang))
    except (TypeError, ValueError, AttributeError, IndexError):
        return []
    return sorted(candidates.values(), key=lambda c: (c.offsets[0], c.key))


# ---------------------------------------------------------------------------
# shared by the scorers


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
    key up to hyphens/spaces); "subphrase" (also any key contained in or
    containing a kept key); "dependent" (duplicates, plus a key contained in
    a kept key only when it occurs no more often than that key and the kept
    key adds no generic word, see :func:`dependent_keys`); "overlap"
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
        if mode == "subphrase" and (inside or _contains(cand.key, other.key)):
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
    """
    scored = sorted(scored, key=lambda sc: (-round(sc[0], 9), sc[1].key))
    kept: list = []
    results = []
    skipped: list = []
    singles = 0
    for score, cand in scored:
        if len(results) >= max(0, int(top_n)):
            break
        if redundant(cand, kept, mode, is_generic):
            continue
        if max_single is not None and cand.n_words == 1 and singles >= max_single:
            skipped.append((score, cand))
            continue
        singles += cand.n_words == 1
        kept.append(cand)
        results.append(keyphrase_record(cand, score, n_tokens))
    # too few longer phrases: fill up with the single words held back
    for score, cand in skipped:
        if len(results) >= max(0, int(top_n)):
            break
        results.append(keyphrase_record(cand, score, n_tokens))
    results.sort(key=lambda r: (-r["score"], r["key"]))
    return results


def document_candidates(doc, sections, lang: str, max_words: int, phrase_words=frozenset()):
    """``(candidates by key, n_tokens, n_sentences)`` of a document; empty on bad input."""
    try:
        parts = prepare_sections(doc, sections, lang)
        return _collect(parts, lang, max(1, int(max_words)), phrase_words)
    except (TypeError, ValueError, AttributeError, IndexError):
        return {}, 0, 0


# ---------------------------------------------------------------------------
# the estimator

#: Weight of one occurrence per section kind.  Titles and abstracts are where
#: authors state what a paper is about; a long body repeats background terms.
_DEFAULT_SECTION_WEIGHTS = {"title": 2.0, "abstract": 2.0, "keywords": 0.0, "body": 1.0}


#: Phrase lengths told apart by the length prior: 1, 2, 3, 4 or more words.
_N_LENGTHS = 4

#: The length prior needs at least this many author keywords of other documents.
_MIN_LENGTH_KEYWORDS = 20
#: Strength, in candidates, of the prior that shrinks the cue prior's shares towards the
#: base rate (see KeyphraseExtractor._cue_factors).
_CUE_PRIOR_CANDIDATES = 50.0


def echo_phrases(other, max_words: int, first_words=None) -> frozenset:
    """The lowercased word sequences of 1 to ``max_words`` tokens of a text in
    the other language (``other`` in any shape :func:`_as_sections` accepts),
    for :func:`_echoed`; hyphenated words are rejoined as for candidates.

    ``first_words`` (a set of lowercased words), when given, keeps only the
    sequences that start with one of them: those a candidate can equal (the
    set then grows with the other text's mentions of this document's
    candidates, not with the other text's length).
    """
    out = set()
    n_max = max(1, int(max_words))
    try:
        parts = _as_sections(other) if other else []
    except (TypeError, ValueError, AttributeError, IndexError):
        return frozenset()
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


#: A word at least this common in everyday Indonesian or English (Zipf 4: ten per
#: million words, wordfreq) is no technical term: shared vocabulary ("formal",
#: "internet", "semester") is written the same way in both abstracts anyway, and an
#: everyday English word ("process", "strategy") turns up in an Indonesian text inside
#: a quoted title or a term ("process tracing") more often than as a term of its own.
_ECHO_COMMON_ZIPF = 4.0


def _echoed(cand: Candidate, echo: frozenset, zipf: dict) -> bool:
    """Whether a candidate is written the same way in the other language's text, is
    not a name (every word capitalised wherever it occurs, and not an acronym) and
    holds a word that is an everyday word of neither language (``_ECHO_COMMON_ZIPF``;
    ``zipf``: :func:`pipeline.text.langid.load_word_frequencies`)."""
    surfaces = [surface for surface in (s.lower() for s in cand.surfaces) if surface in echo]
    if not surfaces:
        return False
    words = [w for surface in cand.surfaces for w in surface.split(" ")]
    if all(w[:1].isupper() for w in words) and not all(_is_acronym(w) for w in words):
        return False  # never written in lower case: a name
    # a number is written the same way in every language: it is no evidence either
    return any(max(zipf.get(w, (0.0, 0.0))) < _ECHO_COMMON_ZIPF
               for surface in surfaces for w in surface.split(" ") if _letter_count(w))


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


class KeyphraseExtractor(EstimatorParams):
    """Rank the candidate keyphrases of a document ("ours"), scikit-learn style.

    The score of a candidate combines evidence from the document and from the
    corpus, all computed on lowercased stem keys (inflected variants count
    together; the phrase is shown in its most frequent surface form)::

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
                 * (1 + title_boost)    if in the title and again in the text
                 * (1 + maximal_weight * share of occurrences that are a whole
                    run of content words)
                 * length_weights[n_words]                    1, 2, 3, 4+ words
                   (or the length prior learnt from the corpus's
                    author keywords, see length_prior)
                 * verb_penalty   if most occurrences hold an Indonesian
                                  verb-affixed word (me-, di-, ber-, ter-)
                 * (1 + graph_weight * sum of the PositionRank scores of its
                    words, see graph_scores)                  off by default
                 * (1 + kp_weight * keyphraseness)           see below
                   (or, for a key no other author chose, the
                    non-choice factor kp_negative / (others + kp_negative))
                 * (1 + echo_weight)  if written the same way in the
                                      document's other language, see below
                 * nesting prior      learnt from the corpus's author
                                      keywords, see nest_prior
                 * cue prior          the same, for phrases named after a
                                      cue word, see cue_prior

    Keyphraseness (KEA's feature, Witten et al. 1999): when ``fit`` is given
    the author keywords of the corpus documents (``y``), a key chosen by the
    authors of other documents is likely a keyphrase here too.  "ratio": the
    share of the other documents holding the key whose authors chose it;
    "log": log(1 + number of such documents).  Strictly leave-one-out: a
    fitted document's own author keywords are subtracted before it is ranked
    (it is recognised by a digest of its prepared text), so they never rank
    it; a key no other author chose gets factor 1 (or the non-choice factor
    below), and every key does when the corpus has no author keywords.

    Non-choice evidence (``kp_negative`` = s): a key that ``others`` other
    documents WITH author keywords hold, none of whose authors chose it, gets
    the factor ``s / (others + s)``: the posterior estimate of the chance that
    an author chooses it (a Beta prior worth s documents, centred on the base
    rate) over that base rate.  A field's everyday words occur in many
    labelled documents and are never chosen; a key seen in no other labelled
    document keeps factor 1, and documents without author keywords count for
    nothing (a corpus with few keyword lines does not turn this into a second
    idf).  Leave-one-out like the rest: a fitted document with author keywords
    is taken out of ``others``.  Only never-chosen keys get it: applied to
    chosen keys as well (their unchosen documents against them) it measured
    worse (SINTA-id F1@10 23.6 against 24.2).

    Echo (``echo_weight``): in a document with abstracts in both languages,
    a phrase the author wrote identically in the other one ("template
    matching", "backpropagation", "JADE" in both the Indonesian and the
    English abstract) is a term the author chose to keep untranslated: a
    technical term.  ``extract`` is given that other text as ``other``.  Names
    (never written in lower case; acronyms are not names here), numbers and
    phrases made of everyday words of either language ("formal", "internet",
    "process"; ``_ECHO_COMMON_ZIPF``) are exempt: they turn up the same way in
    both texts anyway, so their echo says nothing.  On the 14 SINTA dev documents
    with both abstracts (both languages pooled, ranked without the echo),
    echoed phrases at places 11-40 are author keywords 7 times in 12, the
    others 15 in 673.

    Nesting prior (``nest_prior``): a candidate that also occurs inside a
    longer candidate of its document ("grup" in "grup permutasi" and "konsep
    grup") is a unit the text builds on; one that never does is a stretch of
    words said in passing ("studi perancangan") or an already maximal phrase.
    Which of the two gets chosen is a convention of a collection, not of a
    language: Indonesian journal authors choose the core terms, in their
    Indonesian and their English keywords alike (on the SINTA dev abstracts,
    3.2 % of nested one-word candidates are author keywords against 1.1 % of
    the others), Inspec's indexers the maximal phrases (12.5 % of nested
    two-word candidates against 29.3 %).  So ``fit`` learns, per phrase
    length, the share of nested and of other candidates that the corpus's
    authors chose, and a candidate's factor is its kind's share over that of
    its length (add-one smoothed, leave-one-out as keyphraseness, at least 20
    author keywords, raised to ``nest_prior``).  A corpus with fewer author
    keywords than that (a few documents, or none with keyword lines) uses the
    reference counts of Indonesian journal abstracts shipped with the package
    (``nest_reference``): the genre this tool is made for.

    Cue prior (``cue_prior``): a phrase right after a cue word, outside the
    title, is named by its author: the method or model a study uses ("metode
    *template matching*", "model *pembelajaran kooperatif tipe STAD*") or a
    term it introduces ("..., yaitu *client server*", "... adalah
    *lacunarity*"): Edmundson's cue method (1969), with the cue words of
    ``resources/keywords_cue_words_<lang>.txt``.  How much that says is a
    convention of a collection, so ``fit`` learns it like the nesting prior:
    the share of named and of other candidates that the corpus's authors
    chose, over the share of all candidates (each shrunk towards that base rate
    by a prior worth ``_CUE_PRIOR_CANDIDATES`` candidates, leave-one-out, at
    least 20 author keywords, else the reference counts of the SINTA corpus's
    keyword lines), raised to ``cue_prior``.  On the 100 SINTA dev
    abstracts named candidates are author keywords 8.8 % of the time against
    2.2 % (in the SINTA corpus's other keyword lines, 4.3 % against 1.4 %);
    Inspec's indexers show no such preference and learn a factor near 1.

    Candidates: runs of content words, plus the stopwords of
    ``phrase_words`` (nouns among the frame words: "hasil belajar",
    "fuzzy methods"), which may stand anywhere in a phrase of two or more
    words but never alone; such a frame word around a term does not make the
    term redundant.  English phrases end in a noun (see
    :func:`_english_pos_ok`); an Indonesian phrase never ends in a me-/di-
    verb, the predicate of a clause ("hasil belajar siswa meningkat"), unless
    it is one of the adjectival forms of fixed terms ("sekolah menengah"; see
    :func:`_closes_phrase`).

    With ``verbal_head="drop"`` a candidate whose first word is verb-affixed
    is no candidate (Indonesian phrases are head-first: "diplomasi ekonomi",
    not "menggunakan metode").

    Redundancy ("dependent", the default): before ranking, a sub-phrase that
    never occurs outside a longer candidate is dropped (it adds nothing of its
    own), except when the longer one only adds generic words (``generic_share``)
    or the sub-phrase is used on its own across the corpus (``reuse_ratio``)
    or was chosen as a keyword by the authors of other documents (``kp_units``);
    generic words are those that open or close multi-word candidates all over
    the corpus (``edge_share``: "pengaruh pupuk kandang" keeps "pupuk
    kandang", "proses denoising" keeps "denoising");
    while ranking, a phrase inside a kept one and no more frequent is skipped.

    Defaults (see ``benchmarks/keywords_quality.py``): chosen on SINTA half A
    (even positions) and checked on half B, Inspec and SINTA English; only
    settings that did not lose on the held-out sets were kept, and options
    that measured as noise (within about 1 point F1@10 on a 50-document half)
    default to off.

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
        "none", "duplicate", "subphrase" or "dependent" (see
        :func:`redundant`).
    tf_power, idf_power, position_weight, spread_weight, title_boost, maximal_weight : float
        Weights of the score (see formula above).
    body_tf_power : float
        Power of the body counts in tf (1 counts body occurrences fully).
    idf_mode : str
        "key", "words" or "mix" (see above).
    idf_ref_docs : int
        Corpus size at which idf saturates: above it, the idf is that of a
        corpus of this many documents with the same document shares, so a
        phrase held by fewer than 1 / idf_ref_docs of the documents counts as
        fully specific.  Without it, idf ** idf_power grows with the corpus
        and one-off phrases (typos, chance word pairs) outrank the terms a
        field shares: the 100 SINTA dev abstracts ranked inside the 2,867-
        abstract corpus lose 1.9 points F1@10 (see
        ``benchmarks/keywords_quality.py --corpus``).  0 disables.
    max_single : int or None
        At most this many one-word phrases in the top N (None: no cap).
    generic_share : float
        A word is generic when at least this share of the corpus documents
        (and 3 or more) hold it; 0 disables the exception.
    reuse_ratio : float
        A sub-phrase whose document frequency is at least this many times
        that of the longer phrase is kept; 0 disables the exception.
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
    phrase_words : str
        "none", "frame" or "frame+content" (see :func:`load_phrase_words`).
    graph_weight : float
        Weight of the PositionRank word scores; 0 disables.
    graph_window : int
        Co-occurrence window of the word graph, in tokens.
    kp_weight : float
        Weight of keyphraseness; 0 disables (as does fitting without ``y``).
    kp_mode : str
        "ratio" or "log" (see above).
    kp_negative : float
        Prior strength, in documents, of the non-choice factor (see above); 0
        disables.
    kp_word_weight : float
        Weight of word-level keyphraseness (see ``_word_keyphraseness``); 0
        disables (the default: Inspec +1.8 F1@10, SINTA-id and SINTA-en not
        better, see ``benchmarks/keywords_quality.py --ablation``).
    kp_units : bool
        A sub-phrase that the authors of other documents chose as a keyword
        is never dropped as dependent on a longer candidate (see
        ``_chosen_units``); needs keyphraseness on.
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
        keywords (leave-one-out; see ``_length_factors``); when there are
        enough of them it replaces ``length_weights``.  0 disables; None is
        the language's default: 1 for English, 0 for Indonesian (where it
        measured as noise, see ``benchmarks/keywords_quality.py``).
    echo_weight : float
        Weight of the echo in the document's other language (see above); 0
        disables, as does ranking without ``other``.
    nest_prior : float
        Power of the nesting prior learnt by ``fit`` from the corpus's author
        keywords (see above); 0 disables.
    nest_reference : bool
        When the corpus has fewer than 20 author keywords (other than the
        ranked document's own), the nesting prior uses the reference counts
        shipped with the package (``resources/keywords_nest_prior.json``:
        the keyword lines of the SINTA journal corpus, see
        ``benchmarks/nest_prior_reference.py``); False: no prior then.
        The cue prior falls back to the same file's cue counts.
    cue_prior : float
        Power of the cue prior learnt by ``fit`` from the corpus's author
        keywords (see above); 0 disables.
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
        redundancy: str = "dependent",
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
        nest_cand = [[0, 0] for _ in range(_N_LENGTHS)]
        nest_kp = [[0, 0] for _ in range(_N_LENGTHS)]
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
            try:
                parts = prepare_sections(doc, None, self.lang)
                candidate_keys = _collect_keys(parts, self.lang, max_words, phrase_words, cues, named)
            except (TypeError, ValueError, AttributeError, IndexError):
                parts, candidate_keys, named = [], set(), set()
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
                nest_cand[min(len(key), _N_LENGTHS) - 1][key in nested] += 1
            cue_cand[1] += len(named)
            cue_cand[0] += len(candidate_keys) - len(named)
            own = _label_keys(labels[index]) if index < len(labels) else []
            for key in own:
                words = tuple(key.split(" "))
                if words in candidate_keys:
                    nest_kp[min(len(words), _N_LENGTHS) - 1][words in nested] += 1
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
        return load_phrase_words(self.lang, self.phrase_words)

    def _document(self, doc, sections, phrase_words):
        """``(prepared sections, candidates by key, n_tokens)``; empty on bad input."""
        try:
            parts = prepare_sections(doc, sections, self.lang)
            candidates, n_tokens, _ = _collect(parts, self.lang, max(1, int(self.max_words)), phrase_words,
                                               self._cue_words())
            return parts, candidates, n_tokens
        except (TypeError, ValueError, AttributeError, IndexError):
            return [], {}, 0

    # -- scoring ----------------------------------------------------------------

    def _idf(self, key: tuple) -> float:
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

    def _weights(self) -> dict:
        weights = dict(_DEFAULT_SECTION_WEIGHTS)
        if isinstance(self.section_weights, dict):
            weights.update(self.section_weights)
        return weights

    def score(self, cand: Candidate, n_tokens: int, weights: dict | None = None,
              length_factors: list | None = None) -> float:
        """Score of one candidate of a document of ``n_tokens`` tokens (higher is better).

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
            tf ** self.tf_power
            * self._idf(cand.key) ** self.idf_power
            * (1.0 + self.position_weight * (1.0 - first))
            * (1.0 + self.spread_weight * (last - first))
            * (1.0 + self.maximal_weight * cand.maximal / cand.count)
        )
        in_title = cand.section_counts.get("title", 0)
        if in_title and cand.count > in_title:
            # said in the title and taken up again in the text: what the paper
            # is about (a title fragment that never recurs is rarely a keyphrase)
            score *= 1.0 + self.title_boost
        if length_factors is not None:
            score *= length_factors[min(cand.n_words, _N_LENGTHS) - 1]
        elif self.length_weights:
            by_len = list(self.length_weights)
            score *= float(by_len[min(cand.n_words, len(by_len)) - 1])
        if cand.verbal * 2 > cand.count:
            score *= self.verb_penalty
        return score

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
        frame = _frame_norms(parts, phrase_words) if phrase_words else frozenset()
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
            from .langid import load_word_frequencies  # loaded already where languages were detected

            zipf = load_word_frequencies()
        reused = self._reused if self.reuse_ratio else None
        if self.kp_units and keyphraseness is not None:
            reused = self._chosen_units(own, reused)
        dependents = (dependent_keys(candidates, is_generic, reused)
                      if self.redundancy in ("dependent", "overlap") else set())
        scored = []
        for key, cand in candidates.items():
            if cand.n_words == 1 and cand.count < self.single_min_count:
                continue
            if key in dependents:
                continue
            if cand.verbal_head * 2 > cand.count and self.verbal_head == "drop":
                continue  # head-first noun phrases: a verb-affixed first word is no head
            score = self.score(cand, n_tokens, weights, length_factors)
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
            if echo and _echoed(cand, echo, zipf):
                score *= 1.0 + self.echo_weight
            if score > 0:
                scored.append((score, cand))
        return select_top(scored, n_tokens, self.top_n, self.redundancy, self.max_single, is_generic)

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
        if len(kp) != _N_LENGTHS or len(cand) != _N_LENGTHS:
            return None
        for key in own_keys:
            words = tuple(key.split(" "))
            if words in candidates:
                kp[min(len(words), _N_LENGTHS) - 1] -= 1
        if sum(kp) < _MIN_LENGTH_KEYWORDS:
            return None
        total_kp, total_cand = sum(kp), sum(cand)
        ratio = [((k + 1.0) / (total_kp + _N_LENGTHS)) / ((c + 1.0) / (total_cand + _N_LENGTHS))
                 for k, c in zip(kp, cand)]
        power = self._length_prior()
        return [(r / ratio[0]) ** power for r in ratio]

    def _nest_factors(self, own_keys, candidates: dict):
        """Nesting prior of this document's candidates (see the class docstring), or None.

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
        if len(kp) == _N_LENGTHS and len(cand) == _N_LENGTHS:
            for key in own_keys:  # leave-one-out: this document's own keywords
                words = tuple(key.split(" "))
                if words in candidates:
                    kp[min(len(words), _N_LENGTHS) - 1][words in nested] -= 1
        if len(kp) != _N_LENGTHS or len(cand) != _N_LENGTHS or sum(map(sum, kp)) < _MIN_LENGTH_KEYWORDS:
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
            return table[min(len(key), _N_LENGTHS) - 1][key in nested]

        return factor

    def _cue_words(self) -> frozenset:
        """The cue words of the language, or none when ``cue_prior`` is 0."""
        return load_cue_words(self.lang) if self.cue_prior else frozenset()

    def _cue_factors(self, own_keys, candidates: dict):
        """Cue prior of this document's candidates (see the class docstring), or None.

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
            out["length_kp_"] = [int(v) for v in getattr(self, "length_kp_", [0] * _N_LENGTHS)]
            out["length_cand_"] = [int(v) for v in getattr(self, "length_cand_", [0] * _N_LENGTHS)]
            empty = [[0, 0] for _ in range(_N_LENGTHS)]
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
                    eligible = (token[2] == "w" or (phrase_words and _is_phrase_word(token, phrase_words))) \
                        and _token_ok(token, lang)
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
# corpus level


def corpus_keywords(per_doc: dict, top_n: int = 50) -> list:
    """Aggregate per-document keyphrases into corpus keywords.

    A key's corpus score is the sum over documents of its score relative to
    that document's best score (each document gives at most 1 to a phrase), so
    a phrase that is a keyphrase of many documents ranks above one strong in a
    single document, and a long article whose raw scores are large does not
    drown the abstracts; its display phrase is the one most documents show.

    Parameters
    ----------
    per_doc : dict
        Document id -> list of keyphrase dicts as returned by
        ``KeyphraseExtractor.extract``.
    top_n : int
        Number of corpus keywords returned.

    Returns
    -------
    list of dict
        ``{"phrase", "key", "df", "score", "documents"}``, best first
        (score desc, df desc, key); ``score`` rounded to 6 decimals,
        ``documents`` sorted.
    """
    totals: dict = {}
    if not isinstance(per_doc, dict):
        return []
    for doc_id in sorted(per_doc, key=str):
        items = per_doc[doc_id]
        if not isinstance(items, list):
            continue
        seen_here = set()
        best = max((float(i.get("score", 0.0) or 0.0) for i in items if isinstance(i, dict)), default=0.0)
        for item in items:
            if not isinstance(item, dict) or not item.get("key"):
                continue
            key = str(item["key"])
            if key in seen_here:
                continue
            seen_here.add(key)
            entry = totals.setdefault(key, {"score": 0.0, "docs": [], "phrases": Counter()})
            score = float(item.get("score", 0.0) or 0.0)
            entry["score"] += score / best if best > 0 else 0.0
            entry["docs"].append(str(doc_id))
            entry["phrases"][str(item.get("phrase", key))] += 1
    rows = []
    for key, entry in totals.items():
        phrase = sorted(entry["phrases"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        rows.append({
            "phrase": phrase,
            "key": key,
            "df": len(entry["docs"]),
            "score": round(entry["score"], 6),
            "documents": sorted(entry["docs"]),
        })
    rows.sort(key=lambda r: (-r["score"], -r["df"], r["key"]))
    return rows[: max(0, int(top_n))]
