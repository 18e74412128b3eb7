"""Tokenization and normalization: text -> paragraphs -> sentences -> tokens.

Output follows the NORMALIZED TEXT contract: a text is a list of paragraphs,
a paragraph a list of sentences, a sentence a list of tokens. A token is a
6-item list ``[surface, norm, tag, normalized, flags, upos]``; the first three keep
their original meaning, so readers of ``tok[0]``, ``tok[1]``, ``tok[2]`` (or of
``tok[:3]``) are unaffected:

``surface``
    the token as in the text (a merged multi-token variant such as
    ``kerja sama`` keeps its inner whitespace);
``norm``
    Indonesian stem / English lemma, lowercased except acronyms, which stay as
    written (``ASEAN``, ``ACFTA-nya`` -> ``ACFTA``);
``tag``
    ``"w"`` content word, ``"s"`` stopword, ``"p"`` punctuation/symbol,
    ``"n"`` number;
``normalized``
    the readable word before stemming: lowercased, variant spellings merged
    to their canonical form (``kerja sama`` -> ``kerjasama``), acronym parts
    as written (``ASEAN-China`` -> ``ASEAN-china``, ``NGOs`` stays); the
    surface itself for punctuation and numbers;
``flags``
    a string of zero or more letters, always in this order:
    ``A`` the norm keeps capitals (an acronym, or a compound holding one);
    ``P`` a proper noun: capitalised inside an ordinary sentence and never
    written in lower case in the text (Indonesian: lowercased, not stemmed);
    ``R`` a reduplication reduced to its base (``negara-negara`` -> ``negara``);
    ``V`` a variant spelling mapped to its canonical form. ``""`` for most
    tokens. Stopword, number and punctuation are the ``tag``.
``upos``
    the token's universal part of speech (``NOUN``, ``VERB``, ``PROPN``, ...)
    from the shipped tagger (:mod:`pipeline.text.tagger`), which tags each
    sentence's tokens; it also chooses English lemmas (``findings``/NOUN ->
    ``finding``, ``found``/VERB -> ``find``) and keeps an Indonesian proper
    noun unstemmed even at a sentence's start.

Tokenization uses spaCy's blank Indonesian/English tokenizers with two changes.
A bracket glued between two words ("Product Output(NPO)", "error(SSE)",
"(c)Hubungan": a space lost in export) splits them, as a bracket at a word's
end already does. And a single hyphen between letters or digits no longer splits a token, so
``negara-negara``, ``e-commerce``, ``ASEAN-China``, ``ACFTA-nya`` and
``COVID-19`` stay whole (spaCy splits them unless listed in its 16,000
hyphenated exceptions, which are therefore not needed and not loaded). Number
ranges (``100-150``) still split into number, hyphen, number. Sentences come
from spaCy's rule-based ``sentencizer`` rule, applied to the token strings
(only the tokenizer of the blank pipeline runs).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from . import LANGS
from .spacy_import import import_spacy
from .tagger import load_tagger
from .stemming import (
    _HYPHEN_CLITIC_RE,
    EnglishLemmatizer,
    IndonesianStemmer,
    bounded_put,
    is_acronym,
    is_capitalised,
    load_variant_spellings,
    merge_variants,
)
from .stopwords import load_stopwords

# Paragraphs are separated by a blank line (possibly holding spaces).
_PARAGRAPH_SPLIT_RE = re.compile(r"\n[ \t\r\f\v]*\n")
# A number token: digits with decimal/thousand separators, ranges, ratios,
# percentages, and Indonesian ordinals/decades (ke-3, 1990-an).
_NUMBER_RE = re.compile(
    r"^(?:ke-)?[+\-−±]?\d+(?:[.,:/\-–]\d+)*%?(?:-an)?$", re.IGNORECASE
)
_ALNUM_RE = re.compile(r"[^\W_]")
_ALPHA_RE = re.compile(r"[^\W\d_]")
# Clitics whose removal leaves the stopword (``hasilnya`` -> ``hasil``).
_ID_CLITICS = ("nya", "lah", "kah", "pun")
# spaCy refuses texts longer than nlp.max_length; longer paragraphs are fed in
# whitespace-bounded chunks of this size.
_CHUNK_CHARS = 100_000
# A sentence is treated as a title/heading (capitalisation uninformative) when
# at least this share of its words of 4+ letters start with a capital.
_TITLE_CASE_SHARE = 0.75
# ... and as "shouting" (all-caps heading) when this share is all capitals.
_ALL_CAPS_SHARE = 0.6

_SINGLE_HYPHEN_FREE = "(?:---|--|——|—|–|~)"


def _hyphen_keeping_language(lang: str):
    """Return a spaCy Language subclass whose tokenizer keeps hyphenated words.

    Parameters
    ----------
    lang : str
        A spaCy language code (``"id"``, ``"en"``, ``"xx"``).

    Returns
    -------
    type
        Subclass of ``spacy.util.get_lang_class(lang)`` with adjusted
        tokenizer defaults.
    """
    spacy = import_spacy()
    from spacy.lang.char_classes import ALPHA, HYPHENS

    base = spacy.util.get_lang_class(lang)
    defaults = base.Defaults
    letter_hyphen = "(?:{h})".format(h=HYPHENS)
    word_hyphen_exception = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)+$")
    dropped_infixes = {
        # Indonesian: hyphen/slash after a letter, hyphen between letter and digit.
        r"(?<=[{a}])-(?=[0-9])".format(a=ALPHA),
        r"(?<=[0-9])-(?=[{a}])".format(a=ALPHA),
    }
    infixes = []
    for pattern in defaults.infixes or ():
        if pattern in dropped_infixes:
            continue
        if pattern == r"(?<=[{a}])[\/-](?={c}|[{a}])".format(a=ALPHA, c=_currency_class()):
            infixes.append(pattern.replace(r"[\/-]", r"\/"))
            continue
        if letter_hyphen in pattern:
            # Keep splitting on dashes and double hyphens, not on a single "-".
            infixes.append(pattern.replace(letter_hyphen, _SINGLE_HYPHEN_FREE))
            continue
        infixes.append(pattern)
    # A bracket glued between two words ("Product Output(NPO)", "error(SSE)", "(c)Hubungan")
    # is a lost space, not part of a word: spaCy splits a bracket only at a token's ends.
    infixes.append(r"(?<=[{a}0-9])[\(\[](?=[{a}0-9])".format(a=ALPHA))
    infixes.append(r"(?<=[{a}0-9])[\)\]](?=[{a}0-9])".format(a=ALPHA))
    # Keep "-nya"/"-ku"/"-mu" attached: the stemmer reads the clitic itself.
    suffixes = [s for s in (defaults.suffixes or ()) if s not in (r"\-[Nn]ya", "-[KkMm]u")]
    exceptions = {
        orth: value
        for orth, value in (defaults.tokenizer_exceptions or {}).items()
        if not word_hyphen_exception.match(orth)
    }

    class HyphenDefaults(defaults):
        tokenizer_exceptions = exceptions

    HyphenDefaults.infixes = tuple(infixes)
    HyphenDefaults.suffixes = tuple(suffixes)
    return type(f"HyphenKeeping{base.__name__}", (base,), {"lang": lang, "Defaults": HyphenDefaults})


def _unanchored_first_chars(pattern: str) -> frozenset[str] | None:
    """First characters of the alternatives of ``pattern`` not anchored at ``^``.

    Returns
    -------
    frozenset of str or None
        Empty when every top-level alternative starts with ``^``; the literal
        first characters of the unanchored ones otherwise (spaCy's Indonesian
        prefixes hold one, ``<a([^>]+)>``); None when some unanchored
        alternative does not start with a literal character.
    """
    try:
        from re import _parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse
    try:
        items = list(sre_parse.parse(pattern))
    except re.error:
        return None
    if not items:
        return None
    if str(items[0][0]) == "AT" and str(items[0][1]) == "AT_BEGINNING":
        return frozenset()
    if len(items) != 1 or str(items[0][0]) != "BRANCH":
        return None
    guards = set()
    for branch in items[0][1][1]:
        branch = list(branch)
        if not branch:
            return None
        op, arg = branch[0]
        if str(op) == "AT" and str(arg) == "AT_BEGINNING":
            continue
        if str(op) != "LITERAL":
            return None
        guards.add(chr(arg))
    return frozenset(guards)


def _anchor_prefix_search(tokenizer) -> None:
    """Replace a built tokenizer's prefix search by :func:`_fast_prefix_search` (when it is a regex search).

    Setting the attribute makes spaCy reload every special case: a new tokenizer
    gets the fast search at construction instead (:func:`_create_tokenizer`).
    """
    search = getattr(tokenizer, "prefix_search", None)
    compiled = getattr(search, "__self__", None)
    if compiled is None or getattr(search, "__name__", "") != "search" or not hasattr(compiled, "pattern"):
        return
    fast = _fast_prefix_search(compiled)
    if fast is not search:
        tokenizer.prefix_search = fast


def _fast_prefix_search(compiled):
    """A prefix search that tries position 0 only, when that is equivalent to ``compiled.search``.

    spaCy compiles its prefixes as ``^a|^b|...`` and calls ``.search``, which
    tries the 300-odd alternatives at every position of every uncached word
    although anchored alternatives can only match at position 0: much of the
    tokenizer's time on running text. When no unanchored alternative can
    match (its literal first character is absent from the string), ``.search``
    and ``.match`` return the same match, so ``.match`` is used; otherwise, or
    when the pattern cannot be analysed, the original ``.search`` runs. The
    tokens are therefore exactly spaCy's.

    Returns
    -------
    callable
        ``compiled.match``, a :class:`_GuardedPrefixSearch` or ``compiled.search``.
    """
    guards = _unanchored_first_chars(compiled.pattern)
    if guards is None:
        return compiled.search
    if not guards:
        return compiled.match
    return _GuardedPrefixSearch(compiled, guards)


# spaCy's tokenizer memoises the split of each whitespace-delimited chunk, but
# stops adding entries after 10,000 (its default): on a corpus every later new
# word is split again each time it occurs. Entries are small (token pointers).
_TOKENIZER_CACHE_CHUNKS = 200_000


def _create_tokenizer(nlp):
    """spaCy's default tokenizer factory (``spacy.Tokenizer.v1``) with :func:`_fast_prefix_search`.

    The same rules, affix patterns and matchers as spaCy's factory; passing the
    fast prefix search to the constructor, rather than setting it afterwards,
    spares a second load of the 400-1,400 special cases (a good part of building
    the tokenizer); the chunk cache is larger (:data:`_TOKENIZER_CACHE_CHUNKS`).
    """
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    defaults = nlp.Defaults
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=_fast_prefix_search(compile_prefix_regex(defaults.prefixes)) if defaults.prefixes else None,
        suffix_search=compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
        infix_finditer=compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
        max_cache_size=_TOKENIZER_CACHE_CHUNKS,
    )


class _GuardedPrefixSearch:
    """``pattern.match``, or ``pattern.search`` when a guard character occurs.

    ``__self__`` is the compiled pattern, as for a bound ``re`` method, so
    spaCy can still serialise the tokenizer (it stores the pattern text).
    """

    def __init__(self, compiled, guards):
        self.__self__ = compiled
        self._match = compiled.match
        self._search = compiled.search
        self._guards = tuple(sorted(guards))

    def __call__(self, string):
        for char in self._guards:
            if char in string:
                return self._search(string)
        return self._match(string)


_TOKEN_ATTRS = None
_PUNCT_CHARS: frozenset[str] | None = None
_IS_PUNCT_CACHE: dict[str, bool] = {}


def _sentence_punct_chars() -> frozenset[str]:
    """spaCy's ``Sentencizer.default_punct_chars`` (read once, with the token attributes)."""
    global _PUNCT_CHARS, _TOKEN_ATTRS
    if _PUNCT_CHARS is None:
        from spacy.attrs import IDX, LENGTH, SPACY
        from spacy.pipeline import Sentencizer

        _TOKEN_ATTRS = [IDX, LENGTH, SPACY]
        _PUNCT_CHARS = frozenset(Sentencizer.default_punct_chars)
    return _PUNCT_CHARS


