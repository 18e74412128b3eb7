"""Bilingual keyword alignment through the whole pipeline: author-keyword pairs, ablation, glossary.

Gold: ``../shared/data/align/keyword_pairs_dev.jsonl``, 14 SINTA dev papers whose authors
gave keywords in both languages, with the Indonesian-English pairs annotated by hand
(``kind`` identical / same_term / translation); the papers themselves are the items of
``../shared/data/keywords/sinta_dev.jsonl``.

The workspace (a temporary folder, or ``--keep DIR``) is a user's collection: the SINTA
corpus (``../shared/data/corpus/sinta_abstracts.jsonl``) added with ``run_pipeline.py add
... --no-run`` (the records whose :func:`pipeline.corpus.normalized_title` is that of a dev
paper are left out first), and beside it the 14 dev papers written as users have them
(title, ``Abstrak``, Indonesian abstract, ``Kata kunci:`` line, ``Abstract``, English
abstract, ``Keywords:`` line; ``keywords_end_to_end.document_text``) as ``<item id>.txt``.
Then ``run_pipeline.py run`` (its wall time, and the per-step seconds of its summary table).

1. **Author-keyword pairs.**  Each dev paper's ``align/<id>.json``: the pairs whose two
   sides are author keywords, matched by key against the gold pairs (gold phrases keyed
   with ``Normalizer(lang).normalize_tokens``, lowercased, as the pipeline keys author
   keywords; a gold key the pipeline did not extract is reported).  Precision, recall
   (micro over the gold pairs) and recall by gold kind; every wrong and every missed pair,
   with what the pipeline did with each side instead.  Beside it the order-only baseline:
   the i-th Indonesian author keyword with the i-th English one, on the same keys.
2. **Ablation.**  Each dev paper re-aligned offline from its ``normalize`` and
   ``keywords`` artifacts (``pipeline.stages.align.document_terms``), the run's glossary
   (``Glossary.from_dict``), the stage's stopwords and dictionary, with
   ``align_terms(evidence=...)`` leaving one kind of evidence out at a time, and with one
   kind only.  The order reliability is the run's glossary's in every variant (without
   the glossary, ``align_terms`` would fall back to its default); one more line shows that
   fallback.  First checked: all evidence reproduces the artifacts' pairs exactly.
3. **The glossary as a bilingual lexicon.**  The dev papers rewritten WITHOUT their two
   keyword lines and the pipeline run again (incremental); for each gold pair of kind
   "translation" whose Indonesian key is the ``id_key`` of an entry of the new
   ``glossary/corpus.json``: whether the entry's English key is the gold one, and whether
   the gold English phrase is among the entry's forms.  Coverage (found / translation
   pairs) and accuracy (right / found), with each pair looked up; the same on the glossary
   of the first run (keyword lines in) for comparison.
4. **Top glossary entries.**  The 100 best entries of the first run's glossary (its order)
   written to a TSV file (``--entries``; columns id forms, en forms, linked, documents,
   g2, score) and printed, to be read and judged by hand.
5. **Cost.**  Wall time of each run and the seconds of its ``glossary`` and ``align`` steps.

``--limit N`` takes only the first N records of the SINTA corpus (for development).
With ``--keep DIR`` the workspace stays for inspection: ``corpus``, ``output`` and
``models`` as the second run left them, and ``run1/`` with the first run's glossary
and the dev papers' ``normalize``, ``keywords`` and ``align`` artifacts.

Run by hand::

    python benchmarks/align_quality.py [--limit N] [--keep DIR] [--entries FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SHARED = ROOT.parent / "shared" / "data"
GOLD = SHARED / "align" / "keyword_pairs_dev.jsonl"
ITEMS = SHARED / "keywords" / "sinta_dev.jsonl"
SINTA = SHARED / "corpus" / "sinta_abstracts.jsonl"
TOP_ENTRIES = 100

# one row of the run's summary table: step, ran, skipped, failed, seconds (box characters around)
_ROW = re.compile(r"^\W*([a-z_]+)\W+(\d+)\W+(\d+)\W+(\d+)\W+(\d+\.\d+)\W*$")
_TITLE = re.compile(r"(\d+) documents, (\d+(?:\.\d+)?) s")


def read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# -- the workspace and the runs -----------------------------------------------------------


def cli(args: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), *args],
                          capture_output=True, text=True, **kwargs)


def run_pipeline(dirs: list, label: str) -> dict:
    """``run_pipeline.py run`` with its summary table (not --quiet): wall time and steps."""
    t0 = time.perf_counter()
    proc = cli(["run", *dirs])
    wall = time.perf_counter() - t0
    steps = {}
    reported = None
    for line in proc.stdout.splitlines():
        m = _ROW.match(line)
        if m:
            steps[m.group(1)] = {"ran": int(m.group(2)), "skipped": int(m.group(3)),
                                 "failed": int(m.group(4)), "seconds": float(m.group(5))}
        t = _TITLE.search(line)
        if t and reported is None:
            reported = (int(t.group(1)), float(t.group(2)))
    messages = [line for line in proc.stderr.splitlines() if line.startswith(("warning:", "error:"))]
    kinds = Counter(line.split(":", 1)[0] for line in messages)
    print(f"\n[{label}] run_pipeline.py run: exit {proc.returncode}, wall {wall:.1f} s"
          + (f", summary: {reported[0]} documents, {reported[1]:.1f} s" if reported else "")
          + f"; {kinds['warning']} warnings, {kinds['error']} errors")
    for line in messages[:5]:
        print(f"    {line[:160]}")
    if proc.returncode not in (0, 1) or not steps:
        print(proc.stdout[-3000:])
        print(proc.stderr[-3000:])
        raise SystemExit(f"[{label}] the run failed")
    print("    " + "  ".join(f"{name} {s['ran']}/{s['seconds']:.1f}s" for name, s in steps.items())
          + "   (step ran/seconds)")
    return {"wall": wall, "steps": steps}


def write_dev_documents(corpus: Path, items: list, author_keywords: bool) -> None:
    from keywords_end_to_end import document_text

    for item in items:
        (corpus / f"{item['id']}.txt").write_text(document_text(item, author_keywords), encoding="utf-8")


def build_workspace(work: Path, items: list, limit: int | None) -> list:
    """The SINTA corpus (dev papers left out) added, the dev papers written; ``run`` args."""
    from pipeline.corpus import normalized_title

    corpus, output, models = work / "corpus", work / "output", work / "models"
    dirs = ["--corpus", str(corpus), "--output", str(output), "--models", str(models)]
    dev_titles = {normalized_title(item.get("title")) for item in items} - {""}
    records = read_jsonl(SINTA)
    if limit:
        records = records[:limit]
    kept = [r for r in records if normalized_title(r.get("title")) not in dev_titles]
    filtered = work / "sinta_abstracts_filtered.jsonl"
    with open(filtered, "w", encoding="utf-8") as fh:
        for r in kept:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    t0 = time.perf_counter()
    proc = cli(["add", str(filtered), "--text-field", "abstract", "--title-field", "title", "--id-field", "id",
                "--no-run", *dirs])
    if proc.returncode != 0:
        print(proc.stdout[-3000:])
        print(proc.stderr[-3000:])
        raise SystemExit("run_pipeline.py add failed")
    n_docs = len(list(corpus.glob("*.txt")))
    print(f"SINTA corpus: {len(records)} records read, {len(records) - len(kept)} dev papers left out (same "
          f"normalized title), {n_docs} documents added in {time.perf_counter() - t0:.1f} s "
          f"({len(kept) - n_docs} skipped by add as duplicates)")
    write_dev_documents(corpus, items, True)
    print(f"dev papers: {len(items)} written as <item id>.txt with their keyword lines")
    return dirs


# -- keys and scoring -----------------------------------------------------------------------


class Keyer:
    def __init__(self):
        from pipeline.text.tokens import Normalizer

        self.normalizers = {lang: Normalizer(lang) for lang in ("id", "en")}

    def __call__(self, phrase: str, lang: str) -> str:
        return self.normalizers[lang].normalize_tokens([phrase])[0].lower()


def gold_pairs(gold: list, key) -> dict:
    """``{doc_id: [{"id", "en", "kind", "id_key", "en_key"}, ...]}``."""
    return {g["id"]: [{**p, "id_key": key(p["id"], "id"), "en_key": key(p["en"], "en")} for p in g["pairs"]]
            for g in gold}


def author_pairs(pairs: list) -> list:
    return [p for p in pairs if p["sources"]["id"] == "author" and p["sources"]["en"] == "author"]


def score(predicted: dict, golds: dict) -> dict:
    """Micro P/R of predicted ``{doc: {(id_key, en_key), ...}}`` against the gold pairs."""
    n_pred = sum(len(v) for v in predicted.values())
    right = Counter()
    total = Counter()
    for doc, pairs in golds.items():
        pred = predicted.get(doc, set())
        for p in pairs:
            total[p["kind"]] += 1
            right[p["kind"]] += (p["id_key"], p["en_key"]) in pred
    hits, n_gold = sum(right.values()), sum(total.values())
    return {"P": hits / n_pred if n_pred else 0.0, "R": hits / n_gold if n_gold else 0.0, "hits": hits,
            "pred": n_pred, "gold": n_gold, "by_kind": {k: (right[k], total[k]) for k in sorted(total)}}


def fmt_score(s: dict) -> str:
    f1 = 2 * s["P"] * s["R"] / (s["P"] + s["R"]) if s["P"] + s["R"] else 0.0
    kinds = "  ".join(f"R {k} {r}/{t}" for k, (r, t) in s["by_kind"].items())
    return (f"P {100 * s['P']:5.1f} ({s['hits']}/{s['pred']})  R {100 * s['R']:5.1f} ({s['hits']}/{s['gold']})"
            f"  F1 {100 * f1:5.1f}   {kinds}")


def check_keys(output: Path, golds: dict) -> None:
    """Gold keys against the author keys the pipeline extracted (normalize artifacts)."""
    print("\nKeys: gold phrases keyed with Normalizer(lang).normalize_tokens, lowercased, against the "
          "author keys of normalize/<id>.json")
    missing = 0
    shown = 0
    for doc, pairs in golds.items():
        author = read_json(output / "normalize" / f"{doc}.json")["author_keywords"]
        keys = {lang: [str(a["key"]).lower() for a in author.get(lang, [])] for lang in ("id", "en")}
        if shown < 2:
            shown += 1
            print(f"  e.g. {doc}: id {[(p['id'], p['id_key']) for p in pairs][:3]}")
            print(f"  {' ' * len(doc)}        en {[(p['en'], p['en_key']) for p in pairs][:3]}; "
                  f"pipeline id {keys['id']}, en {keys['en']}")
        for p in pairs:
            for lang in ("id", "en"):
                if p[f"{lang}_key"] not in keys[lang]:
                    missing += 1
                    print(f"  MISSING {doc} {lang}: gold {p[lang]!r} -> {p[f'{lang}_key']!r} not among the "
                          f"pipeline's author keys {keys[lang]}")
    print(f"  {missing} gold sides without the pipeline's author key")


def side_fate(doc_pairs: list, key: str, lang: str) -> str:
    other = "en" if lang == "id" else "id"
    for p in doc_pairs:
        if p[f"{lang}_key"] == key:
            return f"paired with {p[other]!r} ({p['sources'][other]}, {p['score']:.2f} {'+'.join(p['evidence'])})"
    return "not paired"


def gold_lexical(q: dict) -> str:
    """The lexical score of a gold pair as the align stage computes it (its stopwords, dictionary)."""
    from pipeline.stages.align import PARAMS, _stopwords
    from pipeline.text.bilingual import load_dictionary, phrase_similarity, phrase_words

    dictionary = load_dictionary() if PARAMS["dictionary"].default else None
    id_words = phrase_words(q["id"], q["id_key"], _stopwords("id"))
    en_words = phrase_words(q["en"], q["en_key"], _stopwords("en"))
    lexical, kinds = phrase_similarity(id_words, en_words, dictionary)
    return (f"the gold pair's lexical score {lexical:.2f} {'+'.join(kinds) or '-'} (content words: "
            f"id {[w for w, _ in id_words]}, en {[w for w, _ in en_words]})")


def report_pairs(output: Path, golds: dict, gold_by_doc: dict) -> dict:
    """Section 1: the artifacts' author-keyword pairs against the gold; returns the artifacts."""
    artifacts = {doc: read_json(output / "align" / f"{doc}.json") for doc in golds}
    predicted = {doc: {(p["id_key"], p["en_key"]) for p in author_pairs(a["pairs"])} for doc, a in artifacts.items()}
    not_bilingual = [doc for doc, a in artifacts.items() if not a["bilingual"]]
    print("\n== 1. Author-keyword pairs of align/<id>.json (both sides author keywords) against the gold")
    if not_bilingual:
        print(f"  NOT BILINGUAL per the artifact: {not_bilingual}")
    print(f"  pipeline      {fmt_score(score(predicted, golds))}")
    order = {}
    for doc in golds:
        author = read_json(output / "normalize" / f"{doc}.json")["author_keywords"]
        ids = [str(a["key"]).lower() for a in author.get("id", [])]
        ens = [str(a["key"]).lower() for a in author.get("en", [])]
        order[doc] = set(zip(ids, ens))
    print(f"  order only    {fmt_score(score(order, golds))}")
    evid = Counter()
    for doc, a in artifacts.items():
        gold_set = {(p["id_key"], p["en_key"]) for p in golds[doc]}
        for p in author_pairs(a["pairs"]):
            evid[("right" if (p["id_key"], p["en_key"]) in gold_set else "wrong", "+".join(p["evidence"]))] += 1
    print("  evidence of the predicted author pairs (right / wrong):")
    for ev in sorted({e for _, e in evid}):
        print(f"    {ev:40s} {evid[('right', ev)]:3d} / {evid[('wrong', ev)]:3d}")
    print("  wrong pairs (predicted, not gold):")
    n = 0
    for doc, a in artifacts.items():
        gold_set = {(p["id_key"], p["en_key"]) for p in golds[doc]}
        g = gold_by_doc[doc]
        for p in author_pairs(a["pairs"]):
            if (p["id_key"], p["en_key"]) in gold_set:
                continue
            n += 1
            partner = next((q["en"] for q in golds[doc] if q["id_key"] == p["id_key"]), None)
            truth = (f"gold pairs {p['id']!r} with {partner!r}" if partner else
                     f"{p['id']!r} is id_only" if p["id"] in g["id_only"] else f"{p['id']!r} has no gold pair")
            print(f"    {doc}: {p['id']!r} = {p['en']!r}  [{p['id_key']} = {p['en_key']}] "
                  f"{p['score']:.3f} {'+'.join(p['evidence'])}; {truth}")
    if not n:
        print("    none")
    print("  missed gold pairs:")
    n = 0
    for doc, a in artifacts.items():
        for q in golds[doc]:
            if (q["id_key"], q["en_key"]) in predicted[doc]:
                continue
            n += 1
            print(f"    {doc}: {q['kind']:11s} {q['id']!r} = {q['en']!r}  [{q['id_key']} = {q['en_key']}]")
            print(f"        id side {side_fate(a['pairs'], q['id_key'], 'id')}; "
                  f"en side {side_fate(a['pairs'], q['en_key'], 'en')}; {gold_lexical(q)}")
    if not n:
        print("    none")
    return artifacts


