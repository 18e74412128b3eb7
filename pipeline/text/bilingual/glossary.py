"""The corpus glossary: Indonesian and English terms that name one concept, learnt
from every bilingual document of a collection.

Recipe of :meth:`Glossary.fit`:

1. **Per document** with terms in both languages, pair them by their own evidence
   (:func:`~pipeline.text.bilingual.align.align_terms` without a glossary: identical
   forms, dictionary, cognates, keyword-line order).  Each pair is one vote for
   the two keys ("linked").
2. **Co-occurrence** over the bilingual documents: in how many documents each
   Indonesian key, each English key and each pair of them occur (``c_id``, ``c_en``,
   ``c_pair``), scored by Dunning's log-likelihood ratio (G², one degree of
   freedom).  A pair that co-occurs in at least :data:`MIN_COOCCURRENCE`
   documents with G² of at least :data:`G2_CRITICAL` (p < 0.001) is a candidate
   even where no document linked it: terms with no lexical tie that recur
   together ("anak usia dini" / "early childhood").
3. **Competitive linking** (Melamed 2000) over the corpus: candidate pairs sorted by
   documents linking them, then G², then keys; a key joins one entry only.
4. **Order reliability**: of the author-keyword pairs linked by evidence, the
   share that sit at the same place in the two keyword lines; the document
   aligner trusts the order of parallel lines that much.

Each entry: the Indonesian and English forms as written (most frequent first),
the keys, the documents linking them and those holding either key, and its
score (documents linking it plus G² / (G² + 1) as a tie-break within a count).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from .align import align_terms

__all__ = ["G2_CRITICAL", "MIN_COOCCURRENCE", "Glossary", "g2"]

#: Chi-square critical value at p = 0.001, one degree of freedom.
G2_CRITICAL = 10.83
#: Co-occurrence alone needs two documents: one shared document is no association.
MIN_COOCCURRENCE = 2


def _xlogx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def g2(c_pair: int, c_id: int, c_en: int, n: int) -> float:
    """Dunning's log-likelihood ratio of a 2x2 table of document counts."""
    k11 = c_pair
    k12 = c_id - c_pair
    k21 = c_en - c_pair
    k22 = n - c_id - c_en + c_pair
    if min(k11, k12, k21, k22) < 0:
        return 0.0
    total = (_xlogx(k11) + _xlogx(k12) + _xlogx(k21) + _xlogx(k22)
             - _xlogx(k11 + k12) - _xlogx(k21 + k22) - _xlogx(k11 + k21) - _xlogx(k12 + k22)
             + _xlogx(n))
    return max(0.0, 2.0 * total)


