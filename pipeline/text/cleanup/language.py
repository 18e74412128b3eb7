"""The rough language of a block, by word-frequency votes: the language its word repairs work in.

A misread is only corrected to a word of the block's own language, so that
an Indonesian word is not "corrected" into an English one.
"""

from __future__ import annotations

import functools
import itertools
import re

from .lexicons import zipf

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
    zi, ze = zipf(word, "id"), zipf(word, "en")
    if zi - ze >= 1.0:
        return 1
    if ze - zi >= 1.0:
        return -1
    return 0

