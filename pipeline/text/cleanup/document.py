"""The whole document: the cleanup recipe, a list of named passes, and the entry points that run it.

:data:`PASSES` is the recipe: each pass takes the document as the passes
before it left it (a :class:`_Document`) and hands it on, recording its
repairs in the document's :class:`~.log.RepairLog`. The lines are repaired
first (characters, markup, spaces, page furniture, stray symbols), then
grouped into blocks (tables, titles, broken paragraphs bridged), then each
block's lines are joined into one text and its words repaired.

:func:`clean_document` never fails a document: an internal error keeps the
text as one whitespace-normalised paragraph and is recorded as a change of
rule ``degraded`` naming the error, and logged.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from .blocks import Unit, detect_table_blocks, join_broken_lines, split_blocks
from .characters import ftfy_fix, normalize_line, split_source_lines
from .dehyphenation import dehyphenate, doc_token_counts
from .furniture import remove_page_furniture
from .lexicons import frequency_dict, function_words, sastrawi_roots, sastrawi_stemmer, section_headings
from .log import RepairLog, char_changes, token_changes
from .markup import strip_markup
from .stray import normalize_spaces, remove_stray_chars
from .titles import assign_title, mark_leading_title
from .word_repairs import fix_misread_words, shows_ocr_damage

logger = logging.getLogger(__name__)

#: Longest error text kept in a ``degraded`` change.
_MAX_REASON = 200


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
        block the changed text ended up in (None when it was removed). After
        an internal error, the one change of rule ``degraded``.
    log : list of dict
        Per-rule summary ``{"rule", "count", "examples"}`` in :data:`~.log.RULE_ORDER`;
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
        whitespace-normalised paragraph, with one change of rule
        ``degraded`` that names the error (see :func:`_degraded`).
    """
    try:
        blocks, log = _clean(raw, split_words)
        return CleanResult(blocks, log.changes, log.as_list())
    # The one broad catch of cleanup, on purpose: whatever the text, cleanup must not fail
    # the document (ingest would lose it). The failure is made visible instead: a
    # "degraded" change in the document's change log and summary, and a logged warning.
    except Exception as exc:  # noqa: BLE001
        return _degraded(raw, exc)


def _degraded(raw: str, exc: Exception) -> CleanResult:
    """The fallback of :func:`clean_document` after an internal error ``exc``.

    The text comes back as one whitespace-normalised paragraph, and the change
    log holds one change ``{"rule": "degraded", "before": "<error type>:
    <message>", "after": "text kept as one paragraph", "line": None, "block"}``
    (also counted in the summary), so that the failure shows in ``clean
    --changes``, in the ingest artifact and in the report.
    """
    reason = f"{type(exc).__name__}: {exc}"[:_MAX_REASON]
    logger.warning("cleanup failed (%s); the text is kept as one whitespace-normalised paragraph",
                   reason, exc_info=exc)
    text = " ".join(str(raw).split()) if raw else ""
    blocks = [{"id": 0, "kind": "paragraph", "text": text}] if text else []
    log = RepairLog()
    log.change("degraded", reason, "text kept as one paragraph", None, 0 if blocks else None, example=reason)
    return CleanResult(blocks, log.changes, log.as_list())


def preload() -> None:
    """Load the lexicons that cleaning any document reads.

    wordfreq's Indonesian and English lists, Sastrawi's roots and stemmer, the
    heading and function-word lists and ftfy: a cost that the first document
    of a process otherwise pays. A worker process can call this when it
    starts; results are the same either way (everything here is a read-only
    cache).
    """
    frequency_dict("id")
    frequency_dict("en")
    sastrawi_roots()
    sastrawi_stemmer()
    section_headings()
    function_words()
    ftfy_fix()


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


# --------------------------------------------------------------------------
# the passes
# --------------------------------------------------------------------------


