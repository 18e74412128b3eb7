"""Measure Indonesian stemming and English lemma accuracy, and normalizer speed.

Usage::

    python benchmarks/stemming_quality.py [--errors N] [--limit N] [--profile] [--no-speed]

Data (``../shared/data`` when present, else the copies in ``tests/data``):

* ``stemming/id_gsd-ud-dev.conllu`` -- UD Indonesian-GSD dev, gold roots in LEMMA
  (the set the rules were developed on);
* ``pos/id_gsd-ud-test.conllu``, ``pos/id_csui-ud-train.conllu`` -- UD
  Indonesian-GSD test and CSUI train, further sets with gold roots (skipped
  without ../shared; CSUI lemmatises less than GSD: closed-class words,
  capitalised nouns inside names and some compounds are left whole);
* ``tests/data/sastrawi_suite_pairs.tsv`` -- the one-word cases of Sastrawi's
  own test suite (PySastrawi's integration and functional tests), an
  independent set with Sastrawi's conventions;
* ``pos/en_ewt-ud-dev.conllu`` -- UD English-EWT dev (web text), gold lemmas
  and UPOS (skipped without ../shared);
* ``stemming/en_gum-ud-test.conllu`` -- UD English-GUM test, academic among
  other genres, out of domain (``tests/data/en_gum-ud-test_400.conllu`` holds
  its first 400 sentences);
* ``corpus/sinta_abstracts.jsonl`` -- 2,867 raw SINTA abstracts for the speed
  figure (``tests/data/sinta_abstracts_60.jsonl`` or seed 003 without ../shared).

Accuracy compares lowercase forms on syntactic words (multiword ranges such as
``rumahnya`` = ``rumah`` + ``nya`` are read as their parts, as annotated; empty
nodes are skipped). Indonesian figures:

* ``all`` / ``affixed`` (FORM differs from LEMMA) / ``affixed_content``
  (affixed NOUN, VERB, ADJ, ADV) / ``unaffixed`` accuracy, raw Sastrawi beside
  ours, on each file and on the two halves of GSD dev (first and second 50 % of
  the sentences);
* ``propn_kept``: share of UPOS=PROPN words that are capitalised and not
  sentence-initial whose stem equals the lowercased form (target >= 99.5 %).

"ours" gives the stemmer the capitalisation evidence a document would: a word
is sentence-initial at index 0. "ours_file_evidence" also treats a capitalised
word as uninformative when the file writes it in lower case elsewhere (what the
Normalizer does within one text). "ours_gold_upos" passes the treebank's UPOS
as a tagger would (``stem(word, sentence_initial, upos)``): the ceiling of a
tagged normalizer.

English: lemma accuracy on all words and on content words (UPOS NOUN, VERB,
ADJ, ADV), on each file and its two halves: "lookup" is
``EnglishLemmatizer.lemma(word)`` without a tag (the lookup table), "gold_upos"
the same call with the treebank's UPOS (spaCy's rule lemmatizer), and
"tagger_upos" with the UPOS of the shipped tagger (``pipeline.text.tagger``,
when installed): on GUM, which the tagger never saw, and on the tenth of EWT dev
it holds out (every 10th sentence), beside the lookup on that same tenth.

Speed: words (non-punctuation tokens) per CPU second of ``Normalizer("id")`` on
the SINTA abstracts (title + abstract per text), one process, one pass, with the word cache (default) and without it
(``cache_size=0``: every word goes through the stemmer again); English lemmas
per CPU second on the EWT and GUM tokens, without a cache, with and without tags.
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

CONTENT_UPOS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})
EN_CONTENT_UPOS = CONTENT_UPOS
ID_SETS = (
    ("gsd_dev", "stemming/id_gsd-ud-dev.conllu", "id_gsd-ud-dev.conllu"),
    ("gsd_test", "pos/id_gsd-ud-test.conllu", None),
    ("csui_train", "pos/id_csui-ud-train.conllu", None),
)
EN_SETS = (
    ("ewt_dev", "pos/en_ewt-ud-dev.conllu", None),
    ("gum_test", "stemming/en_gum-ud-test.conllu", "en_gum-ud-test_400.conllu"),
)
SASTRAWI_SUITE = DATA / "sastrawi_suite_pairs.tsv"


def data_file(shared_name: str, local_name: str | None) -> Path | None:
    """Return ``../shared/data/<shared_name>`` if it exists, else ``tests/data/<local_name>`` (None if neither)."""
    shared = SHARED / shared_name
    if shared.exists():
        return shared
    if local_name is None:
        return None
    return DATA / local_name


def read_suite_pairs(path: Path = SASTRAWI_SUITE) -> list[tuple[str, str, str]]:
    """Return ``(word, expected root, suite)`` rows of the Sastrawi test-suite file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, root, suite = line.split("\t")
            rows.append((word, root, suite))
    return rows


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
    """Accuracy of ``predict(form, index, upos)`` against gold lemmas.

    ``index`` counts the words with letters before ``form`` in its sentence, so
    0 means sentence-initial (after an opening quote or bracket too), as in the
    Normalizer. ``affixed_no_pron`` leaves out pronouns (UPOS=PRON: the clitics
    ``nya``/``ku``/``mu`` and ``ia``, whose gold lemma is the full pronoun).
    """
    total = correct = affixed = affixed_correct = propn = propn_kept = 0
    affixed_np = affixed_np_correct = affixed_content = affixed_content_correct = 0
    errors: Counter = Counter()
    for sentence in sentences:
        words_before = 0
        for form, lemma, upos in sentence:
            index = words_before
            if any(c.isalpha() for c in form):
                words_before += 1
            gold = lemma.lower()
            guess = predict(form, index, upos).lower()
            total += 1
            correct += guess == gold
            if form.lower() != gold:
                affixed += 1
                affixed_correct += guess == gold
                if upos != "PRON":
                    affixed_np += 1
                    affixed_np_correct += guess == gold
                if upos in CONTENT_UPOS:
                    affixed_content += 1
                    affixed_content_correct += guess == gold
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
        "affixed_content": affixed_content_correct / affixed_content if affixed_content else 0.0,
        "n_affixed_content": affixed_content,
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
    return score([s for s in chosen if s], lambda form, index, upos: predict(form, index + 1, upos))


