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
import itertools
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

from .stopwords import frequency_table

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
    "join_broken_lines",
    "split_blocks",
    "detect_table_blocks",
    "is_heading_shape",
    "is_section_heading",
    "is_title_shape",
    "fix_misread_words",
    "shows_ocr_damage",
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
    "bridge",
    "misread_letters",
    "split_words",
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

        from .stemming import speed_up_sastrawi

        stemmer = StemmerFactory().create_stemmer()
        speed_up_sastrawi()
        return stemmer
    except Exception:
        return None


@functools.lru_cache(maxsize=4)
def _frequency_dict(lang: str) -> dict[str, float]:
    """wordfreq's word list of ``lang`` as ``{word: zipf}``, empty when wordfreq is missing."""
    try:
        table = frequency_table(lang)
        if table is None:  # not readable directly: wordfreq's own dictionary
            from wordfreq import get_frequency_dict

            table = {w: round(math.log10(f) + 9, 2) for w, f in get_frequency_dict(lang).items() if f}
        return table
    except Exception:
        return {}


def _dict_zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` read straight from wordfreq's list (0.0 when absent or not letters).

    For a plain lowercase ASCII word this equals ``wordfreq.zipf_frequency``
    (wordfreq stores frequencies in whole centibels, so rounding to two
    decimals gives the same value) without its tokenizer, which is what
    makes the per-candidate look-ups of :func:`correct_word` affordable.
    """
    z = _frequency_dict(lang).get(word)
    if not z or not word.isalpha():
        return 0.0
    return z


@functools.lru_cache(maxsize=65536)
def _zipf_wordfreq(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, lang))
    except Exception:
        return 0.0


@functools.lru_cache(maxsize=1 << 17)
def _zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (a plain list look-up for lowercase ASCII words)."""
    if word.isascii() and word.isalpha() and word.islower() and lang in ("id", "en"):
        return _dict_zipf(word, lang)
    return _zipf_wordfreq(word, lang)


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
    """Collects the repairs of one document: a per-rule summary and every single change.

    ``counts``/``examples`` feed the summary (``log`` of the artifact);
    ``changes`` holds one record per change, ``{"rule", "before", "after",
    "line", "block"}`` (``line`` is 1-based in the source text, ``block`` the
    id of the block the change ended up in, filled in at the end).
    """

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.examples: dict[str, list[str]] = {}
        self.changes: list[dict] = []

    def add(self, rule: str, example: str = "", n: int = 1) -> None:
        if n <= 0:
            return
        self.counts[rule] += n
        ex = self.examples.setdefault(rule, [])
        example = example.strip()
        if example and len(ex) < _MAX_EXAMPLES and example not in ex:
            ex.append(example[:120])

    def change(self, rule: str, before: str, after: str, line: int | None, block: int | None = None,
               example: str | None = None) -> None:
        """Record one change (and count it in the summary)."""
        if before == after:
            return
        self.add(rule, example if example is not None else (f"{before} -> {after}" if after else before))
        self.changes.append({"rule": rule, "before": before, "after": after,
                             "line": None if line is None else int(line), "block": block})

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


# --------------------------------------------------------------------------
# page furniture
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# stray characters and whitespace
# --------------------------------------------------------------------------

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


def dehyphenate(lines: list[str], doc_counts: Counter | None = None, log: _RepairLog | None = None,
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
            if sm and re.match(r"[a-z]{2,}", line) and _zipf_any(sm.group(1)) >= 3.0 and not re.match(r"(?:dan|and|or|atau)\b", line):
                if log is not None:
                    log.change("stray_chars", sm.group(2), "", prev_num, example=f"{sm.group(0)} {line.split()[0]}")
                cur = cur[:-1]
            done.append(cur + " ")
            cur = line
            if log is not None:
                log.add("join_lines", "", 1)
        prev_num = num
    return "".join(done) + cur


# --------------------------------------------------------------------------
# misread letters and run-together words (applied to prose text)
# --------------------------------------------------------------------------

_SENTENCE_GLUE_RE = re.compile(r"(?<![\w.@/:])([^\W\d_][a-z]+)([.?!])([A-Z][a-z]{2,})\b")
_CONFUSIONS = (
    ("I", "l"), ("l", "i"), ("1", "l"), ("0", "o"), ("rn", "m"), ("@", "a"), ("c", "e"), ("ii", "n"),
    ("ri", "n"), ("q", "g"), ("w", "u"), ("l", "t"), ("b", "h"), ("t", "l"),
)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_THIN_LETTERS = "ilrtf"
#: Indonesian enclitics and particles: written joined to their word, never split off.
_CLITICS = frozenset({"nya", "lah", "kah", "tah", "pun", "ku", "mu"})
#: Zipf frequency a correction must reach in the block's language (about once per 10^6 words).
MIN_CORRECTION_ZIPF = 3.0
#: A correction must beat the next candidate by this margin (Zipf), else the word is ambiguous and kept.
CORRECTION_MARGIN = 1.0
#: Zipf frequency both halves of a run-together word must reach (English closed compounds need more).
MIN_SPLIT_ZIPF = {"id": 3.0, "en": 4.0}
_WORD_RE = re.compile(r"(?<![\w@.])[A-Za-z@][A-Za-z@01]*(?![\w@]|\.\w)")


def _lex_zipf(word: str, lang: str) -> float:
    """Zipf frequency of lowercase ``word`` in ``lang`` ("id", "en"; anything else: the higher)."""
    if lang in ("id", "en"):
        return _zipf(word, lang)
    return max(_zipf(word, "id"), _zipf(word, "en"))


def _is_unknown(lower: str) -> bool:
    """True when no lexicon knows the lowercase word (wordfreq id/en, Sastrawi roots or stems)."""
    if not lower.isalpha():
        return True
    return not (_zipf_any(lower) > 0 or lower in _sastrawi_roots() or _root_known(lower))


def block_language(text: str) -> str:
    """Rough language of a block: ``"id"``, ``"en"`` or ``"unknown"``, by word-frequency votes.

    Every word votes for the language in which it is clearly more frequent
    (Zipf difference of at least 1); a language needs 60 % of the votes.
    """
    if len(text) > _MAX_CACHED_BLOCK:
        return _block_language.__wrapped__(text)
    return _block_language(text)


# Longer blocks are not kept in the cache (a huge block would stay in memory).
_MAX_CACHED_BLOCK = 20_000


_LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")


@functools.lru_cache(maxsize=256)
def _block_language(text: str) -> str:
    # cached per text: ingest asks for the language of each block twice (OCR evidence, repairs)
    n_id = n_en = 0
    if len(text) <= _MAX_CACHED_BLOCK:
        words = _LATIN_WORD_RE.findall(text)[:400]
    else:  # only the first 400 words count: do not scan the rest
        words = [m.group(0) for m in itertools.islice(_LATIN_WORD_RE.finditer(text), 400)]
    for w in words:
        vote = _language_vote(w.lower())
        if vote > 0:
            n_id += 1
        elif vote < 0:
            n_en += 1
    total = n_id + n_en
    if total < 3:
        return "unknown"
    if n_id >= 0.6 * total:
        return "id"
    if n_en >= 0.6 * total:
        return "en"
    return "unknown"


@functools.lru_cache(maxsize=1 << 16)
def _language_vote(word: str) -> int:
    """+1 when lowercase ``word`` is clearly (Zipf difference >= 1) more Indonesian, -1 more English, else 0."""
    zi, ze = _zipf(word, "id"), _zipf(word, "en")
    if zi - ze >= 1.0:
        return 1
    if ze - zi >= 1.0:
        return -1
    return 0


@functools.lru_cache(maxsize=4096)
def _edits1(word: str) -> frozenset[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return frozenset(deletes + transposes + replaces + inserts)


def _restore_case(model: str, cand: str) -> str:
    if model.isupper() and len(model) > 1:
        return cand.upper()
    if model[:1].isupper():
        return cand[:1].upper() + cand[1:]
    return cand


def _candidate_score(cand: str, lang: str, doc_counts: Counter | None) -> tuple[int, float]:
    doc = doc_counts.get(cand, 0) if doc_counts is not None else 0
    return (1 if doc >= 2 else 0, _lex_zipf(cand, lang))


#: Classes of misread whose pattern a human typist does not produce (see :func:`correct_word`).
STRONG_CLASSES = frozenset({"glyph", "confusion"})
#: Typo-shaped repairs: a lost, doubled or extra letter, or another single edit backed by the
#: document.  Authors make exactly these typos, so they are only repaired in a document that
#: shows OCR damage, and only in words no lexicon knows even rarely.
WEAK_CLASSES = frozenset({"double", "lost", "extra", "edit"})
#: A word known to any lexicon at this Zipf frequency (hegemon 2.2, lates 2.2, corer 1.6) is a
#: rare word, not a typo-shaped misread; below it (about 3 in 10^8 words) web word lists hold
#: mostly debris and misspellings (daat, daam).
MAX_WEAK_WORD_ZIPF = 1.5
#: Glyph misreads: characters that are not letters read inside a word.
_GLYPH_CONFUSIONS = frozenset({("1", "l"), ("0", "o"), ("@", "a")})


def correct_word(word: str, lang: str = "unknown", doc_counts: Counter | None = None,
                 ocr_damage: bool = True) -> str | None:
    """Correct one OCR-misread word, or return None when it should stay.

    A word is only changed when (1) no lexicon knows it (wordfreq id/en,
    Sastrawi roots and stems), (2) the document does not use it twice (names
    and terms used consistently stay), (3) it is not an acronym or name with
    inner capitals, and (4) exactly one candidate is either used at least
    twice in the same document or is frequent (Zipf >=
    :data:`MIN_CORRECTION_ZIPF`) *in the block's language*, beating every
    other candidate by :data:`CORRECTION_MARGIN` and every other single
    substitution or transposition (``ridak`` is as likely *tidak* as *ndak*:
    kept).  Restricting candidates to the block's language keeps Indonesian
    words such as *institusional* from becoming English ones.

    Candidates come in two strengths.  Glyph misreads (``@``/``0``/``1``
    inside a word, a capital ``I`` between lowercase letters, a doubled
    initial capital ``Kkapasitas``, a stray lowercase letter before an
    acronym ``uUSD``) and visual confusions (``rn``/``m``, ``c``/``e``,
    ``l``/``i``/``t``, ``q``/``g``, ``ri``/``n``...) are OCR's and are
    repaired in any text.  A lost, doubled or extra letter, or another single
    edit (:data:`WEAK_CLASSES`), is also how authors mistype: it is repaired
    only when ``ocr_damage`` says the document went through OCR and the word
    is unknown even to the rare end of the lexicons
    (:data:`MAX_WEAK_WORD_ZIPF`).

    Parameters
    ----------
    word : str
        One word as written (ASCII letters, possibly ``@``, ``0``, ``1``).
    lang : str
        Language of the surrounding block (``"id"``, ``"en"``, ``"unknown"``).
    doc_counts : Counter, optional
        Lowercased token counts of the whole document.
    ocr_damage : bool
        Whether the document shows OCR damage (page furniture, stray
        symbols, line-end hyphens, glyph misreads); a single word out of
        context is taken as OCR output.

    Returns
    -------
    str or None
    """
    try:
        if doc_counts is not None and doc_counts.get(word.lower(), 0) >= 2 and word.isalpha():
            return None  # the document uses it consistently (checked before the per-document cache)
        return _correct_word_doc(word, lang, doc_counts, ocr_damage)
    except Exception:
        return None


def _cand_zipf(word: str, lang: str) -> float:
    # read on demand: building a {word: zipf} table of the whole English list cost 0.4 s per process
    if lang in ("id", "en"):
        return _dict_zipf(word, lang)
    return max(_dict_zipf(word, "id"), _dict_zipf(word, "en"))


def _known_in(lower: str, lang: str) -> float:
    """How well the lexicons know ``lower`` for a block in ``lang`` (Zipf; 9 for a Sastrawi root or stem).

    Web word lists hold OCR debris at low frequency (``witb``, ``darl``), so
    a word only counts as known in the block's language, or when it is
    common in either language.
    """
    z_lang = _lex_zipf(lower, lang)
    if z_lang >= 2.0:
        return z_lang
    z_any = _zipf_any(lower)
    if z_any >= 3.0:
        return z_any
    if lower in _sastrawi_roots() or _root_known(lower):
        return 9.0
    return 0.0


@functools.lru_cache(maxsize=16384)
def _known_in_cached(lower: str, lang: str) -> float:
    return _known_in(lower, lang)


def _rival_zipf(lower: str, lang: str, cands: frozenset[str]) -> float:
    """Highest Zipf (block language) of a single substitution or transposition of ``lower`` that is no candidate.

    A misread is only repaired when its reading beats every other reading
    one keystroke away (``ridak``: *tidak* beats the confusion reading *ndak*).
    """
    best = 0.0
    n = len(lower)
    for i in range(n):
        head, tail = lower[:i], lower[i + 1:]
        for c in _ALPHABET:
            if c != lower[i]:
                cand = head + c + tail
                if cand not in cands:
                    best = max(best, _cand_zipf(cand, lang))
        if i + 1 < n and lower[i] != lower[i + 1]:
            cand = head + lower[i + 1] + lower[i] + lower[i + 2:]
            if cand not in cands:
                best = max(best, _cand_zipf(cand, lang))
    return best


@functools.lru_cache(maxsize=16384)
def _lexicon_reading(word: str, lang: str) -> tuple:
    """The document-independent part of :func:`correct_word` (cached across documents).

    Returns ``("keep",)``, ``("fix", word)`` (a glyph misread whose repair is
    a known word), ``("acronym", word)`` or
    ``("cands", word, lower, cands, scored, extra, rival, z_word)`` where
    ``cands`` maps every candidate to its class, ``scored`` lists
    ``(zipf, cand, class)`` of frequent candidates, ``extra`` the
    ``(zipf, cand)`` readings with one letter less, ``rival`` the
    :func:`_rival_zipf` of the word and ``z_word`` its own highest Zipf.
    """
    if len(word) < 3 or len(word) > 30 or not _READING_WORD_RE.fullmatch(word):
        return ("keep",)
    original = word
    # a capital I between lowercase letters is a misread l (jaIan, hasiI); a doubled initial
    # capital (Kkapasitas, WWakil) is a speck: the second glyph has the true case
    word = _glyph_normalized(word)
    lower = word.lower()
    if word != original and word.isalpha() and _known_in_cached(lower, lang) > 0:
        return ("fix", word)
    if any(c.isupper() for c in word[1:]):
        return ("acronym", word)
    if lower.isalpha() and _known_in_cached(lower, lang) > 0:
        return ("keep",)
    capitalised = word[0].isupper()
    cands: dict[str, str] = {}
    strength = {"glyph": 0, "confusion": 1, "double": 2, "lost": 3}

    def add(cand: str, cls: str) -> None:
        if cand not in cands or strength[cls] < strength[cands[cand]]:
            cands[cand] = cls

    # doubled letter: denngan, pelatthan
    for i in range(1, len(word)):
        if word[i].lower() == word[i - 1].lower() and word[i].isalpha():
            add((word[:i] + word[i + 1:]).lower(), "double")
    # visually similar glyphs
    for bad, good in _CONFUSIONS:
        cls = "glyph" if (bad, good) in _GLYPH_CONFUSIONS or bad == "I" else "confusion"
        start = 0
        while True:
            i = word.find(bad, start)
            if i < 0:
                break
            add((word[:i] + good + word[i + len(bad):]).lower(), cls)
            start = i + 1
    # a lost letter (daat, metde, jaung): any letter; names (capitalised) only get narrow glyphs back
    thin: set[str] = set()
    if lower.isalpha():
        for i in range(1, len(lower) + 1):
            for c in _ALPHABET:
                cand = lower[:i] + c + lower[i:]
                if c in _THIN_LETTERS:
                    thin.add(cand)
                if c in _THIN_LETTERS or not capitalised:
                    add(cand, "lost")
    scored = []
    for cand in sorted(cands):
        if not cand.isalpha() or cand == lower or len(cand) < 2:
            continue
        z = _cand_zipf(cand, lang)
        # a capitalised word may be a name: only a common word (or a lost narrow glyph) replaces it
        if z >= MIN_CORRECTION_ZIPF + (1.0 if capitalised and cand not in thin else 0.0):
            scored.append((z, cand, cands[cand]))
    # an extra letter (wuangnya): kept as a candidate only when the document backs it (see below)
    extra = tuple(sorted(
        (z, cand) for cand in {lower[:i] + lower[i + 1:] for i in range(len(lower))} - set(cands)
        if len(cand) >= 4 and (z := _cand_zipf(cand, lang)) >= MIN_CORRECTION_ZIPF
    )) if lower.isalpha() and len(lower) >= 6 else ()
    rival = _rival_zipf(lower, lang, frozenset(cands)) if lower.isalpha() else 0.0
    z_word = _zipf_any(lower) if lower.isalpha() else 0.0
    return ("cands", word, lower, tuple(sorted(cands.items())), tuple(scored), extra, rival, z_word)


_READING_WORD_RE = re.compile(r"[A-Za-z@][A-Za-z@01]*")
_INNER_CAPITAL_I_RE = re.compile(r"(?<=[a-z])I(?=[a-z]|$)")
_LOWER_THEN_CAPITAL_I_RE = re.compile(r"[a-z]I")


def _glyph_normalized(word: str) -> str:
    """``word`` with a capital I between lowercase letters read as l and a doubled initial capital dropped."""
    word = _INNER_CAPITAL_I_RE.sub("l", word) if _LOWER_THEN_CAPITAL_I_RE.search(word) else word
    if len(word) >= 4 and word[0].isupper() and word[1].lower() == word[0].lower() and word[2:].islower():
        word = word[1:]
    return word


def _strong_repair_possible(word: str, lang: str, doc_counts: Counter | None) -> bool:
    """False when :func:`correct_word` with ``ocr_damage=False`` surely returns None.

    Without OCR damage only glyph misreads and visual confusions
    (:data:`STRONG_CLASSES`) are repaired, and such a repair needs a glyph
    fix, an acronym with a stray letter, or a confusion candidate that is
    frequent (Zipf >= :data:`MIN_CORRECTION_ZIPF`) or used twice in the
    document.  Checking that first spares the full candidate search and the
    stemmer (:func:`_lexicon_reading`) for nearly every unknown word of a
    born-digital text; the answer is the same.
    """
    lexical, doc_backed = _strong_candidates(word, lang)
    if lexical:
        return True
    return doc_counts is not None and any(doc_counts.get(cand, 0) >= 2 for cand in doc_backed)


@functools.lru_cache(maxsize=1 << 15)
def _strong_candidates(word: str, lang: str) -> tuple[bool, tuple[str, ...]]:
    """The document-independent part of :func:`_strong_repair_possible`.

    Returns ``(possible, doc_backed)``: ``possible`` is True when a strong
    repair may come from the lexicons alone (a glyph fix, or a frequent
    confusion candidate); otherwise a strong repair needs the document to
    use one of the words ``doc_backed`` at least twice.
    """
    if len(word) < 3 or len(word) > 30 or not _READING_WORD_RE.fullmatch(word):
        return False, ()
    if _glyph_normalized(word) != word:
        return True, ()
    if any(c.isupper() for c in word[1:]):
        # the acronym reading: only a stray lowercase letter before an acronym the document uses
        if word[0].islower() and word[1:].isupper() and word[1:].isalpha() and len(word) >= 4:
            return False, (word[1:].lower(),)
        return False, ()
    lower = word.lower()
    doc_backed = []
    for bad, good in _CONFUSIONS:
        start = 0
        while True:
            i = word.find(bad, start)
            if i < 0:
                break
            cand = (word[:i] + good + word[i + len(bad):]).lower()
            if cand != lower and len(cand) >= 2 and cand.isalpha() and _cand_zipf(cand, lang) >= MIN_CORRECTION_ZIPF:
                return True, ()
            doc_backed.append(cand)
            start = i + 1
    return False, tuple(doc_backed)


def _correct_word_doc(word: str, lang: str, doc_counts: Counter | None, ocr_damage: bool = True) -> str | None:
    if not ocr_damage and not _strong_repair_possible(word, lang, doc_counts):
        return None
    reading = _lexicon_reading(word, lang)
    if reading[0] == "keep":
        return None
    if reading[0] == "fix":
        return reading[1]
    if reading[0] == "acronym":
        w = reading[1]
        # an acronym with a stray lowercase letter in front (uUSD) whose bare form the document uses
        if (
            doc_counts is not None and w[0].islower() and w[1:].isupper() and w[1:].isalpha()
            and len(w) >= 4 and doc_counts.get(w[1:].lower(), 0) >= 2
        ):
            return w[1:]
        return None
    _, word, lower, cand_items, lex_scored, extra, rival, z_word = reading
    if doc_counts is not None and doc_counts.get(lower, 0) >= 2:
        return None
    cands = dict(cand_items)
    scored = []
    for z, cand, cls in lex_scored:
        doc_ev = 1 if doc_counts is not None and doc_counts.get(cand, 0) >= 2 else 0
        scored.append((doc_ev, z, cand, cls))
    if doc_counts is not None:
        for z, cand in extra:
            # an extra letter needs the document to use the word or its root, or a common word (uangnya)
            root = _sastrawi_stemmer().stem(cand) if _sastrawi_stemmer() is not None else cand
            if doc_counts.get(cand, 0) >= 1 or (len(root) >= 3 and doc_counts.get(root, 0) >= 1) or z >= 4.0:
                scored.append((0, z, cand, "extra"))
        for cand, cls in cands.items():
            if doc_counts.get(cand, 0) >= 2 and not any(c == cand for _, _, c, _ in scored):
                scored.append((1, _cand_zipf(cand, lang), cand, cls))
        # any other single edit needs evidence from the document itself (pelatthan when pelatihan is used)
        if len(lower) >= 5 and lower.isalpha():
            for cand in _edits1(lower) - set(cands):
                if len(cand) >= 4 and doc_counts.get(cand, 0) >= 2:
                    scored.append((1, _cand_zipf(cand, lang), cand, "edit"))
    if not scored:
        return None
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    best = scored[0]
    if len(scored) > 1:
        second = scored[1]
        if second[0] == best[0] and second[1] > best[1] - CORRECTION_MARGIN:
            return None  # ambiguous: two plausible readings
    doc_ev, z, cand, cls = best
    if cls in WEAK_CLASSES and (not ocr_damage or z_word >= MAX_WEAK_WORD_ZIPF):
        return None  # typo-shaped: an author's typo or a rare word as likely as a misread
    if not doc_ev and rival >= z:
        return None  # another reading one keystroke away is at least as common (ridak: tidak, not ndak)
    return _restore_case(word, cand)


def split_run_together(word: str, lang: str = "unknown", doc_counts: Counter | None = None) -> tuple[str, str] | None:
    """Split a word glued from two (``kesejahteraanmasyarakat``, ``bahwauntuk``), or return None.

    Only a word no lexicon knows and the document does not repeat is split,
    and only into two parts that are both frequent in the block's language
    (Zipf >= :data:`MIN_SPLIT_ZIPF`) or used at least twice in the document;
    the split with the most frequent rarer half wins.
    """
    try:
        return _split_doc(word, lang, doc_counts)
    except Exception:
        return None


def _split_doc(word: str, lang: str, doc_counts: Counter | None) -> tuple[str, str] | None:
    if len(word) < 7 or len(word) > 40 or not word.isalpha() or not word.isascii():
        return None
    if not word.islower():
        return None  # capitalised: a name (Xiaoping, Agarwal) more often than two glued words
    lower = word.lower()
    if doc_counts is not None and doc_counts.get(lower, 0) >= 2:
        return None
    if _known_in_cached(lower, lang) > 0:
        return None
    floor = MIN_SPLIT_ZIPF.get(lang, max(MIN_SPLIT_ZIPF.values()))
    best, best_score = None, 0.0
    for i in range(3, len(lower) - 2):
        left, right = lower[:i], lower[i:]
        if right in _CLITICS:
            continue  # ditandatanganinya: a clitic, not a word
        scores = []
        for part in (left, right):
            z = _cand_zipf(part, lang)
            if lang in ("id", "en") and _cand_zipf(part, "en" if lang == "id" else "id") > z + 1.0:
                break  # a word of the other language (pelat|than): never split into it
            if z < floor and not (doc_counts is not None and len(part) >= 4 and doc_counts.get(part, 0) >= 2):
                break
            scores.append(z)
        else:
            score = min(scores)
            if score > best_score:
                best, best_score = i, score
    if best is None:
        return None
    return word[:best], word[best:]


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
        for word, n in Counter(_WORD_RE.findall(text)).items():
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
    return word.isalpha() and (word.islower() or word[1:].islower()) and _lex_zipf(word.lower(), lang) >= 2.0


def _sentence_start(text: str, pos: int) -> bool:
    """True when position ``pos`` of ``text`` starts a sentence (text start or after ``.!?:``)."""
    before = text[:pos].rstrip(" \"'“‘([")
    return not before or before[-1] in ".!?:"


def fix_misread_words(
    text: str,
    log: _RepairLog | None = None,
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

    if any(_may_change(word) for word in set(_WORD_RE.findall(text))):
        text = _WORD_RE.sub(_fix, text)
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


# --------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------


class _Unit:
    """A provisional block: kind plus its physical lines."""

    __slots__ = ("kind", "lines", "gap_before", "hint", "src")

    def __init__(self, kind: str, lines: list[str], gap_before: int = 0, hint: str | None = None,
                 src: list[int] | None = None) -> None:
        self.kind = kind
        self.lines = lines
        self.gap_before = gap_before
        self.hint = hint
        # source line number (1-based) of every line, for the change log
        self.src = list(src) if src is not None else [0] * len(lines)

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


def split_blocks(marked: list[tuple[str, str | None]], line_numbers: list[int] | None = None) -> list[_Unit]:
    """Split cleaned lines into provisional units (headings, keywords, meta, captions, prose).

    Blank lines separate groups; inside a group, headings, keyword lines,
    meta lines, captions and source lines are split off by their shape.
    ``line_numbers`` (parallel to ``marked``) are the source line numbers
    the units remember for the change log.
    """
    if line_numbers is None or len(line_numbers) != len(marked):
        line_numbers = list(range(1, len(marked) + 1))
    units: list[_Unit] = []
    groups: list[tuple[int, list[tuple[str, str | None, int]]]] = []
    gap, cur = 0, []
    for (text, hint), num in zip(marked, line_numbers):
        if hint == "separator":
            if cur:
                groups.append((gap, cur))
                cur, gap = [], 0
            groups.append((gap, [(text, hint, num)]))
            gap = 0
            continue
        if not text.strip():
            if cur:
                groups.append((gap, cur))
                cur, gap = [], 0
            gap += 1
            continue
        cur.append((text.strip(), hint, num))
    if cur:
        groups.append((gap, cur))

    for gap, group in groups:
        texts = [t for t, _, _ in group]
        nums = [n for _, _, n in group]
        i = 0
        para: list[str] = []
        para_src: list[int] = []
        first_unit_in_group = True

        def flush_para() -> None:
            nonlocal para, para_src, first_unit_in_group
            if para:
                units.append(_Unit("paragraph", para, gap if first_unit_in_group else 0, None, para_src))
                first_unit_in_group = False
                para, para_src = [], []

        def emit(kind: str, lines: list[str], hint: str | None = None, start: int = 0) -> None:
            nonlocal first_unit_in_group
            flush_para()
            units.append(_Unit(kind, lines, gap if first_unit_in_group else 0, hint, nums[start:start + len(lines)]))
            first_unit_in_group = False

        while i < len(texts):
            text, hint, _num = group[i]
            prev_break = not para or _ends_clause(para[-1])
            if hint == "separator":
                emit("separator", [text], None, i)
                i += 1
                continue
            if hint in ("md1", "md"):
                emit("title" if hint == "md1" else "heading", [text], hint, i)
                i += 1
                continue
            if _KEYWORDS_RE.match(text):
                kw = [text]
                start = i
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
                emit("keywords", kw, None, start)
                continue
            if _is_meta_line(text):
                emit("meta", [text], None, i)
                i += 1
                continue
            if _SOURCE_RE.match(text) and len(text.split()) <= 25 and prev_break:
                emit("table", [text], "source", i)
                i += 1
                continue
            if _caption_match(text) and prev_break:
                emit("table", texts[i:], "caption", i)
                i = len(texts)
                continue
            if para and _ENUM_START_RE.match(text) and _ends_clause(para[-1]):
                flush_para()
            run = _heading_run(texts, i, prev_break)
            if run:
                emit("heading", texts[i:i + run], None, i)
                i += run
                continue
            para.append(text)
            para_src.append(nums[i])
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
    buf_src: list[int] = []
    while i < n:
        if flags[i]:
            j = i
            while j < n and flags[j]:
                j += 1
            if j - i >= 3:
                if buf:
                    out.append(_Unit("paragraph", buf, unit.gap_before if not out else 0, None, buf_src))
                    buf, buf_src = [], []
                out.append(_Unit("table", unit.lines[i:j], unit.gap_before if not out else 0, None, unit.src[i:j]))
                i = j
                continue
            buf.extend(unit.lines[i:j])
            buf_src.extend(unit.src[i:j])
            i = j
            continue
        buf.append(unit.lines[i])
        buf_src.append(unit.src[i])
        i += 1
    if buf:
        out.append(_Unit("paragraph", buf, 0 if out else unit.gap_before, None, buf_src))
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


def join_broken_lines(units: list[_Unit], log: _RepairLog | None = None) -> list[_Unit]:
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
                    if log is not None:
                        tail, head = " ".join(last.split()[-3:]), " ".join(first.split()[:3])
                        log.change("bridge", f"{tail}\n\n{head}", f"{tail} {head}", u.src[0] if u.src else None)
                    prev.lines.extend(u.lines)
                    prev.src.extend(u.src)
                    continue
        out.append(u)
    return out


#: Longest leading block (words) still read as a title; 99 % of scraped titles have at most 27.
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
    if not 2 <= len(words) <= MAX_TITLE_WORDS or n_lines > 4 or not _alpha_words(s):
        return False
    if not _starts_upper(s) or not s[0].isalnum() and s[0] not in "\"“'‘([":
        return False
    if is_section_heading(s):
        return False
    inner = [m.group(0) for m in _INNER_SENTENCE_END_RE.finditer(s)]
    if s[-1] in ",;-/&=(" or _numeric_share(s) > 0.3:
        return False
    last = words[-1].strip("\"'”’)")
    if last.lower() in _function_words() and not _capitalised(last):
        return False
    letters = [c for c in s if c.isalpha()]
    upper_share = sum(1 for c in letters if c.isupper()) / len(letters)
    title_case = upper_share >= 0.6 or _title_case_ratio(s) >= 0.6
    strict_title_case = upper_share >= 0.6 or _title_case_ratio(s) >= 0.8
    # a final full stop or a question inside: prose sentences are mostly lowercase, typeset titles are not
    if s[-1] == "." and not strict_title_case:
        return False
    if inner and not (strict_title_case and all("." not in m for m in inner)):
        return False
    nxt = following.strip()
    nxt_words = nxt.split()
    # the title is followed by running prose: a capitalised text holding a sentence end
    if not _starts_upper(nxt) or len(nxt_words) < 8 or not re.search(r"[.!?](?:\s|$)", nxt):
        return False
    if title_case:
        return True
    # sentence case: only a line much shorter than the prose after it is a title
    return len(words) <= 25 and len(nxt_words) >= 2 * len(words)


def _mark_leading_title(units: list[_Unit]) -> None:
    """Mark the first block as the title when it is title-shaped and a blank line parts it from prose.

    Run before :func:`join_broken_lines`, which would otherwise bridge the
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
        u.src.extend(nxt.src)
        words = u.text.split()
        del units[k0 + 1]
        nxt = units[k0 + 1] if k0 + 1 < len(units) else None
    u.kind = "title"


# --------------------------------------------------------------------------
# source lines and unicode, with positions
# --------------------------------------------------------------------------

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
def _ftfy_fix():
    try:
        import ftfy

        # curly quotes are correct typography and are kept; NFC composes accents
        config = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, normalization="NFC", explain=False)
        return lambda text: ftfy.fix_text(text, config)
    except Exception:  # ftfy missing: NFC only
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
        repaired = _ftfy_fix()(text)
        fixed = _fix_characters(repaired, keep_newlines=False)
        if not repaired.isprintable() and not fixed.isascii() and _drops_characters(repaired):
            # an invisible character inside a mojibake sequence hides it from ftfy until it
            # is dropped: a second round sees the sequence whole, so the repair is idempotent
            fixed = _fix_characters(_ftfy_fix()(fixed), keep_newlines=False)
        text = fixed
    else:
        text = text.replace("\t", " ")
        text = _CONTROL_RE.sub("", text)
    return text


def _drops_characters(text: str) -> bool:
    """True when :func:`_fix_characters` drops a character of ``text`` (control, format, unassigned)."""
    return any(unicodedata.category(ch)[0] == "C" for ch in text if ch not in "\t\v")


def _char_changes(before: str, after: str) -> list[tuple[str, str]]:
    """Changed spans between two versions of a line, widened to whole words."""
    import difflib

    spans: list[list[int]] = []
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        # widen to word boundaries in both strings (the equal context is identical)
        while i1 > 0 and j1 > 0 and not before[i1 - 1].isspace() and before[i1 - 1] == after[j1 - 1]:
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(before) and j2 < len(after) and not before[i2].isspace() and before[i2] == after[j2]:
            i2, j2 = i2 + 1, j2 + 1
        if spans and i1 <= spans[-1][1]:
            spans[-1][1], spans[-1][3] = max(spans[-1][1], i2), max(spans[-1][3], j2)
        else:
            spans.append([i1, i2, j1, j2])
    return [(before[i1:i2], after[j1:j2]) for i1, i2, j1, j2 in spans]


# --------------------------------------------------------------------------
# the whole document
# --------------------------------------------------------------------------


class CleanResult:
    """What :func:`clean_document` returns.

    Attributes
    ----------
    blocks : list of dict
        BLOCKs ``{"id", "kind", "text"}`` in document order.
    text : str
        The prose: blocks that are not ``table``, ``separator`` or ``meta``,
        joined by blank lines (what ``run_pipeline.py clean FILE`` prints).
    changes : list of dict
        Every change: ``{"rule", "before", "after", "line", "block"}``;
        ``line`` is 1-based in ``raw.splitlines()``, ``block`` the id of the
        block the changed text ended up in (None when it was removed).
    log : list of dict
        Per-rule summary ``{"rule", "count", "examples"}`` in :data:`RULE_ORDER`;
        ``count`` also counts whitespace-only repairs (collapsed spaces,
        line joins inside a paragraph) that are not listed in ``changes``.
    """

    __slots__ = ("blocks", "text", "changes", "log")

    def __init__(self, blocks: list[dict], changes: list[dict], log: list[dict]) -> None:
        self.blocks = blocks
        self.changes = changes
        self.log = log
        self.text = "\n\n".join(b["text"] for b in blocks if b["kind"] not in NON_PROSE_KINDS)

    def as_dict(self) -> dict:
        return {"blocks": self.blocks, "text": self.text, "changes": self.changes, "log": self.log}


#: Block kinds left out of :attr:`CleanResult.text`.
NON_PROSE_KINDS = ("table", "separator", "meta")


def clean_document(raw: str, split_words: bool = False) -> CleanResult:
    """Clean one OCR'd or exported document, logging every change.

    Parameters
    ----------
    raw : str
        The document text as decoded from the file.
    split_words : bool
        Split run-together words (``kesejahteraanmasyarakat``); off keeps
        words as written (scraped gold texts keep them joined).

    Returns
    -------
    CleanResult
        Blocks, prose text, the list of changes and the per-rule summary.
        Never raises: on an internal error the text comes back as one
        whitespace-normalised paragraph with no changes.
    """
    try:
        blocks, log = _clean(raw, split_words)
        return CleanResult(blocks, log.changes, log.as_list())
    except Exception:  # never raise on arbitrary input: degrade to one paragraph
        text = " ".join(str(raw).split()) if raw else ""
        return CleanResult(([{"id": 0, "kind": "paragraph", "text": text}] if text else []), [], [])


def preload() -> None:
    """Load the lexicons that cleaning any document reads.

    wordfreq's Indonesian and English lists, Sastrawi's roots and stemmer, the
    heading and function-word lists and ftfy: about 0.2 s that the first
    document of a process otherwise pays. A worker process can call this when it
    starts; results are the same either way (everything here is a read-only
    cache).
    """
    _frequency_dict("id")
    _frequency_dict("en")
    _sastrawi_roots()
    _sastrawi_stemmer()
    _section_headings()
    _function_words()
    _ftfy_fix()


def clean_text(raw: str) -> tuple[list[dict], list[dict]]:
    """Clean one OCR'd or exported document into typed blocks.

    Parameters
    ----------
    raw : str
        The document text as read from the file.

    Returns
    -------
    tuple of (list of dict, list of dict)
        ``(blocks, log)``: :attr:`CleanResult.blocks` and
        :attr:`CleanResult.log` of :func:`clean_document`.
    """
    result = clean_document(raw)
    return result.blocks, result.log


def _show(text: str) -> str:
    """A change's text for one terminal line: line breaks and odd spaces made visible."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("⏎")
        elif ch != " " and (ch.isspace() or unicodedata.category(ch)[0] == "C"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def format_changes(changes: list[dict], width: int = 60) -> str:
    """Format a change list as text, one change per line.

    Each line reads ``line N  block B  rule  'before' -> 'after'`` (line
    breaks shown as ``⏎``, invisible characters as ``<U+XXXX>``, removed text
    as ``-> (removed)``), followed by a count per rule.

    Parameters
    ----------
    changes : list of dict
        :attr:`CleanResult.changes` (or the ``changes`` of an ingest artifact).
    width : int
        Longest before/after text shown; longer ones are cut with ``…``.

    Returns
    -------
    str
    """
    def cut(t: str) -> str:
        t = _show(t)
        return t if len(t) <= width else t[: width - 1] + "…"

    lines = []
    counts: Counter = Counter()
    for c in changes or []:
        try:
            rule = str(c.get("rule", "?"))
            counts[rule] += 1
            line = c.get("line")
            block = c.get("block")
            after = c.get("after", "")
            shown_after = f"'{cut(after)}'" if after else "(removed)"
            lines.append(
                f"line {line if line is not None else '-':>5}  block {block if block is not None else '-':>4}  "
                f"{rule:<16} '{cut(str(c.get('before', '')))}' -> {shown_after}"
            )
        except Exception:
            continue
    order = [r for r in RULE_ORDER if r in counts] + sorted(r for r in counts if r not in RULE_ORDER)
    summary = ", ".join(f"{r}: {counts[r]}" for r in order)
    lines.append(f"{sum(counts.values())} changes" + (f" ({summary})" if summary else ""))
    return "\n".join(lines)


def _clean(raw: str, split_words: bool = True) -> tuple[list[dict], _RepairLog]:
    log = _RepairLog()
    if not isinstance(raw, str) or not raw.strip():
        return [], log
    src_lines, numbers = split_source_lines(raw)

    # encoding: per line, so that every repair has a position
    lines = []
    for line, num in zip(src_lines, numbers):
        new = normalize_line(line)
        if new != line:
            for before, after in _char_changes(line, new):
                log.change("unicode", before, after, num)
        lines.append(new)

    marked, _ = strip_markup(lines)
    for (t, h), line, num in zip(marked, lines, numbers):
        if h == "separator" or t == line:
            continue
        for before, after in _token_changes(line, t):
            log.change("strip_markup", before, after, num)

    # whitespace: collapse runs of spaces (counted, not listed: no word changes)
    spaced = []
    for t, h in marked:
        n = _normalize_spaces(t)
        if n != t.strip() and t.strip():
            log.add("whitespace", t.strip()[:60])
        spaced.append((n, h))
    marked = spaced

    plain, _ = remove_page_furniture([t if h != "separator" else "<sep>" for t, h in marked])
    for (t, h), p, num in zip(marked, plain, numbers):
        if h != "separator" and t and not p:
            log.change("page_furniture", t, "", num)
    marked = [(p if h != "separator" else t, h) for p, (t, h) in zip(plain, marked)]

    cleaned = []
    for (t, h), num in zip(marked, numbers):
        if h == "separator" or not t:
            cleaned.append((t, h))
            continue
        n, rem = remove_stray_chars(t)
        for r in rem:
            log.change("stray_chars", r, "", num)
        cleaned.append((_normalize_spaces(n), h))
    marked = cleaned

    doc_counts = _doc_token_counts([t for t, h in marked if h != "separator"])

    units = split_blocks(marked, numbers)
    units = detect_table_blocks(units)
    _mark_leading_title(units)
    units = join_broken_lines(units, log)
    _assign_title(units)

    # pass 1: each unit's lines become one text (line-end hyphens resolved)
    bodies: list[str] = []
    unit_changes: list[tuple[int, int]] = []
    for u in units:
        first_change = len(log.changes)
        if u.kind == "table":
            body = dehyphenate(u.lines, doc_counts, None)
        elif u.kind in ("paragraph", "keywords", "heading", "title"):
            body = dehyphenate(u.lines, doc_counts, log, u.src)
            if u.kind == "paragraph":
                body = re.sub(r"(?<=[a-z]{3}) = (?=[a-z]{3})", " ", body)
        else:
            body = " ".join(u.lines)
        bodies.append(body)
        unit_changes.append((first_change, len(log.changes)))
    # word evidence is counted on the joined words (a word split by a hyphen counts once, whole)
    word_counts = _doc_token_counts(bodies)
    ocr_damage = shows_ocr_damage(log.changes, [b for u, b in zip(units, bodies) if u.kind != "separator"], word_counts)

    # pass 2: word repairs, then blocks
    blocks: list[dict] = []
    line_block: dict[int, int] = {}
    drop: set[int] = set()
    for u, body, (c0, c1) in zip(units, bodies, unit_changes):
        block_id = len(blocks)
        first_change = len(log.changes)

        def locate(word: str, u=u) -> int | None:
            for line, num in zip(u.lines, u.src):
                if word in line:
                    return num
            return u.src[0] if u.src else None

        if u.kind in ("table", "title", "heading", "keywords"):
            # not running prose: only misreads are repaired (uUSD), nothing is split
            body = fix_misread_words(body, log, None, word_counts, locate, False, ocr_damage)
        elif u.kind == "paragraph":
            body = fix_misread_words(body, log, None, word_counts, locate, split_words, ocr_damage)
        body = _normalize_spaces(body)
        own = list(range(c0, c1)) + list(range(first_change, len(log.changes)))
        if not body:
            drop.update(own)
            continue
        if u.kind == "table":
            log.change("table", body, f"[table block {block_id}]", u.src[0] if u.src else None, example=body[:60])
            own.append(len(log.changes) - 1)
        for k in own:
            log.changes[k]["block"] = block_id
        for num in u.src:
            line_block.setdefault(num, block_id)
        blocks.append({"id": block_id, "kind": u.kind, "text": body})
    if drop:
        log.changes = [c for k, c in enumerate(log.changes) if k not in drop]
    for c in log.changes:
        if c["block"] is None and c["line"] is not None and c["rule"] != "page_furniture":
            c["block"] = line_block.get(c["line"])
    return blocks, log


def _token_changes(before: str, after: str) -> list[tuple[str, str]]:
    """Changed whitespace-separated tokens between two versions of a line."""
    import difflib

    a, b = before.split(), after.split()
    out = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            out.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return out
