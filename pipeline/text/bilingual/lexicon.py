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
   equal or the dictionary pairs them, else the cognate evidence: how far the two
   words' LCSR lies between :data:`COGNATE_LCSR` (where cognate evidence starts) and 1
   (the same spelling skeleton), 0 below the threshold.
3. Match the words one to one, best first (greedy; phrases have a handful of
   words), or two words with one where the dictionary lists the two-word phrase
   ("luar negeri" / "foreign": "kebijakan luar negeri" / "foreign policy").
4. The phrase similarity is the smaller of the two sides' shares of words accounted
   for: ``(matched scores + 1/2 * unknown pairs) / words of that side``.  A word left
   unmatched on each side may be a translation the dictionary lacks: an even chance
   (``1/2``) when the dictionary knows neither word; none when it knows either and
   lists other translations ("perbedaan peningkatan" / "significant differences":
   "peningkatan" is "increase"; "pembelajaran kooperatif" / "learning models": "models"
   is "model"), nor for a name or acronym, which both languages write the same way
   ("keamanan WLAN" / "security system").  A word left
   over on one side only has nothing it could translate: the phrases name a broader
   and a narrower concept ("strategi diplomasi" / "strategy", "pemerintah" /
   "municipal government" score 0.5), and a pair needs more than one half.

