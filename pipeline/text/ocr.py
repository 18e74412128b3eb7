"""OCR and export cleanup: raw document text -> typed blocks plus a repair log.

The input is the text of one document as it came out of OCR or a library
export (markdown-ish markup, narrow columns, line-end hyphens, page breaks,
running headers, tables, stray symbols).  :func:`clean_text` turns it into a
list of BLOCKs (see ``notes/common.md``) and a log of the repairs it made.

Every decision is made from the shape of the text (line length, case,
punctuation, share of numbers, repetition) and from lexicons (Sastrawi's root
list and stemmer, ``wordfreq``), never from strings of particular documents.
The functions are pure: the only files read are packaged resources and the
lexicons of installed packages, loaded lazily once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from pathlib import Path

__all__ = [
    "clean_text",
    "normalize_unicode",
    "strip_markup",
    "remove_page_furniture",
    "remove_stray_chars",
    "dehyphenate",
    "resolve_line_end_hyphen",
    "join_broken_lines",
    "split_blocks",
    "detect_table_blocks",
    "is_heading_shape",
    "is_section_heading",
    "fix_misread_words",
    "RULE_ORDER",
]

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

#: Order in which repair rules are reported in the log.
RULE_ORDER = (
    "unicode",
    "strip_markup",
    "whitespace",
    "page_furniture",
    "stray_chars",
    "dehyphenate",
    "join_lines",
    "table",
    "misread_letters",
    "sentence_spacing",
)

_MAX_EXAMPLES = 5

# --------------------------------------------------------------------------
# lexicons (lazy, cached)
# --------------------------------------------------------------------------


def _read_resource_words(name: str) -> frozenset[str]:
    path = RESOURCES / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@functools.lru_cache(maxsize=1)
def _section_headings() -> frozenset[str]:
    return _read_resource_words("ocr_section_headings.txt")


@functools.lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return _read_resource_words("ocr_function_words.txt")


@functools.lru_cache(maxsize=1)
def _sastrawi_roots() -> frozenset[str]:
    try:
        import Sastrawi

        path = Path(Sastrawi.__file__).resolve().parent / "Stemmer" / "data" / "kata-dasar.txt"
        return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").split() if w.strip())
    except Exception:  # lexicon missing: fall back to wordfreq only
        return frozenset()


@functools.lru_cache(maxsize=1)
def _sastrawi_stemmer():
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        return StemmerFactory().create_stemmer()
    except Exception:
        return None


@functools.lru_cache(maxsize=65536)
def _zipf(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, lang))
    except Exception:
        return 0.0


def _zipf_any(word: str) -> float:
    """Highest Zipf frequency of ``word`` (lowercased) in Indonesian or English."""
    w = word.lower()
    if not w or not w.isalpha():
        return 0.0
    return max(_zipf(w, "id"), _zipf(w, "en"))


@functools.lru_cache(maxsize=65536)
def _root_known(word: str) -> bool:
    """True when Sastrawi strips an affix from ``word`` and the root is in its root list."""
    w = word.lower()
    if len(w) < 4 or not w.isalpha():
        return False
    roots = _sastrawi_roots()
    if w in roots:
        return True
    stemmer = _sastrawi_stemmer()
    if stemmer is None:
        return False
    try:
        root = stemmer.stem(w)
    except Exception:
        return False
    return root != w and len(root) >= 3 and root in roots


def _is_known_word(word: str, min_zipf: float = 1.0) -> bool:
    return _zipf_any(word) >= min_zipf or _root_known(word)


# --------------------------------------------------------------------------
# small log helper
# --------------------------------------------------------------------------


class _RepairLog:
    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.examples: dict[str, list[str]] = {}

    def add(self, rule: str, example: str = "", n: int = 1) -> None:
        if n <= 0:
            return
        self.counts[rule] += n
        ex = self.examples.setdefault(rule, [])
        example = example.strip()
        if example and len(ex) < _MAX_EXAMPLES and example not in ex:
            ex.append(example[:120])

    def as_list(self) -> list[dict]:
        out = []
        for rule in RULE_ORDER:
            if self.counts.get(rule, 0) > 0:
                out.append({"rule": rule, "count": int(self.counts[rule]), "examples": list(self.examples.get(rule, []))})
        return out


# --------------------------------------------------------------------------
# unicode and markup
# --------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACE_LIKE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\v]")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}


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
    text = text.translate(_ZERO_WIDTH)
    for lig, rep in _LIGATURES.items():
        text = text.replace(lig, rep)
    text = re.sub("\u00ad[ \t]*\n", "-\n", text)
    text = text.replace("\u00ad", "")
    text = _SPACE_LIKE.sub(" ", text)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")
    changed = 0 if text == original else max(1, sum(1 for a, b in zip(original, text) if a != b) + abs(len(original) - len(text)))
    return text, changed


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
        new = _AUTOLINK_RE.sub(r"\1", new)
        new = _HTML_TAG_RE.sub(" ", new)
        new = _BOLD_RE.sub("", new)
        if new != line:
            examples.append(line.strip())
        marked.append((new, hint))
    return marked, examples


# --------------------------------------------------------------------------
# page furniture
# --------------------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(r"^[\W_]{0,3}(?:(?:page|hal(?:aman)?\.?|hlm\.?)\s*)?\d{1,4}(?:\s*(?:of|dari|/)\s*\d{1,4})?[\W_]{0,3}$", re.I)
_ENUMERATOR_RE = re.compile(r"^\(\s*\d{1,3}\s*\)$|^\d{1,3}[.)]$")
_RUNNING_HEAD_RE = re.compile(
    r"(?:\bvol(?:ume)?\.?\s*\d+.*\b(?:no|nomor|issue)\.?\s*\d+)|(?:\bISSN\b)|(?:\bp-?ISSN\b|\be-?ISSN\b)|(?:\bdoi\s*:)", re.I
)


def _furniture_key(line: str) -> str:
    key = re.sub(r"\d+", "#", line.lower())
    key = re.sub(r"[^\w#]+", " ", key)
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
    # page edges: non-blank lines adjacent to document start/end or to >=2 blank lines
    nonblank = [i for i, l in enumerate(lines) if l.strip()]
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
    key_count = Counter(_furniture_key(lines[i]) for i in edge)
    removed_idx: set[int] = set()
    for i in sorted(edge):
        text = lines[i].strip()
        key = _furniture_key(text)
        isolated = (i == 0 or not lines[i - 1].strip()) and (i == n - 1 or not lines[i + 1].strip())
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


# --------------------------------------------------------------------------
# stray characters and whitespace
# --------------------------------------------------------------------------

_STRAY_TOKEN_RE = re.compile(r"(?<=\S) +[~|@•»«■□▪◆¦¬§©®]+ +(?=\S)")
_LEAD_DEBRIS_RE = re.compile(r"^(?:[.'‘’`,~|•·—–_\-»«@]+\s+)+(?=\S)")
_TRAIL_DEBRIS_RE = re.compile(r"(?<=\S)(?:\s+[~|•·—–_'‘’`»«@]+)+\s*$")
_TRAIL_DASH_RE = re.compile(r"(?<=[\w-])(\s+-)+\s*$")
_TRAIL_DOT_RE = re.compile(r"(?<=\w)\s+([.,])\s*$")
_BACKSLASH_TOKEN_RE = re.compile(r"(?:^|\s)\\\S*")


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

    def _drop(m: re.Match) -> str:
        removed.append(m.group(0).strip())
        return " "

    new = _STRAY_TOKEN_RE.sub(_drop, line)
    new = _BACKSLASH_TOKEN_RE.sub(_drop, new)
    # punctuation specks before the first word (". agar", "' coba", "- ngembangkan")
    m = _LEAD_DEBRIS_RE.match(new)
    if m:
        removed.append(m.group(0).strip())
        new = new[m.end():]
    new2 = _TRAIL_DEBRIS_RE.sub("", new)
    if new2 != new:
        removed.append(new[len(new2):].strip())
        new = new2
    # "mengem- -" / "word -": a lone dash after a hyphenated fragment or word at line end
    m = _TRAIL_DASH_RE.search(new)
    if m and (re.search(r"\w-$", new[: m.start()]) or len(new[: m.start()].split()) >= 3):
        removed.append(m.group(0).strip())
        new = new[: m.start()]
    m = _TRAIL_DOT_RE.search(new)
    if m:
        before = new[: m.start()]
        if before.endswith("-"):
            new = before
        else:
            new = before + m.group(1)
        removed.append(m.group(0).strip())
    return new, removed


def _normalize_spaces(line: str) -> str:
    return " ".join(line.split())


# --------------------------------------------------------------------------
# line classification
# --------------------------------------------------------------------------

_TERMINAL = ".!?"
_KEYWORDS_RE = re.compile(r"^\W{0,3}(kata[\s-]*kunci|key\s*-?words?|index\s+terms)\s*[:：;.\-—–]\s*", re.I)
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
_SOURCE_RE = re.compile(r"^\W{0,2}(sumber|source|sources)\s*:", re.I)
_ENUM_START_RE = re.compile(r"^(?:\(\s*\d{1,2}\s*\)|\d{1,2}[.)]\s|[a-h][.)]\s|\([a-h]\)\s)")
_NUMBERING_RE = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-H]\.)\s+")
_NUMERIC_TOKEN_RE = re.compile(r"^[(\[]?[-+±]?(?:\d[\d.,%/:]*|[.,]\d+)[)\]]?[.,;:]?$")


def _alpha_words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’-]*", text)


def _strip_numbering(text: str) -> str:
    return _NUMBERING_RE.sub("", text.strip(), count=1)


def is_section_heading(line: str) -> bool:
    """True when ``line`` is one of the usual article section names (Abstrak, PENDAHULUAN...)."""
    core = _strip_numbering(line)
    core = re.sub(r"[\W\d_]+", " ", core).strip().lower()
    return bool(core) and len(core.split()) <= 6 and core in _section_headings()


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _title_case_ratio(text: str, skip_first: bool = False) -> float:
    words = _alpha_words(text)
    if skip_first:
        words = words[1:]
    fw = _function_words()
    content = [w for w in words if w.lower() not in fw or _capitalised(w)]
    if not content:
        return 0.0
    return sum(1 for w in content if _capitalised(w)) / len(content)


def _numeric_share(text: str) -> float:
    toks = text.split()
    if not toks:
        return 0.0
    return sum(1 for t in toks if _NUMERIC_TOKEN_RE.match(t)) / len(toks)


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
    if not 1 <= len(words) <= 12 or not _alpha_words(core):
        return False
    if core[-1] in ".,;:=-/&" or not core[0].isupper():
        return False
    if re.search(r"[.!?]\s+\S", core):
        return False
    if _numeric_share(core) > 0.3:
        return False
    # a heading is a complete phrase: brackets and quotes are balanced
    if core.count("(") != core.count(")") or core.count("[") != core.count("]"):
        return False
    last = _alpha_words(core)[-1]
    if last.lower() in _function_words() and not _capitalised(last):
        return False
    return _title_case_ratio(core) >= 0.8


def _ends_sentence(text: str) -> bool:
    t = text.rstrip(" \"'”’)»]")
    return bool(t) and t[-1] in _TERMINAL


def _ends_clause(text: str) -> bool:
    t = text.rstrip(" \"'”’»")
    if not t:
        return False
    if t[-1] in ":;":
        # "Hao (2018:" is a citation cut by the line end, not the end of a clause
        last = t.split()[-1]
        return last.count("(") <= last.count(")")
    return t[-1] in _TERMINAL


def _starts_upper(text: str) -> bool:
    t = text.lstrip(" \"'“‘([")
    return bool(t) and (t[0].isupper() or t[0].isdigit())


def _caption_match(line: str) -> bool:
    m = _CAPTION_RE.match(line.strip())
    if not m:
        return False
    rest = m.group(3)
    if len(line.split()) > 18:
        return False
    return not rest or rest[0].isupper() or rest[0] in "(\"“'" or rest[0].isdigit()


def _is_meta_line(line: str) -> bool:
    s = line.strip()
    return bool(_META_AUTHOR_RE.match(s) or _META_LABEL_URL_RE.match(s) or _URL_ONLY_RE.match(s))


# --------------------------------------------------------------------------
# dehyphenation
# --------------------------------------------------------------------------

_HYPHEN_TAIL_DEBRIS_RE = re.compile(r"(?<=\w)-(?:\s*[.,:;'‘’“”\"°•·_~|—–-])+\s*$")
_LEAD_JUNK_RE = re.compile(r"^(?:[.,:;'‘’“”\"°•·_~|—–]+\s*)+")
_WORD_TOKEN_RE = re.compile(r"[\w]+(?:-[\w]+)*", re.U)


def _doc_token_counts(lines: list[str]) -> Counter:
    counts: Counter = Counter()
    for line in lines:
        for tok in _WORD_TOKEN_RE.findall(line):
            counts[tok.lower()] += 1
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
        return hyphened if _zipf_any(right) >= 1.5 else joined
    word = (last + right).lower()
    if not word.isalpha():
        return joined
    if _zipf(word, "id") >= 1.0 or _root_known(word):
        return joined
    z_en = _zipf(word, "en")
    zl, zr = _zipf_any(last), _zipf_any(right)
    if z_en >= 3.0 or (z_en >= 1.0 and min(zl, zr) < 3.0):
        return joined
    # two real words and no joined word: an English-style compound (high-speed, good-neighbourliness)
    if len(last) >= 3 and len(right) >= 2 and zl >= 1.5 and zr >= 1.5:
        return hyphened
    return joined


def dehyphenate(lines: list[str], doc_counts: Counter | None = None, log: _RepairLog | None = None) -> str:
    """Join the lines of one paragraph, resolving line-end hyphens.

    Parameters
    ----------
    lines : list of str
        Consecutive lines of one paragraph.
    doc_counts : Counter, optional
        Document token counts (see :func:`resolve_line_end_hyphen`).
    log : optional
        Internal repair log.

    Returns
    -------
    str
        The paragraph as one line.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        # OCR specks after a line-end hyphen ("mengem- .", "poten-.") and before its continuation
        out = _HYPHEN_TAIL_DEBRIS_RE.sub("-", out)
        if re.search(r"\w-$", out):
            line = _LEAD_JUNK_RE.sub("", line) or line
        m = re.search(r"([\w]+(?:-[\w]+)*)-$", out)
        r = re.match(r"[\w]+", line)
        if m and r and not out.endswith("--"):
            left, right = m.group(1), r.group(0)
            reading = resolve_line_end_hyphen(left, right, doc_counts)
            if log is not None:
                log.add("dehyphenate", f"{left}-|{right} -> {reading}")
            out = out[: m.start()] + reading + line[r.end():]
        elif out.endswith("/") and re.match(r"\w", line):
            out = out + line
            if log is not None:
                log.add("join_lines", "", 1)
        else:
            out = out + " " + line
            if log is not None:
                log.add("join_lines", "", 1)
    return out


