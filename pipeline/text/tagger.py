"""Part-of-speech tagging: a Universal POS tag (UPOS) for each token of a sentence.

No trained spaCy pipeline exists for Indonesian and nothing is downloaded at run
time, so the tagger is a small model trained at development time on Universal
Dependencies treebanks (``benchmarks/train_tagger.py``) and shipped as package
data: ``resources/tagger_<lang>.npz``, with the data's licence in
``resources/tagger_<lang>.LICENSE.txt``.

The model is a linear-chain structured perceptron with averaged weights
(Collins 2002): a token's score for each tag is the sum of the weights of its
features, plus a weight for each pair of successive tags; the best tag sequence
is found by Viterbi decoding. The features are the word, its prefixes and
suffixes, its shape and case, the neighbouring words, and what lexicons know of
words the treebanks never show: for English, the classes WordNet allows a word
(nouns, verbs, adjectives, adverbs: spacy-lookups-data's lemmatizer tables) and
its Brown cluster (spacy-lookups-data, shipped with the weights for the 50,000
most frequent words); for Indonesian, the tags each word has in nlp-id's tagged
news corpus (a table shipped with the weights). Every feature of a token depends
on one word only (the token itself, or a neighbour at a fixed offset), so the
summed weights are memoised per word and a sentence costs a few array additions
and the decoding.

Tokens are the pipeline's (:mod:`pipeline.text.tokens`): hyphenated words whole
(``negara-negara``, ``e-commerce``) and, in Indonesian, clitics attached
(``kebijakannya``, ``apakah``); such a token gets the tag of the word that heads
it (``kebijakannya``: NOUN). :func:`tag_conllu` tags any CoNLL-U file, where a
multiword token's other words (``nya``, ``kah``) get the tag their treebank gives
them after a host of that tag.
"""

from __future__ import annotations

import io
import json
import random
import threading
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..errors import PipelineError
from . import LANGS
from .resources import resource_path
from .stemming import bounded_put, load_lookup_table
from .tagging.conllu import Sentence, fill_upos, parse_conllu, units

#: The 17 universal part-of-speech tags, in the order of the UD guidelines' table.
UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X")
#: Version of the weights file layout that :meth:`Tagger.load` reads.
WEIGHTS_FORMAT = 1
# Sentence boundary seen by the context features of the first and last tokens.
_BOUNDARY = "<b>"
# Memoised per-word score rows kept per tagger (5 x 17 float32: 340 bytes each).
_CACHE_WORDS = 100_000
_AFFIX_LENGTHS = (1, 2, 3, 4)
# Prefix lengths of a word's Brown-cluster bit path used as features (coarse to fine).
_CLUSTER_PREFIXES = (4, 6, 10, 20)


# -- lexicons ----------------------------------------------------------------------------------
class _EnglishLexicon:
    """Word classes WordNet allows an English word, from spacy-lookups-data's lemmatizer tables.

    A base form listed under ``lemma_index`` gives its class (``noun``); an
    irregular form in ``lemma_exc`` or a regular inflection whose rule-made base
    is listed gives the class marked inflected (``verb~``: ``running``,
    ``studies``). Read on first use; about 25 ms.
    """

    _CLASSES = ("noun", "verb", "adj", "adv")

    def __init__(self):
        self._index = None

    def _load(self):
        index = load_lookup_table("en", "lemma_index")
        exceptions = load_lookup_table("en", "lemma_exc")
        rules = load_lookup_table("en", "lemma_rules")
        self._index = {c: frozenset(index.get(c, ())) for c in self._CLASSES}
        self._exc = {c: frozenset(exceptions.get(c, {})) for c in self._CLASSES}
        self._rules = {c: tuple(tuple(rule) for rule in rules.get(c, ())) for c in self._CLASSES}

    def classes(self, lower: str) -> tuple[str, ...]:
        if self._index is None:
            self._load()
        found = []
        for name in self._CLASSES:
            if lower in self._index[name]:
                found.append(name)
            if lower in self._exc[name] or any(
                lower.endswith(old) and len(lower) > len(old) and lower[: len(lower) - len(old)] + new in self._index[name]
                for old, new in self._rules[name] if old
            ):
                found.append(name + "~")
        return tuple(found)