# -- ablation -------------------------------------------------------------------------------


def ablation(output: Path, golds: dict, artifacts: dict) -> None:
    from pipeline.stages.align import PARAMS, _stopwords, document_terms
    from pipeline.text.bilingual import EVIDENCE_KINDS, Glossary, align_terms, load_dictionary

    glossary = Glossary.from_dict(read_json(output / "glossary" / "corpus.json"))
    dictionary = load_dictionary() if PARAMS["dictionary"].default else None
    n_keyphrases = PARAMS["keyphrases"].default
    terms = {}
    for doc in golds:
        terms[doc] = document_terms(read_json(output / "normalize" / f"{doc}.json"),
                                    read_json(output / "keywords" / f"{doc}.json"), n_keyphrases)

    def align(doc, evidence, reliability=glossary.order_reliability_):
        return align_terms(terms[doc]["id"], terms[doc]["en"], id_stopwords=_stopwords("id"),
                           en_stopwords=_stopwords("en"), dictionary=dictionary, glossary=glossary, doc_id=doc,
                           order_reliability=reliability, evidence=evidence)

    print(f"\n== 2. Ablation: offline alignment of the dev papers (glossary of the run: {glossary.n_documents_} "
          f"bilingual documents, {len(glossary.entries_)} entries, order reliability "
          f"{glossary.order_reliability_})")
    differ = 0
    for doc, art in artifacts.items():
        if not art["bilingual"]:
            continue
        offline = align(doc, EVIDENCE_KINDS)
        if any(offline[k] != art[k] for k in ("pairs", "id_only", "en_only")):
            differ += 1
            print(f"  DIFFERS {doc}: artifact {[(p['id'], p['en'], p['score']) for p in art['pairs']]}")
            print(f"  {' ' * (len(doc) + 8)} offline  {[(p['id'], p['en'], p['score']) for p in offline['pairs']]}")
    print(f"  all evidence reproduces the artifacts: "
          f"{'yes, every dev paper' if not differ else f'NO, {differ} papers differ'}")
    variants = [("all evidence", EVIDENCE_KINDS, None)]
    variants += [(f"without {k}", tuple(e for e in EVIDENCE_KINDS if e != k), None) for k in EVIDENCE_KINDS]
    variants += [(f"only {k}", (k,), None) for k in EVIDENCE_KINDS]
    variants += [("lexical only (identical+dict+cognate)", ("identical", "dictionary", "cognate"), None)]
    variants += [("without glossary, default reliability", tuple(e for e in EVIDENCE_KINDS if e != "glossary"),
                  "default")]
    for label, evidence, mode in variants:
        predicted = {}
        for doc, art in artifacts.items():
            if not art["bilingual"]:
                continue
            if mode == "default":
                result = align_terms(terms[doc]["id"], terms[doc]["en"], id_stopwords=_stopwords("id"),
                                     en_stopwords=_stopwords("en"), dictionary=dictionary, glossary=None,
                                     doc_id=doc, evidence=evidence)
            else:
                result = align(doc, evidence)
            predicted[doc] = {(p["id_key"], p["en_key"]) for p in author_pairs(result["pairs"])}
        print(f"  {label:40s} {fmt_score(score(predicted, golds))}")


