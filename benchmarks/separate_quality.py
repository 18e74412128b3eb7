"""Separate-stage quality: language of blocks, split of run-together abstracts, speed.

Measures
  (1) seeds: every prose paragraph of the four seeds (``tests/data/seeds_paragraph_gold.tsv``,
      gold ``id``/``en``) labelled by :func:`detect_language`, and the language of the
      section that holds it after ingest + separate;
  (2) run-together raw abstracts: the 100 documents of ``sinta_dev.jsonl`` rebuilt as
      scraped abstracts (Indonesian abstract, ``Kata kunci:`` line, English abstract,
      ``Keywords:`` line, run together in the shapes the scraped corpus shows), written as
      the document file ``title\\n\\nabstract`` and read by ingest + the separate stage:
      share of gold abstract words recovered on the right side, and keyword lines
      assigned to the right language;
  (3) short text: ``tests/data/short_phrases_dev.tsv`` (two-word and short phrases) and
      sentences of the dev abstracts, langdetect (id/en profiles) alone vs ours; with
      ``../shared`` present also a held-out phrase set built the same way from documents
      the dev set does not use;
  (4) third language: sentences in other languages/scripts must come out ``unknown``;
  (5) throughput: blocks per second of the language decision, ms per document of
      separate.

Usage::

    python benchmarks/separate_quality.py [--quick] [--build-short-phrases]

``--build-short-phrases`` rewrites ``tests/data/short_phrases_dev.tsv`` (deterministic).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.text import langid  # noqa: E402
from pipeline.text.langid import detect_language  # noqa: E402

DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "data"
SHORT_PHRASES = DATA / "short_phrases_dev.tsv"

# ---------------------------------------------------------------------------
# Raw scraped-abstract shapes (seen in ../shared/data/corpus/sinta_abstracts.jsonl)
# ---------------------------------------------------------------------------

#: Leading label of the Indonesian abstract ("" = none; glued = no space).
ID_PREFIXES = ["", "", "", "Abstrak", "ABSTRAK", "Abstrak: ", "Abstrak- ", "Abstract: "]
#: What lies between an abstract's last sentence and the keyword label.
GAPS = ["", "", " ", "  ", "   "]
ID_LABELS = ["Kata kunci:", "Kata Kunci :", "Kata kunci: ", "Kata-kata kunci:", "Katakunci :",
             "Kata kunci?", "KATA KUNCI:", "Kata Kunci: ", "Kata kunci :"]
EN_LABELS = ["Keywords:", "Key words :", "Keywords :", "Keywords?", "Key Words:", "KEYWORDS:",
             "Keyword:", "Key words: ", "Keywords: "]
#: Indonesian keyword lines under an English label (monolingual papers).
MONO_EN_LABEL_SHARE = 0.15
#: How the keyword list ends and the English abstract starts.
JOINS = ["." , ".", "", " ", ". ", "Abstract", "ABSTRACT", " Abstract: ", ".Abstract "]
SEPARATORS = [", ", ", ", ",", "; ", ", "]


def build_raw_abstract(rec: dict, index: int) -> str:
    """One sinta_dev record as a scraped, run-together abstract string.

    The shape (labels, spaces, punctuation) is drawn with a generator seeded by
    ``index``, so the same record always gets the same shape.
    """
    rng = random.Random(1000 + index)
    sep = rng.choice(SEPARATORS)
    parts = [rng.choice(ID_PREFIXES), rec["id_abstract"].strip()]
    en = (rec.get("en_abstract") or "").strip()
    id_label = rng.choice(ID_LABELS)
    if not en and rng.random() < MONO_EN_LABEL_SHARE:
        id_label = rng.choice(EN_LABELS)
    id_kw = sep.join(k.strip() for k in rec["id_keywords"])
    parts += [rng.choice(GAPS), id_label, id_kw]
    if en:
        parts += [rng.choice(JOINS), en, rng.choice(GAPS), rng.choice(EN_LABELS),
                  sep.join(k.strip() for k in rec.get("en_keywords") or [])]
    parts.append(rng.choice([".", ""]))
    return "".join(parts)


def load_sinta_dev() -> list[dict]:
    return [json.loads(line) for line in (DATA / "sinta_dev.jsonl").open(encoding="utf-8")]


class _Inputs:
    """Stand-in for the runner's inputs object: just ``one("ingest")``."""

    def __init__(self, ingested):
        self._ingested = ingested

    def one(self, kind):
        assert kind == "ingest"
        return self._ingested