class _IndonesianLexicon:
    """Whether an Indonesian word, or the word without a clitic, is one of Sastrawi's root words."""

    _CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")

    def __init__(self):
        self._roots = None

    def classes(self, lower: str) -> tuple[str, ...]:
        if self._roots is None:
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            self._roots = frozenset(StemmerFactory().get_words())
        if lower in self._roots:
            return ("root",)
        for clitic in self._CLITICS:
            if lower.endswith(clitic) and lower[: -len(clitic)].rstrip("-") in self._roots:
                return ("root+" + clitic,)
        return ()


class _NoLexicon:
    """No word classes (a language without a lexicon, or a tagger trained without one)."""

    def classes(self, lower: str) -> tuple[str, ...]:
        return ()


class _TableLexicon:
    """Word classes from a table shipped with the weights (``word -> "NOUN|VERB"``), before a built-in lexicon's."""

    def __init__(self, table: dict[str, str], inner):
        self._table = table
        self._inner = inner

    def classes(self, lower: str) -> tuple[str, ...]:
        found = self._table.get(lower)
        inner = self._inner.classes(lower)
        return (("t:" + found,) if found else ()) + inner


def make_lexicon(lang: str, use: bool = True, table: dict[str, str] | None = None):
    """The lexicon whose word classes are features of ``lang``'s tagger.

    Parameters
    ----------
    lang : str
    use : bool, default True
        Whether the built-in lexicon of the language (WordNet classes for
        English, Sastrawi roots for Indonesian) is used.
    table : dict, optional
        A word-class table shipped with the weights, used in addition.
    """
    inner = {"en": _EnglishLexicon, "id": _IndonesianLexicon}.get(lang, _NoLexicon)() if use else _NoLexicon()
    return _TableLexicon(table, inner) if table else inner


# -- features ----------------------------------------------------------------------------------
def word_shape(word: str) -> str:
    """The word's character classes with runs collapsed: ``Xx``, ``x-x``, ``d.d``, ``XdX`` (at most 8 characters)."""
    out = []
    previous = ""
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if kind != previous:
            out.append(kind)
            previous = kind
    return "".join(out)[:8]


def local_features(word: str, first: bool, lexicon, clusters: dict[str, str] | None = None) -> list[str]:
    """The features of a token that depend on the token alone (and on whether it opens the sentence).

    Parameters
    ----------
    word : str
        The token as written.
    first : bool
        True for the sentence's first token, whose capital says little.
    lexicon
        An object with ``classes(lower) -> tuple of str`` (see :func:`make_lexicon`).
    """
    lower = word.lower()
    features = ["b", "w=" + lower, "sh=" + word_shape(word)]
    for n in _AFFIX_LENGTHS:
        if len(lower) > n:
            features.append(f"p{n}=" + lower[:n])
            features.append(f"s{n}=" + lower[-n:])
    if word[:1].isupper():
        features.append("cap0" if first else "cap")
        if len(word) > 1 and word.isupper():
            features.append("upper")
    parts = lower.split("-")
    if len(parts) > 1 and all(parts):
        # A hyphenated compound is mostly what its last part is (well-known, state-of-the-art);
        # an Indonesian reduplication (negara-negara, dibolak-balik) marks a plural or an action.
        features.append("hl=" + parts[-1])
        features.append("hs=" + parts[-1][-3:])
        features.append("hf=" + parts[0])
        if parts[0] == parts[-1] or parts[-1].endswith(parts[0]) or parts[0].endswith(parts[-1]):
            features.append("redup")
    classes = lexicon.classes(lower)
    if classes:
        features.append("lx=" + "|".join(classes))
        features.extend("lx1=" + name for name in classes)
    else:
        features.append("lx=")
    if clusters:
        path = clusters.get(word) or clusters.get(lower)
        if path:
            features.extend(f"c{n}=" + path[:n] for n in _CLUSTER_PREFIXES)
        else:
            features.append("c=")
    return features


