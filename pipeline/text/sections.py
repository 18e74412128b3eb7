"""Split a document's blocks into Indonesian and English sections.

Structure is read first (title, abstract and keyword labels, separators,
section headings), then every prose block gets its own language decision
(:func:`pipeline.text.langid.detect_language`).  The two are reconciled by a
small state machine over the blocks in document order:

``front`` -> ``abstract`` -> (keywords / separator) -> ``after_abstract`` ->
``abstract`` of the other language or ``body`` -> ``references``.

Consecutive blocks of the same kind and language become one SECTION
(the ``sections`` of the separate artifact, ``pipeline/store/schemas/separate.schema.json``)::

    {"lang": "id" | "en" | "unknown",
     "kind": "title" | "abstract" | "keywords" | "body" | "heading" |
             "references" | "meta" | "table",
     "text": str, "blocks": [int, ...], "confidence": float}
"""

from __future__ import annotations

import logging
import re

from . import LANGS
from .labels import KEYWORD_LABEL_LANGS, KEYWORD_LABEL_RE, PARAGRAPH_KEYWORD_LABEL_RE, SCRAPED_KEYWORD_LABEL_RE
from .langid import detect_language, evidence_words, function_word_counts, heading_role
from .langid import preload as _preload_langid

__all__ = ["split_sections", "split_scraped_abstract", "parse_keywords", "split_bilingual_title", "preload"]

logger = logging.getLogger(__name__)

# A block whose language differs from the current abstract's opens an
# abstract of its own language only when the decision is this sure and the
# block is prose-sized; weaker disagreements are absorbed (quoted English
# terms inside an Indonesian abstract are common).
STRONG_SWITCH_CONFIDENCE = 0.9
STRONG_SWITCH_MIN_WORDS = 8
# Below this confidence a body paragraph takes the language of the body
# around it (short fragments, captions, lines cut by OCR).
WEAK_CONFIDENCE = 0.75

# Headless-document rule (see ``_headless_abstract``).
HEADLESS_MAX_PARAGRAPHS = 4
HEADLESS_MAX_WORDS = 600
HEADLESS_HARD_MAX_WORDS = 1200
# A block with at least this many function words of each language may hold
# both languages and is cut into runs of sentences of one language.
BILINGUAL_MIN_FUNCTION_WORDS = 3

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_MARKUP_RE = re.compile(r"[#*_`]+")
_TITLE_RESPONSIBILITY_RE = re.compile(r"\s+/\s+([^/=]{1,100})$")
_ALLCAPS_WORD = r"[^\W\d_a-z]{2,}"


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text or "")


def _clean_inline(text: str) -> str:
    """Drop markdown emphasis/heading marks and collapse whitespace."""
    return " ".join(_MARKUP_RE.sub(" ", text or "").split())


# ---------------------------------------------------------------------------
# Keywords
# ---------------------------------------------------------------------------

def _keyword_label(text: str) -> tuple[str | None, str]:
    """Split a keyword line into (label language, content after the label)."""
    m = KEYWORD_LABEL_RE.match(text or "")
    if not m:
        return None, text or ""
    first = m.group(1).lower()
    lang = next((lg for pre, lg in KEYWORD_LABEL_LANGS.items() if first.startswith(pre)), None)
    return lang, text[m.end():]


def parse_keywords(text: str) -> list[str]:
    """Author keywords of a keyword line, label removed, split on ``,`` ``;``.

    Parameters
    ----------
    text : str
        ``"Kata kunci: ACFTA, Diplomasi Ekonomi, E-commerce"``, with or
        without the label.

    Returns
    -------
    list of str
        Keywords in order, stripped of final periods and of a leading
        ``dan``/``and`` before the last item; duplicates dropped.
    """
    _, content = _keyword_label(_clean_inline(text))
    out: list[str] = []
    seen = set()
    for part in re.split(r"[,;·•|]", content):
        kw = part.strip().strip(".:;-–— ").strip()
        kw = re.sub(r"^(?:dan|and|serta|&)\s+", "", kw, flags=re.IGNORECASE)
        if not kw or not any(c.isalnum() for c in kw):
            continue
        key = kw.lower()
        if key not in seen:
            seen.add(key)
            out.append(kw)
    return out


def _strip_trailing_heading(text: str) -> tuple[str, tuple[str, str, str] | None]:
    """Split a heading word glued to the end of a line (``... E-commerce Abstract``).

    Only abstract/body/references headings written capitalized count.
    Returns (text without it, (heading text, lang, role) or None).
    """
    words = text.split()
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        tail = " ".join(words[-n:])
        if not tail[:1].isupper():
            continue
        role = heading_role(tail)
        if role and role[1] in ("abstract", "body", "references"):
            return " ".join(words[:-n]), (tail, role[0], role[1])
    return text, None


