"""Stray OCR symbols and whitespace inside one line.

Scanner specks are read as ``~``, ``|``, ``@``, bullets or lone punctuation
between words and at line ends; they are removed without touching words.
"""

from __future__ import annotations

import re

_STRAY_TOKEN_RE = re.compile(r"(?<=\S)(?: +[~|@•»«■□▪◆¦¬§©®]+)+ +(?=\S)")
_STRAY_LINE_RE = re.compile(r"^\s*[~|@•»«■□▪◆¦¬§©®\\]+(?:\s+[~|@•»«■□▪◆¦¬§©®\\]+)*\s*$")
_LEAD_DEBRIS_RE = re.compile(r"^(?:[.'‘’`,~|•·—–_\-»«@]+\s+)+(?=\S)")
_TRAIL_DEBRIS_RE = re.compile(r"(?<=\S)(?:\s+[~|•·—–_'‘’`»«@]+)+\s*$")
_TRAIL_DASH_RE = re.compile(r"(?<=[\w-])(\s+-)+\s*$")
_TRAIL_DOT_RE = re.compile(r"(?<=\w)\s+([.,])\s*$")
_BACKSLASH_TOKEN_RE = re.compile(r"(?:^|\s)\\\S*")
_STRAY_CHAR_RE = re.compile(r"[~|@•»«■□▪◆¦¬§©®]")
#: Characters a match of _TRAIL_DEBRIS_RE ends with (before trailing spaces).
_TRAIL_DEBRIS_CHARS = frozenset("~|•·—–_'‘’`»«@")


def remove_stray_chars(line: str) -> tuple[str, list[str]]:
    """Remove stray OCR symbols from one line without touching words.

    Removes lone symbols between words (``~``, ``|``, ``@``, bullets), debris
    tokens made of punctuation at the start or end of a line, tokens starting
    with a backslash (scanner debris), and re-attaches a lone final period or
    comma to its word.

    Returns
    -------
    tuple of (str, list of str)
        The repaired line and the removed fragments.
    """
    removed: list[str] = []
    if _STRAY_LINE_RE.match(line) or (line.strip() and len(line.strip()) <= 3 and not any(c.isalnum() for c in line)):
        # a line of nothing but stray marks (specks read as ~ | @ . ,)
        return "", [line.strip()]

    def _drop(m: re.Match) -> str:
        removed.append(m.group(0).strip())
        return " "

    # each pattern is only run where its characters occur: on a long line the lookbehinds
    # make a search try every position
    new = _STRAY_TOKEN_RE.sub(_drop, line) if _STRAY_CHAR_RE.search(line) else line
    new = _BACKSLASH_TOKEN_RE.sub(_drop, new) if "\\" in new else new
    # punctuation specks before the first word (". agar", "' coba", "- ngembangkan")
    m = _LEAD_DEBRIS_RE.match(new)
    if m:
        removed.append(m.group(0).strip())
        new = new[m.end():]
    new2 = _TRAIL_DEBRIS_RE.sub("", new) if new.rstrip()[-1:] in _TRAIL_DEBRIS_CHARS else new
    if new2 != new:
        removed.append(new[len(new2):].strip())
        new = new2
    # "mengem- -" / "word -": a lone dash after a hyphenated fragment or word at line end
    m = _TRAIL_DASH_RE.search(new) if new.rstrip().endswith("-") else None
    if m and (re.search(r"\w-$", new[: m.start()]) or len(new[: m.start()].split()) >= 3):
        removed.append(m.group(0).strip())
        new = new[: m.start()]
    m = _TRAIL_DOT_RE.search(new) if new.rstrip().endswith((".", ",")) else None
    if m:
        before = new[: m.start()]
        if before.endswith("-"):
            new = before
            removed.append(m.group(0).strip())
        else:
            # "k-means ." -> "k-means.": only a space goes, nothing is removed
            new = before + m.group(1)
    if new.strip() and (_STRAY_LINE_RE.match(new) or (len(new.strip()) <= 3 and not any(c.isalnum() for c in new))):
        removed.append(new.strip())
        new = ""
    return new, removed


def normalize_spaces(line: str) -> str:
    """``line`` with runs of whitespace collapsed to one space and no space at the ends."""
    return " ".join(line.split())