def context_features(offset: int, word: str | None, lexicon, clusters: dict[str, str] | None = None) -> list[str]:
    """The features a token gets from its neighbour at ``offset`` (-2, -1, 1, 2); ``word`` None: past the edge."""
    if word is None:
        return [f"w@{offset}=" + _BOUNDARY]
    lower = word.lower()
    features = [f"w@{offset}=" + lower]
    if offset in (-1, 1):
        features.append(f"s3@{offset}=" + lower[-3:])
        features.append(f"sh@{offset}=" + word_shape(word))
        features.append(f"lx@{offset}=" + "|".join(lexicon.classes(lower)))
        if clusters:
            path = clusters.get(word) or clusters.get(lower) or ""
            features.append(f"c6@{offset}=" + path[:6])
    return features


_OFFSETS = (-2, -1, 1, 2)


def sentence_features(words: Sequence[str], lexicon, clusters: dict[str, str] | None = None) -> list[list[str]]:
    """Every feature of every token of a sentence (what training sees)."""
    out = []
    for i, word in enumerate(words):
        features = local_features(word, i == 0, lexicon, clusters)
        for offset in _OFFSETS:
            j = i + offset
            features.extend(context_features(offset, words[j] if 0 <= j < len(words) else None, lexicon, clusters))
        out.append(features)
    return out


# -- the model ---------------------------------------------------------------------------------
class _Memo:
    """Per-word score rows, in one growing array (one fancy index gathers a sentence's rows).

    Only ever appended to under the tagger's lock; a full memo is replaced by a new
    one, so a reader holding the old one still reads consistent rows.
    """

    def __init__(self, width: int):
        self.rows: dict[str | None, int] = {}
        self.table = np.zeros((1024, width), dtype=np.float32)

    def full(self, extra: int) -> bool:
        return len(self.rows) + extra > _CACHE_WORDS

    def add(self, word: str | None, row: np.ndarray) -> int:
        index = len(self.rows)
        if index >= self.table.shape[0]:
            grown = np.zeros((2 * self.table.shape[0], self.table.shape[1]), dtype=np.float32)
            grown[:index] = self.table[:index]
            self.table = grown
        self.table[index] = row
        self.rows[word] = index
        return index


def _viterbi(emissions: np.ndarray, start: np.ndarray, transitions: np.ndarray) -> list[int]:
    """Best tag sequence for per-token scores ``emissions`` (n x C), first-tag ``start`` and pair ``transitions``."""
    n = emissions.shape[0]
    if n == 0:
        return []
    delta = start + emissions[0]
    back = np.zeros((n, emissions.shape[1]), dtype=np.intp)
    for i in range(1, n):
        candidates = delta[:, None] + transitions
        back[i] = candidates.argmax(axis=0)
        delta = candidates.max(axis=0) + emissions[i]
    best = [int(delta.argmax())]
    for i in range(n - 1, 0, -1):
        best.append(int(back[i, best[-1]]))
    best.reverse()
    return best