# -- glossary -------------------------------------------------------------------------------


def top_entries(glossary: dict, path: Path, note: str = "") -> None:
    entries = glossary["entries"][:TOP_ENTRIES]
    cols = ("id forms", "en forms", "linked", "documents", "g2", "score")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\t".join(cols) + "\n")
        for e in entries:
            fh.write("\t".join([" | ".join(e["id"]), " | ".join(e["en"]), str(e["linked"]), str(e["documents"]),
                                f"{e['g2']:.3f}", f"{e['score']:.3f}"]) + "\n")
    print(f"\n== 4. The {len(entries)} best glossary entries of the run (of {len(glossary['entries'])}; "
          f"{glossary['n_documents']} bilingual documents), written to {path}{note}")
    print(f"  {'#':>3s}  {'id forms':38s} {'en forms':38s} {'linked':>6s} {'docs':>5s} {'g2':>8s} {'score':>7s}")

    def forms(f):
        text = " | ".join(f[:3]) + (f" (+{len(f) - 3})" if len(f) > 3 else "")
        return text if len(text) <= 38 else text[:37] + "…"

    for rank, e in enumerate(entries, 1):
        print(f"  {rank:3d}  {forms(e['id']):38s} {forms(e['en']):38s} {e['linked']:6d} {e['documents']:5d} "
              f"{e['g2']:8.2f} {e['score']:7.3f}")