# --------------------------------------------------------------------------
# misread letters and sentence spacing (applied to prose text)
# --------------------------------------------------------------------------

_SENTENCE_GLUE_RE = re.compile(r"(?<![\w.@/:])([^\W\d_][a-z]+)([.?!])([A-Z][a-z]{2,})\b")
_CONFUSIONS = (
    ("I", "l"), ("l", "i"), ("1", "l"), ("0", "o"), ("rn", "m"), ("@", "a"), ("c", "e"), ("ii", "n"),
    ("ri", "n"), ("q", "g"), ("w", "u"), ("l", "t"), ("b", "h"), ("t", "l"),
)


@functools.lru_cache(maxsize=32768)
def _correct_word(word: str) -> str | None:
    """Return a correction for an unknown word with a typical OCR misreading, else None."""
    if len(word) < 4 or len(word) > 30:
        return None
    core = word
    if not re.fullmatch(r"[A-Za-z@01]+", core):
        return None
    lower = core.lower()
    if lower.isalpha() and (_zipf_any(lower) > 0 or _root_known(lower) or lower in _sastrawi_roots()):
        return None
    # words with several capitals are acronyms or names: leave them
    if sum(1 for c in core[1:] if c.isupper()) >= 2:
        return None
    cands: list[str] = []
    # doubled letter: Kkapasitas, denngan, variouss, meningkatkkan
    for i in range(1, len(core)):
        if core[i].lower() == core[i - 1].lower() and core[i].isalpha():
            cand = core[: i - 1] + core[i:] if i == 1 and core[0].isupper() and core[1].islower() else core[:i] + core[i + 1:]
            cands.append(cand)
    # a capital glued to a very frequent lowercase word (Dbisa); rarer rests are likely names (Hurung)
    glued = core[1:] if core[0].isupper() and core[1:].islower() and len(core) >= 5 else None
    for bad, good in _CONFUSIONS:
        start = 0
        while True:
            i = core.find(bad, start)
            if i < 0:
                break
            cands.append(core[:i] + good + core[i + len(bad):])
            start = i + 1
    best, best_z = None, 0.0
    for cand in dict.fromkeys(cands):
        if not cand.isalpha():
            continue
        z = _zipf_any(cand)
        if z > best_z:
            best, best_z = cand, z
    if best is not None and best_z >= 3.0:
        return best
    if glued is not None and _zipf_any(glued) >= 4.5:
        return glued
    return None