# ---------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------

def split_bilingual_title(text: str) -> list[tuple[str, str, float]]:
    """Split a catalogue title ``Judul Indonesia = English title / Author``.

    Parameters
    ----------
    text : str
        A title line.

    Returns
    -------
    list of (str, str, float)
        ``(title, lang, confidence)`` per part.  Library catalogues write the
        Indonesian title first: when detection cannot tell the two parts
        apart, that order decides.
    """
    s = _clean_inline(text)
    m = _TITLE_RESPONSIBILITY_RE.search(s)
    # "... / Ivan Satria Basri": statement of responsibility, not title.
    if m and len(m.group(1).split()) <= 8:
        s = s[: m.start()].strip()
    parts = [p.strip() for p in re.split(r"\s+=\s+", s) if p.strip()]
    if not parts:
        return []
    if len(parts) == 1:
        lang, conf = detect_language(parts[0])
        return [(parts[0], lang, conf)]
    first, second = parts[0], " = ".join(parts[1:])
    (l1, c1), (l2, c2) = detect_language(first), detect_language(second)
    if {l1, l2} == {"id", "en"}:
        return [(first, l1, c1), (second, l2, c2)]
    # Same or unknown language detected for both: catalogue convention.
    return [
        (first, "id", c1 if l1 == "id" else 0.5),
        (second, "en", c2 if l2 == "en" else 0.5),
    ]


# ---------------------------------------------------------------------------
# Headings inside paragraphs
# ---------------------------------------------------------------------------

def _split_embedded_headings(text: str) -> list[tuple[str, str]]:
    """Pieces ``("heading"|"paragraph", text)`` of a paragraph.

    Ingest may leave a known section heading glued to prose: an ALL-CAPS
    heading at the start (``KESIMPULAN Penguatan ...``, ``ABSTRACT The ...``),
    ``Abstract: ...``, or an ALL-CAPS heading after the last sentence
    (``... in 2013. PENDAHULUAN``).  Only lexicon headings are split off.
    """
    pieces: list[tuple[str, str]] = []
    rest = text.strip()
    # Leading "Abstrak:" / "Abstract —" in any case.
    m = re.match(r"^\W*([^\W\d_]+)\s*[:：—–]\s*(?=\S)", rest)
    if m:
        role = heading_role(m.group(1))
        if role and role[1] == "abstract":
            pieces.append(("heading", m.group(1)))
            rest = rest[m.end():]
    else:
        m = re.match(rf"^\W*((?:{_ALLCAPS_WORD}\s+){{1,4}})(?=[^\W\d_])", rest)
        if m:
            caps = m.group(1).split()
            for n in range(len(caps), 0, -1):
                role = heading_role(" ".join(caps[:n]))
                if role and role[1] in ("abstract", "body", "references"):
                    head = " ".join(caps[:n])
                    pieces.append(("heading", head))
                    rest = rest[rest.index(head) + len(head):].strip()
                    break
    tail = None
    m = re.search(rf"(?<=[.!?\"”)])\s+((?:{_ALLCAPS_WORD}\s*){{1,4}})$", rest)
    if m:
        role = heading_role(m.group(1))
        if role and role[1] in ("abstract", "body", "references"):
            tail = m.group(1).strip()
            rest = rest[: m.start()].strip()
    if rest:
        pieces.append(("paragraph", rest))
    if tail:
        pieces.append(("heading", tail))
    return pieces


# ---------------------------------------------------------------------------
# Items: blocks read structurally, with a language decision each
# ---------------------------------------------------------------------------

def _item(block_id, kind, text, lang, conf, role=None, words=None):
    return {"block": block_id, "kind": kind, "text": text, "lang": lang, "conf": conf,
            "role": role, "n_words": len(_words(text)) if words is None else words}


def _keyword_line_items(block_id, text, label_lang):
    """Items of an author-keyword line: the line, and a heading glued to its end.

    The line's language is its label's (``Kata kunci`` id, ``Keywords`` en), or, for
    an unlabelled line, the detected language of its words.
    """
    line, trailing = _strip_trailing_heading(text)
    if label_lang is None:
        label_lang, conf = detect_language(line)
    else:
        conf = 0.97
    items = [_item(block_id, "keywords", line, label_lang, conf)]
    if trailing:
        head, hlang, hrole = trailing
        items.append(_item(block_id, "heading", head, hlang, 0.97, role=hrole))
    return items