def _is_punct(text: str) -> bool:
    """spaCy's ``is_punct`` lexical attribute: every character is Unicode punctuation (P*)."""
    value = _IS_PUNCT_CACHE.get(text)
    if value is None:
        value = all(unicodedata.category(char).startswith("P") for char in text)
        bounded_put(_IS_PUNCT_CACHE, text, value, 100_000)
    return value


def _currency_class() -> str:
    from spacy.lang.id.punctuation import CURRENCY

    return CURRENCY


def _chunks(text: str, size: int = _CHUNK_CHARS) -> Iterable[str]:
    """Cut a long string at whitespace into pieces of at most about ``size`` characters."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut if cut > start else end
        yield text[start:end]
        start = end


class Normalizer:
    """Turn text into paragraphs of sentences of ``[surface, norm, tag, normalized, flags]`` tokens.

    Parameters
    ----------
    lang : str
        ``"id"`` (Sastrawi stems) or ``"en"`` (spaCy lookup lemmas); any other
        code tokenizes with spaCy's multi-language tokenizer and lowercases.
    stopwords : frozenset of str, optional
        Lowercase stopwords; default :func:`load_stopwords(lang)`.
    cache_size : int, default 100_000
        Bound on memoised word norms.

    Notes
    -----
    The spaCy pipeline and the stemmer are built lazily, once per instance.
    Capitalisation is read per document: a capitalised word inside a sentence
    is a proper noun (kept unstemmed) unless the sentence looks like a title,
    or the same word also occurs in lower case in the text.
    """

    def __init__(self, lang: str, stopwords: frozenset[str] | None = None, cache_size: int = 100_000):
        self.lang = lang
        self.stopwords = stopwords
        self.cache_size = cache_size
        self._nlp = None
        self._stemmer = None
        self._lemmatizer = None
        self._tagger = None
        self._stop: frozenset[str] = load_stopwords(lang) if stopwords is None else frozenset(s.lower() for s in stopwords)
        self._norm_cache: dict[tuple[str, bool, str | None], str] = {}
        # Memo of (surface, uninformative, lowered, upos the norm reads) -> (norm, tag, normalized, flags)
        # and of surface shapes.
        self._token_cache: dict[tuple[str, bool, bool, str], tuple[str, str, str, str]] = {}
        self._shape_cache: dict[str, tuple[bool, bool, bool]] = {}
        # First tokens of multi-token variant spellings ("kerja" of "kerja sama"):
        # a sentence without any of them needs no merge pass.
        variants = load_variant_spellings() if lang == "id" else {}
        self._variant_heads = frozenset(key[0] for key in variants if len(key) > 1)
        # Single-token variants (kerja-sama -> kerjasama) give the "normalized" field.
        self._single_variants = {key[0]: value for key, value in variants.items() if len(key) == 1}

    # -- building blocks -------------------------------------------------------
    def _pipeline(self):
        """Return the blank spaCy pipeline (tokenizer only: sentences are split here)."""
        if self._nlp is None:
            code = self.lang if self.lang in LANGS else "xx"
            import_spacy()
            from spacy.vocab import Vocab

            # No lexical attribute getters: the tokenizer's output does not depend
            # on them, and spaCy would otherwise compute about twenty (shape,
            # like_num, norm, ...) for every new word it meets.
            nlp = _hyphen_keeping_language(code)(vocab=Vocab(lex_attr_getters={}), create_tokenizer=_create_tokenizer)
            self._nlp = nlp
        return self._nlp

    def _sentences(self, chunk: str) -> list[list[tuple[str, str]]]:
        """Tokenize one chunk and split it into sentences of (surface, trailing whitespace).

        The split is spaCy's rule-based ``sentencizer`` (same punctuation
        characters, same rule), run on plain token strings: the pipe component
        and the per-token ``Token`` objects cost more than the rule itself.
        Whitespace tokens are dropped and empty sentences skipped.
        """
        nlp = self._pipeline()
        doc = nlp.tokenizer(chunk)
        if not len(doc):
            return []
        punct_chars, is_punct = _sentence_punct_chars(), _is_punct
        tokens = []
        starts = [0]
        seen_period = False
        for i, (idx, length, spacy_flag) in enumerate(doc.to_array(_TOKEN_ATTRS).tolist()):
            text = chunk[idx : idx + length]
            tokens.append((text, " " if spacy_flag else ""))
            # spaCy's Sentencizer.predict, token by token.
            in_punct_chars = text in punct_chars
            if seen_period and not in_punct_chars and not is_punct(text):
                starts.append(i)
                seen_period = False
            elif in_punct_chars:
                seen_period = True
        starts.append(len(tokens))
        sentences = []
        for begin, end in zip(starts, starts[1:]):
            sentence = [token for token in tokens[begin:end] if not token[0].isspace()]
            if sentence:
                sentences.append(sentence)
        return sentences

    def _upos(self, surfaces: list[str]) -> list[str]:
        """The universal part of speech of each token of one sentence."""
        if self.lang not in LANGS:
            return ["X"] * len(surfaces)
        if self._tagger is None:
            self._tagger = load_tagger(self.lang)
        return self._tagger.tag(surfaces)

    def _word_norm(self, word: str, sentence_initial: bool, upos: str | None = None) -> str:
        # The stemmer reads only whether a word is a proper noun; the lemmatizer, every tag.
        if self.lang == "id":
            upos = "PROPN" if upos == "PROPN" else None
        key = (word, sentence_initial, upos)
        cached = self._norm_cache.get(key)
        if cached is not None:
            return cached
        if self.lang == "id":
            if self._stemmer is None:
                self._stemmer = IndonesianStemmer(cache_size=self.cache_size)
            norm = self._stemmer.stem(word, sentence_initial=sentence_initial, upos=upos)
        elif self.lang == "en":
            if self._lemmatizer is None:
                self._lemmatizer = EnglishLemmatizer(cache_size=self.cache_size)
            norm = self._lemmatizer.lemma(word, upos=upos)
        else:
            norm = word if is_acronym(word) else word.lower()
        bounded_put(self._norm_cache, key, norm, self.cache_size)
        return norm

    def _is_stopword(self, lower: str, norm: str) -> bool:
        if lower in self._stop:
            return True
        if self.lang == "en":
            # English lists hold base forms: "studies" -> "study".
            return norm.lower() in self._stop
        if self.lang == "id":
            for clitic in _ID_CLITICS:
                if lower.endswith(clitic) and lower[: -len(clitic)].rstrip("-") in self._stop:
                    return True
        return False

    def tag(self, surface: str, norm: str) -> str:
        """Return the tag of one token.

        Parameters
        ----------
        surface : str
            The token as written.
        norm : str
            Its normalized form.

        Returns
        -------
        str
            ``"p"`` without letters or digits, ``"n"`` for numbers, ``"s"`` for
            stopwords and single letters, ``"w"`` otherwise.
        """
        if not _ALNUM_RE.search(surface):
            return "p"
        if _NUMBER_RE.match(surface) or not _ALPHA_RE.search(surface):
            return "n"
        lower = surface.lower()
        if len(lower) == 1 or self._is_stopword(lower, norm):
            return "s"
        return "w"

    # -- document-level capitalisation evidence ------------------------------
    def _sentence_shape(self, words: list[str]) -> tuple[bool, bool]:
        """Return (title_like, all_caps) for the word tokens of one sentence."""
        return self._sentence_shape_of(list(map(self._word_shape, words)))

    @staticmethod
    def _sentence_shape_of(word_shapes: list[tuple]) -> tuple[bool, bool]:
        """:meth:`_sentence_shape` from the already computed shapes of the words."""
        shapes = [shape for shape in word_shapes if shape[3]]
        if len(shapes) < 3:
            return False, False
        capitalised = sum(1 for shape in shapes if shape[4])
        all_caps = sum(1 for shape in shapes if shape[5])
        return (
            capitalised / len(shapes) >= _TITLE_CASE_SHARE,
            all_caps / len(shapes) >= _ALL_CAPS_SHARE,
        )

    # -- public API -----------------------------------------------------------
    def normalize(self, text: str) -> list[list[list[list[str]]]]:
        """Normalize a text.

        Parameters
        ----------
        text : str
            Any text; paragraphs are separated by blank lines, line breaks
            inside a paragraph are treated as spaces.

        Returns
        -------
        list
            Paragraphs -> sentences -> ``[surface, norm, tag, normalized,
            flags]`` tokens (see the module docstring). Empty paragraphs and
            sentences are dropped; never raises on odd input.
        """
        if not isinstance(text, str) or not text.strip():
            return []
        try:
            return self._normalize(text)
        except UnicodeEncodeError:  # a lone surrogate, which spaCy's tokenizer cannot encode: no tokens
            return []

    def _word_shape(self, surface: str) -> tuple[bool, bool, bool, bool, bool, bool]:
        """Return the memoised shape of a surface.

        (has_letters, is_lower, is_capitalised, has 4+ letters,
        starts upper case, is all upper case).
        """
        shape = self._shape_cache.get(surface)
        if shape is None:
            is_word = bool(_ALPHA_RE.search(surface))
            shape = (
                is_word,
                is_word and surface.islower(),
                is_word and is_capitalised(surface),
                sum(c.isalpha() for c in surface) >= 4,
                surface[:1].isupper(),
                surface.isupper(),
            )
            bounded_put(self._shape_cache, surface, shape, self.cache_size)
        return shape

    def _normalize(self, text: str) -> list[list[list[list[str]]]]:
        paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_SPLIT_RE.split(text)]
        owners: list[int] = []
        chunks: list[str] = []
        for p_index, paragraph in enumerate(paragraphs):
            for chunk in _chunks(paragraph):
                owners.append(p_index)
                chunks.append(chunk)
        # First pass: sentences as lists of (surface, trailing whitespace).
        by_paragraph: dict[int, list[list[tuple[str, str]]]] = {}
        for p_index, chunk in zip(owners, chunks):
            by_paragraph.setdefault(p_index, []).extend(self._sentences(chunk))
        parsed = [by_paragraph[i] for i in sorted(by_paragraph) if by_paragraph[i]]

        # Document evidence for capitalisation: words seen in lower case, words
        # seen capitalised mid-sentence in ordinary (non-title) sentences.
        shapes = []
        lower_seen: set[str] = set()
        capitalised_mid: set[str] = set()
        word_shape = self._word_shape
        token_shapes = []
        for sentences in parsed:
            paragraph_shapes = []
            for sentence in sentences:
                # Each surface's shape is looked up once here, not once per use.
                sentence_shapes = [word_shape(w) for w, _ in sentence]
                token_shapes.append(sentence_shapes)
                words = [(w, shape) for (w, _), shape in zip(sentence, sentence_shapes) if shape[0]]
                shape = self._sentence_shape_of([item[1] for item in words])
                paragraph_shapes.append(shape)
                first_word = True
                for word, (_, is_lower, capitalised, *_rest) in words:
                    if is_lower:
                        lower_seen.add(word)
                    elif not first_word and capitalised and not shape[0]:
                        capitalised_mid.add(word.lower())
                    first_word = False
            shapes.append(paragraph_shapes)
        proper_nouns = capitalised_mid - lower_seen

        result = []
        sentence_shapes = iter(token_shapes)
        for sentences, paragraph_shapes in zip(parsed, shapes):
            result.append(
                [
                    self._normalize_sentence(
                        sentence, title_like, all_caps, lower_seen, proper_nouns, next(sentence_shapes)
                    )
                    for sentence, (title_like, all_caps) in zip(sentences, paragraph_shapes)
                ]
            )
        return result

    def _normalize_sentence(
        self,
        sentence: list[tuple[str, str]],
        title_like: bool,
        all_caps: bool,
        lower_seen: set[str],
        proper_nouns: set[str],
        word_shapes: list[tuple] | None = None,
    ) -> list[list[str]]:
        word_shape = self._word_shape
        surfaces = [w for w, _ in sentence]
        if self.lang == "id" and not self._variant_heads.isdisjoint(map(str.lower, surfaces)):
            merged = merge_variants(surfaces, whitespace=[ws for _, ws in sentence])
            items = [(surface, canonical, word_shape(surface)) for surface, canonical in merged]
        else:
            # word_shapes: the shapes of the sentence's tokens, when the caller has them
            items = list(zip(surfaces, [None] * len(surfaces), word_shapes or map(word_shape, surfaces)))
        # Tagged as the tokens stand (a merged variant such as "kerja sama" is one token).
        tags = self._upos([item[0] for item in items])
        tokens = []
        first_word = True
        token_cache = self._token_cache
        for (surface, canonical, shape), upos in zip(items, tags):
            is_word, _, capitalised = shape[:3]
            if canonical is not None:
                tokens.append([surface, canonical, self.tag(surface, canonical), canonical, "V", upos])
                first_word = False
                continue
            if not is_word:
                key = (surface, False, False, "")
            else:
                word = surface
                lowered = False
                if all_caps and is_acronym(word.split("-")[0]) and word.lower() in lower_seen:
                    # A shouted heading word that the text also writes in lower case.
                    word = word.lower()
                    lowered = True
                    capitalised = False
                if capitalised:
                    lower = word.lower()
                    if first_word:
                        uninformative = lower not in proper_nouns
                    else:
                        uninformative = title_like or lower in lower_seen
                else:
                    uninformative = first_word or title_like
                key = (surface, uninformative, lowered, None if title_like or lowered else upos)
                first_word = False
            cached = token_cache.get(key)
            if cached is None:
                if not is_word:
                    cached = (surface, self.tag(surface, surface), surface, "")
                else:
                    # In a title-like sentence capitals say nothing, and the tagger, which
                    # reads them, calls every word a name: its tag is not used there.
                    norm = self._word_norm(word, uninformative, None if title_like or lowered else upos)
                    cached = (norm, self.tag(surface, norm)) + self._form_and_flags(
                        word, norm, capitalised and not uninformative
                    )
                bounded_put(token_cache, key, cached, self.cache_size)
            tokens.append([surface, *cached, upos])
        return tokens

    def _form_and_flags(self, word: str, norm: str, proper: bool) -> tuple[str, str]:
        """Return the ``normalized`` form and the ``flags`` of one word token.

        Parameters
        ----------
        word : str
            The word as stemmed (the surface, or its lowercase for a shouted
            heading word).
        norm : str
            Its stem or lemma.
        proper : bool
            True when capitalisation marks it as a proper noun.
        """
        acronym = norm != norm.lower()
        if acronym:
            # Acronym parts as written, like the norm (plural "NGOs" included).
            normalized = "-".join(
                p if is_acronym(p) or (len(p) > 2 and p.endswith("s") and is_acronym(p[:-1])) else p.lower()
                for p in word.split("-")
            )
        else:
            normalized = word.lower()
        flags = ""
        if acronym:
            flags += "A"
        elif proper:
            flags += "P"
        if self.lang == "id" and not acronym:
            lower = normalized.lower()
            base = _HYPHEN_CLITIC_RE.sub(r"\1", lower) if "-" in lower else lower
            canonical = self._single_variants.get(base)
            if canonical is not None:
                normalized = canonical
                flags += "V"
            elif "-" in base and "-" not in norm:
                # The stemmer keeps compounds hyphenated; a hyphen-free norm of a
                # hyphenated word is a reduplication reduced to its base.
                flags += "R"
        return normalized, flags

    def normalize_tokens(self, words: list[str]) -> list[str]:
        """Normalize a list of words or short phrases (e.g. author keywords).

        Parameters
        ----------
        words : list of str
            Each item may hold several tokens (``"kerja sama"``).

        Returns
        -------
        list of str
            One norm per input item: the norms of its word and number tokens
            joined by single spaces (punctuation dropped); ``""`` when nothing
            is left. Capitalisation is treated as uninformative (keyword lists
            are often title-cased); acronyms stay as written.
        """
        out = []
        for item in words or []:
            try:
                out.append(self._normalize_phrase(item))
            except UnicodeEncodeError:  # a lone surrogate, which spaCy's tokenizer cannot encode
                out.append("")
        return out

    def _normalize_phrase(self, item: str, names_capitalised: bool = False) -> str:
        if not isinstance(item, str) or not item.strip():
            return ""
        nlp = self._pipeline()
        doc = nlp(" ".join(item.split())[:_CHUNK_CHARS])
        surfaces = [t.text for t in doc if not t.is_space]
        whitespace = [t.whitespace_ for t in doc if not t.is_space]
        merged = merge_variants(surfaces, whitespace=whitespace) if self.lang == "id" else [(w, None) for w in surfaces]
        # Tagged as a phrase in lower case: a keyword list's title case says nothing
        # about names, and "Machine Learning" must key as the text's "machine learning".
        # An Indonesian phrase is stemmed untagged (capitalisation decides, as ever).
        tags = self._upos([w.lower() for w, _ in merged]) if self.lang == "en" else [None] * len(merged)
        norms = []
        for (surface, canonical), upos in zip(merged, tags):
            if canonical is not None:
                norms.append(canonical)
            elif _ALPHA_RE.search(surface):
                norms.append(self._word_norm(surface, not names_capitalised, upos))
            elif _ALNUM_RE.search(surface):
                norms.append(surface)
        return " ".join(norms)


_STEM_WORDS_NORMALIZERS: dict[str, Normalizer] = {}


def stem_words(words: Iterable[str], lang: str) -> list[str]:
    """Return the Indonesian stem or English lemma of each word, one per input.

    This is the library side of ``run_pipeline.py stem --lang id|en`` (one word
    per line on standard input, one stem per line on standard output).

    Parameters
    ----------
    words : iterable of str
        One item per line; surrounding whitespace is ignored. An item holding
        several tokens (``"kerja sama"``) gets the norms of its tokens joined
        by single spaces, as :meth:`Normalizer.normalize_tokens` does.
    lang : str
        ``"id"`` (stems) or ``"en"`` (lemmas); other codes lowercase only.

    Returns
    -------
    list of str
        Same length and order as ``words``. A capitalised word is read as a
        proper noun, lowercased but not stemmed (``Bali`` -> ``bali``; type
        ``perdagangan``, not ``Perdagangan``, to get a stem); acronyms stay as
        written (``ASEAN``, ``ACFTA-nya`` -> ``ACFTA``); ``""`` for an empty
        line or one without letters or digits. Never raises.
    """
    code = lang if lang in LANGS else "xx"
    normalizer = _STEM_WORDS_NORMALIZERS.get(code)
    if normalizer is None:
        # One normalizer per language and process: spaCy and the caches are built once.
        normalizer = _STEM_WORDS_NORMALIZERS[code] = Normalizer(code)
    out = []
    for word in words or []:
        try:
            out.append(normalizer._normalize_phrase(word, names_capitalised=True) if isinstance(word, str) else "")
        except UnicodeEncodeError:  # a lone surrogate, which spaCy's tokenizer cannot encode
            out.append("")
    return out
