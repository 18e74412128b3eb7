"""Document metadata from cleaned blocks: title, authors, source URL, author keywords.

Works on the BLOCK list produced by :func:`pipeline.text.cleanup.clean_document`.
Pure: no I/O, never raises on odd input.
"""

from __future__ import annotations

import re

from .labels import EN_KEYWORD_LABEL_RE, ID_KEYWORD_LABEL_RE

__all__ = ["extract_metadata", "split_keywords", "split_title_authors"]

_AUTHOR_LINE_RE = re.compile(
    r"^\s*([^,.:;]{2,80}?),\s*(?:author|authors|penulis|pengarang|co-?author)\.?\s*$", re.I
)
_URL_RE = re.compile(r"(?:https?|ftp)://[^\s<>\"')\]]+", re.I)
_NAME_RE = re.compile(r"^[^\W\d_][\w.'’\- ]{1,80}$")


def split_keywords(text: str) -> list[str]:
    """Split a keyword list on ``,`` and ``;``; strip each item and drop empty ones.

    A trailing full stop of the list is removed; order and spelling are kept.
    """
    if not text:
        return []
    out: list[str] = []
    for part in re.split(r"[,;]", text):
        item = " ".join(part.split()).strip(" .:-–—")
        if item and item not in out:
            out.append(item)
    return out


def split_title_authors(text: str) -> tuple[str, list[str]]:
    """Split a library-catalogue title ``Title = Parallel title / Author; Author``.

    Returns
    -------
    tuple of (str, list of str)
        The title (keeping the ``Indonesian = English`` text) and the authors
        named after the last ``" / "``.
    """
    text = " ".join(text.split())
    if " / " not in text:
        return text, []
    title, tail = text.rsplit(" / ", 1)
    authors = []
    for name in re.split(r"\s*(?:;|,| & | and | dan )\s*", tail):
        name = name.strip(" .")
        if name and _NAME_RE.match(name) and len(name.split()) <= 6:
            authors.append(name)
    if not authors:
        return text, []
    return title.strip(), authors


def extract_metadata(blocks: list[dict]) -> dict:
    """Extract title, authors, source URL and author keywords from blocks.

    Parameters
    ----------
    blocks : list of dict
        BLOCKs (``{"id", "kind", "text"}``).

    Returns
    -------
    dict
        ``{"title": str | None, "authors": [str], "source_url": str | None,
        "author_keywords": {"id": [str], "en": [str]}}``.  Keywords of a
        ``Kata kunci:`` line go to ``"id"``, of ``Keywords:`` / ``Key words:``
        to ``"en"``.  A document without a title block has ``title`` None.
    """
    meta: dict = {"title": None, "authors": [], "source_url": None, "author_keywords": {"id": [], "en": []}}
    if not isinstance(blocks, list):
        return meta
    authors: list[str] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = block.get("kind")
        text = block.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        text = " ".join(text.split())
        if kind == "title" and meta["title"] is None:
            title, named = split_title_authors(text)
            meta["title"] = title or None
            authors.extend(named)
        elif kind == "keywords":
            m_id = ID_KEYWORD_LABEL_RE.match(text)
            m_en = EN_KEYWORD_LABEL_RE.match(text)
            if m_id:
                meta["author_keywords"]["id"].extend(
                    k for k in split_keywords(text[m_id.end():]) if k not in meta["author_keywords"]["id"]
                )
            elif m_en:
                meta["author_keywords"]["en"].extend(
                    k for k in split_keywords(text[m_en.end():]) if k not in meta["author_keywords"]["en"]
                )
        if kind in ("meta", "title", "heading", "paragraph"):
            m = _AUTHOR_LINE_RE.match(text)
            if m and kind != "paragraph" or (m and len(text) <= 90):
                authors.append(" ".join(m.group(1).split()))
            if meta["source_url"] is None and kind in ("meta", "title"):
                u = _URL_RE.search(text)
                if u:
                    meta["source_url"] = u.group(0).rstrip(".,;>")
    seen = set()
    for name in authors:
        key = name.lower()
        if key not in seen:
            seen.add(key)
            meta["authors"].append(name)
    return meta


# A journal's issue line: "Vol. 5 No. 2, 2019", "Volume 12, Nomor 1, Juni 2020", "Vol 3 (2) 2018",
# "Jurnal X, Vol. 5, No. 2 (2019)". The year of a volume is the year the issue appeared;
# years elsewhere in an abstract are its subject ("sejak tahun 1967"), never taken.
_ISSUE_YEAR_RE = re.compile(
    r"\b(?:vol(?:ume)?\.?|jilid)\s*\d{1,4}\b[^\n]{0,60}?(?<!\d)((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
#: Characters from the start of a document searched for its issue line (the front matter).
FRONT_MATTER_CHARS = 2000


def printed_year(text: str) -> int | None:
    """The publication year printed in a journal issue line of the front matter, or None.

    Only an issue line counts ("Vol. 5 No. 2, 2019"): a catalogue record or an abstract
    mentions many years that are not the document's.
    """
    if not isinstance(text, str):
        return None
    match = _ISSUE_YEAR_RE.search(text[:FRONT_MATTER_CHARS])
    return int(match.group(1)) if match else None
