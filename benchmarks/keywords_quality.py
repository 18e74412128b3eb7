"""Keyphrase extraction quality: F1@10 with stemmed matching.

Sets:
  (a) Indonesian: SINTA dev ``id_abstract`` vs ``id_keywords``
  (b) English: SINTA dev ``en_abstract`` vs ``en_keywords`` where present
  (c) English: Inspec ``text`` vs ``keyphrases`` (first 500 documents)

Gold and predicted phrases are normalized with the same normalizer and match
when their stem sequences are equal.  Precision, recall and F1 are averaged
over documents (macro).  The document frequencies are fitted on the set being
evaluated, as the pipeline fits them on its corpus.

Baselines measured here on the same texts:
  * ``tfidf``: scikit-learn ``TfidfVectorizer`` over the normalized (stemmed)
    texts, 1-3-grams, stopwords removed, top 10 (no other filtering);
  * ``cand-tfidf``: this module's candidates ranked by plain tf * idf (the
    extractor with position, length and redundancy switched off) — an ablation.

Usage::

    python benchmarks/keywords_quality.py [--quick] [--grid]

Uses ``pipeline.text.tokens.Normalizer`` when it imports and works, else a
stand-in (spaCy blank tokenizer + Sastrawi stemmer / spaCy lookup lemmas +
spaCy stopwords) that is only meant for development.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.text.phrases import KeyphraseExtractor, phrase_key  # noqa: E402

#: Parameters tuned on the three sets together (general weights, not items).
TUNED: dict = {}  # the defaults of KeyphraseExtractor are the tuned values

INSPEC_DOCS = 500


# ---------------------------------------------------------------------------
# normalizers


class StandInNormalizer:
    """Development stand-in for ``pipeline.text.tokens.Normalizer``."""

    def __init__(self, lang: str):
        import spacy

        self.lang = lang
        self.nlp = spacy.blank(lang)
        self.nlp.add_pipe("sentencizer")
        self.stopwords = set(self.nlp.Defaults.stop_words)
        if lang == "id":
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            self._stemmer = StemmerFactory().create_stemmer()
            self._lemmas = None
        else:
            from spacy.lookups import load_lookups

            self._stemmer = None
            self._lemmas = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")

    @lru_cache(maxsize=200000)
    def _norm(self, surface: str) -> str:
        if len(surface) > 1 and surface.isupper():
            return surface
        low = surface.lower()
        if self._stemmer is not None:
            if "-" in low:
                return "-".join(self._stemmer.stem(p) or p for p in low.split("-"))
            return self._stemmer.stem(low) or low
        return self._lemmas.get(low, low)

    def normalize(self, text: str) -> list:
        paragraphs = []
        for block in re.split(r"\n\s*\n", text or ""):
            block = re.sub(r"\s+", " ", block).strip()
            if not block:
                continue
            sentences = []
            for sent in self.nlp(block).sents:
                tokens = []
                for tok in sent:
                    s = tok.text
                    if tok.is_space:
                        continue
                    if not any(ch.isalnum() for ch in s):
                        tag = "p"
                    elif tok.like_num or re.fullmatch(r"[\d.,%]+", s):
                        tag = "n"
                    elif s.lower() in self.stopwords:
                        tag = "s"
                    else:
                        tag = "w"
                    norm = s if tag == "p" else self._norm(s)
                    tokens.append([s, norm, tag])
                if tokens:
                    sentences.append(tokens)
            paragraphs.append(sentences)
        return paragraphs


#: set by --no-academic: normalize without the academic frame stopwords
NO_ACADEMIC = False


def get_normalizer(lang: str):
    """The real normalizer when it works, else the stand-in; and its name."""
    try:
        from pipeline.text.tokens import Normalizer

        if NO_ACADEMIC:
            from pipeline.text.stopwords import load_stopwords

            norm = Normalizer(lang, stopwords=load_stopwords(lang, include_academic=False))
        else:
            norm = Normalizer(lang)
        out = norm.normalize("Uji coba e-learning. Test of ASEAN.")
        assert isinstance(out, list) and out and out[0] and out[0][0]
        assert all(len(t) == 3 for t in out[0][0])
        return norm, "pipeline.text.tokens.Normalizer"
    except Exception:  # noqa: BLE001 - any failure means: not ready yet
        return StandInNormalizer(lang), "stand-in"


# ---------------------------------------------------------------------------
# data


def _read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def data_path(name: str, fallback: str) -> Path:
    shared = ROOT.parent / "shared" / "data" / "keywords" / name
    return shared if shared.exists() else ROOT / "tests" / "data" / fallback


def load_sets(quick: bool = False) -> dict:
    """``{set_name: (lang, [(doc_id, text, title, gold_list), ...])}``."""
    sinta = _read_jsonl(data_path("sinta_dev.jsonl", "sinta_dev.jsonl"))
    inspec = _read_jsonl(data_path("inspec_dev.jsonl", "inspec_dev_200.jsonl"))
    n_inspec = 150 if quick else INSPEC_DOCS
    sets = {
        "sinta-id": ("id", [(r["id"], r["id_abstract"], r.get("title") or "", r["id_keywords"])
                            for r in sinta if r.get("id_abstract") and r.get("id_keywords")]),
        "sinta-en": ("en", [(r["id"], r["en_abstract"], "", r["en_keywords"])
                            for r in sinta if r.get("en_abstract") and r.get("en_keywords")]),
        "inspec": ("en", [(r["id"], r["text"], "", r["keyphrases"])
                          for r in inspec[:n_inspec] if r.get("text") and r.get("keyphrases")]),
    }
    return sets


# ---------------------------------------------------------------------------
# scoring


def gold_keys(normalizer, gold: list) -> set:
    """Stem keys of gold phrases.

    The real normalizer has ``normalize_tokens`` for keyword lists (title
    case treated as uninformative, as author keywords are often title-cased);
    the stand-in normalizes the phrase as text.
    """
    phrases = [str(p) for p in gold]
    if hasattr(normalizer, "normalize_tokens"):
        keys = normalizer.normalize_tokens(phrases)
    else:
        keys = [" ".join(phrase_key(normalizer.normalize(p))) for p in phrases]
    return {k for k in keys if k}


def prf(predicted: list, gold: set) -> tuple:
    pred = list(dict.fromkeys(predicted))
    hits = sum(1 for p in pred if p in gold)
    p = hits / len(pred) if pred else 0.0
    r = hits / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def macro(rows: list) -> dict:
    n = len(rows) or 1
    return {k: 100 * sum(r[i] for r in rows) / n for i, k in enumerate(("P", "R", "F1"))}


def prepare(sets: dict) -> dict:
    """Normalize every text and gold phrase once."""
    prepared = {}
    normalizers = {}
    for name, (lang, items) in sets.items():
        if lang not in normalizers:
            normalizers[lang] = get_normalizer(lang)
        normalizer, _ = normalizers[lang]
        docs = []
        for doc_id, text, title, gold in items:
            docs.append({
                "id": doc_id,
                "text": normalizer.normalize(text),
                "title": normalizer.normalize(title) if title else [],
                "gold": gold_keys(normalizer, gold),
            })
        prepared[name] = (lang, docs)
    names = {lang: n for lang, (_, n) in normalizers.items()}
    return prepared, names


def evaluate_model(lang: str, docs: list, params: dict, use_title: bool = False) -> dict:
    model = KeyphraseExtractor(lang=lang, **params)
    if use_title:
        inputs = [[("title", d["title"]), ("abstract", d["text"])] for d in docs]
    else:
        inputs = [d["text"] for d in docs]
    model.fit(inputs)
    rows = []
    for d, x in zip(docs, inputs):
        out = model.extract(x)
        rows.append(prf([o["key"] for o in out], d["gold"]))
    return macro(rows)


def tfidf_baseline(docs: list, stopwords_by_tag: bool = True, top_n: int = 10) -> dict:
    """scikit-learn TfidfVectorizer over the stemmed texts, 1-3-grams, top 10."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts, stops = [], set()
    for d in docs:
        norms = []
        for paragraph in d["text"]:
            for sentence in paragraph:
                for surface, norm, tag in sentence:
                    if tag == "p":
                        continue
                    norms.append(norm)
                    if tag == "s":
                        stops.add(norm)
        texts.append(norms)
    vec = TfidfVectorizer(analyzer=lambda x: x, lowercase=False)
    # n-grams over the text with stopwords removed, as TfidfVectorizer(stop_words=..., ngram_range=(1, 3))
    def grams(norms):
        toks = [t for t in norms if t not in stops]
        out = []
        for n in (1, 2, 3):
            out += [" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)]
        return out
    matrix = vec.fit_transform([grams(t) for t in texts])
    vocab = vec.get_feature_names_out()
    rows = []
    for i, d in enumerate(docs):
        row = matrix.getrow(i)
        pairs = sorted(zip(row.indices, row.data), key=lambda kv: (-kv[1], vocab[kv[0]]))
        pred = [vocab[j] for j, _ in pairs[:top_n]]
        rows.append(prf(pred, d["gold"]))
    return macro(rows)


ABLATION = dict(position_weight=0.0, length_power=0.0, redundancy="none", spread_weight=0.0,
                single_min_count=1)


def fmt(m: dict) -> str:
    return f"F1 {m['F1']:5.1f}  P {m['P']:5.1f}  R {m['R']:5.1f}"


def grid(prepared: dict) -> None:
    """Coarse grid over the general weights, scored on the mean F1 of the sets."""
    space = {
        "position_weight": [0.5, 1.0],
        "idf_power": [1.5, 2.0, 3.0],
        "length_power": [0.0],
        "length_weights": [None, (1.0, 1.5, 1.0), (1.0, 1.5, 0.7), (1.0, 2.0, 1.0), (1.0, 2.0, 1.5)],
        "redundancy": ["dependent"],
        "verb_penalty": [0.5],
        "word_tf_weight": [0.0, 0.3],
    }
    results = []
    for values in itertools.product(*space.values()):
        params = dict(zip(space.keys(), values))
        f1s = {n: evaluate_model(lang, docs, params)["F1"] for n, (lang, docs) in prepared.items()}
        mean = sum(f1s.values()) / len(f1s)
        results.append((mean, params, f1s))
        print(f"{mean:5.1f} {params} " + " ".join(f"{k}={v:.1f}" for k, v in f1s.items()), flush=True)
    results.sort(key=lambda r: -r[0])
    print("best:")
    for r in results[:5]:
        print(r)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="150 Inspec documents instead of 500")
    ap.add_argument("--grid", action="store_true", help="run the coarse parameter grid")
    ap.add_argument("--no-academic", action="store_true",
                    help="normalize without the academic frame stopwords (hasil, metode, data, ...)")
    args = ap.parse_args(argv)
    global NO_ACADEMIC
    NO_ACADEMIC = args.no_academic
    t0 = time.time()
    prepared, names = prepare(load_sets(args.quick))
    print(f"normalizers: {names}  (prepared in {time.time() - t0:.1f}s)")
    if args.grid:
        grid(prepared)
        return 0
    params = KeyphraseExtractor().get_params()
    params.pop("lang")
    params.update(TUNED)
    print("extractor params:", json.dumps(params, sort_keys=True))
    for name, (lang, docs) in prepared.items():
        print(f"\n== {name} ({lang}, {len(docs)} docs) F1@10 / P@10 / R@10 (macro, %)")
        print(f"  extractor          {fmt(evaluate_model(lang, docs, params))}")
        if name == "sinta-id":
            print(f"  extractor + title  {fmt(evaluate_model(lang, docs, params, use_title=True))}")
        for mode in ("none", "duplicate", "subphrase", "dependent"):
            print(f"  redundancy={mode:10s}{fmt(evaluate_model(lang, docs, {**params, 'redundancy': mode}))}")
        print(f"  cand-tfidf ablation {fmt(evaluate_model(lang, docs, {**params, **ABLATION}))}")
        print(f"  sklearn tfidf base  {fmt(tfidf_baseline(docs))}")
    print(f"\n({time.time() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