def halves(sentences) -> dict[str, list]:
    """``{"full", "half_a", "half_b"}``: the sentences, their first and their second 50 %."""
    half = len(sentences) // 2
    return {"full": sentences, "half_a": sentences[:half], "half_b": sentences[half:]}


def _indonesian_systems(sentences):
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from pipeline.text.stemming import IndonesianStemmer

    stemmer = IndonesianStemmer()
    sastrawi = StemmerFactory().create_stemmer()
    lower_seen = {form for sentence in sentences for form, _, _ in sentence if form.islower()}

    def raw(form, index, upos):
        # Raw Sastrawi as a user would call it on one token (its own text
        # normalizer strips punctuation, so punctuation is passed through).
        if not any(c.isalpha() for c in form):
            return form
        return sastrawi.stem(form) or form

    def ours(form, index, upos):
        return stemmer.stem(form, sentence_initial=index == 0)

    def ours_file_evidence(form, index, upos):
        return stemmer.stem(form, sentence_initial=index == 0 or form.lower() in lower_seen)

    def ours_gold_upos(form, index, upos):
        return stemmer.stem(form, sentence_initial=index == 0, upos=upos)

    return {
        "sastrawi": raw,
        "ours": ours,
        "ours_file_evidence": ours_file_evidence,
        "ours_gold_upos": ours_gold_upos,
    }


def indonesian_scores(sentences=None) -> dict[str, dict]:
    """Scores of raw Sastrawi and of :class:`IndonesianStemmer` on one treebank (GSD dev by default).

    Returns
    -------
    dict
        ``{system: {"full": score, "half_a": score, "half_b": score}}``.
    """
    if sentences is None:
        sentences = read_conllu(data_file("stemming/id_gsd-ud-dev.conllu", "id_gsd-ud-dev.conllu"))
    parts = halves(sentences)
    return {
        name: {part: score(sents, predict) for part, sents in parts.items()}
        for name, predict in _indonesian_systems(sentences).items()
    }


