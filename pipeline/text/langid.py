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

Blocks without enough letters to carry a language (page numbers, ``(3)``,
``---``, bare citations, table rows of numbers) are ``"unknown"``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

__all__ = [
    "detect_language",
    "heading_role",
    "normalize_heading",
    "load_stopwords",
    "load_heading_lexicon",
    "function_word_counts",
    "LANGUAGES",
]

LANGUAGES = ("id", "en")

_RESOURCES = Path(__file__).resolve().parent.parent / "resources"

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
_LEX_SMOOTHING = 0.5
_HEADING_CONFIDENCE = 0.97

# Derivational endings that occur in one language's vocabulary and hardly in
# the other's (Indonesian -isme/-isasi/-itas/-nya/-kan vs English
# -ism/-ization/-ity/-tion/-ness).  Weaker than a function word: half a hit.
_AFFIX_WEIGHT = 0.5
_ID_SUFFIXES = ("isme", "isasi", "ikasi", "itas", "nya", "kan", "annya")
_EN_SUFFIXES = ("ism", "isms", "ization", "ity", "ities", "tion", "tions", "ness", "ments")


def _read_resource_lines(name: str) -> list[str]:
    """Non-comment, non-empty lines of a resource file (stripped)."""
    path = _RESOURCES / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@functools.lru_cache(maxsize=None)
def load_stopwords(lang: str) -> frozenset[str]:
    """Function words of ``lang`` ("id" or "en") used as language evidence.

    Parameters
    ----------
    lang : str
        ``"id"`` or ``"en"``.

    Returns
    -------
    frozenset of str
        Lowercase words; empty for other languages.
    """
    if lang not in LANGUAGES:
        return frozenset()
    return frozenset(w.lower() for w in _read_resource_lines(f"langid_stopwords_{lang}.txt"))


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
    for line in _read_resource_lines("langid_headings.txt"):
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        lang, role, phrase = (p.strip() for p in parts)
        if lang in LANGUAGES and phrase:
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
    own = set(load_stopwords(lang))
    own.update(p for lg, _, p in load_heading_lexicon() if lg == lang and " " not in p)
    other_lang = "en" if lang == "id" else "id"
    other = set(load_stopwords(other_lang))
    other.update(p for lg, _, p in load_heading_lexicon() if lg == other_lang and " " not in p)
    return frozenset(own - other)


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
    words = [w.lower() for w in _WORD_RE.findall(text)]
    id_words, en_words = _lexical_words("id"), _lexical_words("en")
    return sum(1 for w in words if w in id_words), sum(1 for w in words if w in en_words)


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
    try:
        norm = normalize_heading(text)
        if not norm or len(norm) > 60:
            return None
        return _heading_index().get(norm)
    except Exception:  # never raise on odd input
        return None


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
    for lang in LANGUAGES:
        path = Path(ldf.PROFILES_DIRECTORY) / lang
        profiles.append(path.read_text(encoding="utf-8"))
    factory.load_json_profile(profiles)
    return factory


def _langdetect_p_id(text: str) -> float | None:
    """P(Indonesian | text) from langdetect on the id/en axis, or None."""
    try:
        factory = _detector_factory()
        detector = factory.create()
        detector.append(text)
        probs = detector.get_probabilities()
    except Exception:  # "No features in text" and the like
        return None
    p = {lang.lang: lang.prob for lang in probs}
    if "id" in p:
        return float(p["id"])
    if "en" in p:
        return 1.0 - float(p["en"])
    return None


def _prepare_for_ngrams(text: str) -> str:
    """Text as langdetect should see it.

    langdetect skips ALL-CAPS words, so a mostly upper-case block (a heading)
    is lowercased; in mixed-case prose, all-caps tokens are acronyms (ASEAN,
    ACFTA) with no language in them and are dropped.
    """
    s = _URL_RE.sub(" ", text)
    s = _MARKUP_RE.sub(" ", s)
    letters = [c for c in s if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    if letters and upper / len(letters) > 0.5:
        return s.lower()
    return _ALLCAPS_WORD_RE.sub(" ", s)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@functools.lru_cache(maxsize=4096)
def _detect_cached(text: str) -> tuple[str, float]:
    # Heading lexicon: a whole-line match is decisive ("Abstrak", "ABSTRACT",
    # "Kata kunci", "BAB I PENDAHULUAN").
    role = heading_role(text) if len(text) <= 80 else None
    if role is not None:
        return role[0], _HEADING_CONFIDENCE

    body = _URL_RE.sub(" ", text)
    words = [w.lower() for w in _WORD_RE.findall(body)]
    words = [w for w in words if len(w) >= 2]
    id_words, en_words = _lexical_words("id"), _lexical_words("en")
    n_id = sum(1 for w in words if w in id_words)
    n_en = sum(1 for w in words if w in en_words)

    nonspace = sum(1 for c in body if not c.isspace())
    letters = sum(1 for c in body if c.isalpha())
    if letters < 2 or not words:
        return "unknown", 0.0
    if n_id + n_en == 0 and (letters < 4 or letters / max(nonspace, 1) <= 0.5):
        # Numbers, "(3)", "---", "(Agarwal, 1999: 29)", table rows.
        return "unknown", 0.0

    # Affix evidence only for words that are not function words.
    a_id = a_en = 0.0
    for w in words:
        if len(w) < 5 or w in id_words or w in en_words:
            continue
        if w.endswith(_ID_SUFFIXES):
            a_id += _AFFIX_WEIGHT
        elif w.endswith(_EN_SUFFIXES):
            a_en += _AFFIX_WEIGHT
    lex_logit = math.log((n_id + a_id + _LEX_SMOOTHING) / (n_en + a_en + _LEX_SMOOTHING))

    ld_logit = 0.0
    p_ld = _langdetect_p_id(_prepare_for_ngrams(body))
    if p_ld is not None:
        p_ld = min(max(p_ld, 1e-6), 1 - 1e-6)
        ld_logit = max(-_LD_CLIP, min(_LD_CLIP, math.log(p_ld / (1 - p_ld))))
        ld_logit *= min(1.0, len(words) / _LD_FULL_WEIGHT_WORDS)

    total = ld_logit + lex_logit
    p_id = _sigmoid(total)
    if p_id >= 0.5:
        return "id", round(p_id, 4)
    return "en", round(1.0 - p_id, 4)


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
    try:
        # Very long blocks: the first 12k characters decide (langdetect reads
        # at most 10k anyway) and keep the cache key bounded.
        return _detect_cached(text[:12000].strip())
    except Exception:
        return "unknown", 0.0