class Tagger:
    """A trained tagger: weights per feature and tag, tag-pair weights, and what it was trained on.

    Parameters
    ----------
    lang : str
        Language of the training data.
    tags : sequence of str
        The tags it predicts (UPOS), in the column order of ``weights``.
    features : sequence of str
        Feature names, in the row order of ``weights``.
    weights : ndarray, shape (len(features), len(tags))
        Averaged perceptron weights.
    start : ndarray, shape (len(tags),)
        Weight of each tag as the first of a sentence.
    transitions : ndarray, shape (len(tags), len(tags))
        Weight of tag ``j`` following tag ``i``.
    meta : dict
        Provenance (data files and their sha256, licence, settings) and the
        clitic table used by :func:`tag_conllu`; saved with the weights.
    word_classes : dict, optional
        Word-class table, ``lowercase word -> "NN|VB"`` (its values are features).
    clusters : dict, optional
        Brown-cluster bit path of each word (its prefixes are features).

    Notes
    -----
    Reading is thread- and process-safe: the memo of per-word score vectors
    only ever gains entries, each computed the same way from the same weights,
    so output does not depend on what was tagged before.
    """

    def __init__(self, lang: str, tags: Sequence[str], features: Sequence[str], weights: np.ndarray,
                 start: np.ndarray, transitions: np.ndarray, meta: dict | None = None,
                 word_classes: dict[str, str] | None = None, clusters: dict[str, str] | None = None):
        self.lang = lang
        self.tags = tuple(tags)
        self.meta = dict(meta or {})
        self._index = {name: row for row, name in enumerate(features)}
        self._weights = np.ascontiguousarray(weights, dtype=np.float32)
        self._start = np.asarray(start, dtype=np.float32)
        self._transitions = np.asarray(transitions, dtype=np.float32)
        self._zero = np.zeros(len(self.tags), dtype=np.float32)
        self.word_classes = dict(word_classes or {})
        self.clusters = dict(clusters or {})
        self._lexicon = make_lexicon(lang, bool(self.meta.get("lexicon", True)), self.word_classes)
        self._memo = _Memo(len(self.tags) * (1 + len(_OFFSETS)))
        self._first: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def fresh(self) -> Tagger:
        """The same tagger with an empty memo (to time tagging as a new process would)."""
        return Tagger(self.lang, self.tags, self.features, self._weights, self._start, self._transitions, self.meta,
                      self.word_classes, self.clusters)

    @property
    def features(self) -> list[str]:
        """Feature names in row order."""
        return list(self._index)

    def _vector(self, names: list[str]) -> np.ndarray:
        rows = [self._index[name] for name in names if name in self._index]
        return self._weights[rows].sum(axis=0) if rows else self._zero

    def _word_row(self, word: str | None) -> np.ndarray:
        """What ``word`` adds to the scores of a token: as the token itself (not sentence-first), then as
        its neighbour at each of :data:`_OFFSETS`. ``None`` is the sentence boundary."""
        lexicon, clusters = self._lexicon, self.clusters
        local = self._zero if word is None else self._vector(local_features(word, False, lexicon, clusters))
        return np.concatenate([local] + [self._vector(context_features(offset, word, lexicon, clusters))
                                         for offset in _OFFSETS])

    def _first_correction(self, word: str) -> np.ndarray:
        """Local scores of ``word`` as a sentence's first token minus those elsewhere."""
        vector = self._first.get(word)
        if vector is None:
            vector = (self._vector(local_features(word, True, self._lexicon, self.clusters))
                      - self._vector(local_features(word, False, self._lexicon, self.clusters)))
            bounded_put(self._first, word, vector, _CACHE_WORDS)
        return vector

    def emissions(self, words: Sequence[str]) -> np.ndarray:
        """Per-token tag scores (n x C) before the tag-pair weights."""
        n, width = len(words), len(self.tags)
        # A merged multi-word variant of the pipeline (``kerja sama``) is read written solid (``kerjasama``).
        words = ["".join(word.split()) if " " in word else word for word in words]
        padded = [None, None, *words, None, None]
        memo = self._memo
        rows = [memo.rows.get(word) for word in padded]
        if None in rows:
            with self._lock:
                if memo is not self._memo:  # replaced while waiting: work on the new one
                    memo = self._memo
                if memo.full(len(padded)):
                    memo = self._memo = _Memo(memo.table.shape[1])
                rows = [memo.rows.get(word) for word in padded]
                for k, word in enumerate(padded):
                    if rows[k] is None:
                        row = memo.rows.get(word)  # a word met twice in the sentence is added once
                        rows[k] = memo.add(word, self._word_row(word)) if row is None else row
        table = memo.table[rows]
        scores = table[2:n + 2, :width].copy()
        for k in range(len(_OFFSETS)):
            # the neighbour at offset o of token i is padded[i + 2 + o]
            shift = 2 + _OFFSETS[k]
            scores += table[shift:shift + n, (k + 1) * width:(k + 2) * width]
        scores[0] += self._first_correction(words[0])
        return scores

    def tag(self, words: Sequence[str]) -> list[str]:
        """The UPOS tag of each token of one sentence.

        Parameters
        ----------
        words : sequence of str
            The sentence's tokens as the pipeline cuts them (``Normalizer``'s
            surfaces): punctuation included, hyphenated words whole.

        Returns
        -------
        list of str
            One tag per token; ``[]`` for an empty sentence. Deterministic.
        """
        if not words:
            return []
        best = _viterbi(self.emissions(words), self._start, self._transitions)
        return [self.tags[i] for i in best]

    def tag_sentences(self, sentences: Iterable[Sequence[str]]) -> list[list[str]]:
        """:meth:`tag` for each sentence, decoded together (the same tags, in less time for many sentences)."""
        sentences = [list(words) for words in sentences]
        order = sorted((k for k, words in enumerate(sentences) if words), key=lambda k: -len(sentences[k]))
        out: list[list[str]] = [[] for _ in sentences]
        if not order:
            return out
        lengths = [len(sentences[k]) for k in order]
        n_tags = len(self.tags)
        emissions = np.zeros((len(order), lengths[0], n_tags), dtype=np.float32)
        for row, k in enumerate(order):
            emissions[row, : lengths[row]] = self.emissions(sentences[k])
        back = np.zeros((len(order), lengths[0], n_tags), dtype=np.intp)
        delta = self._start + emissions[:, 0]
        active = len(order)
        for i in range(1, lengths[0]):
            while lengths[active - 1] <= i:  # sentences sorted longest first: the active ones are a prefix
                active -= 1
            candidates = delta[:active, :, None] + self._transitions
            back[:active, i] = candidates.argmax(axis=1)
            delta[:active] = candidates.max(axis=1) + emissions[:active, i]
        ends = delta.argmax(axis=1).tolist()
        for row, k in enumerate(order):
            best = [ends[row]]
            pointers = back[row]
            for i in range(lengths[row] - 1, 0, -1):
                best.append(int(pointers[i, best[-1]]))
            best.reverse()
            out[k] = [self.tags[i] for i in best]
        return out

    # -- files -----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the weights (float16) and the metadata to a compressed ``.npz`` file, byte for byte reproducibly."""
        arrays = {
            "meta": json.dumps({"format": WEIGHTS_FORMAT, "lang": self.lang, "tags": list(self.tags), **self.meta},
                               ensure_ascii=False, sort_keys=True, indent=1),
            "features": "\n".join(self._index),
            "weights": self._weights.astype(np.float16),
            "start": self._start,
            "transitions": self._transitions,
            "word_classes": "\n".join(f"{word}\t{classes}" for word, classes in sorted(self.word_classes.items())),
            "clusters": "\n".join(f"{word}\t{path}" for word, path in sorted(self.clusters.items())),
        }
        buffer = io.BytesIO()
        # Fixed member dates, so the same weights give the same bytes (np.savez stamps the current time).
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, value in arrays.items():
                data = io.BytesIO()
                np.save(data, np.asarray(value) if not isinstance(value, str) else np.frombuffer(
                    value.encode("utf-8"), dtype=np.uint8), allow_pickle=False)
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data.getvalue(), compresslevel=9)
        Path(path).write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: str | Path) -> Tagger:
        """Read a weights file written by :meth:`save`.

        Raises
        ------
        PipelineError
            One line naming the file and the fix, when it is missing, not a
            weights file, or of another format version.
        """
        path = Path(path)
        fix = "reinstall the package, or rebuild it with: python benchmarks/train_tagger.py"
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes().decode("utf-8"))
                features = data["features"].tobytes().decode("utf-8").split("\n")
                weights, start, transitions = data["weights"], data["start"], data["transitions"]
                table = data["word_classes"].tobytes().decode("utf-8")
                cluster_table = data["clusters"].tobytes().decode("utf-8")
            word_classes = dict(line.split("\t", 1) for line in table.split("\n") if line)
            clusters = dict(line.split("\t", 1) for line in cluster_table.split("\n") if line)
        except FileNotFoundError:
            raise PipelineError(f"{path}: tagger weights missing; {fix}") from None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, EOFError) as exc:
            raise PipelineError(f"{path}: not a readable tagger weights file ({type(exc).__name__}); {fix}") from None
        if meta.get("format") != WEIGHTS_FORMAT:
            raise PipelineError(f"{path}: tagger weights of format {meta.get('format')!r}, this version reads "
                                f"{WEIGHTS_FORMAT}; {fix}")
        tags = meta.pop("tags")
        if weights.shape != (len(features), len(tags)) or transitions.shape != (len(tags), len(tags)):
            raise PipelineError(f"{path}: tagger weights do not match their feature and tag lists; {fix}")
        lang = meta.pop("lang")
        meta.pop("format")
        return cls(lang, tags, features, weights, start, transitions, meta, word_classes, clusters)