def sastrawi_suite_scores(rows=None) -> dict[str, dict]:
    """Accuracy of raw Sastrawi and of ours on Sastrawi's own one-word test cases.

    Each word stands alone, so it is read as sentence-initial (``Perekonomian``
    is an ordinary word there).

    Returns
    -------
    dict
        ``{system: {suite: {"accuracy", "n", "errors"}}}`` for the suites
        ``integration``, ``functional`` and ``all``.
    """
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from pipeline.text.stemming import IndonesianStemmer

    rows = read_suite_pairs() if rows is None else rows
    stemmer = IndonesianStemmer()
    sastrawi = StemmerFactory().create_stemmer()
    systems = {
        "sastrawi": lambda word: sastrawi.stem(word) or word,
        "ours": lambda word: stemmer.stem(word, sentence_initial=True),
    }
    result: dict[str, dict] = {}
    for name, predict in systems.items():
        by_suite: dict[str, dict] = {}
        for suite in ("integration", "functional", "all"):
            chosen = [r for r in rows if suite == "all" or r[2] == suite]
            errors = [(word, gold, predict(word)) for word, gold, _ in chosen if predict(word).lower() != gold.lower()]
            n = len(chosen)
            by_suite[suite] = {"accuracy": (n - len(errors)) / n if n else 0.0, "n": n, "errors": errors}
        result[name] = by_suite
    return result


def english_scores(sentences=None) -> dict[str, dict]:
    """Scores of lowercasing, the lookup lemmas and the tagged lemmas on one treebank (GUM test by default).

    Returns
    -------
    dict
        ``{system: {part: {"all": score, "content": score}}}`` with systems
        ``lowercase``, ``lookup`` (``lemma(word)``) and ``gold_upos``
        (``lemma(word, upos)``), parts ``full``, ``half_a``, ``half_b``.
    """
    from pipeline.text.stemming import EnglishLemmatizer

    if sentences is None:
        sentences = read_conllu(data_file("stemming/en_gum-ud-test.conllu", "en_gum-ud-test_400.conllu"))
    lemmatizer = EnglishLemmatizer()
    systems = {
        "lowercase": lambda form, index, upos: form,
        "lookup": lambda form, index, upos: lemmatizer.lemma(form),
        "gold_upos": lambda form, index, upos: lemmatizer.lemma(form, upos),
    }
    return {
        name: {
            part: {"all": score(sents, predict), "content": score_content(sents, predict)}
            for part, sents in halves(sentences).items()
        }
        for name, predict in systems.items()
    }


def english_tagged_scores(sentences, held_out_every: int | None = None) -> dict[str, dict] | None:
    """Lemma accuracy with the shipped tagger's UPOS (``lemma(word, load_tagger("en").tag(words)[i])``).

    What the normalizer gets once it tags: the tagger's errors included.
    ``held_out_every=10`` keeps every 10th sentence only, the part of a
    treebank the tagger was not trained on (``benchmarks/train_tagger.py``).
    Content words are chosen by the gold UPOS. None when no tagger is installed.

    Returns
    -------
    dict or None
        ``{part: {"all": score, "content": score}}`` for ``full``, ``half_a``, ``half_b``.
    """
    try:
        from pipeline.text.tagger import load_tagger

        tagger = load_tagger("en")
    except (ImportError, OSError, LookupError, ValueError):  # no tagger weights here: nothing to measure
        return None
    from pipeline.text.stemming import EnglishLemmatizer

    if held_out_every:
        sentences = [s for i, s in enumerate(sentences) if i % held_out_every == held_out_every - 1]
    lemmatizer = EnglishLemmatizer()
    # Tag each sentence once; score() calls its predictor once per word, in
    # order, so each call takes the next precomputed lemma.
    tagged_lemmas = [
        [lemmatizer.lemma(form, tag) for (form, _, _), tag in zip(sentence, tagger.tag([w[0] for w in sentence]))]
        for sentence in sentences
    ]
    result = {}
    for part, indices in halves(list(range(len(sentences)))).items():
        sents = [sentences[i] for i in indices]
        every = iter([lemma for i in indices for lemma in tagged_lemmas[i]])
        content = iter(
            [lemma for i in indices for lemma, word in zip(tagged_lemmas[i], sentences[i]) if word[2] in CONTENT_UPOS]
        )
        result[part] = {
            "all": score(sents, lambda form, index, upos: next(every)),
            "content": score_content(sents, lambda form, index, upos: next(content)),
        }
    return result


