"""The author-keyword label (``Kata kunci:``, ``Keywords:``, ``Index terms:``) and the patterns that find it.

Three steps look for the label: cleanup (:mod:`pipeline.text.cleanup`) opens a
``keywords`` block at a line that starts with it, metadata
(:mod:`pipeline.text.metadata`) takes the keywords after it, and section
splitting (:mod:`pipeline.text.sections`) reads the label's language and cuts
scraped abstracts at it. The label words are spelled here once; each step's
pattern is built from them here, side by side, so that their differences (how
far from the line start the label may stand, which separator must follow it,
whether ``Kata-kata kunci`` or ``Key- words`` count) are visible in one place.
"""

from __future__ import annotations

import re

__all__ = [
    "KEYWORD_LABEL_LANGS",
    "KEYWORD_LINE_RE",
    "ID_KEYWORD_LABEL_RE",
    "EN_KEYWORD_LABEL_RE",
    "KEYWORD_LABEL_RE",
    "PARAGRAPH_KEYWORD_LABEL_RE",
    "SCRAPED_KEYWORD_LABEL_RE",
]

# The label words as pattern pieces, matched case-insensitively.
#: "Kata kunci", "Kata-kunci", "Katakunci".
KATA_KUNCI = r"kata[\s-]*kunci"
#: "Kata-kata kunci", "Kata kata kunci".
KATA_KATA_KUNCI = r"kata[\s-]*kata[\s-]*kunci"
#: "Keywords", "Key words", "Key-word", "Key - words", "Key- words".
KEY_WORDS = r"key[\s-]*words?"
#: "Keywords", "Key words", "Key-word", "Key -words": spaces, then at most one hyphen.
KEY_WORDS_NARROW = r"key\s*-?words?"
#: "Index terms", "Index-terms".
INDEX_TERMS = r"index[\s-]+terms"
#: "Index terms": spaces only.
INDEX_TERMS_NARROW = r"index\s+terms"

#: The language of a label, by its first word (lowercase); also the words any label holds.
KEYWORD_LABEL_LANGS = {"kata": "id", "key": "en", "index": "en"}

#: Cleanup: a line that opens a keyword block (the label within three symbols of the
#: line start, then a separator).
KEYWORD_LINE_RE = re.compile(
    rf"^\W{{0,3}}({KATA_KUNCI}|{KEY_WORDS_NARROW}|{INDEX_TERMS_NARROW})\s*[:：;.\-—–]\s*", re.I
)

#: Metadata: the Indonesian label at the start of a keyword block, separator optional.
ID_KEYWORD_LABEL_RE = re.compile(rf"^\W{{0,3}}{KATA_KUNCI}\s*[:：;.\-—–]?\s*", re.I)
#: Metadata: the English label at the start of a keyword block, separator optional.
EN_KEYWORD_LABEL_RE = re.compile(
    rf"^\W{{0,3}}(?:{KEY_WORDS_NARROW}|{INDEX_TERMS_NARROW})\s*[:：;.\-—–]?\s*", re.I
)

#: Sections: the label of a keyword line (group 1 is the label, whose first word gives
#: its language), plural and ``Kata kuncinya`` included, separator optional.
KEYWORD_LABEL_RE = re.compile(
    rf"^\W*({KATA_KATA_KUNCI}|{KATA_KUNCI}(?:nya)?|{KEY_WORDS}|{INDEX_TERMS})\s*[:：.\-–—?]?\s*",
    re.IGNORECASE,
)
#: Sections: a paragraph that is a keyword line: the label, a colon or dash, then text.
PARAGRAPH_KEYWORD_LABEL_RE = re.compile(
    rf"^\W*({KATA_KATA_KUNCI}|{KATA_KUNCI}|{KEY_WORDS}|{INDEX_TERMS})\s*[:：—–]\s*\S",
    re.IGNORECASE,
)
#: Sections: a label anywhere in a run-together scraped abstract (at the start or after a
#: non-word character), then a colon, dash or question mark.
SCRAPED_KEYWORD_LABEL_RE = re.compile(
    rf"(?:(?<=\W)|^)({KATA_KATA_KUNCI}|{KATA_KUNCI}|{KEY_WORDS}|{INDEX_TERMS_NARROW})\s*[:：—–?]\s*",
    re.IGNORECASE,
)