def lexicon_check(glossary: dict, golds: dict, output: Path | None, label: str, verbose: bool) -> None:
    """Translation pairs looked up in a glossary by their Indonesian key."""
    from pipeline.stages.align import PARAMS

    n_keyphrases = PARAMS["keyphrases"].default

    def rank(keys, key):
        return keys.index(key) + 1 if key in keys else "-"

    by_id = {e["id_key"]: e for e in glossary["entries"]}
    n = found = right = form = 0
    lines = []
    for doc, pairs in golds.items():
        keyphrase_keys = None
        if output is not None:
            keyphrase_keys = {lang: [str(k["key"]).lower() for k in kws]
                              for lang, kws in read_json(output / "keywords" / f"{doc}.json")["keywords"].items()}
        for q in pairs:
            if q["kind"] != "translation":
                continue
            n += 1
            e = by_id.get(q["id_key"])
            if e is None:
                where = ""
                if keyphrase_keys is not None:
                    where = (f"; rank among the paper's keyphrases (the glossary takes the first {n_keyphrases}): "
                             f"id {rank(keyphrase_keys.get('id', []), q['id_key'])}, "
                             f"en {rank(keyphrase_keys.get('en', []), q['en_key'])}")
                lines.append(f"    -- {doc}: {q['id']!r} [{q['id_key']}] not in the glossary{where}")
                continue
            found += 1
            ok = e["en_key"] == q["en_key"]
            in_forms = q["en"].lower() in {f.lower() for f in e["en"]}
            right += ok
            form += in_forms
            lines.append(f"    {'OK' if ok else 'XX'} {doc}: {q['id']!r} [{q['id_key']}] -> {e['en'][:3]} "
                         f"[{e['en_key']}] (gold {q['en']!r} [{q['en_key']}]; gold form among the entry's: "
                         f"{in_forms}; linked {e['linked']} (this paper {'in' if doc in e['linked_ids'] else 'not in'}"
                         f" them), documents {e['documents']}, g2 {e['g2']:.1f})")
    print(f"  {label}: coverage {found}/{n} ({100 * found / n if n else 0:.1f} %), accuracy {right}/{found} "
          f"({100 * right / found if found else 0:.1f} %), gold English form among the entry's forms {form}/{found}")
    if verbose:
        for line in lines:
            print(line)