def english_speed(sentences) -> dict[str, float]:
    """Lemmas per CPU second without a cache, without and with tags (``lemma(word)``, ``lemma(word, upos)``)."""
    from pipeline.text.stemming import EnglishLemmatizer

    words = [(form, upos) for sentence in sentences for form, _, upos in sentence]
    result = {}
    for label, tagged in (("lookup", False), ("gold_upos", True)):
        lemmatizer = EnglishLemmatizer(cache_size=0)
        lemmatizer.lemma("warm", "VERB")  # tables and spaCy's rule lemmatizer built outside the timing
        start = time.process_time()
        if tagged:
            for form, upos in words:
                lemmatizer.lemma(form, upos)
        else:
            for form, _ in words:
                lemmatizer.lemma(form)
        elapsed = time.process_time() - start
        result[label] = len(words) / elapsed if elapsed else 0.0
    return result


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


def _parts_line(parts: dict) -> str:
    return "  ".join(f"[{part}] all={v['all']['all']:.4f} content={v['content']['all']:.4f}" for part, v in parts.items())


def _line(label: str, s: dict) -> str:
    return (
        f"{label:40s} all={s['all']:.4f} (n={s['n_all']})  affixed={s['affixed']:.4f} (n={s['n_affixed']})  "
        f"affixed_content={s['affixed_content']:.4f} (n={s['n_affixed_content']})  unaffixed={s['unaffixed']:.4f}  "
        f"affixed_no_pron={s['affixed_no_pron']:.4f}  propn_kept={s['propn_kept']:.4f} (n={s['n_propn']})"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent errors of our stemmer")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N SINTA abstracts for speed")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the Normalizer")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = parser.parse_args(argv)
    id_errors, en_errors = {}, {}
    for set_name, shared_name, local_name in ID_SETS:
        path = data_file(shared_name, local_name)
        if path is None:
            print(f"id  {set_name}: not found (needs ../shared/data/{shared_name})")
            continue
        scores = indonesian_scores(read_conllu(path))
        for name, parts in scores.items():
            for part, s in parts.items():
                if part == "full" or set_name == "gsd_dev":
                    print(_line(f"id  {set_name} {name} [{part}]", s))
        id_errors[set_name] = scores["ours"]["full"]["errors"]
    suite = sastrawi_suite_scores()
    for name, suites in suite.items():
        print(
            f"id  sastrawi_suite {name:10s} "
            + "  ".join(f"{k}={v['accuracy']:.4f} (n={v['n']})" for k, v in suites.items())
        )
    english_sentences = []
    for set_name, shared_name, local_name in EN_SETS:
        path = data_file(shared_name, local_name)
        if path is None:
            print(f"en  {set_name}: not found (needs ../shared/data/{shared_name})")
            continue
        sentences = read_conllu(path)
        english_sentences.extend(sentences)
        scores = english_scores(sentences)
        for name, parts in scores.items():
            print(
                f"en  {set_name} {name:10s} "
                + _parts_line(parts)
                + f"  (n={parts['full']['all']['n_all']}, content n={parts['full']['content']['n_all']})"
            )
        en_errors[set_name] = scores["gold_upos"]["full"]["content"]["errors"]
        # EWT trained the tagger (all but every 10th sentence); GUM did not
        tagged = english_tagged_scores(sentences, held_out_every=10 if set_name == "ewt_dev" else None)
        if tagged is not None and set_name == "ewt_dev":
            tenth = english_scores([s for i, s in enumerate(sentences) if i % 10 == 9])["lookup"]
            print(
                f"en  {set_name} held-out tenth lookup     "
                + _parts_line(tenth)
            )
        if tagged is not None:
            print(
                f"en  {set_name}{' held-out tenth' if set_name == 'ewt_dev' else ''} tagger_upos "
                + _parts_line(tagged)
                + f"  (n={tagged['full']['all']['n_all']}, content n={tagged['full']['content']['n_all']})"
            )
    if not args.no_speed:
        for label, rate in english_speed(english_sentences).items():
            print(f"speed en lemmas, {label}, no cache: {rate:.0f} words/s")
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
        labelled = [("id " + k, v) for k, v in id_errors.items()] + [("en " + k, v) for k, v in en_errors.items()]
        for label, errors in labelled:
            print(f"\n{label} most frequent errors (form, gold, ours, upos):")
            for key, count in errors.most_common(args.errors):
                print(count, key)
        for name, suites in suite.items():
            print(f"\nsastrawi suite errors of {name}:", suites["all"]["errors"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
