"""Language identification of text blocks: Indonesian, English or unknown.

Two signals are combined in log-odds space:

* langdetect (character n-gram naive Bayes), restricted to the Indonesian
  and English profiles so that Malay-like or Tagalog-like readings of
  Indonesian cannot come out: every text is placed on the Indonesian-English
  axis, and the nearer of the two wins;
* the share of each language's function words and section-heading words
  (resource files ``langid_stopwords_{id,en}.txt`` and
  ``langid_headings.txt``), which is what decides short blocks (headings,
  keyword lines, captions), where character statistics are noise.

* word frequencies (resource ``langid_wordfreq.tsv``, from wordfreq; Malay
  counted as Indonesian): per word the clipped log ratio of its Indonesian
  and English frequency -- what decides two-word phrases and keywords.  The
  content-word part is capped so that English terms inside an Indonesian
  sentence cannot outvote its grammar words; text in parentheses (glosses,
  acronym expansions) is left out when enough text remains.

langdetect is skipped when the word evidence is so strong that it could not
change the decision (it is the costly part).  Text in another script (share
of Latin letters below one half) is ``"unknown"``; so is Latin-script text in
a third language: at least 6 words, few common Indonesian/English words,
almost no function words of either, and all-profile langdetect naming
another language (see ``_is_third_language``).

Blocks without enough letters to carry a language (page numbers, ``(3)``,
``---``, bare citations, table rows of numbers) are ``"unknown"``.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

from . import LANGS
from .resources import read_lines, read_word_set

__all__ = [
    "detect_language",
    "preload",
    "heading_role",
    "normalize_heading",
    "evidence_words",
    "load_heading_lexicon",
    "detect_lines",
    "function_word_counts",
    "load_word_frequencies",
]

# Word = run of letters (any script); apostrophes inside English words are
# kept so that "country's" does not leave a stray "s".
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ALLCAPS_WORD_RE = re.compile(r"\b[^\W\d_a-z]{2,}\b")
_MARKUP_RE = re.compile(r"[#*_`>|~\\]+")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|<[^>\s]+>|\S+@\S+\.\w+")

# Leading numbering of headings: "1.", "2.1", "IV.", "A.", "BAB IV", "(3)".
_ROMAN = r"(?:[ivxlcdm]+)"
_HEADING_NUMBER_RE = re.compile(
    rf"^\s*(?:\(?(?:\d+(?:\.\d+)*|{_ROMAN}|[a-z])[.)]\s+|\(?\d+(?:\.\d+)*\)?\s+)",
    re.IGNORECASE,
)
_BAB_RE = re.compile(rf"^(bab|chapter)\s+(?:{_ROMAN}|\d+)\b[.:]?\s*", re.IGNORECASE)

# Weights of the two signals (log-odds units).  langdetect saturates quickly
# (two-profile posteriors are nearly always > 0.99), so its log-odds are
# clipped and faded in over the first words; the lexical signal is a smoothed
# log-ratio of function-word hits.
_LD_CLIP = 4.0
_LD_FULL_WEIGHT_WORDS = 12
_LD_SKIP_MARGIN = 6.0
_LEX_SMOOTHING = 0.5
_HEADING_CONFIDENCE = 0.97

# Word-frequency signal (resource langid_wordfreq.tsv): per word the log
# likelihood ratio ln(f_id / f_en), from Zipf values floored at 1.0 (a word
# absent from one list is rare there, not impossible), scaled down because
# the words of a phrase are not independent, and clipped so that one word
# cannot outvote a sentence.
_LN10 = math.log(10.0)
_ZIPF_FLOOR = 1.0
_FREQ_SCALE = 0.5
_FREQ_CLIP = 2.0
_FREQ_CONTENT_CAP = 4.0

_PARENS_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PARENS_MIN_OUTSIDE_WORDS = 4
_KNOWN_ZIPF = 3.0

# Third languages and scripts: see _is_third_language.
_MIN_LATIN_SHARE = 0.5
_THIRD_MIN_WORDS = 6
_THIRD_MAX_KNOWN_SHARE = 0.6
_THIRD_MAX_FUNCTION_SHARE = 0.1

# Derivational endings that occur in one language's vocabulary and hardly in
# the other's (Indonesian -isme/-isasi/-itas/-nya/-kan vs English
# -ism/-ization/-ity/-tion/-ness).  Weaker than a function word: half a hit.
_AFFIX_WEIGHT = 0.5
_ID_SUFFIXES = ("isme", "isasi", "ikasi", "itas", "nya", "kan", "annya")
_EN_SUFFIXES = ("ism", "isms", "ization", "ity", "ities", "tion", "tions", "ness", "ments")


@functools.lru_cache(maxsize=None)
def evidence_words(lang: str) -> frozenset[str]:
    """Function words of ``lang`` ("id" or "en") used as language evidence.

    Not the stopword lists of :func:`pipeline.text.stopwords.load_stopwords`: these
    are the short, frequent words that tell the two languages apart
    (``langid_stopwords_<lang>.txt``).

    Parameters
    ----------
    lang : str
        ``"id"`` or ``"en"``.

    Returns
    -------
    frozenset of str
        Lowercase words; empty for other languages.
    """
    if lang not in LANGS:
        return frozenset()
    return read_word_set(f"langid_stopwords_{lang}.txt")


@functools.lru_cache(maxsize=None)
def load_heading_lexicon() -> tuple[tuple[str, str, str], ...]:
    """Section-heading lexicon as ``(lang, role, phrase)`` triples.

    Returns
    -------
    tuple of (str, str, str)
        ``role`` is one of ``abstract``, ``keywords``, ``body``,
        ``references``, ``other``; ``phrase`` is lowercase.
    """
    entries = []
    for line in read_lines("langid_headings.txt"):
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        lang, role, phrase = (p.strip() for p in parts)
        if lang in LANGS and phrase:
            entries.append((lang, role, " ".join(phrase.lower().split())))
    return tuple(entries)


@functools.lru_cache(maxsize=None)
def _heading_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for lang, role, phrase in load_heading_lexicon():
        index.setdefault(phrase, (lang, role))
    return index


@functools.lru_cache(maxsize=None)
def _lexical_words(lang: str) -> frozenset[str]:
    """Stopwords plus single-word heading/caption words of ``lang``.

    Words that are evidence for both languages are removed from both.
    """
    own = set(evidence_words(lang))
    own.update(p for lg, _, p in load_heading_lexicon() if lg == lang and " " not in p)
    other_lang = "en" if lang == "id" else "id"
    other = set(evidence_words(other_lang))
    other.update(p for lg, _, p in load_heading_lexicon() if lg == other_lang and " " not in p)
    return frozenset(own - other)


@functools.lru_cache(maxsize=None)
def _function_words_either() -> frozenset[str]:
    """Function/heading words of either language (built once, not per call)."""
    return _lexical_words("id") | _lexical_words("en")


def function_word_counts(text: str) -> tuple[int, int]:
    """Number of Indonesian and English function/heading words in ``text``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    tuple of (int, int)
        ``(n_id, n_en)``; words evidence for both languages count for neither.
    """
    if not isinstance(text, str):
        return 0, 0
    # lowercasing ASCII text moves no word boundary: one lowercasing, counted in C
    words = _WORD_RE.findall(text.lower()) if text.isascii() else [w.lower() for w in _WORD_RE.findall(text)]
    id_words, en_words = _lexical_words("id"), _lexical_words("en")
    return sum(map(id_words.__contains__, words)), sum(map(en_words.__contains__, words))


def normalize_heading(text: str) -> str:
    """Reduce a heading line to its lowercase words for lexicon look-up.

    Markdown/markup, leading numbering (``1.``, ``IV.``, ``A.``) and
    ``BAB IV`` / ``Chapter 2`` prefixes, and trailing punctuation are removed.

    Parameters
    ----------
    text : str
        A heading-like line.

    Returns
    -------
    str
        Lowercase, single-spaced words; ``""`` when nothing is left.
    """
    if not isinstance(text, str):
        return ""
    s = _MARKUP_RE.sub(" ", text)
    s = " ".join(s.split())
    s = _HEADING_NUMBER_RE.sub("", s)
    bab = _BAB_RE.match(s)
    if bab:
        # "BAB I PENDAHULUAN" -> "pendahuluan"; a bare "BAB I" -> "bab".
        rest = s[bab.end():].strip()
        s = rest if rest else bab.group(1)
    s = s.strip(" \t:.;,-–—=()[]")
    return " ".join(s.lower().split())


def heading_role(text: str) -> tuple[str, str] | None:
    """Look a heading line up in the section-heading lexicon.

    Parameters
    ----------
    text : str
        The heading text as it stands (``**ABSTRAK**``, ``BAB I
        PENDAHULUAN``, ``2. Methods``).

    Returns
    -------
    tuple of (str, str) or None
        ``(lang, role)`` for a known heading, else ``None``.
    """
    norm = normalize_heading(text)  # "" for odd input (not a string)
    if not norm or len(norm) > 60:
        return None
    return _heading_index().get(norm)


@functools.lru_cache(maxsize=None)
def load_word_frequencies() -> dict[str, tuple[float, float]]:
    """Zipf frequencies of common words in Indonesian and in English.

    Resource ``langid_wordfreq.tsv`` (from wordfreq; Malay spellings count as
    Indonesian).  A Zipf value is log10 of the frequency per billion words,
    so the difference of the two is a log10 likelihood ratio of the word
    under the two languages.

    Returns
    -------
    dict
        ``word -> (zipf_id, zipf_en)``, lowercase words.
    """
    table: dict[str, tuple[float, float]] = {}
    # Loaded in every process that detects a language (the one-document 'add' too):
    # the table has some 44,000 rows but only a few dozen distinct numbers, so each
    # number is parsed once.
    numbers: dict[str, float] = {}
    for line in read_lines("langid_wordfreq.tsv"):
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        word, z_id, z_en = parts
        try:
            for number in (z_id, z_en):
                if number not in numbers:
                    numbers[number] = float(number)
        except ValueError:
            continue
        table[word] = (numbers[z_id], numbers[z_en])
    return table


@functools.lru_cache(maxsize=None)
def _detector_factory():
    """A langdetect factory holding only the Indonesian and English profiles.

    Loaded once; detectors are created per call from it, and the fixed seed
    makes langdetect's random sampling reproducible.
    """
    from langdetect import DetectorFactory
    import langdetect.detector_factory as ldf

    DetectorFactory.seed = 0
    factory = DetectorFactory()
    factory.seed = 0
    profiles = []
    # Fixed order -> fixed internal index of each language.
    for lang in LANGS:
        path = Path(ldf.PROFILES_DIRECTORY) / lang
        profiles.append(path.read_text(encoding="utf-8"))
    factory.load_json_profile(profiles)
    return factory


def _langdetect_p_id(text: str) -> float | None:
    """P(Indonesian | text) from langdetect on the id/en axis, or None when it has no n-gram to go by."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _detector_factory()
    detector = factory.create()
    detector.append(text)
    try:
        p = _two_profile_probabilities(detector)
    except LangDetectException:  # "No features in text."
        return None
    if "id" in p:
        return float(p["id"])
    if "en" in p:
        return 1.0 - float(p["en"])
    return None


