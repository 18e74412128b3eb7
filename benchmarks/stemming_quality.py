"""Measure Indonesian stemming and English lemma accuracy, and normalizer speed.

Usage::

    python benchmarks/stemming_quality.py [--errors N] [--limit N] [--profile] [--no-speed]

Data (``../shared/data`` when present, else the copies in ``tests/data``):

* ``stemming/id_gsd-ud-dev.conllu`` -- UD Indonesian-GSD dev, gold roots in LEMMA;
* ``stemming/en_gum-ud-test.conllu`` -- UD English-GUM test, gold lemmas
  (``tests/data/en_gum-ud-test_400.conllu`` holds its first 400 sentences);
* ``corpus/sinta_abstracts.jsonl`` -- 2,867 raw SINTA abstracts for the speed
  figure (``tests/data/sinta_abstracts_60.jsonl`` or seed 003 without ../shared).

Accuracy compares lowercase forms on syntactic words (multiword ranges such as
``rumahnya`` = ``rumah`` + ``nya`` are read as their parts, as annotated; empty
nodes are skipped). Indonesian figures:

* ``all`` / ``affixed`` (FORM differs from LEMMA) / ``unaffixed`` accuracy,
  raw Sastrawi beside ours, on the whole file and on its two halves (first and
  second 50 % of the sentences: the rules were chosen looking at the first half
  only, the second is held out);
* ``propn_kept``: share of UPOS=PROPN words that are capitalised and not
  sentence-initial whose stem equals the lowercased form (target >= 99.5 %).

"ours" gives the stemmer the capitalisation evidence a document would: a word
is sentence-initial at index 0. "ours_file_evidence" also treats a capitalised
word as uninformative when the file writes it in lower case elsewhere (what the
Normalizer does within one text).

English: lemma accuracy on all words and on content words (UPOS NOUN, PROPN,
VERB, ADJ, ADV).

Speed: words (non-punctuation tokens) per CPU second of ``Normalizer("id")`` on
the SINTA abstracts (title + abstract per text), one process, one pass, with the word cache (default) and without it
(``cache_size=0``: every word goes through the stemmer again).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "data"

EN_CONTENT_UPOS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})


def data_file(shared_name: str, local_name: str) -> Path:
    """Return ``../shared/data/<shared_name>`` if it exists, else ``tests/data/<local_name>``."""
    shared = SHARED / shared_name
    return shared if shared.exists() else DATA / local_name


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


def _is_capitalised(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and not any(c.isupper() for c in letters[1:])


def score(sentences, predict) -> dict:
    """Accuracy of ``predict(form, index)`` against gold lemmas.

    ``index`` counts the words with letters before ``form`` in its sentence, so
    0 means sentence-initial (after an opening quote or bracket too), as in the
    Normalizer. ``affixed_no_pron`` leaves out pronouns (UPOS=PRON: the clitics
    ``nya``/``ku``/``mu`` and ``ia``, whose gold lemma is the full pronoun).
    """
    total = correct = affixed = affixed_correct = propn = propn_kept = 0
    affixed_np = affixed_np_correct = 0
    errors: Counter = Counter()
    for sentence in sentences:
        words_before = 0
        for form, lemma, upos in sentence:
            index = words_before
            if any(c.isalpha() for c in form):
                words_before += 1
            gold = lemma.lower()
            guess = predict(form, index).lower()
            total += 1
            correct += guess == gold
            if form.lower() != gold:
                affixed += 1
                affixed_correct += guess == gold
                if upos != "PRON":
                    affixed_np += 1
                    affixed_np_correct += guess == gold
            if upos == "PROPN" and index > 0 and _is_capitalised(form):
                propn += 1
                propn_kept += guess == form.lower()
            if guess != gold:
                errors[(form, gold, guess, upos)] += 1
    unaffixed = total - affixed
    return {
        "all": correct / total if total else 0.0,
        "affixed": affixed_correct / affixed if affixed else 0.0,
        "unaffixed": (correct - affixed_correct) / unaffixed if unaffixed else 0.0,
        "affixed_no_pron": affixed_np_correct / affixed_np if affixed_np else 0.0,
        "n_affixed_no_pron": affixed_np,
        "propn_kept": propn_kept / propn if propn else 0.0,
        "n_all": total,
        "n_affixed": affixed,
        "n_propn": propn,
        "errors": errors,
    }


def score_content(sentences, predict, upos_set=EN_CONTENT_UPOS) -> dict:
    """Accuracy restricted to words whose UPOS is in ``upos_set``."""
    chosen = [[w for w in s if w[2] in upos_set] for s in sentences]
    # keep index 0 meaning "sentence-initial" only for words that really are first
    return score([s for s in chosen if s], lambda form, index: predict(form, index + 1))


def indonesian_scores(sentences=None) -> dict[str, dict]:
    """Scores of raw Sastrawi and of :class:`IndonesianStemmer` on GSD dev.

    Returns
    -------
    dict
        ``{system: {"full": score, "half_a": score, "half_b": score}}``.
    """
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from pipeline.text.stemming import IndonesianStemmer

    if sentences is None:
        sentences = read_conllu(data_file("stemming/id_gsd-ud-dev.conllu", "id_gsd-ud-dev.conllu"))
    stemmer = IndonesianStemmer()
    sastrawi = StemmerFactory().create_stemmer()
    lower_seen = {form for sentence in sentences for form, _, _ in sentence if form.islower()}

    def raw(form, index):
        # Raw Sastrawi as a user would call it on one token (its own text
        # normalizer strips punctuation, so punctuation is passed through).
        if not any(c.isalpha() for c in form):
            return form
        return sastrawi.stem(form) or form

    def ours(form, index):
        return stemmer.stem(form, sentence_initial=index == 0)

    def ours_file_evidence(form, index):
        return stemmer.stem(form, sentence_initial=index == 0 or form.lower() in lower_seen)

    half = len(sentences) // 2
    parts = {"full": sentences, "half_a": sentences[:half], "half_b": sentences[half:]}
    return {
        name: {part: score(sents, predict) for part, sents in parts.items()}
        for name, predict in (("sastrawi", raw), ("ours", ours), ("ours_file_evidence", ours_file_evidence))
    }


def english_scores(sentences=None) -> dict[str, dict]:
    """Scores of lowercasing (baseline) and :class:`EnglishLemmatizer` on GUM test.

    Returns
    -------
    dict
        ``{system: {"all": score, "content": score}}``.
    """
    from pipeline.text.stemming import EnglishLemmatizer

    if sentences is None:
        sentences = read_conllu(data_file("stemming/en_gum-ud-test.conllu", "en_gum-ud-test_400.conllu"))
    lemmatizer = EnglishLemmatizer()
    systems = {"lowercase": lambda form, index: form, "ours": lambda form, index: lemmatizer.lemma(form)}
    return {
        name: {"all": score(sentences, predict), "content": score_content(sentences, predict)}
        for name, predict in systems.items()
    }


def speed_texts(limit: int | None = None) -> tuple[str, list[str]]:
    """Return (name, texts) of the running text used for the speed figure."""
    path = data_file("corpus/sinta_abstracts.jsonl", "sinta_abstracts_60.jsonl")
    if path.exists():
        texts = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append("\n\n".join(t for t in (row.get("title"), row.get("abstract")) if t))
        texts = texts[:limit] if limit else texts
        return f"{path.name} ({len(texts)} texts)", texts
    seed = next((ROOT / "corpus").glob("003_*.txt"))
    return seed.name, [seed.read_text(encoding="utf-8")]


def speed(texts: list[str], cache_size: int | None = None) -> dict:
    """Words per second of ``Normalizer("id")`` on ``texts`` (one pass, built outside the timing)."""
    from pipeline.text.tokens import Normalizer

    normalizer = Normalizer("id") if cache_size is None else Normalizer("id", cache_size=cache_size)
    normalizer.normalize("Pemanasan.")  # build spaCy + Sastrawi outside the timing
    # CPU time of this process (one core): the machine is shared, wall time is
    # reported beside it.
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    results = [normalizer.normalize(text) for text in texts]
    elapsed = time.process_time() - start_cpu
    wall = time.perf_counter() - start_wall
    tokens = [t for r in results for p in r for s in p for t in s]
    words = sum(t[2] != "p" for t in tokens)
    return {
        "tokens": len(tokens),
        "words": words,
        "seconds": elapsed,
        "wall_seconds": wall,
        "words_per_s": words / elapsed if elapsed else 0.0,
    }


def profile(texts: list[str], top: int = 25) -> None:
    """Print a cProfile of the Normalizer over ``texts`` (cold cache)."""
    import cProfile
    import pstats

    from pipeline.text.tokens import Normalizer

    normalizer = Normalizer("id")
    normalizer.normalize("Pemanasan.")
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        normalizer.normalize(text)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def _line(label: str, s: dict) -> str:
    return (
        f"{label:34s} all={s['all']:.4f} (n={s['n_all']})  affixed={s['affixed']:.4f} (n={s['n_affixed']})  "
        f"unaffixed={s['unaffixed']:.4f}  affixed_no_pron={s['affixed_no_pron']:.4f} (n={s['n_affixed_no_pron']})  propn_kept={s['propn_kept']:.4f} (n={s['n_propn']})"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent errors of our stemmer")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N SINTA abstracts for speed")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the Normalizer")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = parser.parse_args(argv)
    ind = indonesian_scores()
    for name, parts in ind.items():
        for part, s in parts.items():
            print(_line(f"id  {name} [{part}]", s))
    eng = english_scores()
    for name, parts in eng.items():
        for part, s in parts.items():
            print(f"en  {name:10s} [{part:7s}] acc={s['all']:.4f} (n={s['n_all']})  inflected={s['affixed']:.4f} (n={s['n_affixed']})")
    if not args.no_speed:
        name, texts = speed_texts(args.limit or None)
        for label, cache_size in (("with cache", None), ("without cache", 0)):
            sp = speed(texts, cache_size)
            print(
                f"speed {name}, {label}: {sp['words']} words ({sp['tokens']} tokens) in {sp['seconds']:.2f}s "
                f"= {sp['words_per_s']:.0f} words/s"
            )
        if args.profile:
            profile(texts)
    if args.errors:
        for label, s in (("id", ind["ours"]["full"]), ("en", eng["ours"]["content"])):
            print(f"\n{label} most frequent errors (form, gold, ours, upos):")
            for key, count in s["errors"].most_common(args.errors):
                print(count, key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
