"""Corpus keywords as the collection's themes: concepts ranked across documents.

The keywords stage's ``corpus_keywords`` step turns every document's keyphrase list of
one language into one list for the corpus. Two functions do it:

* :func:`document_contributions` (one document, kept in the artifact so that adding a
  document reads only its own keywords): ``[concept key, phrase, rank, ...]`` per
  keyphrase, where the *concept key* is the keyphrase's key with case and inflection
  taken out (:func:`concept_key`), the rank is the phrase's place in the document's
  list, and the ranks after it name the longer concepts of the same list that
  contain this one.
* :func:`rank_corpus_keywords` (the corpus, from every document's contributions):
  concepts that differ only in case, spelling or inflection are one entry (they have
  one concept key); a shorter concept nested in a longer one is merged into it when it
  does not stand on its own (:func:`nested_parents`); entries are ranked by the sum
  over their documents of the weight of their rank there (:func:`rank_weight`), so
  that how many documents carry a theme counts and so does how central it is in each.

Rules, each from a stated principle rather than a fitted constant:

* **Same concept, variants.** Keys are already stems (Indonesian) or lemmas (English),
  with spelling variants merged by normalize; what still tells two forms of one
  concept apart is case: an acronym or a shouted title keeps its capitals in the key
  (``TRIWULANAN`` against ``triwulan``). The concept key lowercases such words and,
  when longer than an acronym (four letters), stems or lemmatizes them as a lowercase
  word would have been.
* **Names inside phrases.** A name or acronym that a document lists only inside a
  longer phrase beside common words (``ASEAN`` of ``diplomasi ASEAN``) is a theme the
  document carries too, at that phrase's rank: a name is a concept on its own, which a
  generic head word (``sistem`` of ``sistem informasi``) is not. Lists show names as
  the text writes them and other words in lower case, so the capitals tell names apart.
* **Same concept, nested.** A shorter concept S contained (as whole words, in order)
  in a longer one L is the same concept when most of S's documents (strictly more
  than half) also carry L: S then never stands on its own, it is a part of the
  term L (``Pembayaran`` of ``Sistem Pembayaran``). A shorter concept that stands
  alone in as many documents as it shares with any longer one is a broader theme
  and keeps its own entry (``diplomasi`` across documents on ``diplomasi kota`` and
  ``diplomasi ekonomi``). Among several such L, S joins the one it shares most
  documents with (then the one carried by more documents, then the higher score,
  then the first key in code-point order); L may itself join a longer one.
* **Shown form.** In each document, the entry's form is the best ranked of its
  members that the document lists: the document's own judgement of which form is
  central (002 ranks ``diplomasi kota`` first and ``implementasi diplomasi kota``
  eighth; where a list shows the full term rather than its parts, so does the
  entry). The entry shows the form most of its documents use (ties: the one of more
  words, then the first in code-point order); its ``key`` is that form's concept
  key and ``forms`` lists every form merged into it.
* **Weight of a position.** A phrase at rank r of a document's list weighs
  ``1 / log2(r + 1)``: the discount of discounted cumulative gain, the usual
  parameter-free weight of a position in a ranked list (1 at the top, 0.5 at rank 3,
  0.29 at rank 10). A document gives an entry the weight of its best-ranked member,
  so it counts once whatever number of forms of the concept it lists.
* **Order.** With at least two documents, entries carried by two or more documents
  come first: a theme of one document alone never leads. Within each group: score
  (the sum of weights, exact in millionths) descending, then number of documents
  descending, then the entry's key in code-point order.

The result depends only on the contributions (documents are visited in id order), so
an artifact updated from a new document's keywords equals one aggregated afresh.
"""

from __future__ import annotations

import heapq
import math
from functools import lru_cache

#: Capitalised words at most this long are read as acronyms: lowercased, never stemmed
#: (``AIDS`` is not ``aid``). The extractor reads shouted headings the same way.
ACRONYM_MAX_LETTERS = 4