def keep_run1(output: Path, dest: Path, golds: dict) -> None:
    """The first run's glossary and the dev papers' artifacts, before the second run replaces them."""
    for kind in ("normalize", "keywords", "align"):
        (dest / kind).mkdir(parents=True, exist_ok=True)
        for doc in golds:
            shutil.copyfile(output / kind / f"{doc}.json", dest / kind / f"{doc}.json")
    (dest / "glossary").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(output / "glossary" / "corpus.json", dest / "glossary" / "corpus.json")


def code_digest() -> str:
    """A hash of the pipeline's code and resources: the runs and the offline checks must
    see the same code (a working tree edited during the benchmark mixes versions)."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted((ROOT / "pipeline").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


# -- main -----------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, metavar="N",
                    help="only the first N records of the SINTA corpus (for development)")
    ap.add_argument("--keep", type=Path, default=None, metavar="DIR",
                    help="work in this folder (new or empty) and keep it")
    ap.add_argument("--entries", type=Path, default=None, metavar="FILE",
                    help=f"TSV file of the {TOP_ENTRIES} best glossary entries (default: glossary_top.tsv in "
                         "the work folder)")
    args = ap.parse_args(argv)
    if not SHARED.exists() or not all(p.exists() for p in (GOLD, ITEMS, SINTA)):
        print(f"{SHARED} (align, keywords and corpus data) not found: nothing to measure")
        return 0
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        print(f"--keep {args.keep}: the folder is not empty; give a new or empty folder", file=sys.stderr)
        return 2
    gold = read_jsonl(GOLD)
    items_by_id = {item["id"]: item for item in read_jsonl(ITEMS)}
    items = [items_by_id[g["id"]] for g in gold]
    gold_by_doc = {g["id"]: g for g in gold}
    t_start = time.perf_counter()
    digest = code_digest()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        entries_path = args.entries or work / "glossary_top.tsv"
        output = work / "output"
        print(f"work folder: {work}" + ("" if args.keep else " (temporary)")
              + (f"; --limit {args.limit}" if args.limit else ""))
        dirs = build_workspace(work, items, args.limit)
        first = run_pipeline(dirs, "run 1, keyword lines in")

        key = Keyer()
        golds = gold_pairs(gold, key)
        kinds = Counter(p["kind"] for pairs in golds.values() for p in pairs)
        print(f"\ngold: {len(golds)} papers, {sum(kinds.values())} pairs ("
              + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")")
        check_keys(output, golds)
        artifacts = report_pairs(output, golds, gold_by_doc)
        ablation(output, golds, artifacts)
        glossary_1 = read_json(output / "glossary" / "corpus.json")
        keep_run1(output, work / "run1", golds)

        write_dev_documents(work / "corpus", items, False)
        print("\ndev papers rewritten without their keyword lines")
        second = run_pipeline(dirs, "run 2, keyword lines out, incremental")
        glossary_2 = read_json(output / "glossary" / "corpus.json")
        print(f"\n== 3. The glossary as a bilingual lexicon: gold translation pairs looked up by their "
              f"Indonesian key (entries: run 1 {len(glossary_1['entries'])}, run 2 {len(glossary_2['entries'])}; "
              f"glossary refitted by run 2: {second['steps'].get('glossary', {}).get('ran', 0) > 0})")
        lexicon_check(glossary_2, golds, output, "run 2 (dev papers without keyword lines)", True)
        lexicon_check(glossary_1, golds, None, "run 1 (keyword lines in; for comparison)", False)
        top_entries(glossary_1, entries_path, "" if args.keep or args.entries else
                    " (removed with the temporary work folder: give --entries or --keep to keep it)")

        print("\n== 5. Cost")
        for label, run in (("run 1 (full, cold)", first), ("run 2 (14 papers changed)", second)):
            steps = run["steps"]
            print(f"  {label:28s} wall {run['wall']:7.1f} s; glossary {steps.get('glossary', {}).get('seconds', 0):6.2f}"
                  f" s (ran {steps.get('glossary', {}).get('ran', 0)}), align "
                  f"{steps.get('align', {}).get('seconds', 0):6.2f} s (ran {steps.get('align', {}).get('ran', 0)})")
        if code_digest() != digest:
            print("\nWARNING: the pipeline's code changed while the benchmark ran: the runs and the offline "
                  "alignment may have used different versions; measure again")
        print(f"\n({time.perf_counter() - t_start:.1f} s in all; work folder {work}"
              + (", kept)" if args.keep else ", removed)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
