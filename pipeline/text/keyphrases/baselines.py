"""Baseline keyphrase scorers: YAKE and corpus TF-IDF, on normalized text.

Both have the interface of :class:`~pipeline.text.keyphrases.KeyphraseExtractor`
(``fit``/``extract``/``get_params``/``to_dict``/``from_dict``, same output
records), so the keywords stage can run any of them (``[keywords] method``)
and every change to the project's scorer is measured against them in the
same run.  They read the same cleaned sections, but rank plain n-grams, as
the published methods do, without the project's candidate patterns, section
weights or redundancy control.

* :class:`YakeScorer` follows YAKE! (Campos et al., Information Sciences
  509, 2020; reference implementation ``LIAAD/yake``): statistical features
  of each word inside the document only (casing, position, frequency,
  relatedness to context, spread over sentences), combined into a phrase
  score where lower is better; no corpus.
* :class:`TfidfScorer` is the corpus TF-IDF baseline: n-grams of content
  words within a sentence, ranked by raw count times smoothed idf learnt by
  ``fit`` (scikit-learn's ``TfidfVectorizer`` formula).

Build a scorer by method name with :func:`~pipeline.text.keyphrases.make_scorer`.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict

from .base import Candidate, EstimatorParams, is_acronym, select_top, token_ok, unpack_counts
from .surface import prepare_sections

__all__ = ["YakeScorer", "TfidfScorer"]


def _ngram_candidates(doc, sections, lang: str, max_words: int, inner_stopwords: bool = True):
    """Plain n-grams of 1..max_words tokens, for the baselines.

    A gram lies inside one sentence, holds no punctuation or number, and
    neither starts nor ends with a stopword; stopwords inside only with
    ``inner_stopwords`` (YAKE allows them, the TF-IDF baseline does not).  Returns
    ``(candidates by key, n_tokens, sentences)`` where ``sentences`` is the list of
    token lists in reading order.
    """
    parts = prepare_sections(doc, sections, lang)
    candidates: dict = {}
    sentences = []
    offset = 0
    paragraph_base = 0
    for section_index, (kind, paragraphs) in enumerate(parts):
        for p_index, paragraph in enumerate(paragraphs):
            for s_index, tokens in enumerate(paragraph):
                sentences.append(tokens)
                n = len(tokens)
                for start in range(n):
                    if tokens[start][2] != "w" or not token_ok(tokens[start], lang):
                        continue
                    for end in range(start + 1, min(n, start + max_words) + 1):
                        last = tokens[end - 1]
                        if last[2] in ("p", "n") or (last[2] == "w" and not token_ok(last, lang)):
                            break
                        if last[2] == "s":
                            if not inner_stopwords:
                                break
                            continue
                        span = tokens[start:end]
                        key = tuple(t[1].lower() for t in span)
                        if not all(key):
                            continue
                        cand = candidates.get(key)
                        if cand is None:
                            cand = candidates[key] = Candidate(key=key)
                        cand.norms[" ".join(t[1] for t in span)] += 1
                        cand.surfaces[" ".join(t[0] for t in span)] += 1
                        cand.count += 1
                        cand.offsets.append(offset + start)
                        cand.sentences.append(len(sentences) - 1)
                        cand.occurrences.append((section_index, paragraph_base + p_index, s_index))
                        cand.section_counts[kind] += 1
                        if start > 0 and all(t[0][:1].isupper() for t in span if t[2] == "w"):
                            cand.capitalised += 1
                offset += n
        paragraph_base += len(paragraphs)
    return candidates, offset, sentences


class _BaselineScorer(EstimatorParams):
    """Shared persistence of the baselines (parameters: :class:`EstimatorParams`)."""

    @classmethod
    def from_dict(cls, d: dict):
        """Rebuild a scorer saved with :meth:`to_dict`."""
        params = {k: v for k, v in (d.get("params") or {}).items() if k in cls._PARAM_NAMES}
        model = cls(**params)
        if "df_" in d or "df_groups_" in d:
            model.n_docs_ = int(d.get("n_docs_", 0))
            model.df_ = unpack_counts(d, "df_")
        return model


class YakeScorer(_BaselineScorer):
    """YAKE! keyphrase scoring on normalized tokens (document statistics only).

    Per word (its lowercased norm), over the sentences of the document::

        casing     = max(TF_upper, TF_acronym) / (1 + ln TF)
        position   = ln(ln(3 + median of the sentence indexes it occurs in))
        frequency  = TF / (mean TF + std TF)            (over content words)
        relatedness= 1 + (DL + DR) * TF / max TF        (DL, DR: distinct/total
                                                         neighbours in a window)
        different  = sentences holding it / sentences
        H          = relatedness * position
                     / (casing + frequency / relatedness + different / relatedness)

    and per phrase ``S = prod(H) / (TF_phrase * (1 + sum(H)))``, lower is
    better (a stopword inside a phrase contributes through the bigram
    probabilities of its neighbours, as in the reference implementation).
    Near-duplicates are not merged beyond identical stem keys, reordered
    keys and hyphen/space variants (redundancy "duplicate").

    Parameters
    ----------
    lang : str
        "id" or "en".
    max_words : int
        Longest phrase (YAKE's ``n``; the reference default is 3).
    top_n : int
        Number of keyphrases returned.
    window : int
        Co-occurrence window of the relatedness feature (reference: 1).
    """

    _PARAM_NAMES = ("lang", "max_words", "top_n", "window")

    def __init__(self, lang: str = "id", max_words: int = 3, top_n: int = 10, window: int = 1):
        self.lang = lang
        self.max_words = max_words
        self.top_n = top_n
        self.window = window

    def fit(self, docs: list, y=None) -> "YakeScorer":
        """Nothing to learn (YAKE uses one document at a time); kept for the interface."""
        self.n_docs_ = sum(1 for _ in docs or [])
        return self

    def extract(self, doc, sections=None, other=None) -> list:
        """Rank the keyphrases of one document (see :meth:`KeyphraseExtractor.extract`;
        the baseline ignores ``other``, the document in its other language)."""
        candidates, n_tokens, sentences = _ngram_candidates(doc, sections, self.lang,
                                                            max(1, int(self.max_words)))
        if not candidates:
            return []
        weights = self._word_weights(sentences)
        scored = []
        for key, cand in candidates.items():
            if cand.n_words == 1 and key[0] not in weights:
                continue
            product, total = 1.0, 0.0
            for i, word in enumerate(key):
                if word in weights:
                    product *= weights[word]
                    total += weights[word]
                else:
                    # an inner stopword: YAKE's probability of the bigrams through it
                    left, right = key[i - 1], key[i + 1]
                    p_left = self._pair.get((left, word), 0) / max(1, self._tf.get(left, 1))
                    p_right = self._pair.get((word, right), 0) / max(1, self._tf.get(word, 1))
                    prob = p_left * p_right
                    product *= 1.0 + (1.0 - prob)
                    total -= 1.0 - prob
            denom = cand.count * (1.0 + total)
            if denom <= 0:
                continue
            value = product / denom
            # select_top keeps the highest scores: rank by 1/S, report S's inverse
            scored.append((1.0 / value if value > 0 else float("inf"), cand))
        scored = [(s if math.isfinite(s) else 1e12, c) for s, c in scored]
        return select_top(scored, n_tokens, self.top_n, "duplicate")

    def _word_weights(self, sentences: list) -> dict:
        tf: Counter = Counter()
        upper: Counter = Counter()
        acronym: Counter = Counter()
        where = defaultdict(list)
        left = defaultdict(list)
        right = defaultdict(list)
        pair: Counter = Counter()
        window = max(1, int(self.window))
        for s_index, tokens in enumerate(sentences):
            words = [(t[1].lower(), t) for t in tokens if t[2] != "p"]
            for i, (word, token) in enumerate(words):
                tf[word] += 1
                where[word].append(s_index)
                surface = token[0]
                if is_acronym(surface) and len(surface) > 1:
                    acronym[word] += 1
                elif surface[:1].isupper() and i > 0:
                    upper[word] += 1
                if i + 1 < len(words):
                    pair[(word, words[i + 1][0])] += 1
                if token[2] != "w":
                    continue
                for j in range(max(0, i - window), i):
                    if words[j][1][2] == "w":
                        left[word].append(words[j][0])
                for j in range(i + 1, min(len(words), i + 1 + window)):
                    if words[j][1][2] == "w":
                        right[word].append(words[j][0])
        self._tf, self._pair = tf, pair
        content = {w for s in sentences for t in s if t[2] == "w" for w in [t[1].lower()]}
        if not content:
            return {}
        counts = [tf[w] for w in content]
        mean_tf = statistics.fmean(counts)
        std_tf = statistics.pstdev(counts) if len(counts) > 1 else 0.0
        max_tf = max(counts)
        n_sent = max(1, len(sentences))
        weights = {}
        for w in sorted(content):
            t = tf[w]
            casing = max(upper[w], acronym[w]) / (1.0 + math.log(t))
            position = math.log(math.log(3.0 + statistics.median(where[w])))
            frequency = t / (mean_tf + std_tf) if mean_tf + std_tf else 0.0
            dl = len(set(left[w])) / len(left[w]) if left[w] else 0.0
            dr = len(set(right[w])) / len(right[w]) if right[w] else 0.0
            related = 1.0 + (dl + dr) * t / max_tf
            different = len(set(where[w])) / n_sent
            weights[w] = (related * position) / (casing + frequency / related + different / related)
        return weights


class TfidfScorer(_BaselineScorer):
    """Corpus TF-IDF over content-word n-grams (the classic baseline).

    Candidates: runs of 1..``max_words`` content words inside a sentence (no
    stopword, punctuation or number inside).  Score: raw count in the
    document times ``log((1 + n_docs) / (1 + df)) + 1`` (scikit-learn's
    smooth idf), no position, section or length weighting.

    Parameters
    ----------
    lang : str
        "id" or "en".
    max_words : int
        Longest n-gram.
    top_n : int
        Number of keyphrases returned.
    """

    _PARAM_NAMES = ("lang", "max_words", "top_n")

    def __init__(self, lang: str = "id", max_words: int = 3, top_n: int = 10):
        self.lang = lang
        self.max_words = max_words
        self.top_n = top_n

    def _candidates(self, doc, sections):
        candidates, n_tokens, _ = _ngram_candidates(doc, sections, self.lang, max(1, int(self.max_words)),
                                                    inner_stopwords=False)
        return candidates, n_tokens

    def fit(self, docs: list, y=None) -> "TfidfScorer":
        """Learn document frequencies of the n-grams over a corpus."""
        df: Counter = Counter()
        n_docs = 0
        for doc in docs or []:
            n_docs += 1
            candidates, _ = self._candidates(doc, None)
            df.update(" ".join(k) for k in candidates)
        self.n_docs_ = n_docs
        self.df_ = dict(sorted(df.items()))
        return self

    def extract(self, doc, sections=None, other=None) -> list:
        """Rank the keyphrases of one document (see :meth:`KeyphraseExtractor.extract`;
        the baseline ignores ``other``, the document in its other language)."""
        candidates, n_tokens = self._candidates(doc, sections)
        n_docs = getattr(self, "n_docs_", 0)
        df = getattr(self, "df_", {})
        scored = []
        for key, cand in candidates.items():
            idf = math.log((1.0 + n_docs) / (1.0 + df.get(" ".join(key), 0))) + 1.0
            scored.append((cand.count * idf, cand))
        return select_top(scored, n_tokens, self.top_n, "duplicate")