def fix_misread_words(text: str, log: _RepairLog | None = None) -> str:
    """Repair typical OCR misreadings in prose, conservatively.

    Only a word unknown to both lexicons (wordfreq id/en, Sastrawi roots and
    stems) is changed, and only into a frequent word reachable by one
    typical OCR confusion (doubled letter, ``@``/``a``, ``I``/``l``/``i``,
    ``rn``/``m``, ...).  Also splits sentences glued at a full stop
    (``diplomacy.Ultimately``).
    """

    def _glue(m: re.Match) -> str:
        left, stop, right = m.groups()
        # file names and domains (Alibaba.com) have lowercase after the dot, so are untouched
        if log is not None:
            log.add("sentence_spacing", m.group(0))
        return f"{left}{stop} {right}"

    text = _SENTENCE_GLUE_RE.sub(_glue, text)

    def _fix(m: re.Match) -> str:
        word = m.group(0)
        fixed = _correct_word(word)
        if fixed is None or fixed == word:
            return word
        if log is not None:
            log.add("misread_letters", f"{word} -> {fixed}")
        return fixed

    return re.sub(r"(?<![\w@.])[A-Za-z@01]*[A-Za-z][A-Za-z@01]*(?![\w@]|\.\w)", _fix, text)


# --------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------


class _Unit:
    """A provisional block: kind plus its physical lines."""

    __slots__ = ("kind", "lines", "gap_before", "hint")

    def __init__(self, kind: str, lines: list[str], gap_before: int = 0, hint: str | None = None) -> None:
        self.kind = kind
        self.lines = lines
        self.gap_before = gap_before
        self.hint = hint

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def _heading_run(lines: list[str], i: int, prev_is_break: bool) -> int:
    """Number of lines from ``i`` forming a heading (0 when line ``i`` is not a heading)."""
    line = lines[i]
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if is_section_heading(line) and len(line.split()) <= 6:
        return 1
    if not prev_is_break or not is_heading_shape(line):
        return 0
    if nxt is None or _starts_upper(nxt) and (is_heading_shape(nxt) or not _looks_continuation(line, nxt)):
        # the heading may continue on the next heading-shaped line of the same case style
        if nxt is not None and is_heading_shape(nxt) and not is_section_heading(nxt) and (line.isupper() == nxt.isupper()):
            after = lines[i + 2] if i + 2 < len(lines) else None
            if after is None or _starts_upper(after):
                return 2
        return 1
    # heading continued on a line that starts with a lowercase function word ("melalui Perubahan ACFTA")
    if nxt is not None and not _starts_upper(nxt) and len(nxt.split()) <= 8 and not _ends_clause(nxt) and _title_case_ratio(nxt, skip_first=True) >= 0.75:
        after = lines[i + 2] if i + 2 < len(lines) else None
        if after is None or _starts_upper(after):
            return 2
    return 0


