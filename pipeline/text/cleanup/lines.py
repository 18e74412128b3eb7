"""Line classification: what a line looks like (heading, section name, caption, meta, keyword label).

Block splitting asks these questions of each line. The answers come from the
line's shape (length, case, final punctuation, share of numbers, balanced
brackets) and from two packaged word lists (section names, function words).
"""

from __future__ import annotations

import re

from .lexicons import function_words, section_headings

_TERMINAL = ".!?"
_META_AUTHOR_RE = re.compile(
    r"^[^,.:;]{2,80},\s*(author|authors|penulis|pengarang|editor|pembimbing|promotor|co-?promotor|supervisor|contributor)\.?$",
    re.I,
)
_META_LABEL_URL_RE = re.compile(r"^[\w .()/-]{2,50}:\s*<?(?:https?|ftp)://\S+>?$", re.I)
_URL_ONLY_RE = re.compile(r"^<?(?:https?|ftp)://\S+>?$|^(?:doi|issn|e-issn|p-issn)\s*:?\s*\S+$", re.I)
_CAPTION_RE = re.compile(
    r"^\W{0,2}(tabel|table|gambar|figure|fig\.?|grafik|diagram|bagan|chart|skema|scheme)\s+([0-9IVX]+[a-z]?)\b\s*[.:]?\s*(.*)$",
    re.I,
)
#: A ``Sumber:`` / ``Source:`` line under a table or figure.
SOURCE_RE = re.compile(r"^\W{0,2}(sumber|source|sources)\s*:", re.I)
#: The start of a numbered or lettered list item: ``(1)``, ``2.``, ``a)``, ``(b)``.
ENUM_START_RE = re.compile(r"^(?:\(\s*\d{1,2}\s*\)|\d{1,2}[.)]\s|[a-h][.)]\s|\([a-h]\)\s)")
_NUMBERING_RE = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-H]\.)\s+")
#: A token that is a number (with sign, brackets, %, separators or a final punctuation mark).
NUMERIC_TOKEN_RE = re.compile(r"^[(\[]?[-+±]?(?:\d[\d.,%/:]*|[.,]\d+)[)\]]?[.,;:]?$")


def alpha_words(text: str) -> list[str]:
    """The words of ``text`` that start with a letter."""
    return re.findall(r"[^\W\d_][\w'’-]*", text)


def _strip_numbering(text: str) -> str:
    return _NUMBERING_RE.sub("", text.strip(), count=1)


def is_section_heading(line: str) -> bool:
    """True when ``line`` is one of the usual article section names (Abstrak, PENDAHULUAN...)."""
    core = _strip_numbering(line)
    core = re.sub(r"[\W\d_]+", " ", core).strip().lower()
    return bool(core) and len(core.split()) <= 6 and core in section_headings()


def capitalised(word: str) -> bool:
    """True when ``word`` starts with a capital or a digit."""
    return word[:1].isupper() or word[:1].isdigit()


def title_case_ratio(text: str, skip_first: bool = False) -> float:
    """Share of capitalised words among the content words of ``text`` (function words left out unless capitalised)."""
    words = alpha_words(text)
    if skip_first:
        words = words[1:]
    fw = function_words()
    content = [w for w in words if w.lower() not in fw or capitalised(w)]
    if not content:
        return 0.0
    return sum(1 for w in content if capitalised(w)) / len(content)


def numeric_share(text: str) -> float:
    """Share of the whitespace tokens of ``text`` that are numbers."""
    toks = text.split()
    if not toks:
        return 0.0
    return sum(1 for t in toks if NUMERIC_TOKEN_RE.match(t)) / len(toks)


def is_heading_shape(line: str) -> bool:
    """True when a line is shaped like a heading.

    Short (at most 12 words), no final sentence punctuation, starts with a
    capital, and upper or title case (function words such as *dan*, *di*,
    *of* may stay lowercase), not ending on a function word, not numeric.
    """
    s = line.strip()
    if not s or len(s) > 100:
        return False
    if is_section_heading(s):
        return True
    core = _strip_numbering(s)
    words = core.split()
    if not 1 <= len(words) <= 12 or not alpha_words(core):
        return False
    if core[-1] in ".,;:=-/&" or not core[0].isupper():
        return False
    if re.search(r"[.!?]\s+\S", core):
        return False
    if numeric_share(core) > 0.3:
        return False
    # a heading is a complete phrase: brackets and quotes are balanced
    if core.count("(") != core.count(")") or core.count("[") != core.count("]"):
        return False
    last = alpha_words(core)[-1]
    if last.lower() in function_words() and not capitalised(last):
        return False
    return title_case_ratio(core) >= 0.8


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with ``.``, ``!`` or ``?`` (closing quotes and brackets aside)."""
    t = text.rstrip(" \"'”’)»]")
    return bool(t) and t[-1] in _TERMINAL


def ends_clause(text: str) -> bool:
    """True when ``text`` ends a sentence or a clause (``:``/``;``, but not inside an open bracket)."""
    t = text.rstrip(" \"'”’»")
    if not t:
        return False
    if t[-1] in ":;":
        # "Hao (2018:" is a citation cut by the line end, not the end of a clause
        last = t.split()[-1]
        return last.count("(") <= last.count(")")
    return t[-1] in _TERMINAL


def starts_upper(text: str) -> bool:
    """True when ``text`` starts with a capital or a digit (opening quotes and brackets aside)."""
    t = text.lstrip(" \"'“‘([")
    return bool(t) and (t[0].isupper() or t[0].isdigit())


def caption_match(line: str) -> bool:
    """True when ``line`` is a short table or figure caption (``Tabel 1. Ekspor ...``, ``Gambar 2``)."""
    m = _CAPTION_RE.match(line.strip())
    if not m:
        return False
    rest = m.group(3)
    if len(line.split()) > 18:
        return False
    return not rest or rest[0].isupper() or rest[0] in "(\"“'" or rest[0].isdigit()


def is_meta_line(line: str) -> bool:
    """True when ``line`` is catalogue metadata: ``Name, author``, ``Label: URL``, a lone URL, DOI or ISSN."""
    s = line.strip()
    return bool(_META_AUTHOR_RE.match(s) or _META_LABEL_URL_RE.match(s) or _URL_ONLY_RE.match(s))