@dataclass
class _Document:
    """One document on its way through the passes: what each pass leaves for the next.

    Attributes
    ----------
    raw : str
        The document text as given.
    split_words : bool
        Whether run-together words are split (see :func:`clean_document`).
    log : RepairLog
        Every repair so far.
    lines : list of str
        The source lines, then (from the ``unicode`` pass on) their repaired text.
    numbers : list of int
        The 1-based source line number of every entry of ``lines`` and ``marked``.
    marked : list of (str, str or None)
        Every line's text with its markup hint (``"separator"``, ``"md1"``, ``"md"`` or None).
    doc_counts : Counter
        Lowercased word counts of the cleaned lines (before line-end hyphens are resolved).
    units : list of Unit
        The provisional blocks.
    bodies : list of str
        Every unit's lines joined into one text, line-end hyphens resolved.
    unit_changes : list of (int, int)
        The range of ``log.changes`` that joining each unit's lines recorded.
    word_counts : Counter
        Lowercased word counts of ``bodies`` (a word split by a hyphen counts once, whole).
    ocr_damage : bool
        Whether the document shows OCR damage (typo-shaped repairs are made only then).
    blocks : list of dict
        The finished blocks ``{"id", "kind", "text"}``.
    line_block : dict of int to int
        The first block of every source line that ended up in one.
    """

    raw: str
    split_words: bool
    log: RepairLog
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    marked: list[tuple[str, str | None]] = field(default_factory=list)
    doc_counts: Counter = field(default_factory=Counter)
    units: list[Unit] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    unit_changes: list[tuple[int, int]] = field(default_factory=list)
    word_counts: Counter = field(default_factory=Counter)
    ocr_damage: bool = False
    blocks: list[dict] = field(default_factory=list)
    line_block: dict[int, int] = field(default_factory=dict)


def _split_lines(doc: _Document) -> None:
    """The source lines and their numbers (a page break adds blank lines, see :func:`split_source_lines`)."""
    doc.lines, doc.numbers = split_source_lines(doc.raw)


def _repair_characters(doc: _Document) -> None:
    """Encoding, per line, so that every repair has a position (rule ``unicode``)."""
    log = doc.log
    lines = []
    for line, num in zip(doc.lines, doc.numbers):
        new = normalize_line(line)
        if new != line:
            for before, after in char_changes(line, new):
                log.change("unicode", before, after, num)
        lines.append(new)
    doc.lines = lines


def _strip_markup(doc: _Document) -> None:
    """Export markup removed, its meaning kept as each line's hint (rule ``strip_markup``)."""
    log = doc.log
    marked, _ = strip_markup(doc.lines)
    for (t, h), line, num in zip(marked, doc.lines, doc.numbers):
        if h == "separator" or t == line:
            continue
        for before, after in token_changes(line, t):
            log.change("strip_markup", before, after, num)
    doc.marked = marked


def _collapse_spaces(doc: _Document) -> None:
    """Runs of spaces collapsed (rule ``whitespace``: counted, not listed, as no word changes)."""
    log = doc.log
    spaced = []
    for t, h in doc.marked:
        n = normalize_spaces(t)
        if n != t.strip() and t.strip():
            log.add("whitespace", t.strip()[:60])
        spaced.append((n, h))
    doc.marked = spaced


def _remove_page_furniture(doc: _Document) -> None:
    """Running heads and page numbers blanked out (rule ``page_furniture``)."""
    log, marked = doc.log, doc.marked
    plain, _ = remove_page_furniture([t if h != "separator" else "<sep>" for t, h in marked])
    for (t, h), p, num in zip(marked, plain, doc.numbers):
        if h != "separator" and t and not p:
            log.change("page_furniture", t, "", num)
    doc.marked = [(p if h != "separator" else t, h) for p, (t, h) in zip(plain, marked)]


def _remove_stray_chars(doc: _Document) -> None:
    """Stray OCR symbols removed from every line (rule ``stray_chars``)."""
    log = doc.log
    cleaned = []
    for (t, h), num in zip(doc.marked, doc.numbers):
        if h == "separator" or not t:
            cleaned.append((t, h))
            continue
        n, rem = remove_stray_chars(t)
        for r in rem:
            log.change("stray_chars", r, "", num)
        cleaned.append((normalize_spaces(n), h))
    doc.marked = cleaned


def _count_words(doc: _Document) -> None:
    """The document's word counts, the evidence line-end hyphens are resolved by."""
    doc.doc_counts = doc_token_counts([t for t, h in doc.marked if h != "separator"])


def _split_blocks(doc: _Document) -> None:
    """The lines grouped into provisional blocks by their shape."""
    doc.units = split_blocks(doc.marked, doc.numbers)