def _looks_continuation(prev: str, nxt: str) -> bool:
    """A title-case line followed by a line continuing its sentence is not a heading."""
    return not _starts_upper(nxt)


def split_blocks(marked: list[tuple[str, str | None]]) -> list[_Unit]:
    """Split cleaned lines into provisional units (headings, keywords, meta, captions, prose).

    Blank lines separate groups; inside a group, headings, keyword lines,
    meta lines, captions and source lines are split off by their shape.
    """
    units: list[_Unit] = []
    groups: list[tuple[int, list[tuple[str, str | None]]]] = []
    gap, cur = 0, []
    for text, hint in marked:
        if hint == "separator":
            if cur:
                groups.append((gap, cur))
                cur, gap = [], 0
            groups.append((gap, [(text, hint)]))
            gap = 0
            continue
        if not text.strip():
            if cur:
                groups.append((gap, cur))
                cur, gap = [], 0
            gap += 1
            continue
        cur.append((text.strip(), hint))
    if cur:
        groups.append((gap, cur))

    for gap, group in groups:
        texts = [t for t, _ in group]
        i = 0
        para: list[str] = []
        first_unit_in_group = True

        def flush_para() -> None:
            nonlocal para, first_unit_in_group
            if para:
                units.append(_Unit("paragraph", para, gap if first_unit_in_group else 0))
                first_unit_in_group = False
                para = []

        def emit(kind: str, lines: list[str], hint: str | None = None) -> None:
            nonlocal first_unit_in_group
            flush_para()
            units.append(_Unit(kind, lines, gap if first_unit_in_group else 0, hint))
            first_unit_in_group = False

        while i < len(texts):
            text, hint = group[i]
            prev_break = not para or _ends_clause(para[-1])
            if hint == "separator":
                emit("separator", [text])
                i += 1
                continue
            if hint in ("md1", "md"):
                emit("title" if hint == "md1" else "heading", [text], hint)
                i += 1
                continue
            if _KEYWORDS_RE.match(text):
                kw = [text]
                i += 1
                while i < len(texts) and len(kw) < 4:
                    nxt = texts[i]
                    if is_section_heading(nxt) or _KEYWORDS_RE.match(nxt) or _is_meta_line(nxt) or _caption_match(nxt):
                        break
                    if kw[-1].rstrip().endswith((",", ";", "-", ":")) or (len(nxt.split()) <= 8 and not _ends_sentence(kw[-1])):
                        kw.append(nxt)
                        i += 1
                    else:
                        break
                emit("keywords", kw)
                continue
            if _is_meta_line(text):
                emit("meta", [text])
                i += 1
                continue
            if _SOURCE_RE.match(text) and len(text.split()) <= 25 and prev_break:
                emit("table", [text], "source")
                i += 1
                continue
            if _caption_match(text) and prev_break:
                emit("table", texts[i:], "caption")
                i = len(texts)
                continue
            if para and _ENUM_START_RE.match(text) and _ends_clause(para[-1]):
                flush_para()
            run = _heading_run(texts, i, prev_break)
            if run:
                emit("heading", texts[i:i + run])
                i += run
                continue
            para.append(text)
            i += 1
        flush_para()
    return units