def run_stage_on_text(raw: str) -> dict:
    """Ingest (``clean_text`` + metadata) and the separate stage on one document's text."""
    from pipeline.stages import separate
    from pipeline.text.metadata import extract_metadata
    from pipeline.text.cleanup import clean_text

    blocks, _ = clean_text(raw)
    ingested = {"blocks": blocks, "metadata": extract_metadata(blocks)}
    return separate.run("doc", _Inputs(ingested), {})["separate"]


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def _norm_kw(k: str) -> str:
    return " ".join(k.lower().strip(" .;:,").split())


def _covered_words(gold: str | None, got: str | None, min_block: int = 4) -> tuple[int, int]:
    """(gold words found in ``got``, gold words), compared as letter streams.

    Spaces are ignored (ingest repairs words that scraping glued together,
    ``lainsektor`` -> ``lain sektor``); a gold word counts when all its
    letters fall inside a block that matches ``got`` in order.
    """
    import difflib

    words = _words(gold)
    if not words:
        return 0, 0
    g = "".join(words)
    r = "".join(_words(got))
    if not r:
        return 0, len(words)
    covered = bytearray(len(g))
    for blk in difflib.SequenceMatcher(None, g, r, autojunk=False).get_matching_blocks():
        if blk.size >= min_block:  # short coincidences are not recovered text
            covered[blk.a:blk.a + blk.size] = b"\x01" * blk.size
    n = pos = 0
    for w in words:
        n += all(covered[pos:pos + len(w)])
        pos += len(w)
    return n, len(words)


def score_split(rec: dict, out: dict) -> dict:
    """Word-side and keyword-side figures of one recovered document."""
    abstracts = out.get("abstracts") or {}
    total = right = wrong = 0
    for lg, other in (("id", "en"), ("en", "id")):
        gold = rec.get(f"{lg}_abstract")
        ok, n = _covered_words(gold, abstracts.get(lg))
        # Misplaced text: runs of 20+ letters of the gold found on the other side.
        bad, _ = _covered_words(gold, abstracts.get(other), min_block=20)
        total, right, wrong = total + n, right + ok, wrong + bad
    kw_ok = kw_lines = 0
    for lg, key in (("id", "id_keywords"), ("en", "en_keywords")):
        gold_kw = [_norm_kw(k) for k in rec.get(key) or [] if _norm_kw(k)]
        if not gold_kw:
            continue
        kw_lines += 1
        other = "en" if lg == "id" else "id"
        got_kw = {_norm_kw(k) for k in out["keywords"].get(lg) or []}
        got_other = {_norm_kw(k) for k in out["keywords"].get(other) or []}
        # Right language: every gold keyword there, none of them on the other side
        # (keywords spelt the same in both lists are allowed on both).
        shared = {_norm_kw(k) for k in rec.get("en_keywords" if lg == "id" else "id_keywords") or []}
        kw_ok += all(k in got_kw for k in gold_kw) and not any(
            k in got_other and k not in shared for k in gold_kw)
    return {"total": total, "right": right, "wrong": wrong, "kw_ok": kw_ok, "kw_lines": kw_lines}


