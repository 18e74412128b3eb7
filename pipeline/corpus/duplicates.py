"""Exact and near-duplicate detection: content keys, normalized titles, word shingles.

``add`` refuses a text with the same words as a corpus document (an exact
duplicate, whatever its encoding, spacing or case) and reports a near-duplicate:
the same normalized title, or a Jaccard similarity of word 5-shingles of at least
:data:`NEAR_DUPLICATE_JACCARD` with a corpus document. What the index keeps of
each document (its *signature*) is kept between adds in the corpus folder
(:data:`DUPLICATE_CACHE_NAME`), a cache rebuilt from the files when missing.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..store import atomic_write_bytes

SHINGLE_SIZE = 5
# The duplicate index kept between adds (a cache: rebuilt from the files when missing).
DUPLICATE_CACHE_NAME = ".duplicate-index.npz"
NEAR_DUPLICATE_JACCARD = 0.8
_WORD_RE = re.compile(r"\w+")


def content_words(text: str) -> list[str]:
    """The words of a text, case-folded and NFKC-normalized: what duplicate tests compare."""
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def content_key(text: str) -> str:
    """sha256 of a text's words: equal for the same words in any encoding, spacing or case."""
    return hashlib.sha256(" ".join(content_words(text)).encode("utf-8")).hexdigest()


def normalized_title(title: str | None) -> str:
    """A title for comparison: words only, case-folded; ``""`` when too short to identify a work.

    A title of fewer than four words (``Abstrak``, ``BAB I PENDAHULUAN``) names no
    particular work, so it never makes two documents near-duplicates.
    """
    if not title:
        return ""
    words = content_words(title)
    return " ".join(words) if len(words) >= 4 else ""


def shingles(words: list[str], size: int = SHINGLE_SIZE) -> set[str]:
    """The set of word ``size``-shingles (runs of ``size`` consecutive words)."""
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def guess_title(text: str) -> str | None:
    """The first non-empty line of a text, markup stripped, when it reads like a title."""
    for line in text.splitlines():
        line = line.strip().strip("#*_ ").strip()
        if line:
            return line if len(line) <= 400 else None
    return None


@dataclass
class DuplicateMatch:
    """A corpus document a new text duplicates.

    ``kind`` is ``"duplicate"`` (the same words), ``"title"`` (the same normalized
    title) or ``"text"`` (Jaccard of word shingles ``similarity`` at least the threshold).
    """

    doc_id: str
    kind: str
    similarity: float = 1.0

    def describe(self) -> str:
        if self.kind == "duplicate":
            return f"duplicate of {self.doc_id}"
        if self.kind == "title":
            return f"near-duplicate of {self.doc_id} (same title)"
        return f"near-duplicate of {self.doc_id} ({self.similarity:.0%} of 5-word shingles shared)"


