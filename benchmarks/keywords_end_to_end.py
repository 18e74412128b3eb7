"""Keyword quality through the whole pipeline: the SINTA dev items as documents.

``keywords_quality.py`` feeds the keyword extractor normalized abstracts. This
script writes each item of ``keywords/sinta_dev.jsonl`` as the document a user
would add (title; ``Abstrak`` and the Indonesian abstract; ``Kata kunci:``
line; where the paper has one, ``Abstract`` and the English abstract and a
``Keywords:`` line), runs ``run_pipeline.py run`` on the 100 files in a
temporary folder (ingest, separate, normalize, keywords: the author keyword
lines become metadata, never scored text), and scores each document's
``keywords/<doc>.json`` per language against the item's keywords as
``keywords_quality.py`` does (stem keys, exact match, macro F1@10; halves A
and B by position).

``--no-author-keywords`` leaves the ``Kata kunci:`` / ``Keywords:`` lines out
of the documents (no keyphraseness, no learnt length prior).

Run by hand::

    python benchmarks/keywords_end_to_end.py [--no-author-keywords] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from keywords_quality import data_path, gold_keys, macro, prf  # noqa: E402


def document_text(item: dict, author_keywords: bool) -> str:
    """One SINTA dev item as a plain-text document."""
    parts = [item.get("title") or "", "", "Abstrak", item["id_abstract"]]
    if author_keywords and item.get("id_keywords"):
        parts += ["", "Kata kunci: " + ", ".join(item["id_keywords"])]
    if item.get("en_abstract"):
        parts += ["", "Abstract", item["en_abstract"]]
        if author_keywords and item.get("en_keywords"):
            parts += ["", "Keywords: " + ", ".join(item["en_keywords"])]
    return "\n".join(parts) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-author-keywords", action="store_true",
                    help="leave the Kata kunci / Keywords lines out of the documents")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args(argv)
    with open(data_path("sinta_dev.jsonl", "sinta_dev.jsonl"), encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for item in items:
            (corpus / f"{item['id']}.txt").write_text(
                document_text(item, not args.no_author_keywords), encoding="utf-8")
        subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), "run", "--corpus", str(corpus),
                        "--output", str(work / "output"), "--models", str(work / "models"), "--quiet"],
                       check=True)
        from pipeline.text.tokens import Normalizer

        normalizers = {lang: Normalizer(lang) for lang in ("id", "en")}
        rows: dict[str, list] = {"id": [], "en": []}
        for item in items:
            # a document's id is its file name's stem
            path = work / "output" / "keywords" / f"{item['id']}.json"
            keywords = json.loads(path.read_text(encoding="utf-8"))["keywords"]
            for lang in ("id", "en"):
                gold_list = item.get(f"{lang}_keywords")
                if not gold_list or not item.get(f"{lang}_abstract"):
                    continue
                rows[lang].append(prf([k["key"] for k in keywords.get(lang, [])],
                                      gold_keys(normalizers[lang], gold_list), 10))
    print(f"SINTA dev items as documents, author keyword lines {'left out' if args.no_author_keywords else 'in'}")
    for lang, name in (("id", "SINTA-id"), ("en", "SINTA-en")):
        all_, a, b = macro(rows[lang]), macro(rows[lang][0::2]), macro(rows[lang][1::2])
        print(f"  {name} ({len(rows[lang])} documents): P@10 {all_['P']:5.1f}  R@10 {all_['R']:5.1f}  "
              f"F1@10 {all_['F1']:5.1f}  (A {a['F1']:5.1f} / B {b['F1']:5.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