def weights_path(lang: str) -> Path:
    """Where the shipped weights of ``lang``'s tagger are."""
    return resource_path(f"tagger_{lang}.npz")


_TAGGERS: dict[str, Tagger] = {}
_TAGGERS_LOCK = threading.Lock()


def load_tagger(lang: str) -> Tagger:
    """The shipped tagger of ``lang`` (``"id"`` or ``"en"``), loaded once per process.

    Raises
    ------
    PipelineError
        For another language, or when the weights file is missing or unreadable.
    """
    tagger = _TAGGERS.get(lang)
    if tagger is not None:
        return tagger
    if lang not in LANGS:
        raise PipelineError(f"--lang {lang}: no tagger for this language; use one of {', '.join(LANGS)}")
    with _TAGGERS_LOCK:
        tagger = _TAGGERS.get(lang)
        if tagger is None:
            tagger = _TAGGERS[lang] = Tagger.load(weights_path(lang))
    return tagger


# -- training ----------------------------------------------------------------------------------
def train_tagger(sentences: Sequence[tuple[Sequence[str], Sequence[str]]], lang: str, epochs: int = 10,
                 seed: int = 0, lexicon: bool = True, meta: dict | None = None,
                 word_classes: dict[str, str] | None = None, clusters: dict[str, str] | None = None) -> Tagger:
    """Train a tagger on tagged sentences (structured averaged perceptron, Viterbi decoding).

    Parameters
    ----------
    sentences : sequence of (words, tags)
        Tokens and their UPOS tags.
    lang : str
        Language (chooses the lexicon).
    epochs : int, default 10
        Passes over the data; the order of each pass is a seeded shuffle.
    seed : int, default 0
        Seed of the shuffles: the same data and seed give the same weights.
    lexicon : bool, default True
        Whether the lexicon's word classes are features.
    meta : dict, optional
        Stored with the weights (provenance).
    word_classes : dict, optional
        A word-class table (``word -> "NOUN|VERB"``) whose entries are
        features too; stored with the weights.

    Returns
    -------
    Tagger
    """
    lex = make_lexicon(lang, lexicon, word_classes)
    present = {tag for _, tags in sentences for tag in tags}
    tags = [t for t in UPOS if t in present] + sorted(present - set(UPOS))
    tag_id = {t: i for i, t in enumerate(tags)}
    index: dict[str, int] = {}
    data = []
    for words, gold in sentences:
        if not words:
            continue
        rows = [np.array([index.setdefault(f, len(index)) for f in features], dtype=np.intp)
                for features in sentence_features(words, lex, clusters)]
        data.append((rows, [tag_id[t] for t in gold]))
    n_tags = len(tags)
    weights = np.zeros((len(index), n_tags))
    totals = np.zeros_like(weights)  # sum of update * time, for the average (Daume's trick)
    start, start_totals = np.zeros(n_tags), np.zeros(n_tags)
    pairs, pair_totals = np.zeros((n_tags, n_tags)), np.zeros((n_tags, n_tags))
    rng = random.Random(seed)
    order = list(range(len(data)))
    step = 1
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            rows, gold = data[k]
            flat = np.concatenate(rows)
            offsets = np.cumsum([0] + [len(r) for r in rows[:-1]])
            emissions = np.add.reduceat(weights[flat], offsets, axis=0)
            guess = _viterbi(emissions, start, pairs)
            if guess != gold:
                for i, (g, p) in enumerate(zip(gold, guess)):
                    if g != p:
                        weights[rows[i], g] += 1
                        weights[rows[i], p] -= 1
                        totals[rows[i], g] += step
                        totals[rows[i], p] -= step
                    previous_gold, previous_guess = (gold[i - 1], guess[i - 1]) if i else (None, None)
                    if (previous_gold, g) != (previous_guess, p):
                        if i == 0:
                            start[g] += 1
                            start[p] -= 1
                            start_totals[g] += step
                            start_totals[p] -= step
                        else:
                            pairs[previous_gold, g] += 1
                            pairs[previous_guess, p] -= 1
                            pair_totals[previous_gold, g] += step
                            pair_totals[previous_guess, p] -= step
            step += 1
    averaged = weights - totals / step
    keep = np.abs(averaged).max(axis=1) > 0
    features = [name for name, kept in zip(index, keep) if kept]
    info = {"lexicon": lexicon, "epochs": epochs, "seed": seed, **(meta or {})}
    return Tagger(lang, tags, features, averaged[keep], start - start_totals / step, pairs - pair_totals / step, info,
                  word_classes, clusters)