def _two_profile_probabilities(detector) -> dict[str, float]:
    """``detector.get_probabilities()`` of a two-profile langdetect detector, as ``{lang: prob}``.

    The same computation as langdetect's ``Detector._detect_block`` (same
    n-grams, same random draws in the same order, the same floating-point
    operations, so the same numbers), with the per-draw method calls of its
    inner loop inlined for two languages, which saves a good part of langdetect's time.
    """
    if len(detector.langlist) != 2 or detector.prior_map is not None or detector.verbose:
        return {lang.lang: lang.prob for lang in detector.get_probabilities()}
    detector.cleaning_text()
    ngrams = detector._extract_ngrams()
    if not ngrams:
        from langdetect.lang_detect_exception import ErrorCode, LangDetectException

        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")  # as _detect_block
    word_probs = detector.word_lang_prob_map
    # _extract_ngrams only keeps n-grams of the profile, so every draw updates
    pairs = [word_probs[w] for w in ngrams]
    n = len(pairs)
    rnd = detector.random
    rnd.seed(detector.seed)
    randbelow = rnd._randbelow  # what Random.choice draws with
    n_trial = detector.n_trial
    conv, limit, base_freq = detector.CONV_THRESHOLD, detector.ITERATION_LIMIT, detector.BASE_FREQ
    total0 = total1 = 0.0
    for _ in range(n_trial):
        p0 = p1 = 1.0 / 2
        weight = (detector.alpha + rnd.gauss(0.0, 1.0) * detector.ALPHA_WIDTH) / base_freq
        i = 0
        while True:
            pair = pairs[randbelow(n)]
            p0 *= weight + pair[0]
            p1 *= weight + pair[1]
            if i % 5 == 0:
                total = p0 + p1
                p0, p1 = p0 / total, p1 / total
                best = p0 if 0.0 < p0 else 0.0
                if best < p1:
                    best = p1
                if best > conv or i >= limit:
                    break
            i += 1
        total0 += p0 / n_trial
        total1 += p1 / n_trial
    lang0, lang1 = detector.langlist
    return {lang: p for lang, p in ((lang0, total0), (lang1, total1)) if p > detector.PROB_THRESHOLD}