#: Scores are summed in millionths: integer sums are exact, so a score does not depend
#: on the order documents were added in.
_MICRO = 1_000_000


def rank_weight(rank: int) -> float:
    """Weight of the phrase at ``rank`` (1 = first) of a document's list: ``1/log2(rank+1)``."""
    return 1.0 / math.log2(rank + 1)


class _MicroWeights(dict):
    """``{rank: rank_weight(rank) in millionths}``, each computed when first asked for."""

    def __missing__(self, rank: int) -> int:
        value = self[rank] = round(rank_weight(rank) * _MICRO)
        return value


_MICRO_WEIGHTS = _MicroWeights()


@lru_cache(maxsize=2)
def _word_normalizer(lang: str):
    """The one-word stemmer (id) or lemmatizer (en) of a lowercase word; identity otherwise."""
    from .stemming import word_normalizer

    normalizer = word_normalizer(lang)
    if lang == "id":
        return normalizer.stem
    if lang == "en":
        return normalizer.lemma
    return lambda word: word


@lru_cache(maxsize=65536)
def _concept_word(word: str, lang: str) -> str:
    lower = word.lower()
    if lower == word or sum(ch.isalpha() for ch in word) <= ACRONYM_MAX_LETTERS:
        return lower
    return _word_normalizer(lang)(lower) or lower


def concept_key(key: str, lang: str) -> str:
    """The concept a keyphrase key stands for: its words lowercased, and those the
    normalizer kept in capitals (shouted titles; longer than an acronym) stemmed or
    lemmatized as lowercase words (``ANALISIS TRIWULANAN`` -> ``analisis triwulan``).

    Words already in lower case are the normalizer's stems or lemmas and are kept.
    """
    return " ".join(_concept_word(word, lang) for word in key.split())


def _contained_runs(words: list[str]) -> list[str]:
    """Every proper contiguous run of ``words``, joined by spaces."""
    n = len(words)
    return [" ".join(words[start:start + size]) for size in range(1, n) for start in range(n - size + 1)]


def document_contributions(items: list[dict], lang: str) -> list[list]:
    """What one document gives the corpus keywords: per concept of its list of language
    ``lang``, best first, ``[concept key, phrase, rank, rank of a longer concept of the
    list that contains it, ...]``.

    ``rank`` is the phrase's place in the list (1 = first). When several phrases of the
    list are one concept (they differ in case or inflection only), the best ranked
    stands for it. The ranks after it name the document's concepts that hold this one
    as a run of their words (``triwulan`` in ``analisis triwulan``): the corpus counts
    from them how often a shorter concept comes with a longer one
    (:func:`nested_parents`) without comparing every pair of keys of the corpus.
    """
    out, rank_of = [], {}
    for rank, item in enumerate(items, 1):
        key = item.get("key")
        if not key:
            continue
        concept = concept_key(str(key), lang)
        if not concept or concept in rank_of:
            continue
        rank_of[concept] = rank
        out.append([concept, str(item.get("phrase", key)), rank])
    for rank, item in enumerate(items, 1):
        for name_key, name in _names_within(str(item.get("key") or ""), str(item.get("phrase") or "")):
            concept = concept_key(name_key, lang)
            if concept and concept not in rank_of:
                rank_of[concept] = rank
                out.append([concept, name, rank])
    out.sort(key=lambda entry: entry[2])  # stable: list order within a rank
    by_concept = {entry[0]: entry for entry in out}
    for entry in out:  # a longer concept, in list order: the containers' ranks come sorted
        if " " in entry[0]:
            for run in dict.fromkeys(_contained_runs(entry[0].split(" "))):
                if run in by_concept:
                    by_concept[run].append(entry[2])
    return out


def _is_name_word(word: str) -> bool:
    """Whether a word of a shown keyphrase is (part of) a name: lists show names and
    acronyms as the text writes them and every other word in lower case."""
    return any(ch.isupper() for ch in word)