def evaluate_raw_abstracts(records: list[dict], *, through_stage: bool = True) -> dict:
    """Rebuild each record as a raw abstract, separate it, and score it."""
    from pipeline.text.sections import split_scraped_abstract

    agg = Counter()
    failures = []
    for i, rec in enumerate(records):
        raw = build_raw_abstract(rec, i)
        if through_stage:
            out = run_stage_on_text(f"{rec['title']}\n\n{raw}\n")
        else:
            out = split_scraped_abstract(raw)
        s = score_split(rec, out)
        agg.update(s)
        if s["right"] < 0.99 * s["total"] or s["kw_ok"] < s["kw_lines"]:
            failures.append((i, rec["id"], round(s["right"] / max(s["total"], 1), 3), s["kw_ok"], s["kw_lines"]))
    return {"docs": len(records), "word_share": agg["right"] / max(agg["total"], 1),
            "wrong_side": agg["wrong"] / max(agg["total"], 1),
            "keyword_lines": f"{agg['kw_ok']}/{agg['kw_lines']}", "kw_share": agg["kw_ok"] / max(agg["kw_lines"], 1),
            "failures": failures}


# ---------------------------------------------------------------------------
# Short phrases
# ---------------------------------------------------------------------------

_ALPHA_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
_TOKEN = re.compile(r"[^\s]+")


def _vocabulary(texts) -> set[str]:
    vocab: set[str] = set()
    for t in texts:
        vocab.update(w.lower() for w in re.findall(r"[^\W\d_]+", t))
    return vocab


def _ud_forms(path: Path) -> list[str]:
    forms = []
    for line in path.open(encoding="utf-8"):
        cols = line.split("\t")
        if len(cols) > 2 and cols[0].isdigit():
            forms.append(cols[1])
    return forms


def _stopwords(lang: str) -> set[str]:
    path = ROOT / "pipeline" / "text" / "resources" / f"stopwords_{lang}.txt"
    return {ln.strip().lower() for ln in path.open(encoding="utf-8") if ln.strip() and not ln.startswith("#")}


def clean_phrase(phrase: str) -> str | None:
    """A phrase fit for the short-text set: 2-4 alphabetic words, no acronym."""
    words = phrase.strip().strip(".;:,").split()
    if not 2 <= len(words) <= 4:
        return None
    for w in words:
        if not _ALPHA_WORD.match(w) or len(w) < 2:
            return None
        if sum(c.isupper() for c in w) >= 2:  # acronyms, ALL-CAPS, glued words: no language
            return None
    return " ".join(words)


def content_bigrams(text: str, stop: set[str]) -> list[str]:
    """Adjacent word pairs inside a clause, both content words of 3+ letters."""
    out = []
    for clause in re.split(r"[.,;:!?()\"“”\[\]]", text):
        toks = clause.split()
        for a, b in zip(toks, toks[1:]):
            if a.islower() and b.islower() and len(a) >= 3 and len(b) >= 3 \
                    and a not in stop and b not in stop and clean_phrase(f"{a} {b}"):
                out.append(f"{a} {b}")
    return out


def is_neutral(phrase: str, lang: str, vocab_en: set[str], vocab_id: set[str]) -> bool:
    """True when every word of the phrase is also a word of the other language.

    Reference vocabularies are independent corpora: Inspec abstracts for English,
    UD Indonesian-GSD (Wikipedia/news) for Indonesian.  ``sistem informasi`` stays
    Indonesian (``sistem`` is not English), ``template matching`` from an
    Indonesian keyword list is neutral (both words are English words),
    ``data mining`` is neutral either way.
    """
    other = vocab_en if lang == "id" else vocab_id
    return all(w.lower() in other for w in phrase.split())


def _lemma_lexicon(lang: str) -> set[str]:
    """Word forms and lemmas of spaCy's lookup table for ``lang`` plus its stop words."""
    import gzip
    import importlib

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{lang}_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    words = {k.lower() for k in table} | {v.lower() for v in table.values() if isinstance(v, str)}
    stop = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
    return words | {w.lower() for w in stop}