# -- CoNLL-U -----------------------------------------------------------------------------------
def tag_conllu(text: str, tagger: Tagger) -> tuple[str, int, int]:
    """Tag a CoNLL-U text: its UPOS column filled by the tagger, tokens as given.

    Indonesian multiword tokens (``bukunya`` = ``buku`` + ``nya``) are tagged as
    the pipeline sees them, whole; the host word gets the token's tag, the
    clitic the tag the training treebanks give it after a host of that tag.

    Parameters
    ----------
    text : str
        A CoNLL-U file's content.
    tagger : Tagger

    Returns
    -------
    (str, int, int)
        The tagged text, and how many of its words carried a UPOS tag and how
        many of those the tagger matched (both 0 for an untagged file).

    Raises
    ------
    ValueError
        ``"line N: ..."`` for malformed CoNLL-U.
    """
    out_lines = []
    correct = total = 0
    for sentence in parse_conllu(text):
        predicted = tag_words(sentence, tagger)
        for word, tag in zip(sentence.words, predicted):
            if word.upos != "_":
                total += 1
                correct += word.upos == tag
        out_lines.extend(fill_upos(sentence, predicted))
        out_lines.append("")
    return "\n".join(out_lines) + ("\n" if out_lines else ""), correct, total


def tag_words(sentence: Sentence, tagger: Tagger) -> list[str]:
    """The tagger's UPOS tag for each syntactic word of a parsed CoNLL-U sentence."""
    multiword = bool(tagger.meta.get("keep_multiword", False))
    sentence_units = units(sentence, keep_multiword=multiword, join_hyphens=False)
    tags = tagger.tag([unit.form for unit in sentence_units])
    clitics = tagger.meta.get("clitic_tags", {})
    out = [""] * len(sentence.words)
    for unit, tag in zip(sentence_units, tags):
        for i in unit.words:
            if i == unit.head:
                out[i] = tag
            else:
                form = sentence.words[i].form.lower()
                out[i] = clitics.get(f"{tag} {form}") or clitics.get(form) or tag
    return out


def clitic_table(sentences: Iterable[Sentence], keep_multiword: bool) -> dict[str, str]:
    """The tag of each non-head word of a multiword token, after a host of each tag, from training data.

    Keys are ``"HOSTTAG form"`` and ``"form"`` (any host); values the most
    frequent tag (ties: alphabetical), as :func:`tag_words` uses them.
    """
    by_host: dict[str, Counter] = {}
    for sentence in sentences:
        for unit in units(sentence, keep_multiword=keep_multiword, join_hyphens=False):
            host = sentence.words[unit.head].upos
            for i in unit.words:
                if i != unit.head:
                    form = sentence.words[i].form.lower()
                    by_host.setdefault(f"{host} {form}", Counter())[sentence.words[i].upos] += 1
                    by_host.setdefault(form, Counter())[sentence.words[i].upos] += 1
    return {key: min(counts.items(), key=lambda item: (-item[1], item[0]))[0] for key, counts in sorted(by_host.items())}
