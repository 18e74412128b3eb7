"""Characters: source lines with their numbers, and the repair of each line's encoding.

The change log numbers lines as ``raw.splitlines()`` does, so the text is split
into lines first (:func:`split_source_lines`) and every later repair carries
its line's number. :func:`normalize_line` then repairs the characters of one
line: mojibake (ftfy), NFC, ligatures, soft hyphens, typographic spaces and
control characters; :func:`normalize_unicode` does the same to a whole text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACE_LIKE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\v]")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
#: One translation table: zero-width marks dropped, Latin ligatures expanded.
_CHAR_FIXES = {**_ZERO_WIDTH, **{ord(lig): rep for lig, rep in _LIGATURES.items()}}
# A soft hyphen at a line end marks a syllable break: it becomes "-".
_SOFT_HYPHEN_BREAK_RE = re.compile("\u00ad[ \t]*\n")
_SOFT_HYPHEN_AT_END_RE = re.compile("\u00ad\\s*$")


def _fix_characters(text: str, keep_newlines: bool) -> str:
    """The character cleanup shared by :func:`normalize_unicode` (a document) and :func:`normalize_line`.

    Zero-width marks are dropped and ligatures expanded; a soft hyphen at a
    line end (``keep_newlines``: before a newline, else at the end of the
    text) becomes ``-``, elsewhere it is dropped; typographic spaces and tabs
    become plain spaces; control and format characters are dropped (newlines
    kept when ``keep_newlines``).
    """
    text = text.translate(_CHAR_FIXES)
    if keep_newlines:
        text = _SOFT_HYPHEN_BREAK_RE.sub("-\n", text)
    else:
        text = _SOFT_HYPHEN_AT_END_RE.sub("-", text)
    text = text.replace("\u00ad", "")
    text = _SPACE_LIKE.sub(" ", text)
    if text.isprintable():
        return text  # nothing of category C (printable text has none): no per-character pass
    if keep_newlines:
        return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def normalize_unicode(text: str) -> tuple[str, int]:
    """Normalise Unicode: NFC, unify line ends and spaces, drop control chars.

    Curly quotes are kept (they are correct typography); ligatures are
    expanded; soft hyphens at a line end become ordinary hyphens (they mark a
    syllable break), elsewhere they are dropped.

    Returns
    -------
    tuple of (str, int)
        The normalised text and the number of characters changed or dropped.
    """
    if not text:
        return "", 0
    original = text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n\n\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _fix_characters(text, keep_newlines=True)
    changed = 0 if text == original else max(1, sum(1 for a, b in zip(original, text) if a != b) + abs(len(original) - len(text)))
    return text, changed


_PAGE_BREAK_CHARS = "\f\x1c\x1d\x1e"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def split_source_lines(raw: str) -> tuple[list[str], list[int]]:
    """Split raw text into lines, remembering each line's number.

    Line numbers are 1-based positions in ``raw.splitlines()`` (the numbering
    the change log uses).  A form feed (page break) is followed by three
    synthetic blank lines so that page furniture is found at its edge.

    Returns
    -------
    tuple of (list of str, list of int)
    """
    lines: list[str] = []
    numbers: list[int] = []
    for k, line in enumerate(raw.splitlines(keepends=True), 1):
        body = line.rstrip("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")
        term = line[len(body):]
        lines.append(body)
        numbers.append(k)
        extra = 3 if any(c in term for c in _PAGE_BREAK_CHARS) else (1 if "\u2029" in term else 0)
        lines.extend([""] * extra)
        numbers.extend([k] * extra)
    return lines, numbers


@functools.lru_cache(maxsize=1)
def ftfy_fix():
    """ftfy's ``fix_text`` as cleanup configures it, or NFC alone when ftfy (6 or later) is missing."""
    try:
        import ftfy

        # curly quotes are correct typography and are kept; NFC composes accents
        config = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, normalization="NFC", explain=False)
        return lambda text: ftfy.fix_text(text, config)
    except (ImportError, AttributeError):  # ftfy missing, or older than 6 (no TextFixerConfig): NFC only
        return lambda text: unicodedata.normalize("NFC", text)


def normalize_line(line: str) -> str:
    """Repair the encoding of one line: mojibake (ftfy), NFC, ligatures, odd spaces, controls.

    Curly quotes are kept deliberately (they are correct typography, and
    later stages tokenise them as punctuation).  A soft hyphen at the line end
    becomes ``-`` (it marks a syllable break), elsewhere it is dropped;
    non-breaking and other typographic spaces become plain spaces.
    """
    if not line:
        return ""
    text = line
    if not text.isascii():
        repaired = ftfy_fix()(text)
        fixed = _fix_characters(repaired, keep_newlines=False)
        if not repaired.isprintable() and not fixed.isascii() and _drops_characters(repaired):
            # an invisible character inside a mojibake sequence hides it from ftfy until it
            # is dropped: a second round sees the sequence whole, so the repair is idempotent
            fixed = _fix_characters(ftfy_fix()(fixed), keep_newlines=False)
        text = fixed
    else:
        text = text.replace("\t", " ")
        text = _CONTROL_RE.sub("", text)
    return text


def _drops_characters(text: str) -> bool:
    """True when :func:`_fix_characters` drops a character of ``text`` (control, format, unassigned)."""
    return any(unicodedata.category(ch)[0] == "C" for ch in text if ch not in "\t\v")