def build_short_phrases(inspec_path: Path, sinta_records: list[dict], max_inspec_docs: int | None,
                        *, inspec_skip: int = 0, tag: str = "dev") -> list[tuple[str, str, str, str]]:
    """Labelled short phrases ``(phrase, lang, source, status)``.

    ``status`` is ``ok`` or ``neutral`` (see :func:`is_neutral`; Indonesian
    keywords identical to one of the paper's English keywords are neutral too).
    """
    inspec = [json.loads(line) for line in inspec_path.open(encoding="utf-8")]
    inspec = inspec[inspec_skip:]
    if max_inspec_docs is not None:
        inspec = inspec[:max_inspec_docs]
    vocab_en = _vocabulary(_inspec_reference_texts()) | _lemma_lexicon("en")
    vocab_id = _vocabulary(_ud_forms(DATA / "id_gsd-ud-dev.conllu")) | _lemma_lexicon("id")
    stop_id, stop_en = _stopwords("id"), _stopwords("en")
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()

    def add(phrase, lang, source, neutral=False):
        p = clean_phrase(phrase)
        if p is None or p.lower() in seen:
            return
        seen.add(p.lower())
        neutral = neutral or is_neutral(p, lang, vocab_en, vocab_id)
        rows.append((p, lang, source, "neutral" if neutral else "ok"))

    for rec in sinta_records:
        en_kw = {_norm_kw(k) for k in rec.get("en_keywords") or []}
        for k in rec.get("id_keywords") or []:
            add(k, "id", f"{tag}:sinta_id_keywords:{rec['id']}", neutral=_norm_kw(k) in en_kw)
        for k in rec.get("en_keywords") or []:
            add(k, "en", f"{tag}:sinta_en_keywords:{rec['id']}")
        for b in content_bigrams(rec["id_abstract"], stop_id)[::7][:3]:
            add(b, "id", f"{tag}:sinta_id_abstract_bigram:{rec['id']}")
        if rec.get("en_abstract"):
            for b in content_bigrams(rec["en_abstract"], stop_en)[::7][:3]:
                add(b, "en", f"{tag}:sinta_en_abstract_bigram:{rec['id']}")
    for rec in inspec:
        for k in rec["keyphrases"][:3]:
            add(k, "en", f"{tag}:inspec_keyphrase:{rec['id']}")
        for b in content_bigrams(" ".join(rec["text"].split()), stop_en)[::9][:1]:
            add(b, "en", f"{tag}:inspec_bigram:{rec['id']}")
    return rows


def _inspec_reference_texts() -> list[str]:
    """English reference vocabulary for the neutrality filter: Inspec abstracts in tests/data."""
    return [json.loads(line)["text"] for line in (DATA / "inspec_dev_200.jsonl").open(encoding="utf-8")]


def write_short_phrases() -> None:
    rows = build_short_phrases(DATA / "inspec_dev_200.jsonl", load_sinta_dev(), None)
    dropped = dict(Counter(f"{lg} neutral" for _, lg, _, st in rows if st == "neutral"))
    header = [
        "# source: built by benchmarks/separate_quality.py --build-short-phrases from tests/data/sinta_dev.jsonl "
        "(author keywords id_keywords/en_keywords; content bigrams of id_abstract/en_abstract) and "
        "tests/data/inspec_dev_200.jsonl (first 3 gold keyphrases and one content bigram per document)",
        "# kept: 2-4 alphabetic words, no acronym/ALL-CAPS word, no glued words; status neutral: Indonesian keywords "
        "identical to one of the paper's English keywords, and phrases all of whose words are words of the other "
        "language (English lexicon: spaCy lookups en lemma table + spaCy en stop words + Inspec abstracts; "
        "Indonesian lexicon: spaCy lookups id lemma table + spaCy id stop words + UD Indonesian-GSD dev forms)",
        f"# neutral: {json.dumps(dropped, sort_keys=True)}",
        "# columns: phrase, lang (the language of the list/abstract it comes from), source, status "
        "(ok = in the measured set; neutral = language-neutral, reported apart)",
        "# phrase\tlang\tsource\tstatus",
    ]
    lines = header + [f"{p}\t{lg}\t{src}\t{st}" for p, lg, src, st in rows]
    SHORT_PHRASES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    c = Counter((lg, st, "2w" if len(p.split()) == 2 else "3-4w") for p, lg, _, st in rows)
    print(f"wrote {len(rows)} phrases to {SHORT_PHRASES}: {dict(c)}; dropped {dropped}")


