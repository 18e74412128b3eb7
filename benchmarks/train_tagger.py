"""Train the shipped part-of-speech taggers, measure them, and check the shipped weights.

Usage::

    python benchmarks/train_tagger.py                 # train both languages, write pipeline/text/resources/tagger_*.npz
    python benchmarks/train_tagger.py --lang id --no-write   # measure only
    python benchmarks/train_tagger.py --check         # do the shipped weights equal a rebuild?
    python benchmarks/train_tagger.py --compare       # the candidate models on the same split (slow)

Data (``../shared/data``, Universal Dependencies, CC BY-SA 4.0):

* Indonesian: ``pos/id_gsd-ud-test.conllu``, ``pos/id_csui-ud-train.conllu``,
  ``stemming/id_gsd-ud-dev.conllu``. nlp-id's tagged news corpus (MIT; its wheel is
  fetched from PyPI with ``pip download``, :data:`NLPID_REQUIREMENT`) gives a
  word-class table: each word's nlp-id tags are a feature. Trained on directly
  (``--nlpid-train``: its tags mapped to UPOS by :data:`NLPID_UPOS`), it lowers the
  held-out accuracy, so the shipped weights use it only as that table;
* English: ``pos/en_ewt-ud-dev.conllu``, with spacy-lookups-data's WordNet classes and
  Brown clusters as features. ``stemming/en_gum-ud-test.conllu`` (partly CC BY-NC-SA)
  is never trained on: it is an out-of-domain test set.

Training is deterministic (fixed epochs and shuffling seed; the weights file has fixed
member dates), so ``--check`` can compare the shipped files with a rebuild byte for byte.

Split: in each treebank, every 10th sentence (the 10th, 20th, ...) is held out;
the shipped weights are trained on the other nine tenths only, so the held-out
figures (and the tests' accuracy floors on ``tests/data``) are about unseen text.

A sentence is trained on as the pipeline tokenizes it (``pipeline.text.tagging
.conllu.units``): an Indonesian multiword token such as ``bukunya`` whole, with its
host word's tag (the pipeline keeps clitics attached); an English one split as UD
splits it (spaCy's English tokenizer splits ``didn't`` the same way); a hyphenated
word written without spaces (``wheel-chair``, split by UD English) both joined, as the
pipeline keeps it, and as given.

Accuracy is counted on syntactic words, as UD does (``tag_conllu``), overall, per
treebank, and on unknown words (whose token never occurs in the training part).
Speed: tokens per second of tagging the held-out sentences with a fresh tagger, and
milliseconds per SINTA abstract (2,867 raw abstracts, tokenized as the normalize stage
does, tokenizing not counted); load time of the weights file in a fresh process.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"

from pipeline.text.tagger import (  # noqa: E402
    Tagger,
    clitic_table,
    sentence_features,
    tag_words,
    train_tagger,
    weights_path,
)
from pipeline.text.tagging.conllu import parse_conllu, units  # noqa: E402

TREEBANKS = {
    "id": ["pos/id_gsd-ud-test.conllu", "pos/id_csui-ud-train.conllu", "stemming/id_gsd-ud-dev.conllu"],
    "en": ["pos/en_ewt-ud-dev.conllu"],
}
#: Test sets never trained on (GUM is partly non-commercial: never in shipped weights).
EXTRA_TESTS = {"en": ["stemming/en_gum-ud-test.conllu"], "id": []}
#: The pipeline keeps Indonesian clitics attached (bukunya); English tokens split as UD splits them.
KEEP_MULTIWORD = {"id": True, "en": False}
#: Whether the built-in lexicon is a feature: WordNet's classes help English (+1.9 points held out),
#: Sastrawi's roots do not help Indonesian (-0.1 point), which uses nlp-id's word classes instead.
BUILTIN_LEXICON = {"id": False, "en": True}
HELD_OUT_EVERY = 10
EPOCHS = 10
SEED = 0
LICENCE = {
    "id": "Trained on Universal Dependencies UD_Indonesian-GSD (test and dev) and UD_Indonesian-CSUI (train), "
          "CC BY-SA 4.0; lexicon features from Sastrawi's root words (MIT).",
    "en": "Trained on Universal Dependencies UD_English-EWT (dev), CC BY-SA 4.0; lexicon features from "
          "spacy-lookups-data's English lemmatizer tables (MIT; WordNet licence).",
}
#: nlp-id's tags (kumparan's tagset) as UPOS. SYM covers punctuation and symbols alike:
#: a token of punctuation characters only is PUNCT, another SYM.
NLPID_UPOS = {
    "NN": "NOUN", "NNP": "PROPN", "VB": "VERB", "JJ": "ADJ", "ADV": "ADV", "NUM": "NUM", "CC": "CCONJ",
    "SC": "SCONJ", "IN": "ADP", "DT": "DET", "PR": "PRON", "NEG": "PART", "RP": "PART", "UH": "INTJ",
    "FW": "X", "SYM": "PUNCT",
}


#: nlp-id's wheel (MIT), whose tagged corpus gives the Indonesian word-class table.
NLPID_REQUIREMENT = "nlp-id==0.1.23.0"
NLPID_CORPUS = "nlp_id/data/dataset_postag.txt"
#: English Brown clusters kept: those of the most frequent words (a size bound for the weights file).
CLUSTER_WORDS = 50_000


def nlpid_wheel(cache: Path = Path(tempfile.gettempdir()) / "train_tagger_nlpid") -> Path:
    """nlp-id's wheel, fetched from PyPI by pip (``pip download --no-deps``) unless already in ``cache``."""
    wheels = sorted(cache.glob("nlp_id-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", NLPID_REQUIREMENT,
                        "-d", str(cache)], check=True)
        wheels = sorted(cache.glob("nlp_id-*.whl"))
    return wheels[-1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_treebank(name: str) -> list:
    return parse_conllu((SHARED / name).read_text(encoding="utf-8"))


def split(sentences: list) -> tuple[list, list]:
    """(training part, held-out part): every HELD_OUT_EVERY-th sentence is held out."""
    train = [s for i, s in enumerate(sentences) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1]
    held = [s for i, s in enumerate(sentences) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    return train, held


def training_views(sentence, keep_multiword: bool) -> list[tuple[list[str], list[str]]]:
    """The sentence as the pipeline tokenizes it and as the CoNLL-U file gives it (once when equal)."""
    views = []
    for join in (True, False):
        sentence_units = units(sentence, keep_multiword=keep_multiword, join_hyphens=join)
        view = ([u.form for u in sentence_units], [sentence.words[u.head].upos for u in sentence_units])
        if view not in views:
            views.append(view)
    return views


def nlpid_sentences(path: Path, majority: dict[str, str]) -> list[tuple[list[str], list[str]]]:
    """nlp-id's tagged corpus as UPOS sentences, tokens as the pipeline cuts them.

    The tag map is :data:`NLPID_UPOS`. Closed-class conventions differ between the
    two tagsets (nlp-id: ``itu`` PR, ``adalah`` VB; UD: DET, AUX), so a word that the UD
    training part tags one way at least 90 % of at least 5 times takes that tag.
    A split clitic ``nya`` is joined back to its host, as written and as the pipeline
    tokenizes it.
    """
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            text = wheel.read(NLPID_CORPUS).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    out = []
    for block in text.split("\n\n"):
        words, tags = [], []
        for line in block.splitlines():
            if "\t" not in line:
                continue
            word, tag = line.split("\t", 1)
            tag = tag.strip().upper()
            if word.lower() == "nya" and words:
                words[-1] += word
                continue
            upos = NLPID_UPOS.get(tag, "X")
            if upos == "PUNCT" and any(c.isalnum() for c in word):
                upos = "SYM"
            upos = majority.get(word.lower(), upos)
            words.append(word)
            tags.append(upos)
        if words:
            out.append((words, tags))
    return out


def nlpid_word_classes(path: Path, min_share: float = 0.1) -> dict[str, str]:
    """nlp-id's tags of each word (lowercased) as a word-class table: the tags of at least 10 % of its occurrences.

    nlp-id's own tags, not mapped: the tagger learns from the UD data what each of
    them says about a UPOS tag. A clitic ``nya`` split off in nlp-id is joined back,
    the token keeping its host's tag.
    """
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            text = wheel.read(NLPID_CORPUS).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    counts: dict[str, Counter] = {}
    for block in text.split("\n\n"):
        previous = None
        for line in block.splitlines():
            if "\t" not in line:
                continue
            word, tag = line.split("\t", 1)
            tag = tag.strip().upper()
            if word.lower() == "nya" and previous is not None:
                host, host_tag = previous
                counts.setdefault((host + "nya").lower(), Counter())[host_tag] += 1
                continue
            counts.setdefault(word.lower(), Counter())[tag] += 1
            previous = (word, tag)
    table = {}
    for word, counter in counts.items():
        total = sum(counter.values())
        kept = sorted(tag for tag, n in counter.items() if n >= min_share * total)
        table[word] = "|".join(kept)
    return table


def brown_clusters(top: int | None) -> dict[str, str]:
    """spacy-lookups-data's English Brown clusters (``lexeme_cluster``) as bit paths, of the ``top`` most frequent words."""
    from pipeline.text.stemming import load_lookup_table

    clusters = load_lookup_table("en", "lexeme_cluster")
    probs = load_lookup_table("en", "lexeme_prob")
    words = sorted(clusters, key=lambda w: (-probs.get(w, -99.0), w))
    if top:
        words = words[:top]
    return {w: format(clusters[w], "b") for w in words if clusters[w]}


def majority_tags(sentences) -> dict[str, str]:
    """Words the UD training part tags one way at least 90 % of at least 5 times."""
    counts: dict[str, Counter] = {}
    for words, tags in sentences:
        for word, tag in zip(words, tags):
            counts.setdefault(word.lower(), Counter())[tag] += 1
    out = {}
    for word, counter in counts.items():
        tag, n = counter.most_common(1)[0]
        if sum(counter.values()) >= 5 and n >= 0.9 * sum(counter.values()):
            out[word] = tag
    return out


def evaluate(tagger, sentences, known: set[str]) -> dict:
    """Word accuracy, unknown-word accuracy, and tagging speed on parsed held-out sentences."""
    correct = total = unknown_correct = unknown_total = 0
    start = time.perf_counter()
    predictions = [tag_words(s, tagger) for s in sentences]
    seconds = time.perf_counter() - start
    n_units = 0
    for sentence, predicted in zip(sentences, predictions):
        sentence_units = units(sentence, keep_multiword=bool(tagger.meta.get("keep_multiword")), join_hyphens=False)
        n_units += len(sentence_units)
        for unit in sentence_units:
            is_unknown = unit.form.lower() not in known
            for i in unit.words:
                ok = predicted[i] == sentence.words[i].upos
                correct += ok
                total += 1
                if is_unknown:
                    unknown_correct += ok
                    unknown_total += 1
    return {"accuracy": correct / total, "words": total, "unknown_accuracy": unknown_correct / max(unknown_total, 1),
            "unknown_words": unknown_total, "tokens_per_s": n_units / seconds}


def sinta_sentences(limit: int | None = None) -> list[list[list[str]]]:
    """Each SINTA abstract (title + abstract) as sentences of pipeline tokens."""
    from pipeline.text.tokens import Normalizer

    normalizer = Normalizer("id")
    path = SHARED / "corpus" / "sinta_abstracts.jsonl"
    docs = []
    with path.open(encoding="utf-8") as handle:
        for k, line in enumerate(handle):
            if limit is not None and k >= limit:
                break
            record = json.loads(line)
            text = (record.get("title") or "") + "\n\n" + (record.get("abstract") or "")
            docs.append([[tok[0] for tok in sentence] for paragraph in normalizer.normalize(text)
                         for sentence in paragraph])
    return docs


def cost_per_abstract(tag_document, docs) -> tuple[float, float]:
    """(ms per abstract, tokens per second) of ``tag_document`` (sentences -> tags) over ``docs``, CPU time."""
    tokens = sum(len(s) for d in docs for s in d)
    start = time.process_time()
    for doc in docs:
        tag_document(doc)
    seconds = time.process_time() - start
    return 1000 * seconds / len(docs), tokens / seconds


def load_seconds(path: Path) -> float:
    """Seconds to load the weights and tag a first sentence, in a fresh process (imports not counted)."""
    code = (
        "import time, sys; sys.path.insert(0, %r)\n"
        "import pipeline.text.tagger as t, pipeline.text.stemming, Sastrawi.Stemmer.StemmerFactory\n"
        "s = time.perf_counter(); tagger = t.Tagger.load(%r); tagger.tag(['Ini', 'kalimat', '.'])\n"
        "print(time.perf_counter() - s)\n" % (str(ROOT), str(path))
    )
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def build(lang: str, builtin_lexicon: bool | None = None, nlpid_lexicon: bool = True, clusters: bool = True,
          nlpid_train: bool = False):
    """Train on the training parts.

    Returns
    -------
    (Tagger, dict, set, list)
        The tagger; the held-out sentences by treebank (and the never-trained test
        sets); the training tokens (lowercased); the training sentences.
    """
    keep = KEEP_MULTIWORD[lang]
    train_sentences, held, parsed_train = [], {}, []
    for name in TREEBANKS[lang]:
        train, held_out = split(read_treebank(name))
        parsed_train.extend(train)
        held[name] = held_out
        for sentence in train:
            train_sentences.extend(training_views(sentence, keep))
    ud_count = len(train_sentences)
    for name in EXTRA_TESTS[lang]:
        held[name + " (all, never trained on)"] = read_treebank(name)
    meta = {
        "licence": LICENCE[lang],
        "data": {name: sha256(SHARED / name) for name in TREEBANKS[lang]},
        "split": f"every {HELD_OUT_EVERY}th sentence of each treebank held out (not trained on)",
        "keep_multiword": keep,
        "clitic_tags": clitic_table(parsed_train, keep) if keep else {},
        "trainer": "benchmarks/train_tagger.py",
    }
    word_classes = word_clusters = None
    if lang == "id" and (nlpid_lexicon or nlpid_train):
        wheel = nlpid_wheel()
        with zipfile.ZipFile(wheel) as archive:
            meta["data"][f"{NLPID_REQUIREMENT}:{NLPID_CORPUS}"] = hashlib.sha256(archive.read(NLPID_CORPUS)).hexdigest()
        if nlpid_lexicon:
            word_classes = nlpid_word_classes(wheel)
        if nlpid_train:
            train_sentences.extend(nlpid_sentences(wheel, majority_tags(train_sentences)))
    if lang == "en" and clusters:
        word_clusters = brown_clusters(CLUSTER_WORDS)
        meta["data"]["spacy-lookups-data en_lexeme_cluster"] = f"{CLUSTER_WORDS} most frequent words (lexeme_prob)"
    start = time.perf_counter()
    tagger = train_tagger(train_sentences, lang, epochs=EPOCHS, seed=SEED,
                          lexicon=BUILTIN_LEXICON[lang] if builtin_lexicon is None else builtin_lexicon,
                          meta=meta, word_classes=word_classes, clusters=word_clusters)
    train_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        # measured as shipped: the weights go through the file (float16) and back
        tagger.save(Path(tmp) / "tagger.npz")
        tagger = Tagger.load(Path(tmp) / "tagger.npz")
    known = {w.lower() for words, _ in train_sentences for w in words}
    print(f"[{lang}] trained on {ud_count} UD sentence views"
          f"{f' + {len(train_sentences) - ud_count} nlp-id sentences' if nlpid_train else ''}, "
          f"{sum(len(w) for w, _ in train_sentences)} tokens, in {train_seconds:.0f} s; "
          f"{len(tagger.features)} features, {len(tagger.word_classes)} word classes, {len(tagger.clusters)} clusters",
          flush=True)
    return tagger, held, known, train_sentences


def report(lang: str, tagger, held: dict, known: set[str]) -> dict:
    results = {}
    pooled = []
    for name, sentences in held.items():
        results[name] = evaluate(tagger.fresh(), sentences, known)
        if "never trained" not in name:
            pooled.extend(sentences)
    if len(pooled) > len(held.get(TREEBANKS[lang][0], ())):
        results["held-out, all treebanks"] = evaluate(tagger.fresh(), pooled, known)
    for name, s in results.items():
        print(f"  {name:55s} acc {100 * s['accuracy']:.2f} % ({s['words']} words)  unknown {100 * s['unknown_accuracy']:.2f} % "
              f"({s['unknown_words']})  {s['tokens_per_s']:.0f} tokens/s")
    return results


# -- the candidates compared with --compare ----------------------------------------------------
class CrfTagger:
    """A linear-chain CRF (python-crfsuite, L-BFGS with L1 + L2) on the perceptron's own features."""

    def __init__(self, perceptron, sentences, model_path: Path):
        import pycrfsuite

        self.meta = perceptron.meta
        self._lexicon, self._clusters = perceptron._lexicon, perceptron.clusters
        trainer = pycrfsuite.Trainer(verbose=False)
        for words, tags in sentences:
            trainer.append(sentence_features(words, self._lexicon, self._clusters), list(tags))
        # sklearn-crfsuite's tutorial settings (c1 = c2 = 0.1, 100 iterations), not tuned here.
        trainer.set_params({"c1": 0.1, "c2": 0.1, "max_iterations": 100, "feature.possible_transitions": True})
        trainer.train(str(model_path))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))

    def fresh(self):
        return self

    def tag(self, words):
        return self._tagger.tag(sentence_features(words, self._lexicon, self._clusters)) if words else []

    def tag_sentences(self, sentences):
        return [self.tag(words) for words in sentences]