def _table_shape(lines: list[str]) -> bool:
    toks = " ".join(lines).split()
    if not toks:
        return False
    numeric = sum(1 for t in toks if _NUMERIC_TOKEN_RE.match(t))
    if numeric == len(toks):
        return True
    n = len(lines)
    share = numeric / len(toks)
    avg = len(toks) / n
    terminal = sum(1 for l in lines if _ends_sentence(l)) / n
    if n >= 3 and share >= 0.3:
        return True
    lower = sum(1 for t in toks if t[:1].islower()) / len(toks)
    # short lines of capitalised labels and numbers; narrow prose columns are mostly lowercase
    if n >= 3 and avg <= 3.0 and terminal < 0.3 and lower < 0.4:
        return True
    return False


def _prose_shape(lines: list[str]) -> bool:
    toks = " ".join(lines).split()
    if not toks:
        return False
    avg = len(toks) / len(lines)
    share = _numeric_share(" ".join(lines))
    lower = sum(1 for t in toks if t[:1].islower()) / len(toks)
    # prose carries lowercase content words, not only lowercase prepositions between labels
    fw = _function_words()
    content_lower = sum(1 for t in toks if t[:1].islower() and t.lower().strip(".,;:()") not in fw) / len(toks)
    return avg >= 4.0 and share < 0.3 and lower >= 0.3 and content_lower >= 0.15