def _read_blocks(blocks) -> list[dict]:
    """Turn blocks into items of kind title/heading/keywords/paragraph/... ."""
    items: list[dict] = []
    for idx, block in enumerate(blocks or []):
        if not isinstance(block, dict):
            continue
        text = block.get("text")
        if not isinstance(text, str):
            continue
        bid = block.get("id", idx)
        if not isinstance(bid, int) or isinstance(bid, bool):
            bid = idx
        kind = block.get("kind", "paragraph")
        stripped = text.strip()
        if kind == "separator":
            items.append(_item(bid, "separator", stripped, "unknown", 1.0))
            continue
        if kind in ("table", "meta"):
            items.append(_item(bid, kind, stripped, "unknown", 1.0))
            continue
        if not stripped:
            continue
        if kind == "title":
            for part, lang, conf in split_bilingual_title(stripped):
                items.append(_item(bid, "title", part, lang, conf))
            continue
        clean = _clean_inline(stripped)
        if kind in ("paragraph", "keywords") or kind not in ("heading",):
            pieces = _run_together_pieces(clean)
            if pieces:
                items.extend(_piece_items(bid, pieces))
                continue
        label_lang, _ = _keyword_label(clean)
        # A paragraph is a keyword line only with an explicit "label:".
        if kind == "keywords" or (label_lang and PARAGRAPH_KEYWORD_LABEL_RE.match(clean)):
            items.extend(_keyword_line_items(bid, clean, label_lang))
            continue
        if kind == "heading" or (len(_words(stripped)) <= 6 and heading_role(stripped)):
            role = heading_role(stripped)
            if role:
                items.append(_item(bid, "heading", stripped, role[0], 0.97, role=role[1]))
            else:
                lang, conf = detect_language(stripped)
                items.append(_item(bid, "heading", stripped, lang, conf, role="other"))
            continue
        # Paragraph (or an unknown kind, read as prose).
        for piece_kind, piece in _split_embedded_headings(stripped):
            if piece_kind == "heading":
                role = heading_role(piece)
                items.append(_item(bid, "heading", piece, role[0], 0.97, role=role[1]))
            else:
                lang, conf = detect_language(piece)
                items.append(_item(bid, "paragraph", piece, lang, conf))
    return items


def _run_together_pieces(text: str) -> list[tuple[str, str]] | None:
    """Pieces of a block that runs an abstract, its keywords and the other
    language's abstract together (scraped abstracts), else None.

    Only blocks with an embedded keyword label (``... 75,75%.Kata kunci:``),
    an embedded ``Abstract``/``Abstrak`` label, or function words of both
    languages are cut; the cut is the raw-abstract splitter's
    (:func:`_scraped_pieces`), and a block that yields one piece is left
    alone.
    """
    # labels glued to the previous word ("Wakil MenteriKata kunci:") count as embedded too
    unglued = _unglue_labels(text)
    # the label patterns are slow on long text (case-insensitive, lookbehinds): they only
    # run where a label word occurs at all
    kw = SCRAPED_KEYWORD_LABEL_RE.search(unglued) if _may_hold(unglued, _KEYWORD_LABEL_WORDS) else None
    embedded_label = kw is not None and (kw.start() > 0 or _keyword_span_end(unglued[kw.end():]) < len(unglued) - kw.end())
    abstract_label = _may_hold(unglued, _ABSTRACT_LABEL_WORDS) and any(
        m.start() > 0 for m in _SCRAPED_ABS_RE.finditer(unglued))
    both = False
    if not (embedded_label or abstract_label) and len(text) >= 200:
        n_id, n_en = function_word_counts(text)
        both = min(n_id, n_en) >= BILINGUAL_MIN_FUNCTION_WORDS
    if not (embedded_label or abstract_label or both):
        return None
    pieces = _scraped_pieces(text)
    return pieces if len(pieces) > 1 else None


def _piece_items(bid: int, pieces: list[tuple[str, str]]) -> list[dict]:
    items = []
    for kind, piece in pieces:
        if kind == "heading":
            role = heading_role(piece)
            lang, rrole = (role[0], role[1]) if role else ("unknown", "abstract")
            items.append(_item(bid, "heading", piece, lang, 0.97, role=rrole))
        elif kind == "keywords":
            items.extend(_keyword_line_items(bid, piece, _keyword_label(piece)[0]))
        else:
            lang, conf = detect_language(piece)
            items.append(_item(bid, "paragraph", piece, lang, conf))
    return items


# ---------------------------------------------------------------------------
# The state machine
# ---------------------------------------------------------------------------

