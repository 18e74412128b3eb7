"""Pair the Indonesian and English terms of one bilingual document.

A bilingual abstract is a small parallel text: its two keyword lines and its two
keyphrase lists name mostly the same concepts.  :func:`align_terms` pairs them:

1. **Terms.**  Each language's author keywords (with their place in the keyword
   line) and keyphrases (with the relative place of their first occurrence in the
   abstract), one term per key: an author keyword and a keyphrase with the same
   key are one term, shown as the author wrote it.
2. **Lexical evidence** (:func:`~pipeline.text.bilingual.lexicon.phrase_similarity`):
   the share of the two phrases' words matched one to one as identical, dictionary
   translations or cognates.
3. **Glossary evidence**: the corpus glossary's link of the two keys, counted over
   the OTHER documents that link them (a document is no evidence for itself):
   ``n / (n + 1)`` for ``n`` such documents (Laplace's rule of succession).
4. **Combined score**: the two as independent evidence, ``1 - (1 - lexical) * (1 -
   glossary)``; a pair needs more than :data:`MIN_SCORE` (more than half of its words
   accounted for; one other document linking it is not enough alone, two are).
5. **Competitive linking** (Melamed 2000): pairs are taken best score first, and a
   term once linked is not linked again; ties go to the pair whose places agree
   (same place in the two keyword lines, then nearest first occurrences).
6. **Keyword-line order**: authors often list the same concepts in the same order,
   not always.  When every author-keyword pair linked in step 5 sits at the same
   place in both lines (the lines are parallel here), the place is evidence for every
   pair of author keywords at the same place, combined with the rest as in step 4,
   and the linking is done again; its weight is the order's reliability (the
   share of evidence-linked author-keyword pairs of the corpus that sit at the same
   place, learnt by the glossary; :data:`DEFAULT_ORDER_RELIABILITY` without one, which
   pairs nothing: order alone is evidence only where a corpus shows it is more often
   right than not).  Without any evidence-linked pair, lines of equal length count as
   parallel.

The result lists the pairs best first, and the terms of each language left
without a counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import phrase_similarity, phrase_words

__all__ = ["EVIDENCE_KINDS", "MIN_SCORE", "DEFAULT_ORDER_RELIABILITY", "Term", "align_terms", "merge_terms"]

#: The kinds of evidence, each switchable (``align_terms(evidence=...)``) for ablations.
EVIDENCE_KINDS = ("identical", "dictionary", "cognate", "glossary", "keyword_order")

#: A pair needs more than half of its words accounted for, or the equivalent
#: combined evidence.
MIN_SCORE = 0.5
#: Order reliability before a corpus says otherwise: an uninformed prior, the
#: midpoint between order never and always right, so order alone pairs at the
#: threshold, never above evidence.
DEFAULT_ORDER_RELIABILITY = 0.5


@dataclass(frozen=True)
class Term:
    """One term of one language of a document.

    Attributes
    ----------
    phrase : str
        As shown (the author's form for author keywords).
    key : str
        Lowercased normalized key (stems or lemmas joined by spaces).
    source : str
        "author" (in the keyword line; also a keyphrase or not) or "keyphrase".
    line_index : int or None
        Place in the author keyword line, from 0; None for keyphrases only.
    position : float or None
        First occurrence in the document's text of this language, 0..1; None
        when it does not occur there (an author keyword never used).
    """

    phrase: str
    key: str
    source: str
    line_index: int | None = None
    position: float | None = None


def merge_terms(author: list, keyphrases: list) -> list[Term]:
    """One :class:`Term` per key from author keywords and keyphrases.

    ``author``: ``[{"phrase", "key"}, ...]`` in line order; ``keyphrases``:
    ``[{"phrase", "key", "first"?}, ...]`` best first (``first``: relative
    first occurrence, 0..1).  An author keyword's position comes from the
    keyphrase with its key, when there is one.
    """
    first = {}
    for kp in keyphrases:
        first.setdefault(str(kp["key"]).lower(), kp.get("first"))
    terms: dict = {}
    for index, ak in enumerate(author):
        key = str(ak["key"]).lower()
        if key and key not in terms:
            terms[key] = Term(str(ak["phrase"]), key, "author", index, first.get(key))
    for kp in keyphrases:
        key = str(kp["key"]).lower()
        if key and key not in terms:
            terms[key] = Term(str(kp["phrase"]), key, "keyphrase", None, kp.get("first"))
    return list(terms.values())


def _place_agreement(a: Term, b: Term) -> tuple:
    """Sort key of a pair's places (smaller is better): same place in the two keyword
    lines first, then nearest first occurrences in the two abstracts."""
    same_line = a.line_index is not None and a.line_index == b.line_index
    distance = (abs(a.position - b.position) if a.position is not None and b.position is not None
                else 1.0)
    return (0 if same_line else 1, round(distance, 9))


def _link(scored: dict, id_terms: list, en_terms: list) -> dict:
    """Competitive linking: ``{i: (j, score, evidence)}`` of the pairs above
    :data:`MIN_SCORE`, best first (ties: places that agree, then keys), each term once."""
    ranked = sorted(((-round(score, 9), _place_agreement(id_terms[i], en_terms[j]), id_terms[i].key,
                      en_terms[j].key, i, j, found, score)
                     for (i, j), (score, found) in scored.items() if score > MIN_SCORE),
                    key=lambda c: c[:4])
    linked: dict = {}
    used_en: set = set()
    for *_, i, j, found, score in ranked:
        if i in linked or j in used_en:
            continue
        linked[i] = (j, score, found)
        used_en.add(j)
    return linked


def align_terms(id_terms: list, en_terms: list, *, id_stopwords=frozenset(), en_stopwords=frozenset(),
                dictionary=None, glossary=None, doc_id: str | None = None,
                order_reliability: float | None = None, evidence=EVIDENCE_KINDS) -> dict:
    """Pair the terms of the two languages of one document (see the module's recipe).

    Parameters
    ----------
    id_terms, en_terms : list of Term
        See :func:`merge_terms`.
    id_stopwords, en_stopwords : frozenset
        Words left out of the lexical comparison ("of", "the", "dan").
    dictionary : object or None
        With ``en_keys_for(id_key) -> set`` (see :mod:`pipeline.text.bilingual.dictionary`).
    glossary : Glossary or None
        The corpus glossary; its ``evidence(id_key, en_key, doc_id)`` and
        ``order_reliability_``.
    doc_id : str or None
        This document's id: its own links are no glossary evidence for it.
    order_reliability : float or None
        Overrides the glossary's (and the default) order reliability.
    evidence : iterable of str
        The kinds of evidence used (:data:`EVIDENCE_KINDS`); leave one out for an ablation.

    Returns
    -------
    dict
        ``{"pairs": [{"id", "en", "id_key", "en_key", "score", "evidence",
        "sources"}, ...], "id_only": [phrase, ...], "en_only": [phrase, ...]}``,
        pairs best first.
    """
    evidence = frozenset(evidence)
    # how far the corpus trusts the order: learnt by the glossary, used whether or not
    # its pairs are evidence here
    reliability = order_reliability
    if reliability is None and glossary is not None:
        reliability = getattr(glossary, "order_reliability_", None)
    if reliability is None:
        reliability = DEFAULT_ORDER_RELIABILITY
    if "dictionary" not in evidence:
        dictionary = None
    if "glossary" not in evidence:
        glossary = None
    id_words = [phrase_words(t.phrase, t.key, id_stopwords) for t in id_terms]
    en_words = [phrase_words(t.phrase, t.key, en_stopwords) for t in en_terms]
    scored = {}  # (i, j) -> (score, evidence) of the pairs with any evidence
    for i, a in enumerate(id_terms):
        for j, b in enumerate(en_terms):
            lexical, kinds = phrase_similarity(id_words[i], en_words[j], dictionary, evidence)
            learnt = glossary.evidence(a.key, b.key, doc_id) if glossary is not None else 0.0
            if lexical or learnt:
                scored[(i, j)] = (1.0 - (1.0 - lexical) * (1.0 - learnt),
                                  set(kinds) | ({"glossary"} if learnt else set()))
    # pass 1: the pairs the words and the glossary make
    linked = _link(scored, id_terms, en_terms)
    # pass 2: where every author-keyword pair linked so far sits at the same place of the
    # two lines (the lines are parallel here), the place is evidence too, for every pair
    # of author keywords at the same place, and the linking is done again
    author_links = [(id_terms[i], en_terms[j]) for i, (j, _, _) in linked.items()
                    if id_terms[i].line_index is not None and en_terms[j].line_index is not None]
    n_id_line = sum(t.line_index is not None for t in id_terms)
    n_en_line = sum(t.line_index is not None for t in en_terms)
    if author_links:
        parallel = all(a.line_index == b.line_index for a, b in author_links)
    else:
        parallel = n_id_line == n_en_line and n_id_line > 0
    if parallel and "keyword_order" in evidence and reliability > MIN_SCORE:
        for i, a in enumerate(id_terms):
            if a.line_index is None:
                continue
            for j, b in enumerate(en_terms):
                if b.line_index == a.line_index:
                    score, found = scored.get((i, j), (0.0, set()))
                    scored[(i, j)] = (1.0 - (1.0 - score) * (1.0 - reliability), found | {"keyword_order"})
        linked = _link(scored, id_terms, en_terms)
    used_en = {j for j, _, _ in linked.values()}

    pairs = []
    for i, (j, score, found) in linked.items():
        a, b = id_terms[i], en_terms[j]
        pairs.append({"id": a.phrase, "en": b.phrase, "id_key": a.key, "en_key": b.key,
                      "score": round(score, 6), "evidence": sorted(found),
                      "sources": {"id": a.source, "en": b.source}})
    pairs.sort(key=lambda p: (-p["score"], p["id_key"], p["en_key"]))
    return {"pairs": pairs,
            "id_only": [t.phrase for i, t in enumerate(id_terms) if i not in linked],
            "en_only": [t.phrase for j, t in enumerate(en_terms) if j not in used_en]}
