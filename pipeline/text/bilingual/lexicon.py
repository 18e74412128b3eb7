"""Word-level evidence that an Indonesian phrase and an English one name one concept.

A term and its translation share words that are (1) written the same way
("Template Matching", "Kernel"), (2) translations of each other in a bilingual
dictionary ("belajar" / "learning", "gereja" / "church"), or (3) cognates: the
international vocabulary Indonesian borrowed and respelled ("korespondensi" /
"correspondence", "regresi" / "regression", "kooperatif" / "cooperative").

Recipe of :func:`phrase_similarity`:

1. Split both phrases into content words (stopwords of each language dropped:
   "Limit *Of The* Function"), each with its surface (lowercased) and its key
   (stem or lemma, as the pipeline keys phrases).
2. Score every word pair (:func:`word_similarity`): 1 when the surfaces or keys are
   equal or the dictionary pairs them, else the cognate similarity when it reaches
   :data:`COGNATE_LCSR` (0 otherwise).
3. Match the words one to one, best pairs first (greedy maximum matching; phrases
   have a handful of words).
4. The phrase similarity is the share of the longer phrase's words accounted for:
   ``(sum(matched scores) + 1/2 * min(unmatched of one, unmatched of the other)) /
   words of the longer``.  A word left unmatched on each side may be a translation
   the dictionary lacks, an even chance (``1/2``: "hubungan internasional" /
   "international relation" without "hubungan" / "relation" scores 0.75); a word
   left over on one side only has nothing it could translate: the phrases name a
   broader and a narrower concept ("strategi diplomasi" / "strategy" scores 0.5,
   "pemerintah" / "municipal government" 0.5), and a pair needs more than one half.

Cognates are measured by the longest common subsequence ratio (LCSR, Melamed 1999)
of the two words' spelling skeletons (:func:`skeleton`: the regular
correspondences of Indonesian loanword spelling, c/k, ph/f, x/ks, -tion/-si,
-ty/-tas, folded to one form), counted only between words of at least
:data:`COGNATE_MIN_LETTERS` letters.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["COGNATE_LCSR", "COGNATE_MIN_LETTERS", "skeleton", "lcsr", "cognate_similarity",
           "word_similarity", "phrase_words", "phrase_similarity"]

#: Melamed's (1999) LCSR threshold for orthographic cognates: pairs at or above it
#: were cognates far more often than chance in his French-English bitexts.
COGNATE_LCSR = 0.58
#: Short words share letters by chance ("main" / "man"); cognate evidence needs longer ones.
COGNATE_MIN_LETTERS = 4

# Spelling correspondences of Indonesian loanwords (Pedoman Umum Ejaan Bahasa
# Indonesia, the adaptation of foreign words): applied to BOTH words, they fold each
# pair of correspondents to one form.  Suffixes first (at the word's end), then letters.
_SUFFIXES = (
    (re.compile(r"(?:tion|sion|si)s?$"), "si"),        # regresi / regression, analisis / analysis
    (re.compile(r"(?:ty|ties|tas)$"), "tas"),          # universitas / university
    (re.compile(r"(?:acy|asi)$"), "asi"),              # demokrasi / democracy
    (re.compile(r"(?:ical|ic|ik|is)$"), "ik"),          # matematis / mathematical, metrik / metric
    (re.compile(r"(?:ive|if)$"), "if"),                 # kooperatif / cooperative
    (re.compile(r"(?:ism|isme)$"), "isme"),
    (re.compile(r"(?:ence|ency|ensi)$"), "ensi"),       # korespondensi / correspondence
    (re.compile(r"(?:ance|ancy|ansi)$"), "ansi"),
    (re.compile(r"(?:logy|logi)$"), "logi"),
    (re.compile(r"(?:graphy|grafi)$"), "grafi"),
)
_MIN_STEM = 3
_LETTERS = (("ph", "f"), ("th", "t"), ("ch", "k"), ("qu", "kw"), ("x", "ks"),
            ("c", "k"), ("q", "k"), ("v", "f"), ("y", "i"), ("z", "s"))


@lru_cache(maxsize=1 << 15)
def skeleton(word: str) -> str:
    """The spelling skeleton of a lowercased word: loanword correspondences folded to
    one form, plural -s dropped, doubled letters single, hyphens gone."""
    w = word.lower().replace("-", "")
    if len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "is", "us", "as")):
        w = w[:-1]  # English plural: "groups", "games"
    for pattern, repl in _SUFFIXES:
        match = pattern.search(w)
        # only after a stem of some length: "city" is no "-ty" derivative
        if match and match.start() >= _MIN_STEM:
            w = w[:match.start()] + repl
            break
    for old, new in _LETTERS:
        w = w.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", w)


def lcsr(a: str, b: str) -> float:
    """Longest common subsequence of ``a`` and ``b`` over the longer length (0..1)."""
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j, other in enumerate(b):
            cur.append(prev[j] + 1 if ch == other else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1] / max(len(a), len(b))


@lru_cache(maxsize=1 << 16)
def cognate_similarity(id_word: str, en_word: str) -> float:
    """LCSR of the two words' skeletons when both have :data:`COGNATE_MIN_LETTERS`
    letters and it reaches :data:`COGNATE_LCSR`; else 0."""
    if sum(ch.isalpha() for ch in id_word) < COGNATE_MIN_LETTERS or \
            sum(ch.isalpha() for ch in en_word) < COGNATE_MIN_LETTERS:
        return 0.0
    score = lcsr(skeleton(id_word), skeleton(en_word))
    return score if score >= COGNATE_LCSR else 0.0


_ALL_KINDS = frozenset({"identical", "dictionary", "cognate"})


def word_similarity(id_word: tuple, en_word: tuple, dictionary=None, kinds=_ALL_KINDS) -> tuple[float, str]:
    """``(score, kind)`` of an Indonesian and an English word, each ``(surface, key)``
    lowercased: ("identical", 1), ("dictionary", 1), ("cognate", LCSR) or ("", 0);
    ``kinds`` are the kinds of evidence used (all by default)."""
    (id_surface, id_key), (en_surface, en_key) = id_word, en_word
    if "identical" in kinds and (id_surface == en_surface or (id_key and id_key == en_key)):
        return 1.0, "identical"
    if dictionary is not None and "dictionary" in kinds and en_key in dictionary.en_keys_for(id_key):
        return 1.0, "dictionary"
    score = cognate_similarity(id_surface, en_surface) if "cognate" in kinds else 0.0
    return (score, "cognate") if score else (0.0, "")


def phrase_words(phrase: str, key: str, stopwords=frozenset()) -> list[tuple[str, str]]:
    """The content words of a phrase as ``(surface, key)`` pairs, lowercased.

    The key's words stand beside the surface's when both have as many words (the
    pipeline keys a phrase word by word); else each word is its own key.
    """
    surfaces = phrase.lower().split()
    keys = key.lower().split()
    if len(keys) != len(surfaces):
        keys = surfaces
    return [(s, k) for s, k in zip(surfaces, keys) if s not in stopwords and k not in stopwords]


def phrase_similarity(id_words: list, en_words: list, dictionary=None, kinds=_ALL_KINDS) -> tuple[float, tuple]:
    """``(score, evidence kinds)`` of two phrases given as :func:`phrase_words` lists (step 4).

    The phrase written the same way in both (up to case, hyphens and spaces) scores 1
    with evidence ``("identical",)``.
    """
    if not id_words or not en_words:
        return 0.0, ()
    if "identical" in kinds and \
            "".join(s for s, _ in id_words).replace("-", "") == "".join(s for s, _ in en_words).replace("-", ""):
        return 1.0, ("identical",)
    pairs = []
    for i, iw in enumerate(id_words):
        for j, ew in enumerate(en_words):
            score, kind = word_similarity(iw, ew, dictionary, kinds)
            if score:
                pairs.append((-score, i, j, kind))
    pairs.sort()
    used_i, used_j, total, kinds = set(), set(), 0.0, set()
    for neg, i, j, kind in pairs:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        total -= neg
        kinds.add(kind)
    unmatched = min(len(id_words) - len(used_i), len(en_words) - len(used_j))
    score = (total + 0.5 * unmatched) / max(len(id_words), len(en_words))
    return score, tuple(sorted(kinds))