def _split_row_runs(unit: _Unit) -> list[_Unit]:
    """Split runs of >= 3 table-row lines out of a prose unit."""

    def row_like(line: str) -> bool:
        toks = line.split()
        nums = sum(1 for t in toks if _NUMERIC_TOKEN_RE.match(t))
        return 1 <= len(toks) <= 8 and nums >= 2 and nums / len(toks) >= 0.5

    flags = [row_like(l) for l in unit.lines]
    if sum(flags) < 3:
        return [unit]
    out: list[_Unit] = []
    i, n = 0, len(unit.lines)
    buf: list[str] = []
    while i < n:
        if flags[i]:
            j = i
            while j < n and flags[j]:
                j += 1
            if j - i >= 3:
                if buf:
                    out.append(_Unit("paragraph", buf, unit.gap_before if not out else 0))
                    buf = []
                out.append(_Unit("table", unit.lines[i:j], unit.gap_before if not out else 0))
                i = j
                continue
            buf.extend(unit.lines[i:j])
            i = j
            continue
        buf.append(unit.lines[i])
        i += 1
    if buf:
        out.append(_Unit("paragraph", buf, 0 if out else unit.gap_before))
    return out


def detect_table_blocks(units: list[_Unit]) -> list[_Unit]:
    """Mark table and figure debris as ``table`` units.

    A unit is a table when its shape says so (share of numeric tokens, short
    lines without sentence punctuation), or when it follows a table/figure
    caption and is not prose-shaped (a caption opens a table region that ends
    at the first prose paragraph, heading or ``Sumber:`` line).
    """
    out: list[_Unit] = []
    for u in units:
        if u.kind == "paragraph":
            out.extend(_split_row_runs(u))
        else:
            out.append(u)
    in_region = False
    for k, u in enumerate(out):
        if u.kind == "table":
            in_region = u.hint == "caption" or (in_region and u.hint != "source")
            continue
        if u.kind == "heading" and in_region and not is_section_heading(u.lines[0]):
            # column labels inside a table look like headings: they are followed by more table, not prose
            nxt = next((v for v in out[k + 1:] if v.kind != "heading"), None)
            if nxt is not None and (nxt.kind == "table" or (nxt.kind == "paragraph" and not _prose_shape(nxt.lines))):
                u.kind = "table"
                continue
        if u.kind != "paragraph":
            in_region = False
            continue
        if _table_shape(u.lines):
            u.kind = "table"
            continue
        if in_region and not _prose_shape(u.lines):
            u.kind = "table"
            continue
        in_region = False
    return out