class DuplicateIndex:
    """Exact duplicate and near-duplicate lookup over a set of texts.

    Exact: content keys (:func:`content_key`). Titles: normalized titles.
    Near-duplicate texts: an inverted index from word shingles to documents, so
    a lookup touches only the documents sharing a shingle with the new text and
    computes their Jaccard similarity exactly (no MinHash approximation). A
    shingle is stored as a 64-bit BLAKE2 digest, which keeps the index small and
    the same in every process (so :class:`Corpus` can keep it between runs); two
    different shingles collide with a probability of about 1e-8 over a corpus of
    thousands of abstracts.

    Parameters
    ----------
    threshold : float
        Jaccard similarity at or above which texts are near-duplicates.
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD):
        self.threshold = threshold
        self.keys: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.postings: dict[int, list[str]] = {}
        self.sizes: dict[str, int] = {}
        # Signatures loaded in bulk (a kept index): flat arrays, searched with numpy
        # instead of a dict of hundreds of thousands of postings built on every add.
        self._bulk_ids: list[str] = []
        self._bulk_sizes = None
        self._bulk_hashes = None
        self._bulk_doc = None

    def add_bulk(self, doc_ids: list[str], keys: list[str], titles: list[str], counts, hashes) -> None:
        """Index many texts at once by their signatures: ``counts[i]`` hashes of ``doc_ids[i]``
        in ``hashes`` (a flat int64 array, in document order). Used once, before any add."""
        import numpy as np

        for doc_id, key, title, n in zip(doc_ids, keys, titles, counts):
            self.keys.setdefault(key, doc_id)
            if title:
                self.titles.setdefault(title, doc_id)
            self.sizes[doc_id] = int(n)
        self._bulk_ids = list(doc_ids)
        self._bulk_sizes = np.asarray(counts, dtype=np.int64)
        self._bulk_hashes = np.asarray(hashes, dtype=np.int64)
        self._bulk_doc = np.repeat(np.arange(len(doc_ids)), self._bulk_sizes)

    @staticmethod
    def _hashes(words: list[str]) -> set[int]:
        return {int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big", signed=True)
                for s in shingles(words)}

    @classmethod
    def signature(cls, text: str, title: str | None = None) -> tuple[str, str, list[int]]:
        """What the index keeps of a text: content key, normalized title, sorted shingle hashes."""
        words = content_words(text)
        key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        return key, normalized_title(title), sorted(cls._hashes(words))

    def add(self, doc_id: str, text: str, title: str | None = None) -> None:
        """Index one text under ``doc_id``."""
        self.add_signature(doc_id, *self.signature(text, title))

    def add_signature(self, doc_id: str, key: str, title: str, hashes: Iterable[int]) -> None:
        """Index a text by its :meth:`signature`."""
        self.keys.setdefault(key, doc_id)
        if title:
            self.titles.setdefault(title, doc_id)
        n = 0
        for h in hashes:
            self.postings.setdefault(h, []).append(doc_id)
            n += 1
        self.sizes[doc_id] = n

    def match(self, text: str, title: str | None = None) -> DuplicateMatch | None:
        """The best match of a new text: an exact duplicate first, then the same title, then text."""
        words = content_words(text)
        key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        if key in self.keys:
            return DuplicateMatch(self.keys[key], "duplicate")
        norm = normalized_title(title)
        if norm and norm in self.titles:
            return DuplicateMatch(self.titles[norm], "title")
        hashes = self._hashes(words)
        if not hashes:
            return None
        shared: dict[str, int] = {}
        for h in hashes:
            for doc_id in self.postings.get(h, ()):
                shared[doc_id] = shared.get(doc_id, 0) + 1
        if self._bulk_hashes is not None and len(self._bulk_hashes):
            import numpy as np

            # The new text's few hundred hashes, sorted, looked up for each of the corpus's
            # (np.isin would sort the corpus's hundreds of thousands instead).
            query = np.sort(np.fromiter(hashes, dtype=np.int64, count=len(hashes)))
            at = np.searchsorted(query, self._bulk_hashes)
            at[at == len(query)] = 0
            hits = query[at] == self._bulk_hashes
            counts = np.bincount(self._bulk_doc[hits], minlength=len(self._bulk_ids))
            for i in np.flatnonzero(counts):
                doc_id = self._bulk_ids[i]
                shared[doc_id] = shared.get(doc_id, 0) + int(counts[i])
        best = None
        for doc_id in sorted(shared):
            n = shared[doc_id]
            jaccard = n / (len(hashes) + self.sizes[doc_id] - n)
            if jaccard >= self.threshold and (best is None or jaccard > best.similarity):
                best = DuplicateMatch(doc_id, "text", jaccard)
        return best


def load_signatures(folder: Path):
    """The signatures kept by the last ``add`` in ``folder``.

    Returns
    -------
    rows : list
        ``[doc_id, stamp, key, title, n]`` per document.
    hashes : ndarray of int64
        The rows' shingle hashes, ``n`` of each in row order; both empty when the
        file is missing or damaged (the index is then rebuilt from the files).
    """
    import numpy as np

    try:
        with np.load(folder / DUPLICATE_CACHE_NAME, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            hashes = np.asarray(data["hashes"], dtype=np.int64)
        if (not isinstance(meta, list) or any(len(row) != 5 for row in meta)
                or sum(int(row[4]) for row in meta) != len(hashes)):
            raise ValueError("inconsistent")
        return meta, hashes
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, EOFError):
        return [], np.zeros(0, dtype=np.int64)  # rebuilt from the files


def save_signatures(folder: Path, rows: list, hashes) -> None:
    """Keep signatures in ``folder`` for the next ``add`` (what :func:`load_signatures` reads)."""
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(json.dumps(rows, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
             hashes=np.asarray(hashes, dtype=np.int64))
    atomic_write_bytes(folder / DUPLICATE_CACHE_NAME, buffer.getvalue(), fsync=False)