WORDFREQ_RESOURCE = ROOT / "pipeline" / "text" / "resources" / "langid_wordfreq.tsv"
WORDFREQ_TOP_N = 25000
WORDFREQ_MS_TOP_N = 8000
WORDFREQ_MIN_DIFF = 0.3


def write_wordfreq_resource() -> None:
    """Write ``pipeline/text/resources/langid_wordfreq.tsv`` from wordfreq (deterministic)."""
    import wordfreq

    words = set()
    for lang, n in (("id", WORDFREQ_TOP_N), ("en", WORDFREQ_TOP_N), ("ms", WORDFREQ_MS_TOP_N)):
        words.update(w for w in wordfreq.top_n_list(lang, n) if w.isalpha() and len(w) >= 2)
    rows = []
    for w in sorted(words):
        # Malay spellings count as Indonesian: on the id/en axis they are Indonesian.
        z_id = max(wordfreq.zipf_frequency(w, "id"), wordfreq.zipf_frequency(w, "ms"))
        z_en = wordfreq.zipf_frequency(w, "en")
        if abs(z_id - z_en) >= WORDFREQ_MIN_DIFF or max(z_id, z_en) >= 3.0:
            rows.append(f"{w}\t{z_id:.1f}\t{z_en:.1f}")
    header = (f"# source: wordfreq 3.1 (rspeer/wordfreq, data CC BY-SA 4.0): union of top_n_list('id', {WORDFREQ_TOP_N}), "
              f"top_n_list('en', {WORDFREQ_TOP_N}), top_n_list('ms', {WORDFREQ_MS_TOP_N}), alphabetic words of 2+ letters; "
              "columns word, Zipf frequency in Indonesian (max of 'id' and 'ms'), Zipf frequency in English; kept when the "
              f"two differ by >= {WORDFREQ_MIN_DIFF} or either is >= 3.0; written by benchmarks/separate_quality.py "
              "--build-wordfreq-resource")
    WORDFREQ_RESOURCE.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} words to {WORDFREQ_RESOURCE}")