def join_broken_lines(units: list[_Unit]) -> list[_Unit]:
    """Bridge blank-line gaps inside paragraphs.

    A paragraph is merged with the next paragraph when it does not end a
    sentence (no final ``.``, ``!``, ``?``, ``:`` or ``;``) and the next one
    does not open a numbered list item; a next unit shaped like a heading is
    only taken in when the previous line clearly continues (ends with a
    comma, a hyphen or a function word).  Table debris lying between the two
    halves of a sentence is skipped over when the continuation starts in
    lowercase.
    """
    out: list[_Unit] = []
    for u in units:
        if u.kind in ("paragraph", "heading") and out:
            # find the last paragraph, allowing table debris in between
            j = len(out) - 1
            skipped_table = False
            while j >= 0 and out[j].kind == "table" and out[j].hint is None:
                j -= 1
                skipped_table = True
            prev = out[j] if j >= 0 else None
            if prev is not None and prev.kind == "paragraph" and not _ends_clause(prev.lines[-1]):
                first = u.lines[0]
                last = prev.lines[-1]
                last_word = (_alpha_words(last) or [""])[-1].lower()
                strong = last.endswith((",", "-")) or last_word in _function_words()
                ok = False
                if u.kind == "paragraph":
                    ok = not _ENUM_START_RE.match(first)
                    if skipped_table and not (first[:1].islower() or strong):
                        ok = False
                elif u.kind == "heading" and not is_section_heading(first) and strong:
                    ok = True
                if ok:
                    prev.lines.extend(u.lines)
                    continue
        out.append(u)
    return out