def _assign(items: list[dict], leading_prose: str) -> list[dict]:
    """Give every item its section kind and language (in place)."""
    zone = "front"
    abs_lang = "unknown"
    last_abs_lang = None
    seen_abs: set[str] = set()
    body_lang = None
    pending_keywords = None
    for index, it in enumerate(items):
        kind = it["kind"]
        it["support"] = it["conf"]
        if kind in ("title", "meta", "table"):
            it["skind"] = kind
            continue
        if kind == "separator":
            it["skind"] = None  # structural only, no section
            if zone == "abstract":
                last_abs_lang, zone = abs_lang, "after_abstract"
            continue
        if kind == "heading":
            role = it["role"]
            it["skind"] = "heading"
            if role == "abstract":
                zone, abs_lang = "abstract", it["lang"]
            elif role == "keywords":
                pending_keywords = it["lang"]
                it["skind"] = "keywords"
            elif role == "body":
                zone = "body"
            elif role == "references":
                zone = "references"
            elif leading_prose != "abstract" and zone in ("front", "abstract", "after_abstract"):
                zone = "body"
            if it["lang"] == "unknown" or it["conf"] < WEAK_CONFIDENCE:
                ctx = abs_lang if zone == "abstract" else body_lang
                if ctx in LANGS:
                    it["lang"], it["support"] = ctx, 0.5
            continue
        if kind == "keywords":
            it["skind"] = "keywords"
            if zone == "abstract":
                last_abs_lang, zone = abs_lang, "after_abstract"
            elif zone == "front" and leading_prose == "abstract":
                last_abs_lang, zone = None, "after_abstract"
            elif zone in ("front", "body") and not seen_abs:
                # Author keywords follow an abstract: the untitled prose right
                # before them (since the last title/heading) is that abstract.
                back = []
                for prev in reversed(items[:index]):
                    if prev["kind"] != "paragraph" or prev.get("skind") != "body":
                        break
                    back.append(prev)
                if back and len(back) <= HEADLESS_MAX_PARAGRAPHS:
                    for prev in back:
                        prev["skind"] = "abstract"
                        if prev["lang"] in LANGS:
                            seen_abs.add(prev["lang"])
                    last_abs_lang, zone = back[0]["lang"], "after_abstract"
                    body_lang = None
            continue
        # Paragraph.
        lang, conf = it["lang"], it["conf"]
        if pending_keywords is not None:
            it["skind"], it["lang"], pending_keywords = "keywords", pending_keywords, None
            continue
        if zone == "front":
            if leading_prose == "abstract":
                zone, abs_lang = "abstract", lang
            else:
                zone = "body"
        elif zone == "after_abstract":
            if (lang in LANGS and lang != last_abs_lang and lang not in seen_abs
                    and conf >= WEAK_CONFIDENCE):
                zone, abs_lang = "abstract", lang
            elif leading_prose == "abstract":
                zone, abs_lang = "abstract", lang if lang in LANGS else last_abs_lang or "unknown"
            else:
                zone = "body"
        if zone == "abstract":
            if abs_lang not in LANGS and lang in LANGS:
                abs_lang = lang
            elif (lang in LANGS and lang != abs_lang and conf >= STRONG_SWITCH_CONFIDENCE
                  and it["n_words"] >= STRONG_SWITCH_MIN_WORDS):
                # Scraped abstracts: the English abstract runs straight on.
                abs_lang = lang
            if lang != abs_lang:
                it["support"] = 1.0 - conf if lang in LANGS else 0.5
            it["skind"], it["lang"] = "abstract", abs_lang
            if abs_lang in LANGS:
                seen_abs.add(abs_lang)
        elif zone == "references":
            it["skind"] = "references"
        else:  # body
            it["skind"] = "body"
            if lang not in LANGS or (conf < WEAK_CONFIDENCE and body_lang in LANGS and lang != body_lang):
                if body_lang in LANGS:
                    it["support"] = 1.0 - conf if lang in LANGS else 0.5
                    it["lang"] = body_lang
            else:
                body_lang = lang
    return items


def _label_references(items: list[dict]) -> None:
    """One language for each run of reference entries: the run's majority."""
    i = 0
    while i < len(items):
        if items[i].get("skind") != "references":
            i += 1
            continue
        j = i
        while j < len(items) and items[j].get("skind") in ("references", None):
            j += 1
        run = [it for it in items[i:j] if it.get("skind") == "references"]
        lang, conf = detect_language(" ".join(it["text"] for it in run))
        for it in run:
            it["lang"], it["support"] = lang, conf if lang in LANGS else 0.5
        i = j


