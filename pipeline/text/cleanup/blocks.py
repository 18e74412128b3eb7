"""Blocks: the cleaned lines grouped into provisional units (paragraph, heading, keywords, meta, table, ...).

Blank lines part groups; inside a group each line's shape splits off
headings, keyword lines, metadata, captions and source lines from the prose.
Table debris is then marked as ``table`` units, and paragraphs that a page
break or a blank line cut mid-sentence are bridged.
"""

from __future__ import annotations

from ..labels import KEYWORD_LINE_RE
from .lexicons import function_words
from .lines import (
    ENUM_START_RE,
    NUMERIC_TOKEN_RE,
    SOURCE_RE,
    alpha_words,
    caption_match,
    ends_clause,
    ends_sentence,
    is_heading_shape,
    is_meta_line,
    is_section_heading,
    numeric_share,
    starts_upper,
    title_case_ratio,
)
from .log import RepairLog

class Unit:
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
    if nxt is None or starts_upper(nxt) and (is_heading_shape(nxt) or not _looks_continuation(line, nxt)):
        # the heading may continue on the next heading-shaped line of the same case style
        if nxt is not None and is_heading_shape(nxt) and not is_section_heading(nxt) and (line.isupper() == nxt.isupper()):
            after = lines[i + 2] if i + 2 < len(lines) else None
            if after is None or starts_upper(after):
                return 2
        return 1
    # heading continued on a line that starts with a lowercase function word ("melalui Perubahan ACFTA")
    if nxt is not None and not starts_upper(nxt) and len(nxt.split()) <= 8 and not ends_clause(nxt) and title_case_ratio(nxt, skip_first=True) >= 0.75:
        after = lines[i + 2] if i + 2 < len(lines) else None
        if after is None or starts_upper(after):
            return 2
    return 0


def _looks_continuation(prev: str, nxt: str) -> bool:
    """A title-case line followed by a line continuing its sentence is not a heading."""
    return not starts_upper(nxt)


def split_blocks(marked: list[tuple[str, str | None]], line_numbers: list[int] | None = None) -> list[Unit]:
    """Split cleaned lines into provisional units (headings, keywords, meta, captions, prose).

    Blank lines separate groups; inside a group, headings, keyword lines,
    meta lines, captions and source lines are split off by their shape.
    ``line_numbers`` (parallel to ``marked``) are the source line numbers
    the units remember for the change log.
    """
    if line_numbers is None or len(line_numbers) != len(marked):
        line_numbers = list(range(1, len(marked) + 1))
    units: list[Unit] = []
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
                units.append(Unit("paragraph", para, gap if first_unit_in_group else 0, None, para_src))
                first_unit_in_group = False
                para, para_src = [], []

        def emit(kind: str, lines: list[str], hint: str | None = None, start: int = 0) -> None:
            nonlocal first_unit_in_group
            flush_para()
            units.append(Unit(kind, lines, gap if first_unit_in_group else 0, hint, nums[start:start + len(lines)]))
            first_unit_in_group = False

        while i < len(texts):
            text, hint, _num = group[i]
            prev_break = not para or ends_clause(para[-1])
            if hint == "separator":
                emit("separator", [text], None, i)
                i += 1
                continue
            if hint in ("md1", "md"):
                emit("title" if hint == "md1" else "heading", [text], hint, i)
                i += 1
                continue
            if KEYWORD_LINE_RE.match(text):
                kw = [text]
                start = i
                i += 1
                while i < len(texts) and len(kw) < 4:
                    nxt = texts[i]
                    if is_section_heading(nxt) or KEYWORD_LINE_RE.match(nxt) or is_meta_line(nxt) or caption_match(nxt):
                        break
                    if kw[-1].rstrip().endswith((",", ";", "-", ":")) or (len(nxt.split()) <= 8 and not ends_sentence(kw[-1])):
                        kw.append(nxt)
                        i += 1
                    else:
                        break
                emit("keywords", kw, None, start)
                continue
            if is_meta_line(text):
                emit("meta", [text], None, i)
                i += 1
                continue
            if SOURCE_RE.match(text) and len(text.split()) <= 25 and prev_break:
                emit("table", [text], "source", i)
                i += 1
                continue
            if caption_match(text) and prev_break:
                emit("table", texts[i:], "caption", i)
                i = len(texts)
                continue
            if para and ENUM_START_RE.match(text) and ends_clause(para[-1]):
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
    numeric = sum(1 for t in toks if NUMERIC_TOKEN_RE.match(t))
    if numeric == len(toks):
        return True
    n = len(lines)
    share = numeric / len(toks)
    avg = len(toks) / n
    terminal = sum(1 for l in lines if ends_sentence(l)) / n
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
    share = numeric_share(" ".join(lines))
    lower = sum(1 for t in toks if t[:1].islower()) / len(toks)
    # prose carries lowercase content words, not only lowercase prepositions between labels
    fw = function_words()
    content_lower = sum(1 for t in toks if t[:1].islower() and t.lower().strip(".,;:()") not in fw) / len(toks)
    return avg >= 4.0 and share < 0.3 and lower >= 0.3 and content_lower >= 0.15


