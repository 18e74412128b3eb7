"""Quality and speed of OCR cleanup, run by hand: ``python benchmarks/ocr_quality.py [--limit N]``.

Reads ``../shared/data/ocr/`` when present, else the copies in ``tests/data``.
Word error rate (WER) = word-level Levenshtein edits / gold words, on
whitespace tokens.  Reported:

* ``simulated_dev``: WER of the raw ``noisy`` text, of a naive cleanup, and of
  :func:`pipeline.text.cleanup.clean_document` (prose text) with and without
  run-together word splitting (off by default), against ``clean``; the ten
  commonest remaining errors.  The gold is scraped text that itself keeps words run together
  (``dilakukandengan``), so every correct split counts as two errors there:
  ``split_words=False`` is the figure comparable with the gold.
* ``realocr_dev``: WER of the Indonesian abstract that the pipeline separates
  from each page (``split_sections(blocks)["abstracts"]["id"]``) against the
  typeset ``clean`` text cut between ``Abstrak`` and ``Kata kunci``, side by
  side with a naive cleanup (join ``-\\n``, drop header and page-number lines,
  cut between ``Abstrak`` and ``Kata kunci``); also the whole page.
* false corrections on clean text: every ``clean`` side of the simulated
  pairs must come back unchanged up to whitespace, with no change logged
  beyond whitespace (a cleaner that damages clean text is worse than none;
  authors' typos look like misreads and stay).
* scraped-abstract titles: each ``title\n\nabstract`` file of
  ``corpus/sinta_abstracts.jsonl`` (``tests/data/sinta_abstracts_60.jsonl``
  without ``../shared``) must open with a ``title`` block holding the title.
* seed 003: the named OCR errors repaired, the named valid words kept.
* seed 003 line-end hyphens against the hand-labelled gold.
* speed: milliseconds per document of ``clean_document`` (lexicons warm).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.evaluation import word_edit_distance  # noqa: E402
from pipeline.text.metadata import extract_metadata  # noqa: E402
from pipeline.text.cleanup import clean_document, doc_token_counts, resolve_line_end_hyphen  # noqa: E402
from pipeline.text.sections import split_sections  # noqa: E402


def data_path(name: str) -> Path:
    shared = REPO.parent / "shared" / "data" / "ocr" / name
    return shared if shared.exists() else REPO / "tests" / "data" / name


def load(name: str, limit: int | None) -> list[dict]:
    rows = [json.loads(line) for line in data_path(name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


_NUMBER_LINE_RE = re.compile(r"^\W*\d{1,4}\W*$")
_HEADER_RE = re.compile(r"\b(?:vol(?:ume)?|no|issn|jurnal|journal)\b\.?", re.I)


def naive_clean(raw: str) -> str:
    """The naive baseline: join ``-\\n``, drop running-header and page-number lines."""
    text = re.sub(r"-\n(?=\w)", "", raw)
    lines = []
    for line in text.split("\n"):
        s = line.strip()
        if _NUMBER_LINE_RE.match(s):
            continue
        if _HEADER_RE.search(s) and re.search(r"\d", s) and len(s.split()) <= 20:
            continue
        lines.append(s)
    return " ".join(" ".join(lines).split())


def cut_abstract(text: str) -> str:
    """The Indonesian abstract of a page: between ``Abstrak`` and ``Kata kunci``."""
    m = re.search(r"\bAbstrak\b", text, re.I)
    if not m:
        return ""
    rest = text[m.end():]
    k = re.search(r"\bKata\s*kunci\b", rest, re.I)
    return rest[: k.start()] if k else rest


def errors(ref: list[str], hyp: list[str]) -> Counter:
    out: Counter = Counter()
    sm = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op != "equal":
            out[(" ".join(ref[a1:a2]), " ".join(hyp[b1:b2]))] += 1
    return out


def clean_text_differences(text: str) -> list[str]:
    """Differences between ``text`` and its own cleanup beyond whitespace and logged non-word fixes.

    Both texts are compared with all whitespace removed (so joined lines,
    paragraphs and split run-together words are not differences); a
    remaining difference is allowed only inside a word the change log lists
    as ``misread_letters`` (``before`` -> ``after``).
    """
    result = clean_document(text)
    fixes = [(c["before"], c["after"]) for c in result.changes if c["rule"] == "misread_letters"]
    out = "".join(" ".join(b["text"] for b in result.blocks).split())
    ref = "".join(text.split())
    bad = []
    sm = difflib.SequenceMatcher(a=ref, b=out, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            continue
        r, o = ref[a1:a2], out[b1:b2]
        if not any(r in before and o in after for before, after in fixes):
            bad.append(f"{ref[max(0, a1 - 10):a2 + 10]!r} -> {out[max(0, b1 - 10):b2 + 10]!r}")
    return bad


def simulated(limit: int | None) -> None:
    rows = load("simulated_dev.jsonl", limit)
    n = raw = naive = split = nosplit = 0
    remaining: Counter = Counter()
    false_items, nonword_fixes = [], 0
    for row in rows:
        ref = row["clean"].split()
        n += len(ref)
        raw += word_edit_distance(ref, row["noisy"].split())
        naive += word_edit_distance(ref, naive_clean(row["noisy"]).split())
        split += word_edit_distance(ref, clean_document(row["noisy"], split_words=True).text.split())
        hyp = clean_document(row["noisy"], split_words=False).text.split()
        nosplit += word_edit_distance(ref, hyp)
        remaining += errors(ref, hyp)
        diffs = clean_text_differences(row["clean"])
        logged = [f"{c['rule']}: {c['before']!r} -> {c['after']!r}" for c in clean_document(row["clean"]).changes
                  if c["rule"] != "whitespace"]
        if diffs or logged:
            false_items.append((row["id"], (diffs + logged)[:3]))
        nonword_fixes += len(logged)
    print(f"simulated_dev: {len(rows)} items, {n} gold words")
    print(f"  WER raw {raw / n:.2%}  naive {naive / n:.2%}  cleaned {nosplit / n:.2%} (split_words=False)"
          f"  cleaned {split / n:.2%} (split_words=True; the gold keeps run-together words)")
    print("  ten commonest remaining errors (gold -> cleaned, split_words=False):")
    for (g, h), c in remaining.most_common(10):
        print(f"    {c} x {g!r} -> {h!r}")
    print(f"  clean side: {len(rows) - len(false_items)}/{len(rows)} items unchanged up to whitespace"
          f" ({nonword_fixes} changes logged beyond whitespace)")
    for item, diffs in false_items[:10]:
        print(f"    FALSE CORRECTION {item}: {diffs}")


def realocr(limit: int | None) -> None:
    rows = load("realocr_dev.jsonl", limit)
    n = naive = ours = ours_split = page_n = page_raw = page_naive = page_ours = 0
    missing = 0
    for row in rows:
        gold = cut_abstract(row["clean"]).split()
        n += len(gold)
        for split_words in (True, False):
            result = clean_document(row["ocr"], split_words=split_words)
            abstract = split_sections(result.blocks, extract_metadata(result.blocks))["abstracts"]["id"] or ""
            if split_words:
                ours_split += word_edit_distance(gold, abstract.split())
            else:
                missing += not abstract
                ours += word_edit_distance(gold, abstract.split())
        naive += word_edit_distance(gold, cut_abstract(naive_clean(row["ocr"])).split())
        ref = row["clean"].split()
        page_n += len(ref)
        page_raw += word_edit_distance(ref, row["ocr"].split())
        page_naive += word_edit_distance(ref, naive_clean(row["ocr"]).split())
        page_ours += word_edit_distance(ref, " ".join(b["text"] for b in result.blocks).split())
    print(f"realocr_dev: {len(rows)} pages")
    print(f"  Indonesian abstract WER: naive {naive / max(n, 1):.2%}  pipeline {ours / max(n, 1):.2%} (split_words=False)"
          f"  {ours_split / max(n, 1):.2%} (split_words=True)"
          f"  ({n} gold words, {missing} pages without an abstract found)")
    print(f"  whole page WER: raw {page_raw / page_n:.2%}  naive {page_naive / page_n:.2%}  cleaned {page_ours / page_n:.2%}")


def hyphen_accuracy() -> None:
    gold_path = REPO.parent / "shared" / "data" / "ocr" / "003_line_end_hyphens.json"
    if not gold_path.exists():
        gold_path = REPO / "tests" / "data" / "003_line_end_hyphens.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    seed = next((REPO / "corpus").glob("003_*.txt"))
    counts = doc_token_counts(seed.read_text(encoding="utf-8").split("\n"))
    with_doc = lexicon_only = 0
    for g in gold:
        expected = g["expected"] if isinstance(g["expected"], list) else [g["expected"]]
        with_doc += resolve_line_end_hyphen(g["left"], g["right"], counts) in expected
        lexicon_only += resolve_line_end_hyphen(g["left"], g["right"], None) in expected
    print(f"seed 003 line-end hyphens: {with_doc}/{len(gold)} with document evidence, {lexicon_only}/{len(gold)} lexicons only")


def titles(limit: int | None) -> None:
    """Scraped abstracts as ``title\n\nabstract`` files: the title must be the first block, alone."""
    shared = REPO.parent / "shared" / "data" / "corpus" / "sinta_abstracts.jsonl"
    path = shared if shared.exists() else REPO / "tests" / "data" / "sinta_abstracts_60.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    ok = inside = 0
    for row in rows:
        blocks = clean_document(f"{row['title']}\n\n{row['abstract']}\n").blocks
        words = row["title"].split()
        ok += bool(blocks) and blocks[0]["kind"] == "title" and len(blocks[0]["text"].split()) == len(words)
        inside += any(b["kind"] == "paragraph" and b["text"].startswith(" ".join(words[:6])) for b in blocks)
    print(f"scraped titles ({path.name}): {ok}/{len(rows)} title blocks holding the title,"
          f" {inside} paragraphs starting with their title")


def seed003_named() -> None:
    seed = next((REPO / "corpus").glob("003_*.txt")).read_text(encoding="utf-8")
    result = clean_document(seed)
    fixes = {c["before"]: c["after"] for c in result.changes if c["rule"] == "misread_letters"}
    named = ("Tlongkok", "wuangnya", "pelatthan", "uUSD", "Kkapasitas", "Diansir", "Dbisa")
    kept = ("institusional", "transnasional", "mendevaluasi", "MITI", "CGTN", "hegemon")
    print(f"seed 003: named errors repaired {sum(w in fixes for w in named)}/{len(named)} "
          f"({', '.join(f'{w}->{fixes.get(w)}' for w in named)}); valid words kept "
          f"{sum(w not in fixes for w in kept)}/{len(kept)}; {len(fixes)} misread fixes in all")


def speed(limit: int | None) -> None:
    docs = [row["noisy"] for row in load("simulated_dev.jsonl", limit)]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt"))]
    for d in docs + seeds:  # lexicons and caches warm
        clean_document(d)
    t0 = time.perf_counter()
    for d in docs:
        clean_document(d)
    per_abstract = (time.perf_counter() - t0) / max(len(docs), 1) * 1000
    t0 = time.perf_counter()
    for d in seeds:
        clean_document(d)
    per_seed = (time.perf_counter() - t0) / max(len(seeds), 1) * 1000
    print(f"speed: {per_abstract:.1f} ms per simulated abstract page, {per_seed:.1f} ms per seed document (warm)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N items of each file")
    args = parser.parse_args()
    t0 = time.perf_counter()
    simulated(args.limit)
    realocr(args.limit)
    hyphen_accuracy()
    titles(args.limit)
    seed003_named()
    speed(args.limit)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