def _detect_tables(doc: _Document) -> None:
    """Table and figure debris marked as ``table`` blocks."""
    doc.units = detect_table_blocks(doc.units)


def _mark_leading_title(doc: _Document) -> None:
    """A title-shaped first block parted from prose by a blank line marked as the title (before bridging)."""
    mark_leading_title(doc.units)


def _bridge_paragraphs(doc: _Document) -> None:
    """Paragraphs cut mid-sentence by a blank line or page break joined (rule ``bridge``)."""
    doc.units = join_broken_lines(doc.units, doc.log)


def _assign_title(doc: _Document) -> None:
    """The document's leading title lines made one title block."""
    assign_title(doc.units)


def _join_lines(doc: _Document) -> None:
    """Each block's lines joined into one text, line-end hyphens resolved (rules ``dehyphenate``, ``join_lines``)."""
    log = doc.log
    bodies: list[str] = []
    unit_changes: list[tuple[int, int]] = []
    for u in doc.units:
        first_change = len(log.changes)
        if u.kind == "table":
            body = dehyphenate(u.lines, doc.doc_counts, None)
        elif u.kind in ("paragraph", "keywords", "heading", "title"):
            body = dehyphenate(u.lines, doc.doc_counts, log, u.src)
            if u.kind == "paragraph":
                body = re.sub(r"(?<=[a-z]{3}) = (?=[a-z]{3})", " ", body)
        else:
            body = " ".join(u.lines)
        bodies.append(body)
        unit_changes.append((first_change, len(log.changes)))
    doc.bodies = bodies
    doc.unit_changes = unit_changes


def _judge_ocr_damage(doc: _Document) -> None:
    """Whether the document went through OCR, from the repairs so far and its words."""
    # word evidence is counted on the joined words (a word split by a hyphen counts once, whole)
    doc.word_counts = doc_token_counts(doc.bodies)
    texts = [b for u, b in zip(doc.units, doc.bodies) if u.kind != "separator"]
    doc.ocr_damage = shows_ocr_damage(doc.log.changes, texts, doc.word_counts)


def _repair_words(doc: _Document) -> None:
    """Misread and run-together words repaired, and the blocks made (rules ``misread_letters``,
    ``split_words``, ``sentence_spacing``, ``table``); the changes of a block left empty are dropped."""
    log, word_counts, ocr_damage = doc.log, doc.word_counts, doc.ocr_damage
    blocks: list[dict] = []
    line_block: dict[int, int] = {}
    drop: set[int] = set()
    for u, body, (c0, c1) in zip(doc.units, doc.bodies, doc.unit_changes):
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
            body = fix_misread_words(body, log, None, word_counts, locate, doc.split_words, ocr_damage)
        body = normalize_spaces(body)
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
    doc.blocks = blocks
    doc.line_block = line_block


def _place_changes(doc: _Document) -> None:
    """Every change still without a block gets the block its source line ended up in."""
    for c in doc.log.changes:
        if c["block"] is None and c["line"] is not None and c["rule"] != "page_furniture":
            c["block"] = doc.line_block.get(c["line"])


#: The cleanup recipe: ``(name, pass)`` in the order applied; each pass reads and
#: updates the :class:`_Document` the earlier ones left.
PASSES = (
    ("split_lines", _split_lines),
    ("unicode", _repair_characters),
    ("strip_markup", _strip_markup),
    ("whitespace", _collapse_spaces),
    ("page_furniture", _remove_page_furniture),
    ("stray_chars", _remove_stray_chars),
    ("count_words", _count_words),
    ("split_blocks", _split_blocks),
    ("tables", _detect_tables),
    ("leading_title", _mark_leading_title),
    ("bridge", _bridge_paragraphs),
    ("title", _assign_title),
    ("join_lines", _join_lines),
    ("ocr_damage", _judge_ocr_damage),
    ("repair_words", _repair_words),
    ("place_changes", _place_changes),
)


def _clean(raw: str, split_words: bool = True) -> tuple[list[dict], RepairLog]:
    """Run :data:`PASSES` over ``raw``: its blocks and the log of its repairs."""
    log = RepairLog()
    if not isinstance(raw, str) or not raw.strip():
        return [], log
    doc = _Document(raw, split_words, log)
    for _name, run in PASSES:
        run(doc)
    return doc.blocks, doc.log
