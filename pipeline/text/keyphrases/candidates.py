"""Candidate selection: which runs of words of a document may be keyphrases.

A candidate is a run of 1 to ``max_words`` tokens inside one sentence, keyed by
the lowercased norms of its words (see :class:`~pipeline.text.keyphrases.base.Candidate`).
The rules, decided once per token (:func:`_span_codes`) and applied per sentence
(:func:`_sentence_spans`):

1. content words make phrases; punctuation and other stopwords end them;
2. a number or an internal stopword (English "of": "ministry of foreign affairs";
   a content word of the stopword list that the tagger reads as a noun or
   adjective: "hubungan luar negeri", :func:`load_content_stopwords`) may stand
   inside a phrase, never at an end;
3. the frame nouns among the stopwords (``phrase_words``: "hasil belajar", "fuzzy
   methods") may stand anywhere in a phrase of two or more words, never alone;
4. words that are no terms break a phrase (:func:`~pipeline.text.keyphrases.base.surface_ok`);
5. an English phrase ends in a word that can be a noun (a lexicon check:
   :func:`_english_pos_ok`; a participle such as "known" or "based" is none);
6. an Indonesian phrase never ends in a me-/di- verb, the predicate of a clause
   ("hasil belajar siswa meningkat"), unless it is one of the adjectival forms of
   fixed terms ("sekolah menengah"; :func:`_closes_phrase`), and such a verb is no
   candidate alone ("melaksanakan");
7. an English name is not cut at its "of" ("Social Internet" and "Things Platform"
   of "Social Internet of Things Platform": :func:`_unclipped`);
8. where the tokens carry universal part-of-speech tags (the normalize stage's
   tagger), a phrase is a noun phrase: no function word in it, no verb or lone
   modifier as its head, where a second cue agrees (:func:`_noun_phrase`).

While collecting (:func:`collect_candidates`) each occurrence is also flagged for
the features: whether it is a whole run of content words (``maximal``), holds or
opens with a verb-affixed word (``verbal``, ``verbal_head``), is capitalised, and
whether it follows a cue word outside the title (``named``: the author names the
phrase, "metode *template matching*"; :func:`load_cue_words`).
"""

from __future__ import annotations

import warnings
from collections import Counter
from functools import lru_cache

from .. import LANGS
from ..resources import read_word_list
from .base import Candidate, is_acronym, surface_ok, token_ok
from .surface import UPOS_TAGS, prepare_sections

__all__ = [
    "load_phrase_words",
    "load_cue_words",
    "is_phrase_word",
    "frame_norms",
    "collect_candidates",
    "collect_keys",
    "extract_candidates",
]

#: Stopwords that may stand inside an English phrase ("ministry of foreign
#: affairs", "quality of service").  Kept to "of": "and"/"for" joined phrases
#: are mostly two keyphrases run together.  Indonesian phrases need none:
#: modifiers follow their head directly ("hasil belajar", "pupuk kandang").
_INTERNAL_STOPWORDS = {"en": frozenset({"of"}), "id": frozenset()}


# ---------------------------------------------------------------------------
# word lists