Only function words are left out of phrases (the stopword lists without their
academic frame words and content words: "hasil belajar" / "learning outcomes" keeps
"hasil" and "outcomes"; "study" is a keyword's word).

Cognates are measured by the longest common subsequence ratio (LCSR, Melamed 1999)
of the two words' spelling skeletons (:func:`skeleton`: the regular
correspondences of Indonesian loanword spelling, c/k, ph/f, x/ks, -tion/-si,
-ty/-tas, folded to one form), counted only between words of at least
:data:`COGNATE_MIN_LETTERS` letters.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["COGNATE_LCSR", "COGNATE_MIN_LETTERS", "skeleton", "lcsr", "cognate_similarity", "cognate_evidence",
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


def cognate_evidence(id_word: str, en_word: str) -> float:
    """How much a cognate similarity says, 0..1: 0 at :data:`COGNATE_LCSR` (where pairs
    start to be cognates more often than chance), 1 for the same skeleton."""
    score = cognate_similarity(id_word, en_word)
    return (score - COGNATE_LCSR) / (1.0 - COGNATE_LCSR) if score else 0.0


_ALL_KINDS = frozenset({"identical", "dictionary", "cognate"})


#: Shortest shared stem of an English word and a listed translation that counts as the same
#: word family ("relation" of "relationship", "educat" of "education" / "educational").
_FAMILY_STEM = 5


def _listed(en_key: str, translations) -> bool:
    """Whether an English key is a listed translation, or of its word family: one is the
    other plus a derivational suffix ("relation" / "relationship", "method" /
    "methodology"), sharing at least :data:`_FAMILY_STEM` letters."""
    if en_key in translations:
        return True
    if len(en_key) < _FAMILY_STEM or " " in en_key:
        return False  # a word family is one word's: "cyclic" is no family of "cyclic group"
    return any(len(t) >= _FAMILY_STEM and " " not in t and (t.startswith(en_key) or en_key.startswith(t))
               for t in translations)


def word_similarity(id_word: tuple, en_word: tuple, dictionary=None, kinds=_ALL_KINDS) -> tuple[float, str]:
    """``(score, kind)`` of an Indonesian and an English word, each ``(surface, key)``
    lowercased: ("identical", 1), ("dictionary", 1), ("cognate", LCSR) or ("", 0);
    ``kinds`` are the kinds of evidence used (all by default)."""
    (id_surface, id_key), (en_surface, en_key) = id_word, en_word
    if "identical" in kinds and (id_surface == en_surface or (id_key and id_key == en_key)):
        return 1.0, "identical"
    if dictionary is not None and "dictionary" in kinds and _listed(en_key, dictionary.en_keys_for(id_key)):
        return 1.0, "dictionary"
    score = cognate_evidence(id_surface, en_surface) if "cognate" in kinds else 0.0
    return (score, "cognate") if score > 0 else (0.0, "")


def phrase_words(phrase: str, key: str, stopwords=frozenset()) -> list[tuple[str, str, bool]]:
    """The content words of a phrase as ``(surface, key, name)``, surface and key lowercased.

    The key's words stand beside the surface's when both have as many words (the
    pipeline keys a phrase word by word); else each word is its own key.  ``name``: the
    word is written as an acronym or holds a digit ("WLAN", "3D"): a name, which both
    languages write the same way, so never a translation of another word.
    """
    written = phrase.split()
    keys = key.lower().split()
    if len(keys) != len(written):
        keys = [w.lower() for w in written]
    return [(w.lower(), k, _is_name(w)) for w, k in zip(written, keys)
            if w.lower() not in stopwords and k not in stopwords]


def _is_name(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return any(ch.isdigit() for ch in word) or (len(letters) >= 2 and all(ch.isupper() for ch in letters))


def _phrase_matches(id_words: list, en_words: list, dictionary, kinds) -> list:
    """Every candidate match ``(score, id indexes, en indexes, kind)``: word with word
    (:func:`word_similarity`), and where the dictionary lists a two-word phrase, two
    words with one ("luar negeri" / "foreign", "high school" / "SMA")."""
    matches = []
    for i, iw in enumerate(id_words):
        for j, ew in enumerate(en_words):
            score, kind = word_similarity(iw[:2], ew[:2], dictionary, kinds)
            if score:
                matches.append((score, (i,), (j,), kind))
    if dictionary is not None and "dictionary" in kinds:
        for i in range(len(id_words) - 1):
            listed = dictionary.en_keys_for(f"{id_words[i][1]} {id_words[i + 1][1]}")
            for j, ew in enumerate(en_words):
                if listed and _listed(ew[1], listed):
                    matches.append((1.0, (i, i + 1), (j,), "dictionary"))
        for j in range(len(en_words) - 1):
            listed = dictionary.id_keys_for(f"{en_words[j][1]} {en_words[j + 1][1]}")
            for i, iw in enumerate(id_words):
                if listed and iw[1] in listed:
                    matches.append((1.0, (i,), (j, j + 1), "dictionary"))
    return matches


def phrase_similarity(id_words: list, en_words: list, dictionary=None, kinds=_ALL_KINDS) -> tuple[float, tuple]:
    """``(score, evidence kinds)`` of two phrases given as :func:`phrase_words` lists (step 4).

    The phrase written the same way in both (up to case, hyphens and spaces) scores 1
    with evidence ``("identical",)``; so does a phrase the dictionary lists as the other's
    translation.  Otherwise the words are matched one to one (or two to one where the
    dictionary lists a two-word phrase), best first, and the score is the smaller of the
    two sides' shares of words accounted for.
    """
    if not id_words or not en_words:
        return 0.0, ()
    if "identical" in kinds and \
            "".join(w[0] for w in id_words).replace("-", "") == "".join(w[0] for w in en_words).replace("-", ""):
        return 1.0, ("identical",)
    if dictionary is not None and "dictionary" in kinds and len(id_words) + len(en_words) > 2 and _listed(
            " ".join(w[1] for w in en_words), dictionary.en_keys_for(" ".join(w[1] for w in id_words))):
        return 1.0, ("dictionary",)
    matches = _phrase_matches(id_words, en_words, dictionary, kinds)
    # best first; of equal scores the match covering more words
    matches.sort(key=lambda m: (-m[0], -(len(m[1]) + len(m[2])), m[1], m[2]))
    used_i, used_j, found = set(), set(), set()
    covered_id = covered_en = 0.0
    for score, ids, ens, kind in matches:
        if used_i.intersection(ids) or used_j.intersection(ens):
            continue
        used_i.update(ids)
        used_j.update(ens)
        covered_id += score * len(ids)
        covered_en += score * len(ens)
        found.add(kind)
    # words left on both sides: an even chance for each pair of them the dictionary
    # cannot judge (it knows neither word; names never translate)
    judged = dictionary is not None and "dictionary" in kinds
    unknown_id = [i for i in range(len(id_words)) if i not in used_i and not id_words[i][2]
                  and not (judged and dictionary.en_keys_for(id_words[i][1]))]
    unknown_en = [j for j in range(len(en_words)) if j not in used_j and not en_words[j][2]
                  and not (judged and dictionary.id_keys_for(en_words[j][1]))]
    credit = 0.5 * min(len(unknown_id), len(unknown_en))
    score = min((covered_id + credit) / len(id_words), (covered_en + credit) / len(en_words))
    return score, tuple(sorted(found))
