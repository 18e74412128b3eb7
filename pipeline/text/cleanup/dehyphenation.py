"""Dehyphenation: the lines of a paragraph joined into one, line-end hyphens resolved.

A hyphen at a line end is either a syllable break (``keterbatas-`` /
``an``: joined) or a real hyphen (``negara-`` / ``negara``, ``e-`` /
``commerce``: kept). The document's own spelling decides first, then the
lexicons. The counts of the document's words (:func:`doc_token_counts`) are
also the evidence the misread repairs use.
"""

from __future__ import annotations

import re
from collections import Counter

from .lexicons import root_known, zipf, zipf_any
from .log import RepairLog

_HYPHEN_TAIL_DEBRIS_RE = re.compile(r"(?<=\w)-(?:\s*[.,:;'‘’“”\"°•·_~|—–-])+\s*$")
_LEAD_JUNK_RE = re.compile(r"^(?:[.,:;'‘’“”\"°•·_~|—–]+\s*)+")
_WORD_TOKEN_RE = re.compile(r"[\w]+(?:-[\w]+)*", re.U)


def doc_token_counts(lines: list[str]) -> Counter:
    """Lowercased counts of the words of ``lines`` (hyphenated compounds count as one word).

    The evidence of a document's own spelling: a form the document writes
    elsewhere decides a line-end hyphen or a doubtful word before the lexicons.
    """
    counts: Counter = Counter()
    for line in lines:
        if line.isascii():
            # lowercasing ASCII moves no token boundary: one pass in C
            counts.update(_WORD_TOKEN_RE.findall(line.lower()))
        else:
            counts.update(tok.lower() for tok in _WORD_TOKEN_RE.findall(line))
    return counts


def resolve_line_end_hyphen(left: str, right: str, doc_counts: Counter | None = None) -> str:
    """Decide how a word broken by a line-end hyphen is read.

    Parameters
    ----------
    left : str
        The word fragment before the hyphen (without the hyphen).
    right : str
        The first word of the next line.
    doc_counts : Counter, optional
        Lowercased token counts of the whole document, used as evidence
        before the lexicons (a form written elsewhere in the same document).

    Returns
    -------
    str
        ``left + right`` when the hyphen was a syllable break, or
        ``left + "-" + right`` when it is a real hyphen.
    """
    joined, hyphened = left + right, left + "-" + right
    if not left or not right:
        return joined
    last = left.split("-")[-1]
    # numbers and codes: 100-150, SP-36
    if left[-1].isdigit() or right[0].isdigit():
        return hyphened
    # single letters are never split off as syllables: e-commerce, x-ray
    if len(last) <= 1:
        return hyphened
    # reduplication keeps its hyphen: negara-negara, besar-besaran, Diskusi-diskusi
    if last.isalpha() and len(last) >= 2 and right.lower().startswith(last.lower()) and (len(last) >= 3 or right.lower() == last.lower()):
        return hyphened
    # evidence from the same document
    if doc_counts is not None:
        cj, ch = doc_counts.get(joined.lower(), 0), doc_counts.get(hyphened.lower(), 0)
        if ch > cj:
            return hyphened
        if cj > ch:
            return joined
    # a capital after the break starts a new word: Cross-Border, ASEAN-Tiongkok
    if right[0].isupper() and not (right.isupper() and last.isupper()):
        return hyphened
    if "-" in left:
        # a compound already (business-to-): the continuation is another part
        return hyphened if zipf_any(right) >= 1.5 else joined
    word = (last + right).lower()
    if not word.isalpha():
        return joined
    if zipf(word, "id") >= 1.0 or root_known(word):
        return joined
    z_en = zipf(word, "en")
    zl, zr = zipf_any(last), zipf_any(right)
    if z_en >= 3.0 or (z_en >= 1.0 and min(zl, zr) < 3.0):
        return joined
    # two real words and no joined word: an English-style compound (high-speed, good-neighbourliness)
    if len(last) >= 3 and len(right) >= 2 and zl >= 1.5 and zr >= 1.5:
        return hyphened
    return joined


def dehyphenate(lines: list[str], doc_counts: Counter | None = None, log: RepairLog | None = None,
                src: list[int] | None = None) -> str:
    """Join the lines of one paragraph, resolving line-end hyphens.

    Parameters
    ----------
    lines : list of str
        Consecutive lines of one paragraph.
    doc_counts : Counter, optional
        Document token counts (see :func:`resolve_line_end_hyphen`).
    log : optional
        Internal repair log.
    src : list of int, optional
        Source line number of every line (positions in the change log).

    Returns
    -------
    str
        The paragraph as one line.
    """
    # finished text in ``done``; only the current line ``cur`` is searched (linear time)
    done: list[str] = []
    cur = ""
    prev_num = None
    for k, line in enumerate(lines):
        line = line.strip()
        num = src[k] if src is not None and k < len(src) else None
        if not line:
            continue
        if not cur and not done:
            cur = line
            prev_num = num
            continue
        # OCR specks after a line-end hyphen ("mengem- .", "poten-.") and before its continuation
        cur = _HYPHEN_TAIL_DEBRIS_RE.sub("-", cur)
        if re.search(r"\w-$", cur):
            line = _LEAD_JUNK_RE.sub("", line) or line
        # Only a line ending in a hyphen is searched: on a long word without one this
        # search is quadratic in the word's length.
        m = re.search(r"([\w]+(?:-[\w]+)*)-$", cur) if cur.endswith("-") else None
        r = re.match(r"[\w]+", line)
        if m and r and not cur.endswith("--"):
            left, right = m.group(1), r.group(0)
            reading = resolve_line_end_hyphen(left, right, doc_counts)
            if log is not None:
                log.change("dehyphenate", f"{left}-\n{right}", reading, prev_num, example=f"{left}-|{right} -> {reading}")
            done.append(cur[: m.start()])
            cur = reading + line[r.end():]
        elif cur.endswith("/") and re.match(r"\w", line) and re.search(r"(?:://|www\.)\S*$", cur):
            # a URL broken after a slash; elsewhere "ton/ ha" keeps its space
            done.append(cur)
            cur = line
            if log is not None:
                log.add("join_lines", "", 1)
        elif re.match(r"[.,;:!?)\]](?:\s|$)", line) and not cur.endswith((".", ",", ";", ":")):
            # punctuation that the line break pushed onto the next line belongs to the last word
            done.append(cur)
            cur = line
            if log is not None:
                log.add("join_lines", "", 1)
        else:
            # a speck read as "." or ":" at a line end inside a running sentence (the next line
            # goes on in lowercase after an ordinary lowercase word): OCR debris, not punctuation
            sm = re.search(r"(?<![\w.])([a-z]{3,})([.:])$", cur)
            if sm and re.match(r"[a-z]{2,}", line) and zipf_any(sm.group(1)) >= 3.0 and not re.match(r"(?:dan|and|or|atau)\b", line):
                if log is not None:
                    log.change("stray_chars", sm.group(2), "", prev_num, example=f"{sm.group(0)} {line.split()[0]}")
                cur = cur[:-1]
            done.append(cur + " ")
            cur = line
            if log is not None:
                log.add("join_lines", "", 1)
        prev_num = num
    return "".join(done) + cur