def load_short_phrases(path: Path = SHORT_PHRASES, status: str = "ok") -> list[tuple[str, str, str]]:
    """``(phrase, lang, source)`` rows of the given status (``ok``, ``neutral`` or ``all``)."""
    rows = []
    for line in path.open(encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        p, lg, src, st = line.rstrip("\n").split("\t")
        if status in ("all", st):
            rows.append((p, lg, src))
    return rows


def langdetect_only(text: str) -> str:
    """langdetect restricted to the id/en profiles, nothing else."""
    p = langid._langdetect_p_id(text)
    return "unknown" if p is None else ("id" if p >= 0.5 else "en")


def accuracy(items, decide) -> dict:
    by = Counter()
    ok = Counter()
    for text, gold in items:
        key = ("2w" if len(text.split()) == 2 else "3-4w", gold)
        by[key] += 1
        ok[key] += decide(text) == gold
    res = {f"{k[0]} {k[1]}": f"{ok[k]}/{by[k]} = {ok[k] / by[k]:.3f}" for k in sorted(by)}
    two = [k for k in by if k[0] == "2w"]
    res["2w all"] = sum(ok[k] for k in two) / max(sum(by[k] for k in two), 1)
    res["all"] = sum(ok.values()) / max(sum(by.values()), 1)
    return res


def sentence_items(records, inspec_path: Path, n_inspec: int) -> list[tuple[str, str]]:
    from pipeline.text.sections import _split_sentences

    items = []
    for rec in records:
        for lg, key in (("id", "id_abstract"), ("en", "en_abstract")):
            for s in _split_sentences(" ".join((rec.get(key) or "").split())):
                if len(s.split()) >= 6:
                    items.append((s, lg))
    for line in list(inspec_path.open(encoding="utf-8"))[:n_inspec]:
        for s in _split_sentences(" ".join(json.loads(line)["text"].split())):
            if len(s.split()) >= 6:
                items.append((s, "en"))
    return items


# ---------------------------------------------------------------------------
# Third language
# ---------------------------------------------------------------------------

#: Sentences in other languages and scripts (written for this benchmark; ordinary
#: academic sentences, no document of the dev or test data).
OTHER_LANGUAGE_SENTENCES = [
    ("de", "Die Ergebnisse zeigen, dass die vorgeschlagene Methode die Genauigkeit der Klassifikation deutlich verbessert."),
    ("de", "Diese Arbeit untersucht den Einfluss der Globalisierung auf die Außenpolitik kleiner Staaten."),
    ("fr", "Les résultats montrent que la méthode proposée améliore nettement la précision de la classification."),
    ("fr", "Cette étude analyse le rôle des villes dans la politique étrangère des pays en développement."),
    ("es", "Los resultados muestran que el método propuesto mejora claramente la precisión de la clasificación."),
    ("nl", "De resultaten laten zien dat de voorgestelde methode de nauwkeurigheid van de classificatie verbetert."),
    ("pt", "Os resultados mostram que o método proposto melhora significativamente a precisão da classificação."),
    ("it", "I risultati mostrano che il metodo proposto migliora nettamente la precisione della classificazione."),
    ("ru", "Результаты показывают, что предложенный метод значительно повышает точность классификации."),
    ("ar", "تظهر النتائج أن الطريقة المقترحة تحسن دقة التصنيف بشكل ملحوظ."),
    ("zh", "结果表明，所提出的方法显著提高了分类的准确性。"),
    ("ja", "結果は、提案された方法が分類の精度を大幅に向上させることを示している。"),
    ("el", "Τα αποτελέσματα δείχνουν ότι η προτεινόμενη μέθοδος βελτιώνει την ακρίβεια της ταξινόμησης."),
    ("tr", "Sonuçlar, önerilen yöntemin sınıflandırma doğruluğunu önemli ölçüde artırdığını göstermektedir."),
]


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------

def seed_gold() -> list[tuple[str, int, str, str, str]]:
    """(doc, paragraph number, gold, first chars, paragraph text) for id/en paragraphs."""
    docs = {}
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        docs[path.name[:3]] = (raw, [p for p in re.split(r"\n\s*\n", raw) if p.strip()])
    rows = []
    for line in (DATA / "seeds_paragraph_gold.tsv").open(encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        doc, para, gold, first = line.rstrip("\n").split("\t", 3)
        if gold in ("id", "en"):
            rows.append((doc, int(para), gold, first, " ".join(docs[doc][1][int(para) - 1].split())))
    return rows


def evaluate_seeds() -> dict:
    """Per paragraph: detect_language, and the language of its section after ingest + separate."""
    rows = seed_gold()
    direct = sum(detect_language(text)[0] == gold for _, _, gold, _, text in rows)
    outs = {}
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        outs[path.name[:3]] = run_stage_on_text(path.read_text(encoding="utf-8"))
    staged = found = 0
    misses = []
    for doc, para, gold, _, text in rows:
        probe = " ".join(_words(text)[:8])
        sec = next((s for s in outs[doc]["sections"]
                    if s["kind"] in ("abstract", "body", "heading", "title", "keywords", "references")
                    and probe in " ".join(_words(s["text"]))), None)
        if sec is None:
            continue
        found += 1
        staged += sec["lang"] == gold
        if sec["lang"] != gold:
            misses.append((doc, para, gold, sec["lang"], sec["kind"]))
    return {"paragraphs": len(rows), "detect_language": f"{direct}/{len(rows)}",
            "stage": f"{staged}/{found} found", "stage_misses": misses}


# ---------------------------------------------------------------------------
# Throughput
# ---------------------------------------------------------------------------

def throughput(records) -> dict:
    from pipeline.text.sections import split_sections

    blocks = []
    for rec in records:
        blocks.append(rec["id_abstract"])
        blocks.extend(k for k in rec["id_keywords"])
        if rec.get("en_abstract"):
            blocks.append(rec["en_abstract"])
    for _, _, _, _, text in seed_gold():
        blocks.append(text)
    langid._detect_cached.cache_clear()
    detect_language("warm up")
    t0 = time.perf_counter()
    for b in blocks:
        detect_language(b)
    dt = time.perf_counter() - t0
    from pipeline.text.cleanup import clean_text

    docs = [clean_text(f"{r['title']}\n\n{build_raw_abstract(r, i)}\n")[0] for i, r in enumerate(records)]
    langid._detect_cached.cache_clear()
    t0 = time.perf_counter()
    for b in docs:
        split_sections(b, {})
    dt_docs = time.perf_counter() - t0
    return {"blocks": len(blocks), "blocks_per_s": round(len(blocks) / dt, 1),
            "ms_per_block": round(1000 * dt / len(blocks), 3),
            "separate_ms_per_raw_abstract": round(1000 * dt_docs / len(docs), 2)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="subsets only")
    ap.add_argument("--build-short-phrases", action="store_true")
    ap.add_argument("--build-wordfreq-resource", action="store_true")
    args = ap.parse_args(argv)
    if args.build_short_phrases or args.build_wordfreq_resource:
        if args.build_short_phrases:
            write_short_phrases()
        if args.build_wordfreq_resource:
            write_wordfreq_resource()
        return
    records = load_sinta_dev()
    if args.quick:
        records = records[:40]

    print("== seeds (gold id/en paragraphs)")
    print(evaluate_seeds())

    print("== sinta_dev rebuilt as raw run-together abstracts")
    stage = evaluate_raw_abstracts(records, through_stage=True)
    print("through ingest + separate stage:", {k: v for k, v in stage.items() if k != "failures"})
    print("   failures:", stage["failures"][:20])
    direct = evaluate_raw_abstracts(records, through_stage=False)
    print("split_scraped_abstract directly:", {k: v for k, v in direct.items() if k != "failures"})

    if SHARED.exists() and not args.quick:
        print("== real scraped abstracts with both 'Kata kunci' and 'Keywords' labels (../shared corpus, no gold)")
        print(evaluate_real_bilingual())

    print("== short phrases (tests/data/short_phrases_dev.tsv)")
    items = [(p, lg) for p, lg, _ in load_short_phrases()]
    print("langdetect alone:", accuracy(items, langdetect_only))
    print("ours:            ", accuracy(items, lambda t: detect_language(t)[0]))
    neutral = [(p, lg) for p, lg, _ in load_short_phrases(status="neutral")]
    print(f"language-neutral phrases ({len(neutral)}, labelled by their list): langdetect alone "
          f"{accuracy(neutral, langdetect_only)['all']:.3f}, ours {accuracy(neutral, lambda t: detect_language(t)[0])['all']:.3f}")
    misses = [(t, g, detect_language(t)) for t, g in items if detect_language(t)[0] != g]
    print("   misses:", misses[:40])
    if SHARED.exists() and not args.quick:
        held = heldout_phrases()
        print(f"== held-out phrases ({len(held)}: inspec_dev docs 200-700 keyphrases and bigrams; sinta_abstracts "
              "(documents not in sinta_dev) keyword lists and bigrams of Indonesian-only abstracts)")
        print("langdetect alone:", accuracy(held, langdetect_only))
        print("ours:            ", accuracy(held, lambda t: detect_language(t)[0]))

    print("== sentences (>= 6 words) of the dev abstracts")
    sents = sentence_items(records, DATA / "inspec_dev_200.jsonl", 40 if args.quick else 200)
    ld = sum(langdetect_only(t) == g for t, g in sents)
    ours = sum(detect_language(t)[0] == g for t, g in sents)
    print(f"{len(sents)} sentences: langdetect alone {ld / len(sents):.4f}, ours {ours / len(sents):.4f}")
    print("   misses:", [(t[:80], g) for t, g in sents if detect_language(t)[0] != g][:10])

    print("== other languages / scripts -> unknown")
    res = [(code, detect_language(t)) for code, t in OTHER_LANGUAGE_SENTENCES]
    print(f"{sum(r[1][0] == 'unknown' for r in res)}/{len(res)} unknown:", res)

    print("== throughput")
    print(throughput(records))


def evaluate_real_bilingual() -> dict:
    """Both abstracts found, each in its language, keywords on both sides."""
    n = both = langs_ok = kw_both = 0
    bad = []
    for line in (SHARED / "corpus" / "sinta_abstracts.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        a = rec["abstract"]
        if not (re.search(r"kata[\s-]*kunci", a, re.I) and re.search(r"key\s*words?", a, re.I)):
            continue
        n += 1
        out = run_stage_on_text(f"{rec['title']}\n\n{a}\n")
        ab = out["abstracts"]
        ok = bool(ab["id"] and ab["en"])
        both += ok
        langs_ok += ok and detect_language(ab["id"])[0] == "id" and detect_language(ab["en"])[0] == "en"
        kw_both += bool(out["keywords"]["id"] and out["keywords"]["en"])
        if not ok:
            bad.append(rec["id"])
    return {"documents": n, "both_abstracts": both, "languages_right": langs_ok, "keywords_both": kw_both,
            "missing": bad[:10]}


def heldout_phrases() -> list[tuple[str, str]]:
    """Phrases from documents the dev set does not use (needs ../shared)."""
    dev_titles = {r["title"].strip().lower() for r in load_sinta_dev()}
    label = re.compile(r"(kata[\s-]*kata[\s-]*kunci|kata\s*kunci|key\s*words?)\s*[:?]\s*", re.IGNORECASE)
    recs = []
    for line in (SHARED / "corpus" / "sinta_abstracts.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if r["title"].strip().lower() in dev_titles:
            continue
        a = r["abstract"]
        ms = list(label.finditer(a))
        # Indonesian list: after a "Kata kunci" label; English list: a "Keywords" label
        # that follows a "Kata kunci" label in the same abstract (bilingual paper).
        id_kw, en_kw = [], []
        for i, m in enumerate(ms):
            end = ms[i + 1].start() if i + 1 < len(ms) else len(a)
            seg = a[m.end():end]
            seg = re.split(r"\.\s*[A-Z]|(?<=[a-z])(?=[A-Z][a-z])", seg)[0]
            kws = [k.strip() for k in re.split(r"[,;]", seg) if k.strip()]
            if m.group(1).lower().startswith("kata"):
                id_kw = kws
            elif id_kw:
                en_kw = kws
        # Indonesian abstract text for bigrams: whole abstracts without a single
        # English function word (a monolingual Indonesian abstract), first 600.
        n_id, n_en = langid.function_word_counts(a)
        id_text = a if (n_en == 0 and n_id >= 10 and len(recs) < 600) else ""
        if id_kw or id_text:
            recs.append({"id": r["id"], "id_keywords": id_kw, "en_keywords": en_kw, "id_abstract": id_text,
                         "en_abstract": ""})
    rows = build_short_phrases(SHARED / "keywords" / "inspec_dev.jsonl", recs, 500, inspec_skip=200,
                               tag="heldout")
    return [(p, lg) for p, lg, _, st in rows if st == "ok"]


if __name__ == "__main__":
    main()
