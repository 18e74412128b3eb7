"""OCR and export cleanup: raw document text -> typed blocks plus a log of every repair.

The input is the text of one document as it came out of OCR or a library
export (markdown-ish markup, narrow columns, line-end hyphens, page breaks,
running headers, tables, stray symbols). :func:`clean_document` turns it into
BLOCKs ``{"id", "kind", "text"}`` (kinds ``title``, ``heading``,
``paragraph``, ``table``, ``keywords``, ``meta``, ``separator``) and a log of
the changes it made; :func:`format_changes` prints that log.

Every decision is made from the shape of the text (line length, case,
punctuation, share of numbers, repetition) and from lexicons (Sastrawi's root
list and stemmer, ``wordfreq``), never from strings of particular documents.
The functions are pure: the only files read are packaged resources and the
lexicons of installed packages, loaded lazily once.

The modules, in the order the recipe (:data:`document.PASSES`) uses them:
``characters`` (source lines, encoding), ``markup``, ``furniture`` (running
heads, page numbers), ``stray`` (stray symbols), ``lines`` (what a line looks
like), ``blocks`` and ``titles`` (grouping lines into blocks),
``dehyphenation`` (joining a block's lines), ``language``, ``misreads`` and
``word_repairs`` (misread and run-together words); ``lexicons`` and ``log``
serve them all, ``document`` runs them.
"""

from __future__ import annotations

from .blocks import detect_table_blocks, join_broken_lines, split_blocks
from .characters import normalize_line, normalize_unicode, split_source_lines
from .dehyphenation import dehyphenate, doc_token_counts, resolve_line_end_hyphen
from .document import NON_PROSE_KINDS, PASSES, CleanResult, clean_document, clean_text, preload
from .furniture import remove_page_furniture
from .language import block_language
from .lines import is_heading_shape, is_section_heading
from .log import RULE_ORDER, format_changes
from .markup import strip_markup
from .misreads import correct_word, split_run_together
from .stray import remove_stray_chars
from .titles import is_title_shape
from .word_repairs import fix_misread_words, shows_ocr_damage

__all__ = [
    "clean_document",
    "preload",
    "CleanResult",
    "format_changes",
    "correct_word",
    "split_run_together",
    "block_language",
    "normalize_line",
    "split_source_lines",
    "clean_text",
    "normalize_unicode",
    "strip_markup",
    "remove_page_furniture",
    "remove_stray_chars",
    "dehyphenate",
    "resolve_line_end_hyphen",
    "doc_token_counts",
    "join_broken_lines",
    "split_blocks",
    "detect_table_blocks",
    "is_heading_shape",
    "is_section_heading",
    "is_title_shape",
    "fix_misread_words",
    "shows_ocr_damage",
    "RULE_ORDER",
    "NON_PROSE_KINDS",
    "PASSES",
]
