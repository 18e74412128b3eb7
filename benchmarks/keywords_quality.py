"""Keyphrase extraction quality: P, R, F1 at 5 and 10, ours beside YAKE and TF-IDF.

Sets (``../shared/data/keywords``, else the copies in ``tests/data``):
  * ``sinta-id``: SINTA dev title + ``id_abstract`` vs ``id_keywords``;
  * ``sinta-en``: SINTA dev ``en_abstract`` vs ``en_keywords`` where present
    (no English title in the data);
  * ``inspec``: Inspec dev, first line (title) + rest vs ``keyphrases``.

Each set is processed as a corpus (the scorers' document frequencies are
fitted on it, as the pipeline fits them on its corpus).  Gold and predicted
phrases match when their stem keys are equal after lowercasing (gold
normalized with ``Normalizer.normalize_tokens``, as the pipeline keys author
keywords).  P, R, F1 are macro-averaged over documents.  SINTA is reported on
two halves too (A: even positions, B: odd) to check that choices made on one
generalize to the other.

Nested share (column ``nested % mac/mic``): in each document's top-10 list of
stem keys (lowercased), the share of phrases that are a contiguous part of
another phrase of the list, contain another, or equal another (also up to
hyphens and spaces: "e learning" = "e-learning"); macro (mean of the
per-document shares) and micro (nested phrases over all phrases).  A list
should hold one entry per concept.  The same measure on the authors' own
keyword lists of the same documents is printed under each set's heading.

The gold keywords of the set are given to ``fit`` as the documents' author
keywords (as the pipeline gives normalize's ``author_keywords``): "ours"
learns keyphraseness from them strictly leave-one-out (a document's own
keywords are taken out before it is ranked), the baselines ignore them.
``--no-author-keywords`` fits without them.

``--corpus``: the SINTA sets are also ranked inside the whole SINTA corpus
(``../shared/data/corpus/sinta_abstracts.jsonl``, when present), as a user's
collection ranks them: the model is fitted on the dev abstracts plus every
corpus abstract of the same language (split from the scraped text by
:func:`pipeline.text.sections.split_scraped_abstract`, with the keywords it
finds there as author keywords); the corpus records that are dev items (same
title) are left out.

Methods, all in the same run and on the same tokens:
  * ``ours``: ``pipeline.text.keyphrases.KeyphraseExtractor`` (its defaults);
  * ``yake``: ``pipeline.text.keyphrases.YakeScorer``;
  * ``tfidf``: ``pipeline.text.keyphrases.TfidfScorer``.

Usage::

    python benchmarks/keywords_quality.py [--inspec N] [--no-academic] [--exceptions] [--ablation]
        [--no-author-keywords] [--corpus]

Tokens carry the shipped tagger's universal part of speech (the normalizer tags every
sentence, as the pipeline does), so the candidates follow the part-of-speech rules of
``pipeline.text.keyphrases.candidates`` and English lemmas follow the tags.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.text.keyphrases import METHODS, KeyphraseExtractor, make_scorer  # noqa: E402

#: set by --no-academic: normalize without the academic frame stopwords
NO_ACADEMIC = False
#: set by --exceptions: drop the content words of not_stopwords_<lang>.txt from the stopwords
EXCEPTIONS = False
#: cleared by --no-author-keywords: fit without the documents' (gold) author keywords
AUTHOR_KEYWORDS = True


def get_normalizer(lang: str):
    from pipeline.text.tokens import Normalizer

    if NO_ACADEMIC or EXCEPTIONS:
        from pipeline.text.stopwords import load_stopwords

        norm = Normalizer(lang, stopwords=load_stopwords(
            lang, include_academic=not NO_ACADEMIC, content_exceptions=EXCEPTIONS))
    else:
        norm = Normalizer(lang)
    return norm


def _read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def data_path(name: str, fallback: str) -> Path:
    shared = ROOT.parent / "shared" / "data" / "keywords" / name
    return shared if shared.exists() else ROOT / "tests" / "data" / fallback


def load_sets(n_inspec: int) -> dict:
    """``{set_name: (lang, [(doc_id, title, text, gold_list, other), ...])}``; ``other`` is
    the same document in its other language, ``(lang, title, text)``, or None."""
    sinta = _read_jsonl(data_path("sinta_dev.jsonl", "sinta_dev.jsonl"))
    inspec = _read_jsonl(data_path("inspec_dev.jsonl", "inspec_dev_200.jsonl"))
    inspec_items = []
    for r in inspec[:n_inspec] if n_inspec else inspec:
        if r.get("text") and r.get("keyphrases"):
            title, _, rest = r["text"].partition("\n")
            inspec_items.append((r["id"], title, rest, r["keyphrases"], None))
    return {
        "sinta-id": ("id", [(r["id"], r.get("title") or "", r["id_abstract"], r["id_keywords"],
                             ("en", "", r["en_abstract"]) if r.get("en_abstract") else None)
                            for r in sinta if r.get("id_abstract") and r.get("id_keywords")]),
        "sinta-en": ("en", [(r["id"], "", r["en_abstract"], r["en_keywords"],
                             ("id", r.get("title") or "", r["id_abstract"]) if r.get("id_abstract") else None)
                            for r in sinta if r.get("en_abstract") and r.get("en_keywords")]),
        "inspec": ("en", inspec_items),
    }


def gold_keys(norm, keywords: list) -> set:
    """Author keywords as the lowercased stem keys predictions are matched against
    (``Normalizer.normalize_tokens``, as the pipeline keys author keywords)."""
    return {k.lower() for k in norm.normalize_tokens([str(g) for g in keywords]) if k}


def gold_list(norm, keywords: list) -> list:
    """Author keywords as a list of lowercased stem keys, in their order, repeats kept."""
    return [k.lower() for k in norm.normalize_tokens([str(g) for g in keywords]) if k]


def prepare(sets: dict) -> dict:
    """Normalize every text and gold phrase once: ``{name: (lang, docs)}``."""
    normalizers = {}
    prepared = {}

    def normalizer(lang):
        if lang not in normalizers:
            normalizers[lang] = get_normalizer(lang)
        return normalizers[lang]

    def sections_of(lang, title, text):
        norm = normalizer(lang)
        return ([("title", norm.normalize(title))] if title else []) + [("abstract", norm.normalize(text))]

    for name, (lang, items) in sets.items():
        norm = normalizer(lang)
        docs = []
        for doc_id, title, text, gold, other in items:
            keys = gold_keys(norm, gold)
            docs.append({"id": doc_id, "sections": sections_of(lang, title, text), "gold": keys,
                         # the authors' list as they gave it (stem keys, repeats kept): its nested share
                         "gold_list": gold_list(norm, gold),
                         # the document's other abstract, as the keywords step passes it
                         "other": sections_of(*other) if other else None})
        prepared[name] = (lang, docs)
    return prepared


def load_background(sinta_items: list) -> dict:
    """The SINTA corpus abstracts by language, dev items left out, normalized
    (``{lang: [(sections, author keys), ...]}``); empty when the corpus is absent."""
    from pipeline.corpus import normalized_title
    from pipeline.text.sections import split_scraped_abstract

    path = ROOT.parent / "shared" / "data" / "corpus" / "sinta_abstracts.jsonl"
    if not path.exists():
        print(f"--corpus: {path} not found; ranked without the corpus")
        return {}
    # the corpus's own near-duplicate key; a title too short to name a work gives "" and matches nothing
    dev_titles = {normalized_title(item[1]) for item in sinta_items} - {""}
    out: dict = {"id": [], "en": []}
    normalizers = {lang: get_normalizer(lang) for lang in out}
    left_out = 0
    for record in _read_jsonl(path):
        if normalized_title(record.get("title")) in dev_titles:
            left_out += 1
            continue
        split = split_scraped_abstract(record.get("abstract") or "")
        for lang, norm in normalizers.items():
            text = (split.get("abstracts") or {}).get(lang)
            if not text:
                continue
            sections = []
            if lang == "id" and record.get("title"):
                sections.append(("title", norm.normalize(record["title"])))
            sections.append(("abstract", norm.normalize(text)))
            keywords = (split.get("keywords") or {}).get(lang) or []
            keys = sorted(gold_keys(norm, keywords))
            out[lang].append((sections, keys))
    print(f"--corpus: {len(out['id'])} Indonesian and {len(out['en'])} English corpus abstracts "
          f"fitted beside the SINTA sets ({left_out} dev items left out)")
    return out


def prf(predicted: list, gold: set, k: int) -> tuple:
    pred = list(dict.fromkeys(p.lower() for p in predicted))[:k]
    hits = sum(1 for p in pred if p in gold)
    p = hits / len(pred) if pred else 0.0
    r = hits / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _contains(longer: tuple, shorter: tuple) -> bool:
    """Whether ``shorter`` is a contiguous run of words of ``longer`` (or equals it)."""
    n, m = len(longer), len(shorter)
    return m <= n and any(longer[i:i + m] == shorter for i in range(n - m + 1))


def nested_flags(keys: list) -> list:
    """Per key of one list (stem keys as strings): whether it is a contiguous part of
    another key of the list, contains one, or equals one (case, hyphens and spaces
    aside)."""
    words = [tuple(k.lower().split()) for k in keys]
    squashed = ["".join(w).replace("-", "") for w in words]
    flags = []
    for i, a in enumerate(words):
        flags.append(any(j != i and (squashed[i] == squashed[j] or _contains(a, b) or _contains(b, a))
                         for j, b in enumerate(words)))
    return flags


def nested_share(lists: list) -> tuple:
    """``(macro %, micro %)`` of :func:`nested_flags` over lists of keys (empty lists skipped)."""
    flags = [nested_flags(keys) for keys in lists if keys]
    if not flags:
        return 0.0, 0.0
    macro_share = 100 * sum(sum(f) / len(f) for f in flags) / len(flags)
    micro_share = 100 * sum(map(sum, flags)) / sum(map(len, flags))
    return macro_share, micro_share


def macro(rows: list) -> dict:
    n = len(rows) or 1
    return {name: 100 * sum(r[i] for r in rows) / n for i, name in enumerate(("P", "R", "F1"))}


def evaluate(scorer, docs: list, background: list = ()) -> dict:
    """Fit on the set (and the background documents), extract top 10, score at 5
    and 10 on all / half A / half B."""
    inputs = [d["sections"] for d in docs]
    labels = [sorted(d["gold"]) for d in docs] if AUTHOR_KEYWORDS else None
    t0 = time.process_time()
    if background:
        scorer.fit(inputs + [b[0] for b in background],
                   labels + [b[1] for b in background] if labels is not None else None)
    else:
        scorer.fit(inputs, labels)
    t1 = time.process_time()
    predicted = [[o["key"] for o in scorer.extract(None, sections=d["sections"], other=d.get("other"))]
                 for d in docs]
    seconds = time.process_time() - t1
    out = {"docs_per_s": len(docs) / seconds if seconds else 0.0, "fit_s": t1 - t0,
           "predicted": predicted}
    for suffix, part in (("", predicted), ("A", predicted[0::2]), ("B", predicted[1::2])):
        out["nested" + suffix] = nested_share([p[:10] for p in part])
    for k in (5, 10):
        rows = [prf(p, d["gold"], k) for p, d in zip(predicted, docs)]
        out[f"@{k}"] = macro(rows)
        out[f"@{k}A"] = macro(rows[0::2])
        out[f"@{k}B"] = macro(rows[1::2])
    return out


def fmt(m: dict) -> str:
    return f"P {m['P']:5.1f} R {m['R']:5.1f} F1 {m['F1']:5.1f}"


#: Ablations of "ours": one feature switched off at a time.
ABLATIONS = {
    "title weight 4 (not 2)": {"section_weights": {"title": 4.0, "abstract": 2.0, "body": 1.0}},
    "title boost 2": {"title_boost": 2.0},
    "body tf power 1": {"body_tf_power": 1.0},
    "idf mix": {"idf_mode": "mix"},
    "verbal head drop": {"verbal_head": "drop"},
    "maximal weight 1": {"maximal_weight": 1.0},
    "generic share 0.05": {"generic_share": 0.05},
    "no position": {"position_weight": 0.0},
    "no length weights": {"length_weights": None},
    "no verb penalty": {"verb_penalty": 1.0},
    "idf power 1": {"idf_power": 1.0},
    "redundancy none": {"redundancy": "none"},
    "redundancy duplicate": {"redundancy": "duplicate"},
    "redundancy subphrase": {"redundancy": "subphrase"},
    "redundancy overlap": {"redundancy": "overlap"},
    "redundancy dependent": {"redundancy": "dependent"},
    "redundancy concept": {"redundancy": "concept"},
    "max_words 3": {"max_words": 3},
    "no keyphraseness": {"kp_weight": 0.0},
    "keyphraseness log 0.5": {"kp_mode": "log", "kp_weight": 0.5},
    "phrase words none": {"phrase_words": "none"},
    "phrase words frame+content": {"phrase_words": "frame+content"},
    "graph weight 0.3": {"graph_weight": 0.3},
    "graph weight 1": {"graph_weight": 1.0},
    "no edge words": {"edge_share": 0.0},
    "edge words 0.05": {"edge_share": 0.05},
    "edge words 0.2": {"edge_share": 0.2},
    "edge side head": {"edge_side": "auto"},
    "length prior off": {"length_prior": 0.0},
    "length prior 1": {"length_prior": 1.0},
    "length prior 0.5": {"length_prior": 0.5},
    "no edge words, length prior off": {"edge_share": 0.0, "length_prior": 0.0},
    "no non-choice evidence": {"kp_negative": 0.0},
    "non-choice prior 5": {"kp_negative": 5.0},
    "non-choice prior 20": {"kp_negative": 20.0},
    "no chosen units": {"kp_units": False},
    "word keyphraseness 1": {"kp_word_weight": 1.0},
    "no echo": {"echo_weight": 0.0},
    "echo weight 2": {"echo_weight": 2.0},
    "no nesting prior": {"nest_prior": 0.0},
    "nesting prior 1": {"nest_prior": 1.0},
    "no cue prior": {"cue_prior": 0.0},
    "cue prior 1": {"cue_prior": 1.0},
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inspec", type=int, default=500, help="Inspec documents used (0: all 1,500)")
    ap.add_argument("--no-academic", action="store_true",
                    help="normalize without the academic frame stopwords (hasil, metode, data, ...)")
    ap.add_argument("--exceptions", action="store_true",
                    help="drop the content words of not_stopwords_<lang>.txt from the stopwords")
    ap.add_argument("--ablation", action="store_true", help="also run the ablations of ours")
    ap.add_argument("--no-author-keywords", action="store_true",
                    help="fit without the documents' author keywords (no keyphraseness)")
    ap.add_argument("--corpus", action="store_true",
                    help="also rank the SINTA sets inside the whole SINTA corpus (see above)")
    args = ap.parse_args(argv)
    global NO_ACADEMIC, EXCEPTIONS, AUTHOR_KEYWORDS
    AUTHOR_KEYWORDS = not args.no_author_keywords
    NO_ACADEMIC = args.no_academic
    EXCEPTIONS = args.exceptions
    t0 = time.time()
    sets = load_sets(args.inspec)
    prepared = prepare(sets)
    background = load_background(sets["sinta-id"][1]) if args.corpus else {}
    print(f"prepared in {time.time() - t0:.1f}s; academic stopwords {'off' if NO_ACADEMIC else 'on'}; "
          f"not_stopwords exceptions {'on' if EXCEPTIONS else 'off'}; "
          f"author keywords to fit {'on (leave-one-out)' if AUTHOR_KEYWORDS else 'off'}; "
          "tokens tagged by the shipped tagger")
    print("ours:", json.dumps({k: v for k, v in KeyphraseExtractor().get_params().items() if k != "lang"},
                              sort_keys=True))
    for name, (lang, docs) in prepared.items():
        print(f"\n== {name} ({lang}, {len(docs)} docs), macro %")
        authors = [d["gold_list"] for d in docs]
        print("  nested share of the authors' own keyword lists, macro / micro (A, B): "
              "{:.1f} / {:.1f} ({:.1f} / {:.1f}, {:.1f} / {:.1f})".format(
                  *nested_share(authors), *nested_share(authors[0::2]), *nested_share(authors[1::2])))
        print(f"  {'method':30s} {'@5':27s} {'@10':27s} F1@10 A / B   F1@5 A / B   docs/s  fit s (CPU)"
              f"  nested % mac/mic (A mac / B mac)")
        runs = [(m, make_scorer(m, lang)) for m in METHODS]
        if args.ablation:
            runs += [(f"ours, {a}", KeyphraseExtractor(lang=lang, **p)) for a, p in ABLATIONS.items()]
        if background and name.startswith("sinta"):
            runs += [(f"{m} in corpus", make_scorer(m, lang)) for m in METHODS]
        for label, scorer in runs:
            r = evaluate(scorer, docs, background.get(lang, ()) if label.endswith(" in corpus") else ())
            print(f"  {label:30s} {fmt(r['@5'])}  {fmt(r['@10'])}  {r['@10A']['F1']:5.1f} / {r['@10B']['F1']:5.1f}"
                  f"  {r['@5A']['F1']:5.1f} / {r['@5B']['F1']:5.1f}"
                  f"  {r['docs_per_s']:6.0f}  {r['fit_s']:5.2f}"
                  f"  {r['nested'][0]:5.1f} / {r['nested'][1]:5.1f} ({r['nestedA'][0]:5.1f} / {r['nestedB'][0]:5.1f})",
                  flush=True)
    print(f"\n({time.time() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
