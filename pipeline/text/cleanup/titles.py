"""Titles: the leading block of a document read as its title.

A scraped abstract arrives as ``TITLE`` + blank line + ``ABSTRACT``, a
catalogue record as title lines over metadata; the title has no final period,
so without these tests the blank line after it would be bridged as a
sentence broken by the page.
"""

from __future__ import annotations

import re

from .blocks import Unit
from .lexicons import function_words
from .lines import (
    alpha_words,
    capitalised,
    ends_sentence,
    is_section_heading,
    numeric_share,
    starts_upper,
    title_case_ratio,
)

#: Longest leading block (words) still read as a title: well above the length of scraped titles.
MAX_TITLE_WORDS = 40
#: Sentence boundary inside a text: a word (not a short abbreviation such as *Var.*, *L.*,
#: *sp.*), ``.!?``, then a new capitalised sentence.
# Anchored at the start of a word: unanchored, the letter run was retried from every
# position of a long word, quadratic in its length (a 1 MB token took hours).
_INNER_SENTENCE_END_RE = re.compile(
    r"(?<![^\W\d_])(?:[^\W\d_]{4,}|[^\W\d_][a-z]{2,}(?<=[a-z]{3}))[.!?]\s+[\"“‘(]?[A-Z0-9]")


def is_title_shape(text: str, following: str, n_lines: int = 1) -> bool:
    """True when the leading block ``text`` reads as the title of the text ``following`` it.

    A scraped abstract arrives as ``TITLE`` + blank line + ``ABSTRACT``; a
    title has no final period, so without this test the blank line would be
    bridged as a sentence broken by the page.  The block is a title when it
    is short (at most :data:`MAX_TITLE_WORDS` words on at most four lines),
    starts with a capital, holds no sentence boundary, does not stop
    mid-phrase (final comma, hyphen or function word), ends without a full
    stop (``?``/``!`` allowed, a final period only in upper or strict title
    case: prose sentences are mostly lowercase), and is set in upper or title case
    -- or, in sentence case, is much shorter than the text that follows;
    and ``following`` is a capitalised sentence.

    Parameters
    ----------
    text : str
        The first block of the document (its lines joined by spaces).
    following : str
        The block after it (separated by a blank line).
    n_lines : int
        Physical lines of ``text``.
    """
    s = text.strip()
    words = s.split()
    if not 2 <= len(words) <= MAX_TITLE_WORDS or n_lines > 4 or not alpha_words(s):
        return False
    if not starts_upper(s) or not s[0].isalnum() and s[0] not in "\"“'‘([":
        return False
    if is_section_heading(s):
        return False
    inner = [m.group(0) for m in _INNER_SENTENCE_END_RE.finditer(s)]
    if s[-1] in ",;-/&=(" or numeric_share(s) > 0.3:
        return False
    last = words[-1].strip("\"'”’)")
    if last.lower() in function_words() and not capitalised(last):
        return False
    letters = [c for c in s if c.isalpha()]
    upper_share = sum(1 for c in letters if c.isupper()) / len(letters)
    title_case = upper_share >= 0.6 or title_case_ratio(s) >= 0.6
    strict_title_case = upper_share >= 0.6 or title_case_ratio(s) >= 0.8
    # a final full stop or a question inside: prose sentences are mostly lowercase, typeset titles are not
    if s[-1] == "." and not strict_title_case:
        return False
    if inner and not (strict_title_case and all("." not in m for m in inner)):
        return False
    nxt = following.strip()
    nxt_words = nxt.split()
    # the title is followed by running prose: a capitalised text holding a sentence end
    if not starts_upper(nxt) or len(nxt_words) < 8 or not re.search(r"[.!?](?:\s|$)", nxt):
        return False
    if title_case:
        return True
    # sentence case: only a line much shorter than the prose after it is a title
    return len(words) <= 25 and len(nxt_words) >= 2 * len(words)


def mark_leading_title(units: list[Unit]) -> None:
    """Mark the first block as the title when it is title-shaped and a blank line parts it from prose.

    Run before :func:`~.blocks.join_broken_lines`, which would otherwise bridge the
    blank line after a title that has no final punctuation.
    """
    k0 = next((k for k, u in enumerate(units) if u.kind != "separator"), None)
    if k0 is None or k0 + 1 >= len(units):
        return
    u, nxt = units[k0], units[k0 + 1]
    if u.kind not in ("paragraph", "heading") or u.hint is not None or nxt.kind != "paragraph" or nxt.gap_before < 1:
        return
    # the prose after it is read with its line-end hyphens joined, as it will be written
    following = re.sub(r"(?<=\w)-\n(?=\w)", "", "\n".join(nxt.lines)).replace("\n", " ")
    if is_title_shape(u.text, following, len(u.lines)):
        u.kind = "title"


def assign_title(units: list[Unit]) -> None:
    """Turn the document's leading title lines into one title unit."""
    idx = [k for k, u in enumerate(units) if u.kind != "separator"]
    if not idx:
        return
    k0 = idx[0]
    u = units[k0]
    if u.kind == "title":
        return
    if u.kind not in ("heading", "paragraph") or is_section_heading(u.lines[0]):
        return
    words = u.text.split()
    if len(words) > 40 or len(u.lines) > 4 or ends_sentence(u.text) or re.search(r"[.!?]\s+[A-Z]", u.text):
        return
    nxt = units[k0 + 1] if k0 + 1 < len(units) else None
    if not (
        title_case_ratio(u.text) >= 0.6
        or " = " in u.text
        or (nxt is not None and nxt.kind in ("meta", "heading", "keywords"))
    ):
        return
    # a title broken over several units (heading + short line) before the first section heading
    while nxt is not None and nxt.kind in ("heading", "paragraph") and not is_section_heading(nxt.lines[0]):
        total = len(words) + len(nxt.text.split())
        if total > 40 or len(u.lines) + len(nxt.lines) > 4 or ends_sentence(nxt.text) or len(nxt.lines) > 2:
            break
        after = units[k0 + 2] if k0 + 2 < len(units) else None
        if after is None or not (after.kind in ("meta", "keywords") or (after.kind == "heading" and is_section_heading(after.lines[0]))):
            break
        u.lines.extend(nxt.lines)
        u.src.extend(nxt.src)
        words = u.text.split()
        del units[k0 + 1]
        nxt = units[k0 + 1] if k0 + 1 < len(units) else None
    u.kind = "title"