def _keywords_follow_abstract(items: list[dict]) -> None:
    """Keyword lines take their language from the label (``Kata kunci`` ->
    id, ``Keywords`` -> en), except where the label cannot be right: the
    document has no abstract in the label's language.  Then the keywords
    belong to the abstract they follow (monolingual Indonesian papers often
    label their keywords ``Keywords:``, whatever language the terms are in).
    """
    abstract_langs = {it["lang"] for it in items if it.get("skind") == "abstract" and it["lang"] in LANGS}
    if not abstract_langs:
        return
    last_abstract = None
    for it in items:
        if it.get("skind") == "abstract" and it["lang"] in LANGS:
            last_abstract = it["lang"]
        if it.get("skind") != "keywords" or it["kind"] == "heading" or it["lang"] not in LANGS:
            continue
        if it["lang"] in abstract_langs:
            continue
        target = last_abstract if last_abstract is not None else (
            next(iter(abstract_langs)) if len(abstract_langs) == 1 else None)
        if target is not None:
            it["lang"], it["support"] = target, 0.9


def _merge(items: list[dict]) -> list[dict]:
    """Consecutive items of the same section kind and language -> one section."""
    sections: list[dict] = []
    supports: list[list[float]] = []
    for it in items:
        skind = it.get("skind")
        if skind is None:
            continue
        lang = it["lang"] if it["lang"] in LANGS else "unknown"
        prev = sections[-1] if sections else None
        if prev is not None and prev["kind"] == skind and prev["lang"] == lang and skind != "title":
            prev["text"] += "\n\n" + it["text"]
            if it["block"] not in prev["blocks"]:
                prev["blocks"].append(it["block"])
            supports[-1].append(it["support"])
        else:
            sections.append({"lang": lang, "kind": skind, "text": it["text"],
                             "blocks": [it["block"]], "confidence": 0.0})
            supports.append([it["support"]])
    for sec, sup in zip(sections, supports):
        # Mean of the block decisions supporting the section's language.
        sec["confidence"] = round(max(0.0, min(1.0, sum(sup) / len(sup))), 4) if sup else 0.0
    return sections


def _headless_abstract(sections: list[dict], items: list[dict]) -> list[tuple[str, str]]:
    """Abstracts of a document that has no abstract and no headings.

    Rule: a document without any heading and without an explicit abstract
    (e.g. a title followed by prose, or a short web article) whose prose is
    short -- at most 4 paragraphs or at most ~600 words, and never more than
    1,200 words -- is its own summary: per language, its first body
    section's text is reported as the abstract of that language (a scraped
    abstract runs the English version straight after the Indonesian one).
    The sections stay kind "body".  Longer headless documents get no abstract.
    """
    if any(s["kind"] == "abstract" for s in sections):
        return []
    if any(it["kind"] == "heading" for it in items):
        return []
    prose = [it for it in items if it.get("skind") == "body"]
    if not prose:
        return []
    n_words = sum(it["n_words"] for it in prose)
    short = len(prose) <= HEADLESS_MAX_PARAGRAPHS or n_words <= HEADLESS_MAX_WORDS
    if not short or n_words > HEADLESS_HARD_MAX_WORDS:
        return []
    out = []
    for lang in LANGS:
        first = next((s for s in sections if s["kind"] == "body" and s["lang"] == lang), None)
        if first is not None:
            out.append((lang, first["text"]))
    return out


def _empty_result() -> dict:
    return {"sections": [], "abstracts": {"id": None, "en": None},
            "titles": {"id": None, "en": None}, "keywords": {"id": [], "en": []}}


def preload() -> None:
    """Load the lexicons and models that :func:`split_sections` reads for any document.

    For a worker to call when it starts (see :func:`pipeline.text.langid.preload`);
    results are the same either way.
    """
    _preload_langid()


def split_sections(blocks: list[dict], metadata: dict) -> dict:
    """Split a document's blocks into language-labelled sections.

    Parameters
    ----------
    blocks : list of dict
        BLOCKs ``{"id", "kind", "text"}`` in document order (ingest's
        ``clean_text``).
    metadata : dict
        Document metadata; ``title`` is used when no title block exists.
        ``leading_prose`` (``"body"`` default, or ``"abstract"``) says what
        prose before any heading is: ``"abstract"`` for a bare scraped
        abstract (see :func:`split_scraped_abstract`).

    Returns
    -------
    dict
        ``sections`` (SECTIONs in document order), ``abstracts`` and
        ``titles`` (``{"id": str|None, "en": str|None}``), ``keywords``
        (``{"id": [...], "en": [...]}``, language taken from the label:
        ``Kata kunci`` -> id, ``Keywords`` -> en).
    """
    try:
        return _split_sections(blocks, metadata if isinstance(metadata, dict) else {})
    # Broad on purpose: the input is checked where it is read (non-dict blocks, non-string
    # texts and ids are skipped), so what is left to fail is a bug, and a bug must not
    # fail the document's separate step. The failure is logged with its type.
    except Exception as exc:  # noqa: BLE001
        logger.warning("split_sections failed (%s: %s); the document gets no sections",
                       type(exc).__name__, exc, exc_info=exc)
        return _empty_result()


