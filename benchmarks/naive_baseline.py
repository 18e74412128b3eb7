"""The script a user would write by hand, timed: the yardstick of ``pipeline_speed.py``.

Per abstract: langdetect on the text, Sastrawi's ``stemmer.stem`` on the text, and
the installed ``yake`` package's keywords; then, across the corpus, scikit-learn
TF-IDF and NMF topics on the stemmed texts. One process, one core, no caching of
results, no cleanup, no separation of languages, nothing written but the timing.

Run by hand:  python benchmarks/naive_baseline.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SINTA = REPO.parent / "shared" / "data" / "corpus" / "sinta_abstracts.jsonl"


def sinta_records(limit: int | None = None, path: Path = SINTA) -> list[tuple[str, str]]:
    """Each record as ``(id, document)``, the document as the pipeline reads it:
    ``title\n\nabstract``."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(records) >= limit:
                break
            record = json.loads(line)
            records.append((record["id"], f"{record['title']}\n\n{record['abstract']}\n"))
    return records


def load_texts(path: Path = SINTA, limit: int | None = None) -> list[str]:
    """The documents of :func:`sinta_records`, without their ids."""
    return [text for _, text in sinta_records(limit, path)]


def run_naive(texts: list[str], n_topics: int = 10) -> dict:
    """Run the hand-written script on ``texts``; return its timings (seconds)."""
    began = time.perf_counter()
    cpu_began = time.process_time()
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    import yake

    DetectorFactory.seed = 0
    stemmer = StemmerFactory().create_stemmer()
    setup = time.perf_counter() - began

    per_doc = time.perf_counter()
    languages, stemmed, keywords = [], [], []
    for text in texts:
        try:
            lang = detect(text)
        except LangDetectException:
            lang = "unknown"
        languages.append(lang)
        stemmed.append(stemmer.stem(text))
        extractor = yake.KeywordExtractor(lan="id" if lang == "id" else "en", n=3, top=10)
        keywords.append(extractor.extract_keywords(text))
    per_doc = time.perf_counter() - per_doc

    corpus = time.perf_counter()
    matrix = TfidfVectorizer(max_df=0.9, min_df=2).fit_transform(stemmed)
    NMF(n_components=n_topics, init="nndsvda", random_state=0, max_iter=300).fit(matrix)
    corpus = time.perf_counter() - corpus
    total = time.perf_counter() - began
    return {"documents": len(texts), "setup_s": setup, "per_document_s": per_doc, "corpus_s": corpus,
            "total_s": total, "cpu_s": time.process_time() - cpu_began,
            "docs_per_s": len(texts) / total if total else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N abstracts")
    args = parser.parse_args()
    result = run_naive(load_texts(limit=args.limit))
    print(f"naive script: {result['documents']} documents in {result['total_s']:.1f} s "
          f"({result['docs_per_s']:.1f} docs/s; CPU {result['cpu_s']:.1f} s; per-document part "
          f"{result['per_document_s']:.1f} s, TF-IDF+NMF {result['corpus_s']:.1f} s)")


if __name__ == "__main__":
    main()