@functools.lru_cache(maxsize=None)
def _full_detector_factory():
    """A langdetect factory with all its profiles (for third-language checks)."""
    from langdetect import DetectorFactory
    import langdetect.detector_factory as ldf

    DetectorFactory.seed = 0
    factory = DetectorFactory()
    factory.seed = 0
    factory.load_profile(ldf.PROFILES_DIRECTORY)
    return factory


def _langdetect_full_top(text: str) -> str | None:
    """The most probable language of all langdetect profiles, or None when it has no n-gram to go by."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _full_detector_factory().create()
    detector.append(text)
    try:
        return detector.detect()
    except LangDetectException:  # "No features in text."
        return None


# Deletion tables for counting classes of ASCII characters in C (bytes.translate):
# each holds the bytes that are *not* of the class, as str's own tests say.
_NOT_ALPHA = bytes(c for c in range(128) if not chr(c).isalpha())
_NOT_UPPER = bytes(c for c in range(128) if not chr(c).isupper())
_NOT_SPACE = bytes(c for c in range(128) if not chr(c).isspace())


def _count_ascii(text: str, not_of_class: bytes) -> int:
    """Number of characters of an ASCII ``text`` outside ``not_of_class``."""
    return len(text.encode("ascii").translate(None, not_of_class))


def _strip_urls(text: str) -> str:
    """``text`` with URLs, ``<...>`` links and e-mail addresses replaced by a space."""
    # the pattern's "\S+@" branch is retried at every position: skip text that cannot match
    if "@" not in text and "<" not in text and "://" not in text and "www." not in text:
        return text
    return _URL_RE.sub(" ", text)


def _mostly_upper(text: str) -> bool:
    """More than half of the letters are capitals (ALL-CAPS title or heading)."""
    if text.isascii():
        n_letters = _count_ascii(text, _NOT_ALPHA)
        return bool(n_letters) and _count_ascii(text, _NOT_UPPER) / n_letters > 0.5
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if c.isupper()) / len(letters) > 0.5


def _prepare_for_ngrams(text: str) -> str:
    """Text as langdetect should see it.

    langdetect skips ALL-CAPS words, so a mostly upper-case block (a heading)
    is lowercased; in mixed-case prose, all-caps tokens are acronyms (ASEAN,
    ACFTA) with no language in them and are dropped.
    """
    s = _strip_urls(text)
    s = _MARKUP_RE.sub(" ", s)
    if _mostly_upper(s):
        return s.lower()
    return _ALLCAPS_WORD_RE.sub(" ", s)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@functools.lru_cache(maxsize=1 << 16)
def _word_features(low: str) -> tuple[int, int, int, tuple[float, bool, bool] | None]:
    """Language facts of one lowercase word: ``(in_id, in_en, affix, evidence)``.

    ``in_id``/``in_en`` are 1 for a function or heading word of that language;
    ``affix`` is +1 (-1) when a word of 5+ letters that is no function word
    ends like Indonesian (English) derived words, worth :data:`_AFFIX_WEIGHT`
    each; ``evidence`` is :func:`_word_evidence`.
    """
    id_words, en_words = _lexical_words("id"), _lexical_words("en")
    in_id, in_en = int(low in id_words), int(low in en_words)
    affix = 0
    if len(low) >= 5 and not in_id and not in_en:
        if low.endswith(_ID_SUFFIXES):
            affix = 1
        elif low.endswith(_EN_SUFFIXES):
            affix = -1
    return in_id, in_en, affix, _word_evidence(low)


@functools.lru_cache(maxsize=1 << 16)
def _word_evidence(low: str) -> tuple[float, bool, bool] | None:
    """``(clipped log ratio, common word, function word)`` of a lowercase word; None when not in the table."""
    z = load_word_frequencies().get(low)
    if z is None:
        return None
    z_id, z_en = max(z[0], _ZIPF_FLOOR), max(z[1], _ZIPF_FLOOR)
    d = max(-_FREQ_CLIP, min(_FREQ_CLIP, (z_id - z_en) * _LN10 * _FREQ_SCALE))
    return d, max(z_id, z_en) >= _KNOWN_ZIPF, low in _function_words_either()


def _latin_share(text: str) -> tuple[int, float]:
    """Number of letters and the share of them that are Latin script."""
    if text.isascii():
        # every ASCII letter is Latin script
        letters = _count_ascii(text, _NOT_ALPHA)
        return letters, (1.0 if letters else 0.0)
    letters = 0
    latin = 0
    for c in text:
        if c.isalpha():
            letters += 1
            # Basic Latin, Latin-1 and Latin Extended (diacritics included).
            if c < "\u0250" or "\u1e00" <= c <= "\u1eff":
                latin += 1
    return letters, (latin / letters if letters else 0.0)


@functools.lru_cache(maxsize=8192)
def _detect_cached(text: str) -> tuple[str, float]:
    # Heading lexicon: a whole-line match is decisive ("Abstrak", "ABSTRACT",
    # "Kata kunci", "BAB I PENDAHULUAN").
    role = heading_role(text) if len(text) <= 80 else None
    if role is not None:
        return role[0], _HEADING_CONFIDENCE

    body = _strip_urls(text)
    # Parentheses hold glosses, acronym expansions and translations
    # ("TOPSIS (Technique for Order Preference ...)"), the other language
    # more often than not: the text around them decides when it can.
    if "(" in body or "[" in body:
        outside = _PARENS_RE.sub(" ", body)
        outside_words = _WORD_RE.findall(outside)
        if len(outside_words) >= _PARENS_MIN_OUTSIDE_WORDS:
            body, all_words = outside, outside_words
        else:
            all_words = _WORD_RE.findall(body)
    else:
        all_words = _WORD_RE.findall(body)
    tokens = [w for w in all_words if len(w) >= 2]
    if _mostly_upper(body):
        # An ALL-CAPS title or heading: its words are words, not acronyms.
        tokens = [w.lower() for w in tokens]

    # One pass over the words gathers every word signal (per-word facts are cached):
    # function/heading words of each language, derivational endings of words that
    # are not function words, and the word-frequency log ratios (see _word_evidence).
    words = []
    n_id = n_en = affix_id = affix_en = 0
    content = grammar = 0.0
    n_known = 0
    for tok in tokens:
        w = tok.lower()
        words.append(w)
        in_id, in_en, affix, evidence = _word_features(w)
        n_id += in_id
        n_en += in_en
        if affix > 0:
            affix_id += 1
        elif affix < 0:
            affix_en += 1
        # ALL-CAPS acronyms (ASEAN) carry no language
        if evidence is not None and not tok.isupper():
            d, is_known, is_function = evidence
            if is_known:
                n_known += 1
            # summed in token order: the floating-point result does not depend on caching
            if is_function:
                grammar += d
            else:
                content += d

    nonspace = len(body) - (_count_ascii(body, _NOT_SPACE) if body.isascii() else sum(map(str.isspace, body)))
    letters, latin_share = _latin_share(body)
    if letters < 2 or not words:
        return "unknown", 0.0
    if n_id + n_en == 0 and (letters < 4 or letters / max(nonspace, 1) <= 0.5):
        # Numbers, "(3)", "---", "(Agarwal, 1999: 29)", table rows.
        return "unknown", 0.0
    if latin_share < _MIN_LATIN_SHARE:
        # Arabic, Chinese, Cyrillic, Greek ... : neither Indonesian nor English
        # (both are written in Latin script), whatever the n-grams say.
        return "unknown", 0.0

    a_id, a_en = affix_id * _AFFIX_WEIGHT, affix_en * _AFFIX_WEIGHT
    lex_logit = math.log((n_id + a_id + _LEX_SMOOTHING) / (n_en + a_en + _LEX_SMOOTHING))
    # Code-switching: the matrix language supplies the grammar words, the
    # other language only content words (English terms in Indonesian
    # sentences), so the content-word evidence is capped.
    freq_logit = max(-_FREQ_CONTENT_CAP, min(_FREQ_CONTENT_CAP, content)) + grammar

    ld_logit = 0.0
    # langdetect adds at most +-_LD_CLIP: when the word evidence is far beyond
    # that it cannot change the decision, and is skipped (it is the costly part).
    p_ld = None
    if abs(lex_logit + freq_logit) < _LD_CLIP + _LD_SKIP_MARGIN:
        p_ld = _langdetect_p_id(_prepare_for_ngrams(body))
    if p_ld is not None:
        p_ld = min(max(p_ld, 1e-6), 1 - 1e-6)
        ld_logit = max(-_LD_CLIP, min(_LD_CLIP, math.log(p_ld / (1 - p_ld))))
        ld_logit *= min(1.0, len(words) / _LD_FULL_WEIGHT_WORDS)

    if _is_third_language(body, words, n_id + n_en, n_known):
        return "unknown", 0.0

    total = ld_logit + lex_logit + freq_logit
    p_id = _sigmoid(total)
    if p_id >= 0.5:
        return "id", round(p_id, 4)
    return "en", round(1.0 - p_id, 4)


def _is_third_language(body: str, words: list[str], n_function: int, n_known: int) -> bool:
    """Latin-script text in a third language (German, French, Turkish ...).

    Rule: a block of at least ``_THIRD_MIN_WORDS`` words is in neither
    language when (a) few of its words are common Indonesian or English
    words (share below ``_THIRD_MAX_KNOWN_SHARE``: real Indonesian and
    English prose, even full of names and terms, stays far above), (b) it has
    hardly any Indonesian or English function words, and (c) langdetect with
    all its profiles names a language other than Indonesian or English.
    Malay, which langdetect has no profile for, is read as Indonesian by (a).
    """
    if len(words) < _THIRD_MIN_WORDS:
        return False
    if n_known >= _THIRD_MAX_KNOWN_SHARE * len(words):
        return False
    if n_function > _THIRD_MAX_FUNCTION_SHARE * len(words):
        return False
    top = _langdetect_full_top(_prepare_for_ngrams(body))
    return top is not None and top not in LANGS


def preload() -> None:
    """Load what detecting any language reads: word frequencies, langdetect profiles, lexicons.

    What the first detection of a process otherwise pays for; for a worker to
    call when it starts. Results are the same either way.
    """
    load_word_frequencies()
    _detector_factory()
    for lang in LANGS:
        evidence_words(lang)
        _lexical_words(lang)
    _function_words_either()
    _heading_index()


def detect_language(text: str) -> tuple[str, float]:
    """Decide whether a block of text is Indonesian or English.

    Parameters
    ----------
    text : str
        Any text: a paragraph, a heading, a keyword line, debris.

    Returns
    -------
    tuple of (str, float)
        ``(lang, confidence)`` with ``lang`` in ``"id"``, ``"en"``,
        ``"unknown"``; ``confidence`` is the combined probability of the
        returned language (0.5 .. 1), and 0.0 for ``"unknown"`` (no
        language evidence).

    Notes
    -----
    Deterministic (seeded langdetect, cached profiles) and never raises.
    """
    if not isinstance(text, str):
        return "unknown", 0.0
    # Very long blocks: the first 12k characters decide (langdetect reads
    # at most 10k anyway) and keep the cache key bounded.
    return _detect_cached(text[:12000].strip())


def detect_lines(lines) -> list[tuple[str, float]]:
    """Language of each text line (the ``detect`` command).

    Parameters
    ----------
    lines : iterable of str
        One text block per item (trailing newlines are ignored).

    Returns
    -------
    list of (str, float)
        ``(lang, confidence)`` per line, in input order, as
        :func:`detect_language`: ``lang`` in ``"id"``, ``"en"``,
        ``"unknown"``.
    """
    out: list[tuple[str, float]] = []
    for line in lines if lines is not None else ():
        out.append(detect_language(line.rstrip("\r\n") if isinstance(line, str) else line))
    return out