def _split_sections(blocks, metadata: dict) -> dict:
    leading = metadata.get("leading_prose", "body")
    leading = leading if leading in ("body", "abstract") else "body"
    items = _assign(_read_blocks(blocks if isinstance(blocks, list) else []), leading)
    _label_references(items)
    _keywords_follow_abstract(items)
    sections = _merge(items)

    result = _empty_result()
    result["sections"] = sections
    for lang in LANGS:
        texts = [s["text"] for s in sections if s["kind"] == "abstract" and s["lang"] == lang]
        result["abstracts"][lang] = "\n\n".join(texts) if texts else None
        title = next((s["text"] for s in sections if s["kind"] == "title" and s["lang"] == lang), None)
        result["titles"][lang] = title
    if not any(result["titles"].values()) and isinstance(metadata.get("title"), str):
        for part, lang, _ in split_bilingual_title(metadata["title"]):
            if lang in LANGS and result["titles"][lang] is None:
                result["titles"][lang] = part
    for lang, text in _headless_abstract(sections, items):
        result["abstracts"][lang] = text

    for it in items:
        if it.get("skind") == "keywords" and it["kind"] != "heading" and it["lang"] in LANGS:
            have = {k.lower() for k in result["keywords"][it["lang"]]}
            for kw in parse_keywords(it["text"]):
                if kw.lower() not in have:
                    have.add(kw.lower())
                    result["keywords"][it["lang"]].append(kw)
    return result


# ---------------------------------------------------------------------------
# Raw scraped abstracts
# ---------------------------------------------------------------------------

# Label words are matched in any case, but the text after them must start
# with a capital (the label is not part of a sentence).
_SCRAPED_ABS_RE = re.compile(
    r"(?:(?:(?<=[.!?])\s*|^\s*)((?i:abstrak|abstract|intisari))\s*[:：—–.\-]?\s*(?=[A-Z])"
    # After a title ("... TIRUAN AbstrakGulma"): only with a colon/dash or glued.
    r"|(?<=\s)((?i:abstrak|abstract|intisari))(?:\s*[:：—–\-]\s*(?=[A-Z])|(?=[A-Z][a-z])))"
)
# Labels glued to the previous word by scraping ("tanamanKata kunci:",
# "berikut.AbstractThe"): a space is put back before them.
_GLUED_LABEL_RE = re.compile(
    r"(?<=[a-z0-9.,;:)\]])(?=(?:Kata\s*[Kk]unci|KATA\s*KUNCI|Key\s*[Ww]ords?|KEY\s*WORDS?|Abstrak|ABSTRAK|Abstract|ABSTRACT)"
    r"(?:[\s:：—–.?]|[A-Z]))"
    # after an acronym ("Tipe STADAbstractThis"): an upper-case run then a capitalised
    # label word is a word boundary (the label's capital starts a new word)
    r"|(?<=[A-Z]{2})(?=(?:Kata\s*[Kk]unci|Key\s*[Ww]ords?|Abstrak|Abstract)(?:[\s:：—–.?]|[A-Z][a-z]))"
)
# Every match of SCRAPED_KEYWORD_LABEL_RE / _SCRAPED_ABS_RE holds one of these words, in any case.
_KEYWORD_LABEL_WORDS = tuple(KEYWORD_LABEL_LANGS)
_ABSTRACT_LABEL_WORDS = ("abstrak", "abstract", "intisari")


def _may_hold(text: str, words: tuple[str, ...]) -> bool:
    """False when ``text`` surely holds none of the lowercase ``words`` in any case.

    Decided on ASCII text only, where a case-insensitive match is a match of
    the lowercased text; other text may match through Unicode case folding
    (``ſ``, the Kelvin sign) and is left to the full pattern.
    """
    if not text.isascii():
        return True
    low = text.lower()
    return any(w in low for w in words)
# Every match of _GLUED_LABEL_RE is followed by one of these (case-sensitive, as there).
_GLUED_LABEL_STARTS = ("Kata", "KATA", "Key", "KEY", "Abstra", "ABSTRA")