def _split_row_runs(unit: Unit) -> list[Unit]:
    """Split runs of >= 3 table-row lines out of a prose unit."""

    def row_like(line: str) -> bool:
        toks = line.split()
        nums = sum(1 for t in toks if NUMERIC_TOKEN_RE.match(t))
        return 1 <= len(toks) <= 8 and nums >= 2 and nums / len(toks) >= 0.5

    flags = [row_like(l) for l in unit.lines]
    if sum(flags) < 3:
        return [unit]
    out: list[Unit] = []
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
                    out.append(Unit("paragraph", buf, unit.gap_before if not out else 0, None, buf_src))
                    buf, buf_src = [], []
                out.append(Unit("table", unit.lines[i:j], unit.gap_before if not out else 0, None, unit.src[i:j]))
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
        out.append(Unit("paragraph", buf, 0 if out else unit.gap_before, None, buf_src))
    return out


def detect_table_blocks(units: list[Unit]) -> list[Unit]:
    """Mark table and figure debris as ``table`` units.

    A unit is a table when its shape says so (share of numeric tokens, short
    lines without sentence punctuation), or when it follows a table/figure
    caption and is not prose-shaped (a caption opens a table region that ends
    at the first prose paragraph, heading or ``Sumber:`` line).
    """
    out: list[Unit] = []
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


def join_broken_lines(units: list[Unit], log: RepairLog | None = None) -> list[Unit]:
    """Bridge blank-line gaps inside paragraphs.

    A paragraph is merged with the next paragraph when it does not end a
    sentence (no final ``.``, ``!``, ``?``, ``:`` or ``;``) and the next one
    does not open a numbered list item; a next unit shaped like a heading is
    only taken in when the previous line clearly continues (ends with a
    comma, a hyphen or a function word).  Table debris lying between the two
    halves of a sentence is skipped over when the continuation starts in
    lowercase.
    """
    out: list[Unit] = []
    for u in units:
        if u.kind in ("paragraph", "heading") and out:
            # find the last paragraph, allowing table debris in between
            j = len(out) - 1
            skipped_table = False
            while j >= 0 and out[j].kind == "table" and out[j].hint is None:
                j -= 1
                skipped_table = True
            prev = out[j] if j >= 0 else None
            if prev is not None and prev.kind == "paragraph" and not ends_clause(prev.lines[-1]):
                first = u.lines[0]
                last = prev.lines[-1]
                last_word = (alpha_words(last) or [""])[-1].lower()
                strong = last.endswith((",", "-")) or last_word in function_words()
                ok = False
                if u.kind == "paragraph":
                    ok = not ENUM_START_RE.match(first)
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

