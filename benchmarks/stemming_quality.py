"""Measure Indonesian stemming and English lemma accuracy, and normalizer speed.

Usage::

    python benchmarks/stemming_quality.py [--errors N]

Data (copies in ``tests/data``):

* ``id_gsd-ud-dev.conllu`` -- UD Indonesian-GSD dev, gold roots in LEMMA;
* ``en_gum-ud-test_400.conllu`` -- UD English-GUM test (400 sentences), gold lemmas;
* ``corpus/003_*.txt`` -- the 45 KB seed used for the speed figure.

Accuracy compares lowercase forms, skips multiword ranges (``1-2``) and empty
nodes (``1.1``) and reports two figures: on all words, and on "affixed" words
(FORM differs from LEMMA, the words where a stemmer has work to do).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def read_conllu(path: Path) -> list[list[tuple[str, str, str]]]:
    """Return sentences as lists of ``(form, lemma, upos)`` (syntactic words only)."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4 or "-" in cols[0] or "." in cols[0]:
            continue
        current.append((cols[1], cols[2], cols[3]))
    if current:
        sentences.append(current)
    return sentences


def score(sentences, predict) -> dict:
    """Accuracy of ``predict(form, index_in_sentence)`` against gold lemmas."""
    total = correct = affixed = affixed_correct = 0
    errors: Counter = Counter()
    for sentence in sentences:
        for index, (form, lemma, upos) in enumerate(sentence):
            gold = lemma.lower()
            guess = predict(form, index).lower()
            total += 1
            correct += guess == gold
            if form.lower() != gold:
                affixed += 1
                affixed_correct += guess == gold
            if guess != gold:
                errors[(form, gold, guess, upos)] += 1
    return {
        "all": correct / total if total else 0.0,
        "affixed": affixed_correct / affixed if affixed else 0.0,
        "n_all": total,
        "n_affixed": affixed,
        "errors": errors,
    }


def indonesian_scores(sentences=None) -> dict[str, dict]:
    """Scores of raw Sastrawi and of :class:`IndonesianStemmer` on GSD dev."""
    from pipeline.text.stemming import IndonesianStemmer

    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    sentences = sentences or read_conllu(DATA / "id_gsd-ud-dev.conllu")
    stemmer = IndonesianStemmer()
    sastrawi = StemmerFactory().create_stemmer()
    # The Normalizer's document evidence: a capitalised word that the text also
    # writes in lower case is not a proper noun. Here the "document" is the file.
    lower_seen = {form for sentence in sentences for form, _, _ in sentence if form.islower()}

    def raw(form, index):
        # Raw Sastrawi as a user would call it on one token (its own text
        # normalizer strips punctuation, so punctuation is passed through).
        if not any(c.isalpha() for c in form):
            return form
        return sastrawi.stem(form) or form

    def ours_sentence_only(form, index):
        return stemmer.stem(form, sentence_initial=index == 0)

    def ours(form, index):
        return stemmer.stem(form, sentence_initial=index == 0 or form.lower() in lower_seen)

    return {
        "sastrawi": score(sentences, raw),
        "ours_sentence_only": score(sentences, ours_sentence_only),
        "ours": score(sentences, ours),
    }


def english_scores(sentences=None) -> dict[str, dict]:
    """Scores of lowercasing (baseline) and :class:`EnglishLemmatizer` on GUM."""
    from pipeline.text.stemming import EnglishLemmatizer

    sentences = sentences or read_conllu(DATA / "en_gum-ud-test_400.conllu")
    lemmatizer = EnglishLemmatizer()
    return {
        "lowercase": score(sentences, lambda form, index: form),
        "ours": score(sentences, lambda form, index: lemmatizer.lemma(form)),
    }


def speed(repeats: int = 3) -> dict:
    """Tokens per second of :class:`Normalizer` on seed 003 (cold and warm)."""
    from pipeline.text.tokens import Normalizer

    text = next((ROOT / "corpus").glob("003_*.txt")).read_text(encoding="utf-8")
    start = time.perf_counter()
    normalizer = Normalizer("id")
    result = normalizer.normalize(text)
    cold = time.perf_counter() - start
    n_tokens = sum(len(s) for p in result for s in p)
    warm = []
    for _ in range(repeats):
        fresh = Normalizer("id")
        fresh.normalize("Pemanasan.")  # build spaCy + Sastrawi outside the timing
        start = time.perf_counter()
        fresh.normalize(text)
        warm.append(time.perf_counter() - start)
    return {"chars": len(text), "tokens": n_tokens, "cold_s": cold, "warm_s": min(warm), "tokens_per_s": n_tokens / min(warm)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent errors of our stemmer")
    args = parser.parse_args(argv)
    ind = indonesian_scores()
    for name, s in ind.items():
        print(f"id  {name:18s} all={s['all']:.4f} (n={s['n_all']})  affixed={s['affixed']:.4f} (n={s['n_affixed']})")
    eng = english_scores()
    for name, s in eng.items():
        print(f"en  {name:18s} all={s['all']:.4f} (n={s['n_all']})  affixed={s['affixed']:.4f} (n={s['n_affixed']})")
    sp = speed()
    print(
        f"speed seed 003: {sp['chars']} chars, {sp['tokens']} tokens, cold {sp['cold_s']:.2f}s "
        f"(incl. spaCy/Sastrawi load), warm {sp['warm_s']:.3f}s = {sp['tokens_per_s']:.0f} tokens/s"
    )
    if args.errors:
        for label, s in (("id", ind["ours"]), ("en", eng["ours"])):
            print(f"\n{label} most frequent errors (form, gold, ours, upos):")
            for key, count in s["errors"].most_common(args.errors):
                print(count, key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