class Glossary:
    """Bilingual term pairs of a corpus (see the module's recipe).

    Parameters
    ----------
    min_cooccurrence : int
        Documents a pair must share to be a candidate by co-occurrence alone.
    g2_critical : float
        G² a pair found by co-occurrence alone must reach.

    Attributes
    ----------
    entries_ : list of dict
        ``{"id": [forms], "en": [forms], "id_key", "en_key", "linked": n,
        "documents": n, "g2": x, "score": x, "doc_ids": [...]}`` best first.
    order_reliability_ : float or None
        Share of evidence-linked author-keyword pairs at the same place of the two
        lines; None when the corpus has none.
    n_documents_ : int
        Bilingual documents fitted on.
    """

    def __init__(self, min_cooccurrence: int = MIN_COOCCURRENCE, g2_critical: float = G2_CRITICAL):
        self.min_cooccurrence = min_cooccurrence
        self.g2_critical = g2_critical

    def get_params(self) -> dict:
        return {"min_cooccurrence": self.min_cooccurrence, "g2_critical": self.g2_critical}

    # -- fitting ------------------------------------------------------------------

    def fit(self, documents, *, id_stopwords=frozenset(), en_stopwords=frozenset(), dictionary=None):
        """Learn the entries from ``documents``: ``(doc_id, id_terms, en_terms)`` triples
        (:class:`~pipeline.text.bilingual.align.Term` lists), bilingual documents only."""
        linked: dict = defaultdict(set)          # (id_key, en_key) -> doc ids linking it
        c_id: Counter = Counter()
        c_en: Counter = Counter()
        c_pair: Counter = Counter()
        holders = {"id": defaultdict(set), "en": defaultdict(set)}
        forms = {"id": defaultdict(Counter), "en": defaultdict(Counter)}
        same_place = evidence_pairs = 0
        n = 0
        for doc_id, id_terms, en_terms in documents:
            if not id_terms or not en_terms:
                continue
            n += 1
            for lang, terms in (("id", id_terms), ("en", en_terms)):
                for t in terms:
                    holders[lang][t.key].add(doc_id)
                    forms[lang][t.key][t.phrase] += 1
            id_keys = {t.key for t in id_terms}
            en_keys = {t.key for t in en_terms}
            c_id.update(id_keys)
            c_en.update(en_keys)
            c_pair.update((a, b) for a in id_keys for b in en_keys)
            result = align_terms(id_terms, en_terms, id_stopwords=id_stopwords, en_stopwords=en_stopwords,
                                 dictionary=dictionary)
            line = {("id", t.key): t.line_index for t in id_terms}
            line.update({("en", t.key): t.line_index for t in en_terms})
            for pair in result["pairs"]:
                linked[(pair["id_key"], pair["en_key"])].add(doc_id)
                a, b = line.get(("id", pair["id_key"])), line.get(("en", pair["en_key"]))
                if a is not None and b is not None and set(pair["evidence"]) - {"keyword_order"}:
                    evidence_pairs += 1
                    same_place += a == b
        self.n_documents_ = n
        self.order_reliability_ = same_place / evidence_pairs if evidence_pairs else None
        candidates = []
        for pair, count in c_pair.items():
            docs = linked.get(pair, ())
            score_g2 = g2(count, c_id[pair[0]], c_en[pair[1]], n)
            if docs or (count >= self.min_cooccurrence and score_g2 >= self.g2_critical):
                candidates.append((-len(docs), -round(score_g2, 9), pair[0], pair[1], count, score_g2))
        candidates.sort()
        used_id, used_en = set(), set()
        entries = []
        for neg_links, _, id_key, en_key, count, score_g2 in candidates:
            if id_key in used_id or en_key in used_en:
                continue
            used_id.add(id_key)
            used_en.add(en_key)
            docs = sorted(linked.get((id_key, en_key), ()))
            entries.append({
                "id": _ranked_forms(forms["id"][id_key]), "en": _ranked_forms(forms["en"][en_key]),
                "id_key": id_key, "en_key": en_key, "linked": len(docs), "documents": count,
                "g2": round(score_g2, 6), "score": round(len(docs) + score_g2 / (score_g2 + 1.0), 6),
                "doc_ids": sorted(holders["id"][id_key] | holders["en"][en_key]),
                "linked_ids": docs,
            })
        entries.sort(key=lambda e: (-e["score"], e["id_key"], e["en_key"]))
        self.entries_ = entries
        self._index()
        return self

    def _index(self) -> None:
        self._by_pair = {(e["id_key"], e["en_key"]): e for e in self.entries_}
        self._by_key = {"id": {e["id_key"]: e for e in self.entries_},
                        "en": {e["en_key"]: e for e in self.entries_}}

    # -- use ------------------------------------------------------------------------

    def evidence(self, id_key: str, en_key: str, doc_id: str | None = None) -> float:
        """How much the corpus says two keys pair: ``n / (n + 1)`` for the ``n`` OTHER
        documents linking them (0 when they are no entry)."""
        entry = getattr(self, "_by_pair", {}).get((id_key, en_key))
        if entry is None:
            return 0.0
        n = entry["linked"] - (doc_id in entry["linked_ids"] if doc_id is not None else 0)
        if n <= 0 and entry["g2"] >= self.g2_critical and entry["documents"] >= self.min_cooccurrence:
            # co-occurrence evidence: count the shared documents other than this one
            n = entry["documents"] - (1 if doc_id is not None and doc_id in entry["doc_ids"] else 0) - 1
        return n / (n + 1.0) if n > 0 else 0.0

    def lookup(self, key: str, lang: str) -> dict | None:
        """The entry holding a lowercased key of ``lang``, or None."""
        return getattr(self, "_by_key", {}).get(lang, {}).get(key)

    # -- persistence ------------------------------------------------------------------

    def to_dict(self) -> dict:
        return {"params": self.get_params(), "n_documents": self.n_documents_,
                "order_reliability": (None if self.order_reliability_ is None
                                      else round(self.order_reliability_, 6)),
                "entries": self.entries_}

    @classmethod
    def from_dict(cls, d: dict) -> "Glossary":
        glossary = cls(**d.get("params", {}))
        glossary.n_documents_ = d["n_documents"]
        glossary.order_reliability_ = d.get("order_reliability")
        glossary.entries_ = list(d["entries"])
        glossary._index()
        return glossary


def _ranked_forms(counts: Counter) -> list[str]:
    """Forms most frequent first; ties: fewer capitals, then alphabetical."""
    return [f for f, _ in sorted(counts.items(), key=lambda fc: (-fc[1], sum(ch.isupper() for ch in fc[0]), fc[0]))]
