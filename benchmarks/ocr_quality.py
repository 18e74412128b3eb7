"""Word error rate of OCR cleanup, run by hand: ``python benchmarks/ocr_quality.py``.

Reads ``../shared/data/ocr/{simulated_dev,realocr_dev}.jsonl`` when present,
else the copies in ``tests/data``.  For every item, the raw OCR text and the
cleaned text (``clean_text`` blocks joined by spaces) are compared with the
gold ``clean`` text by a word-level Levenshtein distance after whitespace
normalisation; WER = total edits / total gold words.  Also reports the
line-end hyphen accuracy of seed 003 against its hand-labelled gold.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.evaluation import word_edit_distance  # noqa: E402
from pipeline.text.ocr import _doc_token_counts, clean_text, resolve_line_end_hyphen  # noqa: E402


def data_path(name: str) -> Path:
    shared = REPO.parent / "shared" / "data" / "ocr" / name
    return shared if shared.exists() else REPO / "tests" / "data" / name


def evaluate(name: str, raw_key: str, limit: int | None = None) -> dict:
    rows = [json.loads(line) for line in data_path(name).read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    ref_words = raw_edits = clean_edits = 0
    t0 = time.time()
    for row in rows:
        ref = row["clean"].split()
        raw = row[raw_key]
        blocks, _ = clean_text(raw)
        hyp = " ".join(b["text"] for b in blocks).split()
        ref_words += len(ref)
        raw_edits += word_edit_distance(ref, raw.split())
        clean_edits += word_edit_distance(ref, hyp)
    return {
        "file": name,
        "items": len(rows),
        "words": ref_words,
        "raw_wer": raw_edits / max(ref_words, 1),
        "clean_wer": clean_edits / max(ref_words, 1),
        "seconds": time.time() - t0,
    }


def hyphen_accuracy() -> tuple[int, int, int]:
    gold_path = REPO.parent / "shared" / "data" / "ocr" / "003_line_end_hyphens.json"
    if not gold_path.exists():
        gold_path = REPO / "tests" / "data" / "003_line_end_hyphens.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    seed = next((REPO / "corpus").glob("003_*.txt"))
    counts = _doc_token_counts(seed.read_text(encoding="utf-8").split("\n"))
    with_doc = lexicon_only = 0
    for g in gold:
        expected = g["expected"] if isinstance(g["expected"], list) else [g["expected"]]
        with_doc += resolve_line_end_hyphen(g["left"], g["right"], counts) in expected
        lexicon_only += resolve_line_end_hyphen(g["left"], g["right"], None) in expected
    return with_doc, lexicon_only, len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="only the first N items of each file")
    args = parser.parse_args()
    for name, key in (("simulated_dev.jsonl", "noisy"), ("realocr_dev.jsonl", "ocr")):
        r = evaluate(name, key, args.limit)
        print(
            f"{r['file']:<22} items={r['items']:>4} words={r['words']:>6}  "
            f"raw WER={r['raw_wer']:.4f}  cleaned WER={r['clean_wer']:.4f}  ({r['seconds']:.1f}s)"
        )
    with_doc, lexicon_only, n = hyphen_accuracy()
    print(f"seed 003 line-end hyphens: {with_doc}/{n} with document evidence, {lexicon_only}/{n} lexicons only")


if __name__ == "__main__":
    main()
