"""Page furniture: running headers and footers and page numbers at the edges of pages.

Pages are told apart by runs of blank lines (form feeds become such runs);
a line at a page edge is furniture when it recurs at page edges, is a lone
page number, or carries a journal running head (volume and issue, ISSN, DOI).
"""

from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER_RE = re.compile(r"^[\W_]{0,3}(?:(?:page|hal(?:aman)?\.?|hlm\.?)\s*)?\d{1,4}(?:\s*(?:of|dari|/)\s*\d{1,4})?[\W_]{0,3}$", re.I)
_ENUMERATOR_RE = re.compile(r"^\(\s*\d{1,3}\s*\)$|^\d{1,3}[.)]$")
_RUNNING_HEAD_RE = re.compile(
    r"(?:\bvol(?:ume)?\.?\s*\d+.*\b(?:no|nomor|issue)\.?\s*\d+)|(?:\bISSN\b)|(?:\bp-?ISSN\b|\be-?ISSN\b)|(?:\bdoi\s*:)", re.I
)


_DIGITS_RE = re.compile(r"\d+")
_NON_KEY_RE = re.compile(r"[^\w#]+")


def _furniture_key(line: str) -> str:
    key = _DIGITS_RE.sub("#", line.lower())
    key = _NON_KEY_RE.sub(" ", key)
    return " ".join(key.split())


def remove_page_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """Blank out running headers/footers and page numbers.

    Pages are separated by runs of two or more blank lines (or form feeds).
    A line is furniture when it sits at the edge of a page (first or last two
    non-blank lines) and either (a) its digit-normalised form recurs at page
    edges at least three times, (b) it is a lone page number standing apart
    from the text, or (c) it carries a journal running-head pattern
    (``Vol. n, No. n``, ISSN, DOI) while being short.

    Returns
    -------
    tuple of (list of str, list of str)
        The lines with furniture replaced by ``""`` and the removed lines.
    """
    n = len(lines)
    if n == 0:
        return [], []
    # A line with no letter or digit ("." or "~" left by the scan, removed later as
    # debris) is not text: it neither makes a page nor stands between a number and the
    # page's edge, so a page number is judged the same before and after the debris goes.
    text_lines = [any(ch.isalnum() for ch in l) for l in lines]
    # page edges: text lines adjacent to document start/end or to >=2 lines without text
    nonblank = [i for i, has_text in enumerate(text_lines) if has_text]
    if not nonblank:
        return list(lines), []
    pages: list[list[int]] = []
    current: list[int] = []
    prev = None
    for i in nonblank:
        if prev is not None and i - prev - 1 >= 2 and current:
            pages.append(current)
            current = []
        current.append(i)
        prev = i
    if current:
        pages.append(current)
    edge: set[int] = set()
    for page in pages:
        edge.update(page[:2])
        edge.update(page[-2:])
    # a line recurring at page edges needs three pages: fewer, and no key is computed
    keys = {i: _furniture_key(lines[i]) for i in sorted(edge)} if len(pages) >= 3 else {}
    key_count = Counter(keys.values())
    removed_idx: set[int] = set()
    for i in sorted(edge):
        text = lines[i].strip()
        key = keys.get(i, "")
        isolated = (i == 0 or not text_lines[i - 1]) and (i == n - 1 or not text_lines[i + 1])
        # running heads start with a capital or a number; a repeated lowercase line is prose
        if key and key_count[key] >= 3 and len(pages) >= 3 and len(text) <= 100 and not text[:1].islower():
            removed_idx.add(i)
        elif _PAGE_NUMBER_RE.match(text) and not _ENUMERATOR_RE.match(text) and (
            isolated or i in (pages[0][0], pages[-1][-1]) or any(i in (p[0], p[-1]) for p in pages)
        ):
            # a lone number at a page edge; table cells sit inside runs of lines
            if isolated or _neighbour_is_prose(lines, i):
                removed_idx.add(i)
        elif len(text) <= 140 and len(text.split()) <= 18 and _RUNNING_HEAD_RE.search(text):
            removed_idx.add(i)
    out = list(lines)
    removed = []
    for i in sorted(removed_idx):
        removed.append(lines[i].strip())
        out[i] = ""
    return out, removed


def _neighbour_is_prose(lines: list[str], i: int) -> bool:
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines) and lines[j].strip():
            if len(lines[j].split()) >= 4 and not _PAGE_NUMBER_RE.match(lines[j].strip()):
                return True
    return False