def _names_within(key: str, phrase: str) -> list[tuple[str, str]]:
    """The names a keyphrase holds beside common words, as ``(key, shown form)`` pairs.

    ``diplomasi ASEAN`` holds ``ASEAN``; ``pemerintah Kota Surabaya`` holds ``Kota
    Surabaya``. A name is a concept of its own, unlike a generic head (``sistem`` of
    ``sistem informasi``): a document whose list names ASEAN only inside a longer phrase
    still carries the theme ASEAN. A phrase that is a name as a whole (``Bank
    Indonesia``) is not split, and a phrase whose shown words do not match its key word
    for word (a merged variant such as ``kerja sama``) is left alone.
    """
    key_words, shown = key.split(), phrase.split()
    if len(key_words) < 2 or len(key_words) != len(shown):
        return []
    flags = [_is_name_word(word) for word in shown]
    if all(flags) or not any(flags):
        return []
    names, start = [], None
    for index, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            names.append((" ".join(key_words[start:index]), " ".join(shown[start:index])))
            start = None
    return names


def nested_parents(shared: dict[str, dict[str, int]], df: dict[str, int],
                   scores: dict[str, int]) -> dict[str, str]:
    """Which concept each shorter concept is merged into (see the module docstring).

    Parameters
    ----------
    shared : dict
        ``{shorter key: {longer key: n}}``: in how many documents each concept is
        listed together with each longer concept that contains it.
    df : dict
        ``{concept key: number of documents listing it}``.
    scores : dict
        ``{concept key: score}`` of each concept on its own (a tie-break).

    Returns
    -------
    dict
        ``{shorter key: longer key}`` for every concept whose documents mostly
        (more than half) also list one longer concept that contains it.
    """
    parents = {}
    for short, counts in shared.items():
        best = min(counts, key=lambda key: (-counts[key], -df[key], -scores[key], key))
        if 2 * counts[best] > df[short]:
            parents[short] = best
    return parents


def _root(key: str, parents: dict[str, str]) -> str:
    while key in parents:  # a parent has more words than its child: no cycle
        key = parents[key]
    return key


def rank_corpus_keywords(contributions: dict[str, list[list]], top_n: int) -> list[dict]:
    """The corpus keywords of every document's :func:`document_contributions`.

    Parameters
    ----------
    contributions : dict
        ``{doc_id: [[concept key, phrase, rank, containers' ranks...], ...]}``.
    top_n : int
        Entries kept.

    Returns
    -------
    list of dict
        Best first (see the module docstring), each ``{"phrase", "key", "df", "score",
        "documents", "forms"}``: the form shown, the concept key, the number of
        documents, the sum of their weights, the documents (the most central first,
        then by id) and every form merged into the entry with the number of documents
        listing it (most first, then in code-point order).
    """
    doc_ids = sorted(contributions)
    weight = _MICRO_WEIGHTS
    # One light pass: per concept, its number of documents and its score on its own, and
    # how often it is listed with each longer concept that contains it.
    df: dict[str, int] = {}
    own: dict[str, int] = {}
    shared: dict[str, dict[str, int]] = {}
    df_get = df.get
    for doc_id in doc_ids:
        items = contributions[doc_id]
        nested = False
        for item in items:
            key = item[0]
            n = df_get(key)
            if n is None:
                df[key] = 1
                own[key] = weight[item[2]]
            else:
                df[key] = n + 1
                own[key] += weight[item[2]]
            if len(item) > 3:
                nested = True
        if nested:
            # A rank names the phrase listed there (a name found inside that phrase
            # shares its rank and comes after it).
            key_at = {}
            for item in items:
                key_at.setdefault(item[2], item[0])
            for item in items:
                if len(item) > 3:
                    counts = shared.setdefault(item[0], {})
                    for rank in item[3:]:
                        longer = key_at[rank]
                        counts[longer] = counts.get(longer, 0) + 1
    if not df or top_n <= 0:
        return []
    parents = nested_parents(shared, df, own)
    root_of = {key: _root(key, parents) for key in parents}
    groups: dict[str, list[str]] = {}
    for key, root in root_of.items():
        groups.setdefault(root, []).append(key)
    totals = {key: (own[key], df[key]) for key in df if key not in parents}
    if groups:
        # A document counts once in an entry, with its best-ranked member.
        root_of.update((root, root) for root in groups)
        best: dict[str, dict[int, int]] = {root: {} for root in groups}
        root_get = root_of.get
        for index, doc_id in enumerate(doc_ids):
            for item in contributions[doc_id]:
                root = root_get(item[0])
                if root is not None:
                    per_doc = best[root]
                    micro = weight[item[2]]
                    if micro > per_doc.get(index, 0):
                        per_doc[index] = micro
        totals.update((root, (sum(per_doc.values()), len(per_doc))) for root, per_doc in best.items())
    several = len(doc_ids) >= 2
    candidates = _candidates(totals, top_n, several)
    # The phrases of the candidate entries: a second pass over their members only.
    root_of = {root: root for root in candidates}
    root_of.update((key, root) for root in candidates for key in groups.get(root, ()))
    listed: dict[str, dict[str, list]] = {root: {} for root in candidates}
    for doc_id in doc_ids:
        for item in contributions[doc_id]:
            root = root_of.get(item[0])
            if root is not None:
                listed[root].setdefault(doc_id, []).append((weight[item[2]], item[0], item[1]))
    entries = [_entry(listed[root]) for root in candidates]
    entries.sort(key=lambda e: (several and e["df"] < 2, -e["score"], -e["df"], e["key"]))
    return entries[:top_n]