class SpacyTagger:
    """spaCy's own ``tagger`` component (default CNN tok2vec, no pretrained vectors) trained with spaCy's API."""

    def __init__(self, lang, sentences, meta, epochs: int = 20):
        import random

        import spacy
        from spacy.tokens import Doc
        from spacy.training import Example
        from spacy.util import minibatch

        self.meta = meta
        nlp = spacy.blank(lang)
        nlp.add_pipe("tagger")
        examples = [Example(Doc(nlp.vocab, words=list(w)), Doc(nlp.vocab, words=list(w), tags=list(t)))
                    for w, t in sentences]
        spacy.util.fix_random_seed(SEED)
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(SEED)
        for _ in range(epochs):  # a fixed budget, as the perceptron's, not tuned on the held-out part
            rng.shuffle(examples)
            for batch in minibatch(examples, size=32):
                nlp.update(batch, sgd=optimizer, drop=0.1)
        self._nlp = nlp
        self._doc = Doc

    def fresh(self):
        return self

    def tag(self, words):
        return self.tag_sentences([words])[0]

    def tag_sentences(self, sentences):
        tagger = self._nlp.get_pipe("tagger")
        docs = [self._doc(self._nlp.vocab, words=list(words)) for words in sentences if words]
        tagged = iter(tagger.pipe(docs, batch_size=64))
        return [[t.tag_ for t in next(tagged)] if words else [] for words in sentences]