def _unglue_labels(text: str) -> str:
    """Put back the space before a label glued to the previous word (see ``_GLUED_LABEL_RE``)."""
    if not any(start in text for start in _GLUED_LABEL_STARTS):
        return text
    return _GLUED_LABEL_RE.sub(" ", text)


# Runs of one language shorter than this are fragments (a cut-off first
# sentence, a formula line), never an abstract: they join a neighbour.
MIN_RUN_WORDS = 12
# Prose glued to the last keyword ("persekutuanThe goals ...") is recognised
# when at least this many words follow the glue.
GLUED_PROSE_MIN_WORDS = 8
# Sentence end: . ! ? (plus closing quote/bracket), then optional space and an
# upper-case letter.  Scraped text often lost the space ("84.21%.College").
_SENT_END_RE = re.compile(r"[.!?]+[\"”’)\]]*\s*(?=[A-Z\"“(])")
_ABBREV = {"no", "dr", "prof", "dkk", "al", "vol", "hal", "mr", "mrs", "ms", "st", "jl", "tbk",
           "pt", "cv", "eg", "ie", "vs", "etc", "fig", "yth", "drs", "ir", "h", "hj", "s", "m"}


def _split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENT_END_RE.finditer(text):
        before = text[start:m.start()].split()
        last = before[-1].lower().strip("(\"'") if before else ""
        # Initials ("M. Abu") and abbreviations ("No. 7") do not end sentences.
        if len(last) <= 1 or last.rstrip(".") in _ABBREV:
            continue
        sent = text[start:m.end()].strip()
        if sent:
            out.append(sent)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _keyword_span_end(content: str) -> int:
    """Where the keyword list that starts ``content`` ends.

    A period followed by a capitalized word closes it.  Before that, prose
    glued to a keyword (``persekutuanThe goals, among ...``: a lower-case
    letter straight before a capitalized word, with a sentence's worth of
    words after it) starts where the glue is.  With no period, a last comma
    item too long to be a keyword is cut before its first capitalized word
    (preferably a function word: ``The``, ``This``, ``Dalam``).
    """
    m = re.search(r"\.\s*(?=[A-Z][a-z])", content)
    limit = m.start() + 1 if m else len(content)
    for glued in re.finditer(r"(?<=[a-z])(?=[A-Z][a-z]+[\s,])", content[:limit]):
        if len(content[glued.start():].split()) >= GLUED_PROSE_MIN_WORDS:
            return glued.start()
    if m:
        return limit
    last_comma = max(content.rfind(","), content.rfind(";"))
    last = content[last_comma + 1:]
    words = list(re.finditer(r"\S+", last))
    if len(words) <= 6:
        return len(content)
    function_words = evidence_words("id") | evidence_words("en")
    caps = [w for w in words[1:] if w.group()[:1].isupper()]
    if not caps:
        return len(content)
    pick = next((w for w in caps if w.group().lower() in function_words), caps[0])
    return last_comma + 1 + pick.start()


def _prose_blocks(text: str) -> list[str]:
    """Paragraphs of one language each: runs of sentences of one language."""
    sents = _split_sentences(text)
    if not sents:
        return []
    decided = [detect_language(s) for s in sents]
    n_words = [len(_words(s)) for s in sents]
    langs: list[str | None] = []
    for sent, (lang, conf), n in zip(sents, decided, n_words):
        sure = lang in LANGS and conf >= WEAK_CONFIDENCE and n >= 4
        if sure:
            # A sentence quoting the other language ("Bahkan seorang penulis
            # mengatakan: 'it has been ...'") carries function words of both:
            # it is mixed, and follows its neighbours.
            n_id, n_en = function_word_counts(sent)
            other = n_en if lang == "id" else n_id
            own = n_id if lang == "id" else n_en
            sure = not (other >= 2 and other >= 0.2 * own)
        langs.append(lang if sure else None)
    if all(lg is None for lg in langs):
        whole = detect_language(text)[0]
        langs = [whole if whole in LANGS else "unknown"] * len(langs)
    # Unsure sentences follow the previous sentence (or the next one).
    for i in range(len(langs)):
        if langs[i] is None and i > 0:
            langs[i] = langs[i - 1]
    for i in range(len(langs) - 1, -1, -1):
        if langs[i] is None:
            langs[i] = langs[i + 1] if i + 1 < len(langs) else "unknown"
    runs: list[list] = []  # [lang, [sentences], n_words]
    for sent, lg, n in zip(sents, langs, n_words):
        if runs and runs[-1][0] == lg:
            runs[-1][1].append(sent)
            runs[-1][2] += n
        else:
            runs.append([lg, [sent], n])
    changed = True
    while changed and len(runs) > 1:
        changed = False
        for i, run in enumerate(runs):
            prev = runs[i - 1] if i > 0 else None
            nxt = runs[i + 1] if i + 1 < len(runs) else None
            # A run shorter than both neighbours of the other language is an
            # inserted term list or quotation; a very short run is a fragment.
            sandwiched = prev and nxt and prev[0] == nxt[0] and run[2] < min(prev[2], nxt[2])
            if sandwiched or run[2] < MIN_RUN_WORDS:
                target = prev if prev is not None else nxt
                if target is prev:
                    prev[1].extend(run[1])
                    prev[2] += run[2]
                else:
                    nxt[1][:0] = run[1]
                    nxt[2] += run[2]
                del runs[i]
                # Neighbours of one language that now touch become one run.
                for j in range(len(runs) - 1, 0, -1):
                    if runs[j][0] == runs[j - 1][0]:
                        runs[j - 1][1].extend(runs[j][1])
                        runs[j - 1][2] += runs[j][2]
                        del runs[j]
                changed = True
                break
    return [" ".join(run[1]) for run in runs]