@lru_cache(maxsize=8)
def load_phrase_words(lang: str, mode: str = "frame+content") -> frozenset:
    """Stopwords that may be part of a multi-word keyphrase (see :func:`is_phrase_word`).

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
    if mode not in ("frame", "frame+content") or lang not in LANGS:
        return frozenset()
    words = set(read_word_list(f"keywords_phrase_words_{lang}.txt"))
    if mode == "frame+content":
        words.update(read_word_list(f"not_stopwords_{lang}.txt"))
    return frozenset(words)


@lru_cache(maxsize=4)
def load_content_stopwords(lang: str) -> frozenset:
    """The content words a stopword list of ``lang`` carries (``not_stopwords_<lang>.txt``,
    derived from the UD tags by the rule stated in that file; empty where none exists).

    Where the tagger reads one of them as a noun or adjective in its sentence, it may
    stand inside a phrase, never at its ends (rule 2 of the module): "hubungan *luar*
    negeri", "kebijakan *luar* negeri" are one term, not "kebijakan hubungan" and "negeri".
    """
    if lang not in LANGS:
        return frozenset()
    try:
        return frozenset(read_word_list(f"not_stopwords_{lang}.txt"))
    except FileNotFoundError:
        return frozenset()


def _inside_word(token, content_stopwords) -> bool:
    """Whether a stopword token is a content word here (tagged NOUN or ADJ, and listed
    by :func:`load_content_stopwords`): it may stand inside a phrase."""
    return (len(token) > 3 and token[3] in _UPOS_INSIDE and bool(content_stopwords)
            and token[0].lower() in content_stopwords)


#: The tags under which a content word of the stopword list joins a phrase.
_UPOS_INSIDE = frozenset({"NOUN", "ADJ"})


@lru_cache(maxsize=4)
def load_cue_words(lang: str) -> frozenset:
    """The cue words of a language (``resources/keywords_cue_words_<lang>.txt``).

    A phrase right after one of them is named by the author: a method or model
    ("metode", "teknik", "model"; English puts those after the name, so it has
    none) or a term being introduced ("yaitu", "adalah"; "namely", "called").
    Empty for a language without a list.
    """
    return frozenset(read_word_list(f"keywords_cue_words_{lang}.txt")) if lang in LANGS else frozenset()


def is_phrase_word(token, phrase_words) -> bool:
    """Whether a token tagged stopword is a noun that may stand in a phrase.

    Stopword lists carry content words (Sastrawi's "kerja", "tinggi"; the
    academic frame words "hasil", "metode", "data", "approach"): alone they
    say nothing, inside a term they are part of it ("hasil belajar", "dataran
    tinggi", "fuzzy methods").
    """
    return token[2] == "s" and (token[0].lower() in phrase_words or token[1].lower() in phrase_words)


def frame_norms(parts: list, phrase_words) -> frozenset:
    """Lowercased norms of the tokens of a document that are phrase words."""
    return frozenset(t[1].lower() for _, paragraphs in parts for paragraph in paragraphs
                     for sentence in paragraph for t in sentence if is_phrase_word(t, phrase_words))


# ---------------------------------------------------------------------------
# English: a noun phrase by lexicon


@lru_cache(maxsize=1)
def _english_pos_index() -> dict:
    """Word lists by part of speech (WordNet's, shipped by spacy-lookups-data).

    Used only as a lexicon: which lemmas can be nouns, verbs, adjectives or
    adverbs.  Empty when the table cannot be read (a warning says why), which
    switches the filter off rather than failing.
    """
    try:
        from ..stemming import load_lookup_table

        # Read straight from spacy-lookups-data: scoring a document does not import spaCy.
        table = load_lookup_table("en", "lemma_index")
        return {pos: frozenset(table.get(pos, ())) for pos in ("noun", "verb", "adj", "adv")}
    except (ImportError, AttributeError, TypeError) as exc:  # not a table of word lists
        warnings.warn(f"keyphrases: no English part-of-speech lexicon ({type(exc).__name__}: {exc}); "
                      "English phrases are not checked for a noun head", RuntimeWarning, stacklevel=2)
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
        if token[2] != "w" or is_acronym(token[0]):
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
            if _verb_form(token[0].lower(), token[1].lower(), nouns, verbs):
                return False  # a participle ("implemented", "based", "known") heads no noun phrase
        elif not is_noun and not is_adj:
            surface = token[0].lower()
            if not surface.endswith(("ed", "ing", "en")):
                return False
    return True


def _verb_form(lower: str, lemma: str, nouns, verbs) -> bool:
    """Whether an English word is an inflected form of a verb that is no noun form.

    The lexicon lists lemmas: "known" has the lemma "know", which is also a noun,
    yet "known" is a participle and heads no noun phrase.  An inflected word (not its
    own lemma, not a noun itself) of a verb lemma is a verb form unless it is the
    lemma's regular plural ("programs", "studies") or a gerund ("learning"), which
    name things; "-ed" forms are participles whatever the lemma is.
    """
    if lower == lemma or lower in nouns:
        return False
    if lower.endswith("ed"):
        return True
    if lemma not in verbs or lower.endswith("ing"):
        return False
    plurals = (lemma + "s", lemma + "es", lemma[:-1] + "ies" if lemma.endswith("y") else None)
    return lower not in plurals


#: Bits of :func:`_english_pos_roles`: the word may end an English noun phrase (be its
#: head), and it may stand before the head.
_POS_HEAD, _POS_BEFORE = 1, 2
_POS_ANY = _POS_HEAD | _POS_BEFORE


@lru_cache(maxsize=1 << 17)
def _english_pos_roles(surface: str, norm: str) -> int:
    """Where a content word may stand in an English noun phrase, by the rules of
    :func:`_english_pos_ok` (``_POS_HEAD`` / ``_POS_BEFORE`` bits; cached)."""
    index = _english_pos_index()
    if not index or is_acronym(surface):
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
    if is_noun and not _verb_form(lower, norm.lower(), nouns, verbs):
        roles |= _POS_HEAD
    if is_noun or is_adj or lower.endswith(("ed", "ing", "en")):
        roles |= _POS_BEFORE
    return roles


# ---------------------------------------------------------------------------
# Indonesian: verbs


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
    return frozenset(read_word_list("keywords_adjectival_verbs_id.txt"))


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


# ---------------------------------------------------------------------------
# spans


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
    inside = load_content_stopwords(lang)
    codes = []
    for token in tokens:
        surface, norm, tag = token[0], token[1], token[2]
        if tag == "w":
            if not surface_ok(surface):
                codes.append(_BREAK)
            else:
                codes.append(_OPEN if _closes_phrase(token, lang) else _OPEN_NO_CLOSE)
        elif tag == "s":
            if (phrase_words and (surface.lower() in phrase_words or norm.lower() in phrase_words)
                    and surface_ok(surface)):
                codes.append(_PHRASE)
            elif internal and (norm.lower() in internal or surface.lower() in internal):
                codes.append(_SKIP)
            elif _inside_word(token, inside):
                codes.append(_SKIP)
            else:
                codes.append(_BREAK)
        elif tag == "n":
            codes.append(_SKIP)
        elif tag == "p":
            codes.append(_BREAK)
        else:
            codes.append(_CONTENT if surface_ok(surface) else _BREAK)
    return codes


def _sentence_spans(tokens, lang, max_words, phrase_words=frozenset()) -> list:
    """``(start, end)`` spans of the valid candidates of one sentence, in the order
    :func:`_raw_spans` yields them, English spans filtered by :func:`_english_pos_ok`
    (the same decisions, made from per-token codes), then the spans that clip a
    longer phrase dropped (:func:`_clipped`) and, where the tokens carry universal
    part-of-speech tags, those that are no noun phrase (:func:`_noun_phrase`)."""
    codes = _span_codes(tokens, lang, phrase_words)
    n = len(codes)
    spans = []
    for start in range(n):
        code = codes[start]
        if code in (_OPEN, _OPEN_NO_CLOSE):
            content = 1
            if code == _OPEN:  # a me-/di- verb alone is a predicate, no keyphrase
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
    if spans and lang == "en":
        spans = _unclipped(tokens, codes, spans)
    if spans and all(len(t) > 3 and t[3] in UPOS_TAGS for t in tokens):
        spans = [(start, end) for start, end in spans if _noun_phrase(tokens, start, end, lang)]
        if spans and lang == "en":
            spans = [(start, end) for start, end in spans if not _gerund_with_object(tokens, start)]
    return spans


#: What opens the object of a gerund ("conducting *foreign relations*", "in managing
#: *the* budget"), and what stands before a gerund used as a verb ("*in* conducting",
#: "*by* applying").
_UPOS_OBJECT = frozenset({"NOUN", "PROPN", "ADJ", "DET", "NUM"})
_UPOS_BEFORE_GERUND = frozenset({"ADP", "SCONJ"})


def _gerund_with_object(tokens, i: int) -> bool:
    """Whether English token ``i`` is an -ing form used as a verb: after a preposition or
    subordinator and followed by its object ("in *conducting* foreign relations", "by
    *applying* the method").  There it is the head of a verb phrase, whatever the
    tagger read (it often reads such a gerund as a noun): no phrase starts with it at
    that occurrence.  A gerund used as a noun keeps its place ("the conducting of",
    "machine learning", "data mining is").
    """
    word = tokens[i][0].lower()
    if not word.endswith("ing") or len(word) < 6 or i == 0 or i + 1 >= len(tokens):
        return False
    return tokens[i - 1][3] in _UPOS_BEFORE_GERUND and tokens[i + 1][3] in _UPOS_OBJECT


def _raw_spans(tokens, lang, max_words, phrase_words=frozenset()):
    """Spans obeying the token-tag rules only.

    Tokens of ``phrase_words`` (see :func:`is_phrase_word`) count as content
    words, but a span needs at least one real content word.
    """
    internal = _INTERNAL_STOPWORDS.get(lang, frozenset())
    inside = load_content_stopwords(lang)
    n = len(tokens)
    for start in range(n):
        first = tokens[start]
        if first[2] == "w":
            content = 1
        elif phrase_words and is_phrase_word(first, phrase_words):
            content = 0
        else:
            continue
        if not token_ok(first, lang):
            continue
        if content and _closes_phrase(first, lang):
            yield start, start + 1
        for end in range(start + 2, min(n, start + max_words) + 1):
            last = tokens[end - 1]
            tag = last[2]
            if tag == "p":
                break
            if tag == "s":
                if phrase_words and is_phrase_word(last, phrase_words) and token_ok(last, lang):
                    if content:
                        yield start, end
                    continue
                if (last[1].lower() not in internal and last[0].lower() not in internal
                        and not _inside_word(last, inside)):
                    break
                continue  # an allowed internal stopword cannot end a phrase
            if tag == "n":
                # a bare number neither opens nor closes a phrase: "semester
                # 1", "kelas XII IPS 4" are references, not terms
                continue
            if not token_ok(last, lang):
                break
            content += 1
            if _closes_phrase(last, lang):
                yield start, end


# ---------------------------------------------------------------------------
# clipped phrases and parts of speech


def _unclipped(tokens, codes, spans) -> list:
    """English spans that do not cut a name at its "of".

    Inside a name, "of" binds the words on both sides: "Social Internet of Things
    Platform", "Ministry of Foreign Affairs".  There a span that ends right before
    the "of" ("Social Internet", "Ministry") or starts right after it ("Things
    Platform", "Foreign Affairs") is a piece of the name, no candidate at that
    occurrence: the name is taken whole, up to ``max_words``, or not at all.  An
    "of" counts as a name's when the words on both sides of it are capitalised
    (not at the sentence's start).  Elsewhere "of" introduces a complement, and
    the phrase before it is a term of its own ("problem solving ability of
    students", "focal point of Indonesia's relations").
    """
    n = len(tokens)
    name_of = [False] * (n + 1)  # token i is "of" between two capitalised words
    for i in range(2, n - 1):
        if (codes[i] == _SKIP and tokens[i][2] == "s"
                and codes[i - 1] in (_OPEN, _OPEN_NO_CLOSE, _CONTENT, _PHRASE)
                and codes[i + 1] in (_OPEN, _OPEN_NO_CLOSE, _CONTENT, _PHRASE)
                and tokens[i - 1][0][:1].isupper() and tokens[i + 1][0][:1].isupper()):
            name_of[i] = True
    return [(start, end) for start, end in spans if not name_of[end] and not (start > 0 and name_of[start - 1])]


#: Universal part-of-speech tags that head a noun phrase ("X": foreign words, which
#: Indonesian text writes for technical terms, "mind mapping"), and the closed
#: classes that never stand in one (pronouns, determiners, auxiliaries,
#: conjunctions, particles, interjections).
_UPOS_NOMINAL = frozenset({"NOUN", "PROPN", "X", "NUM", "SYM"})
_UPOS_CLOSED = frozenset({"PRON", "DET", "AUX", "CCONJ", "SCONJ", "PART", "INTJ"})


def _noun_phrase(tokens, start, end, lang) -> bool:
    """Whether a span tagged with universal parts of speech can be a noun phrase.

    Its words are no function words (:data:`_UPOS_CLOSED`), and its head (the first
    word in Indonesian, whose modifiers follow the head; the last in English) is no
    verb or lone modifier ("melaksanakan", "known").  A tagger trained on other
    text errs on a field's terms ("diplomasi" read as a verb), so a head tagged
    VERB, ADJ or ADV is rejected only when a second, independent cue agrees: in
    Indonesian a verbal prefix (me-, di-, ber-, ter-: :func:`_verbal_form`), in
    English a lexicon reading of that class (WordNet: "question" can be a verb,
    "algorithm" cannot).  Only used when the tokens carry tags (see
    :data:`~pipeline.text.keyphrases.surface.UPOS_INDEX`).
    """
    words = [t for t in tokens[start:end] if t[2] != "n"]
    if any(t[3] in _UPOS_CLOSED for t in words):
        return False
    head = words[0] if lang == "id" else words[-1]
    upos = head[3]
    if upos in _UPOS_NOMINAL or head[2] != "w":
        return True
    if upos not in ("VERB", "ADJ", "ADV"):
        return False  # a preposition or a punctuation mark as the head: a broken span
    if lang == "id":
        return not _verbal_form(head[0], head[1])
    if lang == "en":
        index = _english_pos_index()
        lexicon = {"VERB": "verb", "ADJ": "adj", "ADV": "adv"}[upos]
        return not index or not ({head[0].lower(), head[1].lower()} & index[lexicon])
    return True


# ---------------------------------------------------------------------------
# collecting a document's candidates


def _new_candidate(key: tuple) -> Candidate:
    """An empty :class:`Candidate` made without the dataclass's default factories
    (a document makes hundreds: this is the cheap way to get the same object)."""
    cand = _CANDIDATE_NEW(Candidate)
    cand.key = key
    cand.norms = _COUNTER_NEW(Counter)
    cand.surfaces = _COUNTER_NEW(Counter)
    cand.cased = _COUNTER_NEW(Counter)
    cand.word_case = None
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


def collect_candidates(sections, lang, max_words, phrase_words=frozenset(), cues=frozenset()):
    """Candidates of a document given as cleaned ``[(kind, paragraphs), ...]``.

    ``cues``: the cue words; occurrences right after one, outside the title,
    are counted as ``named``.  Returns ``(candidates by key, number of tokens,
    number of sentences)``.
    """
    candidates: dict = {}
    # how the running text writes each word (lowercased -> written forms), for the
    # words of candidates seen only where case says nothing (titles, sentence starts)
    word_case: dict = {}
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
                    known_case = [t[4] or t[2] == "p" for t in tokens]
                    for t in tokens:
                        if t[4] and t[2] in ("w", "s"):
                            forms = word_case.setdefault(t[0].lower(), {})
                            forms[t[0]] = forms.get(t[0], 0) + 1
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
                        if all(known_case[start:end]):
                            counts = cand.cased
                            counts[text] = counts.get(text, 0) + 1
                        cand.count += 1
                        cand.offsets.append(offset + start)
                        cand.sentences.append(sentence_ordinal)
                        cand.occurrences.append(occurrence)
                        counts = cand.section_counts
                        counts[kind] = counts.get(kind, 0) + 1
                        # capitalised: every content word starts with a capital,
                        # not merely because the phrase opens the sentence
                        if all(capital[start:end]) and (start > 0 or is_acronym(surfaces[start])):
                            cand.capitalised += 1
                offset += len(tokens)
                sentence_ordinal += 1
        paragraph_base += len(paragraphs)
    for cand in candidates.values():
        cand.word_case = word_case
    return candidates, offset, sentence_ordinal


def collect_keys(sections, lang, max_words, phrase_words=frozenset(), cues=frozenset(),
                 named=None) -> set:
    """The candidate keys of a document only (what ``fit`` needs: no counts, no positions).

    With ``cues`` and a set ``named``, the keys of the candidates named at least
    once (see :func:`collect_candidates`) are added to ``named``.
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
        Sorted by first occurrence, then key.  Empty for a document of no known
        shape.
    """
    sections = prepare_sections(doc, None, lang)
    candidates, _, _ = collect_candidates(sections, lang, max(1, int(max_words)),
                                          load_phrase_words(lang, phrase_words), load_cue_words(lang))
    return sorted(candidates.values(), key=lambda c: (c.offsets[0], c.key))


