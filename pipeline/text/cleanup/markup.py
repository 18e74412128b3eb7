"""Export markup: separators, markdown headings, HTML tags and bold marks.

Library exports carry ``<hr />``, ``# Title``, ``**bold**`` and autolinks.
The markup is removed from the text, and what it meant for the structure (a
separator, a title, a heading) is kept as a hint for block splitting.
"""

from __future__ import annotations

import re

_SEPARATOR_RE = re.compile(r"^\s*(?:<hr\s*/?>|-{3,}|\*{3,}|_{3,}|={3,}|(?:\.\s*){3,}|(?:\*\s*){3,}|~{3,})\s*$", re.I)
_MD_HEADING_RE = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_HTML_TAG_RE = re.compile(r"</?(?:b|i|u|em|strong|p|br|span|div|sup|sub|small|font)\b[^>]*>", re.I)
_BOLD_RE = re.compile(r"\*\*|__(?=\w)|(?<=\w)__")


def strip_markup(lines: list[str]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Remove export markup from lines, keeping its structural meaning as hints.

    Parameters
    ----------
    lines : list of str
        Lines of the document.

    Returns
    -------
    tuple
        ``(marked, examples)`` where ``marked`` is a list of ``(text, hint)``;
        ``hint`` is ``"separator"`` (``<hr />``, ``---``, ``.....``),
        ``"md1"`` (a ``# `` heading), ``"md"`` (a deeper markdown heading) or
        ``None``.  ``examples`` lists the markup that was removed.
    """
    marked: list[tuple[str, str | None]] = []
    examples: list[str] = []
    for line in lines:
        if _SEPARATOR_RE.match(line):
            marked.append((line.strip(), "separator"))
            continue
        new = line
        hint = None
        m = _MD_HEADING_RE.match(new)
        if m and m.group(2):
            hint = "md1" if len(m.group(1)) == 1 else "md"
            new = m.group(2)
        if "<" in new:
            new = _AUTOLINK_RE.sub(r"\1", new)
            new = _HTML_TAG_RE.sub(" ", new)
        if "**" in new or "__" in new:
            new = _BOLD_RE.sub("", new)
        if new != line:
            examples.append(line.strip())
        marked.append((new, hint))
    return marked, examples
