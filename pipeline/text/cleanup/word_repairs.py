"""Word repairs in prose: whether a document shows OCR damage, and the repair of its misread words.

Typo-shaped repairs (a lost, doubled or extra letter) are made only in a
document that shows it went through OCR (:func:`shows_ocr_damage`): in
born-digital or scraped text such a word is the author's and stays.
:func:`fix_misread_words` applies :func:`~.misreads.correct_word` and
:func:`~.misreads.split_run_together` to every word of a paragraph and parts
sentences glued at a full stop.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from .language import block_language
from .lexicons import lex_zipf
from .log import RepairLog
from .misreads import correct_word, split_run_together

_SENTENCE_GLUE_RE = re.compile(r"(?<![\w.@/:])([^\W\d_][a-z]+)([.?!])([A-Z][a-z]{2,})\b")
#: A word as the misread repairs see it: letters, and the glyphs OCR reads for letters (@, 0, 1).
WORD_RE = re.compile(r"(?<![\w@.])[A-Za-z@][A-Za-z@01]*(?![\w@]|\.\w)")


#: Pieces of OCR evidence a document needs before typo-shaped repairs are made in it.
MIN_OCR_EVIDENCE = 2


def shows_ocr_damage(changes: list[dict], texts: list[str], doc_counts: Counter | None = None) -> bool:
    """True when a document shows that it went through OCR or page layout.

    Evidence: page furniture removed, stray symbols removed, syllable breaks
    at line ends joined (the ``changes`` of the layout repairs), and glyph
    misreads or visual confusions in the words of ``texts``.  A lost, doubled
    or extra letter in a word looks the same whether a scanner or an author
    made it; in running text that shows none of this evidence (scraped or
    born-digital text) it is the author's, and is left alone.

    Parameters
    ----------
    changes : list of dict
        The change records so far (rules ``page_furniture``, ``stray_chars``,
        ``dehyphenate``).
    texts : list of str
        The document's block texts.
    doc_counts : Counter, optional
        Lowercased token counts of the document.

    Returns
    -------
    bool
        At least :data:`MIN_OCR_EVIDENCE` pieces of evidence.
    """
    evidence = 0
    for c in changes:
        rule = c.get("rule")
        if rule in ("page_furniture", "stray_chars"):
            evidence += 1
        elif rule == "dehyphenate" and c.get("after") == c.get("before", "").replace("-\n", ""):
            evidence += 1
        if evidence >= MIN_OCR_EVIDENCE:
            return True
    for text in texts:
        lang = block_language(text)
        # each distinct word is judged once; a misread counts as often as it occurs
        for word, n in Counter(WORD_RE.findall(text)).items():
            if _plainly_known(word, lang):
                continue
            if correct_word(word, lang, doc_counts, ocr_damage=False) is not None:
                evidence += n
                if evidence >= MIN_OCR_EVIDENCE:
                    return True
    return False


@functools.lru_cache(maxsize=1 << 17)
def _plainly_known(word: str, lang: str) -> bool:
    """A lower- or capitalised-case word common (Zipf >= 2) in the block's language: no repair is tried."""
    return word.isalpha() and (word.islower() or word[1:].islower()) and lex_zipf(word.lower(), lang) >= 2.0


def _sentence_start(text: str, pos: int) -> bool:
    """True when position ``pos`` of ``text`` starts a sentence (text start or after ``.!?:``)."""
    before = text[:pos].rstrip(" \"'“‘([")
    return not before or before[-1] in ".!?:"


def fix_misread_words(
    text: str,
    log: RepairLog | None = None,
    lang: str | None = None,
    doc_counts: Counter | None = None,
    locate=None,
    split_words: bool = True,
    ocr_damage: bool = True,
) -> str:
    """Repair OCR-misread and run-together words in prose, conservatively.

    Parameters
    ----------
    text : str
        One paragraph.
    log : optional
        Internal repair log (rules ``misread_letters`` and ``split_words``).
    lang : str, optional
        Language of the paragraph; guessed with :func:`block_language` when None.
    doc_counts : Counter, optional
        Lowercased token counts of the whole document (evidence first).
    locate : callable, optional
        ``locate(word) -> line number`` for the change log.
    split_words : bool
        Also split run-together words (:func:`split_run_together`) and
        sentences glued at a full stop (``diplomacy.Ultimately``): both are
        whitespace lost by export or scraping.
    ocr_damage : bool
        Whether the document shows OCR damage: typo-shaped repairs (a lost,
        doubled or extra letter) are only made then (see :func:`correct_word`).

    Returns
    -------
    str
        The repaired paragraph.  See :func:`correct_word` and
        :func:`split_run_together` for the evidence each change needs.
    """
    if lang is None:
        lang = block_language(text)

    # word -> (correct_word's reading, split_run_together's parts): each distinct word of
    # the paragraph is judged once, whatever its number of occurrences
    readings: dict[str, tuple[str | None, tuple[str, str] | None]] = {}

    def _reading(word: str) -> tuple[str | None, tuple[str, str] | None]:
        if word not in readings:
            fixed = correct_word(word, lang, doc_counts, ocr_damage)
            parts = split_run_together(word, lang, doc_counts) if fixed is None and split_words else None
            readings[word] = (fixed, parts)
        return readings[word]

    def _may_change(word: str) -> bool:
        # what _fix decides for a word, without its position and log: the text is only
        # rewritten when some word may change (most paragraphs have none)
        return not _plainly_known(word, lang) and _reading(word) != (None, None)

    def _fix(m: re.Match) -> str:
        word = m.group(0)
        if _plainly_known(word, lang):
            return word  # a known word of the block's language: nothing to do (fast path)
        fixed, parts = _reading(word)
        rule = "misread_letters"
        if fixed is not None and word[:1].isupper() and fixed.lower() == word[1:].lower() and word[1:2].islower():
            # the capital was a stray glyph glued to the word (Dbisa, Kkapasitas): the word keeps
            # its own lowercase, capitalised only where a sentence starts
            fixed = fixed.lower()
            if _sentence_start(text, m.start()):
                fixed = fixed[:1].upper() + fixed[1:]
        if fixed is None:
            if parts is None:
                return word
            fixed, rule = " ".join(parts), "split_words"
        if fixed == word:
            return word
        if log is not None:
            log.change(rule, word, fixed, locate(word) if locate is not None else None)
        return fixed

    if any(_may_change(word) for word in set(WORD_RE.findall(text))):
        text = WORD_RE.sub(_fix, text)
    # Sentences glued at a full stop ("diplomacy.Ultimately") are parted with the
    # run-together words: scraped texts keep such joins, and so do their gold copies.
    if split_words:

        def _glue(m: re.Match) -> str:
            # file names and domains (Alibaba.com) have lowercase after the dot, so are untouched
            if log is not None:
                log.change("sentence_spacing", m.group(0), f"{m.group(1)}{m.group(2)} {m.group(3)}",
                           locate(m.group(0)) if locate is not None else None)
            return f"{m.group(1)}{m.group(2)} {m.group(3)}"

        text = _SENTENCE_GLUE_RE.sub(_glue, text)
    return text