def _assign_title(units: list[_Unit]) -> None:
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
    if len(words) > 40 or len(u.lines) > 4 or _ends_sentence(u.text) or re.search(r"[.!?]\s+[A-Z]", u.text):
        return
    nxt = units[k0 + 1] if k0 + 1 < len(units) else None
    if not (
        _title_case_ratio(u.text) >= 0.6
        or " = " in u.text
        or (nxt is not None and nxt.kind in ("meta", "heading", "keywords"))
    ):
        return
    # a title broken over several units (heading + short line) before the first section heading
    while nxt is not None and nxt.kind in ("heading", "paragraph") and not is_section_heading(nxt.lines[0]):
        total = len(words) + len(nxt.text.split())
        if total > 40 or len(u.lines) + len(nxt.lines) > 4 or _ends_sentence(nxt.text) or len(nxt.lines) > 2:
            break
        after = units[k0 + 2] if k0 + 2 < len(units) else None
        if after is None or not (after.kind in ("meta", "keywords") or (after.kind == "heading" and is_section_heading(after.lines[0]))):
            break
        u.lines.extend(nxt.lines)
        words = u.text.split()
        del units[k0 + 1]
        nxt = units[k0 + 1] if k0 + 1 < len(units) else None
    u.kind = "title"


def clean_text(raw: str) -> tuple[list[dict], list[dict]]:
    """Clean one OCR'd or exported document into typed blocks.

    Parameters
    ----------
    raw : str
        The document text as read from the file.

    Returns
    -------
    tuple of (list of dict, list of dict)
        ``(blocks, log)``.  Blocks follow the BLOCK format
        (``{"id", "kind", "text"}``); the log has one entry
        ``{"rule", "count", "examples"}`` per repair rule that fired, in the
        fixed order :data:`RULE_ORDER`.
    """
    try:
        return _clean_text(raw)
    except Exception:  # never raise on arbitrary input: degrade to one paragraph
        text = " ".join(str(raw).split()) if raw else ""
        return ([{"id": 0, "kind": "paragraph", "text": text}] if text else []), []


def _clean_text(raw: str) -> tuple[list[dict], list[dict]]:
    log = _RepairLog()
    if not isinstance(raw, str) or not raw.strip():
        return [], []
    text, n_uni = normalize_unicode(raw)
    if n_uni:
        log.add("unicode", "", n_uni)
    lines = text.split("\n")

    marked, markup_examples = strip_markup(lines)
    for ex in markup_examples:
        log.add("strip_markup", ex)
    for t, h in marked:
        if h == "separator":
            log.add("strip_markup", t)

    # whitespace: collapse runs of spaces, strip line ends
    spaced = []
    for t, h in marked:
        n = _normalize_spaces(t)
        if n != t.strip() and t.strip():
            log.add("whitespace", t.strip()[:60])
        spaced.append((n, h))
    marked = spaced

    plain, removed = remove_page_furniture([t if h != "separator" else "<sep>" for t, h in marked])
    for r in removed:
        log.add("page_furniture", r)
    marked = [(p if h != "separator" else t, h) for p, (t, h) in zip(plain, marked)]

    cleaned = []
    for t, h in marked:
        if h == "separator" or not t:
            cleaned.append((t, h))
            continue
        n, rem = remove_stray_chars(t)
        for r in rem:
            log.add("stray_chars", r)
        cleaned.append((_normalize_spaces(n), h))
    marked = cleaned

    doc_counts = _doc_token_counts([t for t, h in marked if h != "separator"])

    units = split_blocks(marked)
    units = detect_table_blocks(units)
    units = join_broken_lines(units)
    _assign_title(units)

    blocks: list[dict] = []
    for u in units:
        if u.kind == "table":
            body = dehyphenate(u.lines, doc_counts, None)
            log.add("table", body[:60])
        elif u.kind in ("paragraph", "keywords", "heading", "title"):
            body = dehyphenate(u.lines, doc_counts, log)
            if u.kind == "paragraph":
                body = re.sub(r"(?<=[a-z]{3}) = (?=[a-z]{3})", " ", body)
                body = fix_misread_words(body, log)
        else:
            body = " ".join(u.lines)
        body = _normalize_spaces(body)
        if not body:
            continue
        blocks.append({"id": len(blocks), "kind": u.kind, "text": body})
    # join_lines counts every physical line joined; "dehyphenate" counts hyphen decisions
    return blocks, log.as_list()
