"""Misread words: one word at a time, the reading OCR garbled (``jaIan`` -> ``jalan``) or two words glued.

:func:`correct_word` repairs a word no lexicon knows when exactly one
reading close to it (a glyph or visual confusion, a lost, doubled or extra
letter) is frequent in the block's language or used in the same document;
:func:`split_run_together` parts a word glued from two frequent ones. Both
keep a word whenever the evidence is not clear: a cleaner that damages good
text is worse than none.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from .. import LANGS
from .lexicons import dict_zipf, lex_zipf, root_known, sastrawi_roots, sastrawi_stemmer, zipf_any

_CONFUSIONS = (
    ("I", "l"), ("l", "i"), ("1", "l"), ("0", "o"), ("rn", "m"), ("@", "a"), ("c", "e"), ("ii", "n"),
    ("ri", "n"), ("q", "g"), ("w", "u"), ("l", "t"), ("b", "h"), ("t", "l"),
)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_THIN_LETTERS = "ilrtf"
#: Indonesian enclitics and particles: written joined to their word, never split off.
_CLITICS = frozenset({"nya", "lah", "kah", "tah", "pun", "ku", "mu"})
#: Zipf frequency a correction must reach in the block's language (about once per 10^6 words).
MIN_CORRECTION_ZIPF = 3.0
#: A correction must beat the next candidate by this margin (Zipf), else the word is ambiguous and kept.
CORRECTION_MARGIN = 1.0
#: Zipf frequency both halves of a run-together word must reach (English closed compounds need more).
MIN_SPLIT_ZIPF = {"id": 3.0, "en": 4.0}


@functools.lru_cache(maxsize=4096)
def _edits1(word: str) -> frozenset[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return frozenset(deletes + transposes + replaces + inserts)


def _restore_case(model: str, cand: str) -> str:
    if model.isupper() and len(model) > 1:
        return cand.upper()
    if model[:1].isupper():
        return cand[:1].upper() + cand[1:]
    return cand


#: Classes of misread whose pattern a human typist does not produce (see :func:`correct_word`).
STRONG_CLASSES = frozenset({"glyph", "confusion"})
#: Typo-shaped repairs: a lost, doubled or extra letter, or another single edit backed by the
#: document.  Authors make exactly these typos, so they are only repaired in a document that
#: shows OCR damage, and only in words no lexicon knows even rarely.
WEAK_CLASSES = frozenset({"double", "lost", "extra", "edit"})
#: A word known to any lexicon at this Zipf frequency (hegemon 2.2, lates 2.2, corer 1.6) is a
#: rare word, not a typo-shaped misread; below it (about 3 in 10^8 words) web word lists hold
#: mostly debris and misspellings (daat, daam).
MAX_WEAK_WORD_ZIPF = 1.5
#: Glyph misreads: characters that are not letters read inside a word.
_GLYPH_CONFUSIONS = frozenset({("1", "l"), ("0", "o"), ("@", "a")})


def correct_word(word: str, lang: str = "unknown", doc_counts: Counter | None = None,
                 ocr_damage: bool = True) -> str | None:
    """Correct one OCR-misread word, or return None when it should stay.

    A word is only changed when (1) no lexicon knows it (wordfreq id/en,
    Sastrawi roots and stems), (2) the document does not use it twice (names
    and terms used consistently stay), (3) it is not an acronym or name with
    inner capitals, and (4) exactly one candidate is either used at least
    twice in the same document or is frequent (Zipf >=
    :data:`MIN_CORRECTION_ZIPF`) *in the block's language*, beating every
    other candidate by :data:`CORRECTION_MARGIN` and every other single
    substitution or transposition (``ridak`` is as likely *tidak* as *ndak*:
    kept).  Restricting candidates to the block's language keeps Indonesian
    words such as *institusional* from becoming English ones.

    Candidates come in two strengths.  Glyph misreads (``@``/``0``/``1``
    inside a word, a capital ``I`` between lowercase letters, a doubled
    initial capital ``Kkapasitas``, a stray lowercase letter before an
    acronym ``uUSD``) and visual confusions (``rn``/``m``, ``c``/``e``,
    ``l``/``i``/``t``, ``q``/``g``, ``ri``/``n``...) are OCR's and are
    repaired in any text.  A lost, doubled or extra letter, or another single
    edit (:data:`WEAK_CLASSES`), is also how authors mistype: it is repaired
    only when ``ocr_damage`` says the document went through OCR and the word
    is unknown even to the rare end of the lexicons
    (:data:`MAX_WEAK_WORD_ZIPF`).

    Parameters
    ----------
    word : str
        One word as written (ASCII letters, possibly ``@``, ``0``, ``1``).
    lang : str
        Language of the surrounding block (``"id"``, ``"en"``, ``"unknown"``).
    doc_counts : Counter, optional
        Lowercased token counts of the whole document.
    ocr_damage : bool
        Whether the document shows OCR damage (page furniture, stray
        symbols, line-end hyphens, glyph misreads); a single word out of
        context is taken as OCR output.

    Returns
    -------
    str or None
    """
    # Nothing is caught: the search is string work and look-ups in loaded lexicons, which
    # raise nothing on a string (an error would be a bug, which clean_document records as
    # a "degraded" change).
    if doc_counts is not None and doc_counts.get(word.lower(), 0) >= 2 and word.isalpha():
        return None  # the document uses it consistently (checked before the per-document cache)
    return _correct_word_doc(word, lang, doc_counts, ocr_damage)


def _cand_zipf(word: str, lang: str) -> float:
    # read on demand: building a {word: zipf} table of the whole English list cost 0.4 s per process
    if lang in LANGS:
        return dict_zipf(word, lang)
    return max(dict_zipf(word, "id"), dict_zipf(word, "en"))


def _known_in(lower: str, lang: str) -> float:
    """How well the lexicons know ``lower`` for a block in ``lang`` (Zipf; 9 for a Sastrawi root or stem).

    Web word lists hold OCR debris at low frequency (``witb``, ``darl``), so
    a word only counts as known in the block's language, or when it is
    common in either language.
    """
    z_lang = lex_zipf(lower, lang)
    if z_lang >= 2.0:
        return z_lang
    z_any = zipf_any(lower)
    if z_any >= 3.0:
        return z_any
    if lower in sastrawi_roots() or root_known(lower):
        return 9.0
    return 0.0


@functools.lru_cache(maxsize=16384)
def _known_in_cached(lower: str, lang: str) -> float:
    return _known_in(lower, lang)


def _rival_zipf(lower: str, lang: str, cands: frozenset[str]) -> float:
    """Highest Zipf (block language) of a single substitution or transposition of ``lower`` that is no candidate.

    A misread is only repaired when its reading beats every other reading
    one keystroke away (``ridak``: *tidak* beats the confusion reading *ndak*).
    """
    best = 0.0
    n = len(lower)
    for i in range(n):
        head, tail = lower[:i], lower[i + 1:]
        for c in _ALPHABET:
            if c != lower[i]:
                cand = head + c + tail
                if cand not in cands:
                    best = max(best, _cand_zipf(cand, lang))
        if i + 1 < n and lower[i] != lower[i + 1]:
            cand = head + lower[i + 1] + lower[i] + lower[i + 2:]
            if cand not in cands:
                best = max(best, _cand_zipf(cand, lang))
    return best


@functools.lru_cache(maxsize=16384)
def _lexicon_reading(word: str, lang: str) -> tuple:
    """The document-independent part of :func:`correct_word` (cached across documents).

    Returns ``("keep",)``, ``("fix", word)`` (a glyph misread whose repair is
    a known word), ``("acronym", word)`` or
    ``("cands", word, lower, cands, scored, extra, rival, z_word)`` where
    ``cands`` maps every candidate to its class, ``scored`` lists
    ``(zipf, cand, class)`` of frequent candidates, ``extra`` the
    ``(zipf, cand)`` readings with one letter less, ``rival`` the
    :func:`_rival_zipf` of the word and ``z_word`` its own highest Zipf.
    """
    if len(word) < 3 or len(word) > 30 or not _READING_WORD_RE.fullmatch(word):
        return ("keep",)
    original = word
    # a capital I between lowercase letters is a misread l (jaIan, hasiI); a doubled initial
    # capital (Kkapasitas, WWakil) is a speck: the second glyph has the true case
    word = _glyph_normalized(word)
    lower = word.lower()
    if word != original and word.isalpha() and _known_in_cached(lower, lang) > 0:
        return ("fix", word)
    if any(c.isupper() for c in word[1:]):
        return ("acronym", word)
    if lower.isalpha() and _known_in_cached(lower, lang) > 0:
        return ("keep",)
    capitalised = word[0].isupper()
    cands: dict[str, str] = {}
    strength = {"glyph": 0, "confusion": 1, "double": 2, "lost": 3}

    def add(cand: str, cls: str) -> None:
        if cand not in cands or strength[cls] < strength[cands[cand]]:
            cands[cand] = cls

    # doubled letter: denngan, pelatthan
    for i in range(1, len(word)):
        if word[i].lower() == word[i - 1].lower() and word[i].isalpha():
            add((word[:i] + word[i + 1:]).lower(), "double")
    # visually similar glyphs
    for bad, good in _CONFUSIONS:
        cls = "glyph" if (bad, good) in _GLYPH_CONFUSIONS or bad == "I" else "confusion"
        start = 0
        while True:
            i = word.find(bad, start)
            if i < 0:
                break
            add((word[:i] + good + word[i + len(bad):]).lower(), cls)
            start = i + 1
    # a lost letter (daat, metde, jaung): any letter; names (capitalised) only get narrow glyphs back
    thin: set[str] = set()
    if lower.isalpha():
        for i in range(1, len(lower) + 1):
            for c in _ALPHABET:
                cand = lower[:i] + c + lower[i:]
                if c in _THIN_LETTERS:
                    thin.add(cand)
                if c in _THIN_LETTERS or not capitalised:
                    add(cand, "lost")
    scored = []
    for cand in sorted(cands):
        if not cand.isalpha() or cand == lower or len(cand) < 2:
            continue
        z = _cand_zipf(cand, lang)
        # a capitalised word may be a name: only a common word (or a lost narrow glyph) replaces it
        if z >= MIN_CORRECTION_ZIPF + (1.0 if capitalised and cand not in thin else 0.0):
            scored.append((z, cand, cands[cand]))
    # an extra letter (wuangnya): kept as a candidate only when the document backs it (see below)
    extra = tuple(sorted(
        (z, cand) for cand in {lower[:i] + lower[i + 1:] for i in range(len(lower))} - set(cands)
        if len(cand) >= 4 and (z := _cand_zipf(cand, lang)) >= MIN_CORRECTION_ZIPF
    )) if lower.isalpha() and len(lower) >= 6 else ()
    rival = _rival_zipf(lower, lang, frozenset(cands)) if lower.isalpha() else 0.0
    z_word = zipf_any(lower) if lower.isalpha() else 0.0
    return ("cands", word, lower, tuple(sorted(cands.items())), tuple(scored), extra, rival, z_word)


_READING_WORD_RE = re.compile(r"[A-Za-z@][A-Za-z@01]*")
_INNER_CAPITAL_I_RE = re.compile(r"(?<=[a-z])I(?=[a-z]|$)")
_LOWER_THEN_CAPITAL_I_RE = re.compile(r"[a-z]I")


def _glyph_normalized(word: str) -> str:
    """``word`` with a capital I between lowercase letters read as l and a doubled initial capital dropped."""
    word = _INNER_CAPITAL_I_RE.sub("l", word) if _LOWER_THEN_CAPITAL_I_RE.search(word) else word
    if len(word) >= 4 and word[0].isupper() and word[1].lower() == word[0].lower() and word[2:].islower():
        word = word[1:]
    return word


def _strong_repair_possible(word: str, lang: str, doc_counts: Counter | None) -> bool:
    """False when :func:`correct_word` with ``ocr_damage=False`` surely returns None.

    Without OCR damage only glyph misreads and visual confusions
    (:data:`STRONG_CLASSES`) are repaired, and such a repair needs a glyph
    fix, an acronym with a stray letter, or a confusion candidate that is
    frequent (Zipf >= :data:`MIN_CORRECTION_ZIPF`) or used twice in the
    document.  Checking that first spares the full candidate search and the
    stemmer (:func:`_lexicon_reading`) for nearly every unknown word of a
    born-digital text; the answer is the same.
    """
    lexical, doc_backed = _strong_candidates(word, lang)
    if lexical:
        return True
    return doc_counts is not None and any(doc_counts.get(cand, 0) >= 2 for cand in doc_backed)


@functools.lru_cache(maxsize=1 << 15)
def _strong_candidates(word: str, lang: str) -> tuple[bool, tuple[str, ...]]:
    """The document-independent part of :func:`_strong_repair_possible`.

    Returns ``(possible, doc_backed)``: ``possible`` is True when a strong
    repair may come from the lexicons alone (a glyph fix, or a frequent
    confusion candidate); otherwise a strong repair needs the document to
    use one of the words ``doc_backed`` at least twice.
    """
    if len(word) < 3 or len(word) > 30 or not _READING_WORD_RE.fullmatch(word):
        return False, ()
    if _glyph_normalized(word) != word:
        return True, ()
    if any(c.isupper() for c in word[1:]):
        # the acronym reading: only a stray lowercase letter before an acronym the document uses
        if word[0].islower() and word[1:].isupper() and word[1:].isalpha() and len(word) >= 4:
            return False, (word[1:].lower(),)
        return False, ()
    lower = word.lower()
    doc_backed = []
    for bad, good in _CONFUSIONS:
        start = 0
        while True:
            i = word.find(bad, start)
            if i < 0:
                break
            cand = (word[:i] + good + word[i + len(bad):]).lower()
            if cand != lower and len(cand) >= 2 and cand.isalpha() and _cand_zipf(cand, lang) >= MIN_CORRECTION_ZIPF:
                return True, ()
            doc_backed.append(cand)
            start = i + 1
    return False, tuple(doc_backed)


def _correct_word_doc(word: str, lang: str, doc_counts: Counter | None, ocr_damage: bool = True) -> str | None:
    if not ocr_damage and not _strong_repair_possible(word, lang, doc_counts):
        return None
    reading = _lexicon_reading(word, lang)
    if reading[0] == "keep":
        return None
    if reading[0] == "fix":
        return reading[1]
    if reading[0] == "acronym":
        w = reading[1]
        # an acronym with a stray lowercase letter in front (uUSD) whose bare form the document uses
        if (
            doc_counts is not None and w[0].islower() and w[1:].isupper() and w[1:].isalpha()
            and len(w) >= 4 and doc_counts.get(w[1:].lower(), 0) >= 2
        ):
            return w[1:]
        return None
    _, word, lower, cand_items, lex_scored, extra, rival, z_word = reading
    if doc_counts is not None and doc_counts.get(lower, 0) >= 2:
        return None
    cands = dict(cand_items)
    scored = []
    for z, cand, cls in lex_scored:
        doc_ev = 1 if doc_counts is not None and doc_counts.get(cand, 0) >= 2 else 0
        scored.append((doc_ev, z, cand, cls))
    if doc_counts is not None:
        for z, cand in extra:
            # an extra letter needs the document to use the word or its root, or a common word (uangnya)
            root = sastrawi_stemmer().stem(cand) if sastrawi_stemmer() is not None else cand
            if doc_counts.get(cand, 0) >= 1 or (len(root) >= 3 and doc_counts.get(root, 0) >= 1) or z >= 4.0:
                scored.append((0, z, cand, "extra"))
        for cand, cls in cands.items():
            if doc_counts.get(cand, 0) >= 2 and not any(c == cand for _, _, c, _ in scored):
                scored.append((1, _cand_zipf(cand, lang), cand, cls))
        # any other single edit needs evidence from the document itself (pelatthan when pelatihan is used)
        if len(lower) >= 5 and lower.isalpha():
            for cand in _edits1(lower) - set(cands):
                if len(cand) >= 4 and doc_counts.get(cand, 0) >= 2:
                    scored.append((1, _cand_zipf(cand, lang), cand, "edit"))
    if not scored:
        return None
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    best = scored[0]
    if len(scored) > 1:
        second = scored[1]
        if second[0] == best[0] and second[1] > best[1] - CORRECTION_MARGIN:
            return None  # ambiguous: two plausible readings
    doc_ev, z, cand, cls = best
    if cls in WEAK_CLASSES and (not ocr_damage or z_word >= MAX_WEAK_WORD_ZIPF):
        return None  # typo-shaped: an author's typo or a rare word as likely as a misread
    if not doc_ev and rival >= z:
        return None  # another reading one keystroke away is at least as common (ridak: tidak, not ndak)
    return _restore_case(word, cand)


def split_run_together(word: str, lang: str = "unknown", doc_counts: Counter | None = None) -> tuple[str, str] | None:
    """Split a word glued from two (``kesejahteraanmasyarakat``, ``bahwauntuk``), or return None.

    Only a word no lexicon knows and the document does not repeat is split,
    and only into two parts that are both frequent in the block's language
    (Zipf >= :data:`MIN_SPLIT_ZIPF`) or used at least twice in the document;
    the split with the most frequent rarer half wins.
    """
    # Nothing is caught, as in correct_word.
    return _split_doc(word, lang, doc_counts)


def _split_doc(word: str, lang: str, doc_counts: Counter | None) -> tuple[str, str] | None:
    if len(word) < 7 or len(word) > 40 or not word.isalpha() or not word.isascii():
        return None
    if not word.islower():
        return None  # capitalised: a name (Xiaoping, Agarwal) more often than two glued words
    lower = word.lower()
    if doc_counts is not None and doc_counts.get(lower, 0) >= 2:
        return None
    if _known_in_cached(lower, lang) > 0:
        return None
    floor = MIN_SPLIT_ZIPF.get(lang, max(MIN_SPLIT_ZIPF.values()))
    best, best_score = None, 0.0
    for i in range(3, len(lower) - 2):
        left, right = lower[:i], lower[i:]
        if right in _CLITICS:
            continue  # ditandatanganinya: a clitic, not a word
        scores = []
        for part in (left, right):
            z = _cand_zipf(part, lang)
            if lang in LANGS and _cand_zipf(part, "en" if lang == "id" else "id") > z + 1.0:
                break  # a word of the other language (pelat|than): never split into it
            if z < floor and not (doc_counts is not None and len(part) >= 4 and doc_counts.get(part, 0) >= 2):
                break
            scores.append(z)
        else:
            score = min(scores)
            if score > best_score:
                best, best_score = i, score
    if best is None:
        return None
    return word[:best], word[best:]