def compare(lang: str) -> None:
    """Train the perceptron, a CRF on the same features and spaCy's tagger on the same split; print each."""
    sys.path.insert(0, "/tmp/crf")  # python-crfsuite, installed there (pip --target) for this comparison only
    perceptron, held, known, sentences = build(lang)
    docs = sinta_sentences()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        crf = CrfTagger(perceptron, sentences, Path(tmp) / "crf.model")
        crf_seconds = time.perf_counter() - start
        crf_size = (Path(tmp) / "crf.model").stat().st_size
        start = time.perf_counter()
        spacy_tagger = SpacyTagger(lang, sentences, perceptron.meta)
        spacy_seconds = time.perf_counter() - start
        spacy_tagger._nlp.to_disk(Path(tmp) / "spacy")
        spacy_size = sum(p.stat().st_size for p in (Path(tmp) / "spacy").rglob("*") if p.is_file())
        perceptron_path = Path(tmp) / "p.npz"
        perceptron.save(perceptron_path)
        for name, model, train_s, size in (
            ("averaged perceptron (this module)", perceptron, None, perceptron_path.stat().st_size),
            ("CRF (python-crfsuite), same features", crf, crf_seconds, crf_size),
            ("spaCy tagger (CNN, no vectors)", spacy_tagger, spacy_seconds, spacy_size),
        ):
            print(f"  -- {name}: trained in {train_s or 0:.0f} s, {size / 1e6:.2f} MB", flush=True)
            report(lang, model, held, known)
            ms, rate = cost_per_abstract(model.fresh().tag_sentences, docs)
            print(f"     SINTA: {ms:.2f} ms per abstract, {rate:.0f} tokens/s", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=["id", "en"], action="append", help="language(s); default both")
    parser.add_argument("--no-write", action="store_true", help="measure only; leave the shipped weights")
    parser.add_argument("--check", action="store_true", help="rebuild and compare with the shipped weights")
    parser.add_argument("--speed", action="store_true", help="also ms per SINTA abstract and load time")
    parser.add_argument("--compare", action="store_true", help="compare with a CRF and spaCy's tagger (slow)")
    ablations = parser.add_argument_group("measurements (never written)")
    ablations.add_argument("--builtin-lexicon", choices=["yes", "no"], help="WordNet / Sastrawi-root classes as features")
    ablations.add_argument("--no-nlpid-lexicon", action="store_true", help="Indonesian without nlp-id's word classes")
    ablations.add_argument("--nlpid-train", action="store_true", help="Indonesian: also train on nlp-id's corpus")
    ablations.add_argument("--no-clusters", action="store_true", help="English without Brown clusters")
    args = parser.parse_args(argv)
    langs = args.lang or ["id", "en"]
    if args.compare:
        for lang in langs:
            compare(lang)
        return 0
    ablation = bool(args.builtin_lexicon or args.no_nlpid_lexicon or args.nlpid_train or args.no_clusters)
    status = 0
    for lang in langs:
        tagger, held, known, _ = build(
            lang, builtin_lexicon=None if args.builtin_lexicon is None else args.builtin_lexicon == "yes",
            nlpid_lexicon=not args.no_nlpid_lexicon, clusters=not args.no_clusters, nlpid_train=args.nlpid_train)
        report(lang, tagger, held, known)
        path = weights_path(lang)
        with tempfile.TemporaryDirectory() as tmp:
            rebuilt = Path(tmp) / path.name
            tagger.save(rebuilt)
            size = rebuilt.stat().st_size
            if args.check:
                same = path.exists() and rebuilt.read_bytes() == path.read_bytes()
                print(f"  {path.name}: {'equal to a rebuild' if same else 'DIFFERS from a rebuild'}")
                status |= 0 if same else 1
            elif not args.no_write and not ablation:
                path.write_bytes(rebuilt.read_bytes())
                print(f"  wrote {path} ({size / 1e6:.2f} MB)")
            if args.speed:
                print(f"  weights file {size / 1e6:.2f} MB; load + first sentence "
                      f"{1000 * load_seconds(rebuilt):.0f} ms (fresh process)")
                docs = sinta_sentences()
                for way, fresh in (("one sentence at a time", Tagger.load(rebuilt)),
                                   ("a document's sentences together", Tagger.load(rebuilt))):
                    tag = fresh.tag_sentences if "together" in way else (lambda d, t=fresh: [t.tag(s) for s in d])
                    ms, rate = cost_per_abstract(tag, docs)
                    print(f"  SINTA abstracts ({len(docs)}), {way}: {ms:.2f} ms per abstract, {rate:.0f} tokens/s "
                          f"(CPU, cold memo)")
    return status


if __name__ == "__main__":
    sys.exit(main())