def _candidates(totals: dict[str, tuple[int, int]], top_n: int, several: bool) -> list[str]:
    """The keys of ``{key: (score, documents)}`` that can make the ``top_n`` best (see the
    module docstring for the order): those ordered before the ``top_n``-th and every one
    tied with it (the last tie-break, the entry's key, is known once the entry is made)."""
    def order_key(key):
        score, df = totals[key]
        return (several and df < 2, -score, -df)

    first = [k for k, (_, df) in totals.items() if df >= 2] if several else list(totals)
    if len(first) >= top_n:
        # Only keys scoring at least the top_n-th best score can make the list.
        floor = heapq.nlargest(top_n, (totals[k][0] for k in first))[-1]
        first = [k for k in first if totals[k][0] >= floor]
    else:
        first = list(totals)
    first.sort(key=order_key)
    last = order_key(first[min(top_n, len(first)) - 1])
    return [k for k in first if order_key(k) <= last]


def _entry(listed: dict[str, list[tuple[int, str, str]]]) -> dict:
    """One entry of :func:`rank_corpus_keywords` from the concepts merged into it, given as
    ``{doc_id: [(weight, concept key, phrase) of each of them the document lists]}``."""
    weight_of: dict[str, int] = {}
    form_docs: dict[str, int] = {}
    used: dict[tuple[str, str], int] = {}
    for doc_id, members in listed.items():
        for _, _, phrase in members:
            form_docs[phrase] = form_docs.get(phrase, 0) + 1
        # the document's form of the entry: its best-ranked member
        weight, key, phrase = max(members)
        weight_of[doc_id] = weight
        used[(phrase, key)] = used.get((phrase, key), 0) + 1
    phrase, key = min(used, key=lambda form: (-used[form], -form[1].count(" "), form))
    return {"phrase": phrase, "key": key, "df": len(weight_of),
            "score": round(sum(weight_of.values()) / _MICRO, 6),
            "documents": sorted(weight_of, key=lambda d: (-weight_of[d], d)),
            "forms": [{"phrase": p, "df": n} for p, n in sorted(form_docs.items(), key=lambda kv: (-kv[1], kv[0]))]}