def split_scraped_abstract(text: str) -> dict:
    """Separate one raw scraped abstract string into languages.

    Scraped abstracts run the Indonesian abstract, ``Kata kunci: ...``, the
    English abstract and ``Keywords: ...`` together, often without a blank
    line or even a space.  The string is cut at keyword labels (the list ends
    at the first ``. Capital``), at ``Abstract``/``Abstrak`` labels, and
    between runs of sentences of one language; the blocks are then read by
    :func:`split_sections` with leading prose taken as abstract.

    Parameters
    ----------
    text : str
        The abstract as scraped.

    Returns
    -------
    dict
        As :func:`split_sections`, plus ``blocks`` (the blocks built here,
        which the sections' block ids refer to).
    """
    try:
        return _split_scraped_abstract(text)
    # Broad on purpose, as in split_sections: a non-string is read as empty, so what is
    # left to fail is a bug; it is logged with its type.
    except Exception as exc:  # noqa: BLE001
        logger.warning("split_scraped_abstract failed (%s: %s); the abstract gets no sections",
                       type(exc).__name__, exc, exc_info=exc)
        result = _empty_result()
        result["blocks"] = []
        return result


def _scraped_pieces(text: str) -> list[tuple[str, str]]:
    """Pieces ``(kind, text)`` of a run-together abstract string.

    ``kind`` is ``paragraph`` (a run of sentences of one language),
    ``heading`` (an ``Abstract``/``Abstrak`` label) or ``keywords`` (a
    keyword line with its label).
    """
    s = _unglue_labels(" ".join(text.split()))
    pieces: list[tuple[str, str]] = []
    pos = 0
    while pos < len(s):
        m = SCRAPED_KEYWORD_LABEL_RE.search(s, pos)
        prose_end = m.start() if m else len(s)
        prose = s[pos:prose_end]
        # Abstract labels inside the prose stretch.
        cut = 0
        for am in _SCRAPED_ABS_RE.finditer(prose):
            before = prose[cut:am.start()].strip()
            if before:
                pieces.append(("prose", before))
            pieces.append(("heading", am.group(1) or am.group(2)))
            cut = am.end()
        if prose[cut:].strip():
            pieces.append(("prose", prose[cut:].strip()))
        if not m:
            break
        content = s[m.end():]
        end = _keyword_span_end(content)
        nxt = SCRAPED_KEYWORD_LABEL_RE.search(content)
        if nxt and nxt.start() < end:
            end = nxt.start()
        # "... Program Linear Abstract: The problem ...": the next abstract's label.
        label = next((am for am in _SCRAPED_ABS_RE.finditer(content, 0, end) if am.start() > 0), None)
        if label is not None:
            end = label.start()
        pieces.append(("keywords", (m.group(0) + content[:end]).strip()))
        pos = m.end() + end
    out: list[tuple[str, str]] = []
    for kind, piece in pieces:
        if kind == "prose":
            out.extend(("paragraph", para) for para in _prose_blocks(piece))
        else:
            out.append((kind, piece))
    return out


def _split_scraped_abstract(text: str) -> dict:
    if not isinstance(text, str):
        text = ""
    blocks = [{"id": i, "kind": kind, "text": piece} for i, (kind, piece) in enumerate(_scraped_pieces(text))]
    result = split_sections(blocks, {"leading_prose": "abstract"})
    result["blocks"] = blocks
    return result
