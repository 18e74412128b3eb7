"""Corpus keywords (the collection's themes) of a finished run, read as a user would.

Run by hand, on the output folder of a run:

    python benchmarks/corpus_themes.py OUTPUT [--top 30] [--show 20]

For each language it prints the top entries of ``OUTPUT/corpus_keywords/<lang>.json``
(phrase, number of documents, score, first documents) and measures them:

* **nested or variant entries**: entries whose concept key (case and inflection taken
  out, :func:`pipeline.text.themes.concept_key`) equals, contains or is contained
  in (as a run of whole words) the concept key of an entry ranked above them;
* **single-document entries** among the top;
* **author keywords**: entries whose concept key is that of a keyword some author of
  the collection gave (the ``Kata kunci:`` / ``Keywords:`` lines that ingest extracts,
  read from ``OUTPUT/normalize/*.json``): a rough check that themes are what authors
  name;
* **time** of the corpus keywords step's work with this checkout's code, from the
  run's keyword artifacts: every document's contribution, then the ranking (median of
  five, CPU seconds).

The artifacts are read as JSON files, so an output folder written by an older version
(another schema version) is measured the same way: that is how the figures before a
change are taken.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.text.themes import concept_key, document_contributions, rank_corpus_keywords  # noqa: E402

LANGS = ("id", "en")


def is_run_of(short: str, long: str) -> bool:
    """Whether the words of ``short`` are a contiguous run of those of ``long`` (or equal)."""
    a, b = short.split(), long.split()
    return any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


def nested_or_variant(keys: list[str]) -> list[int]:
    """Positions of the keys that equal, contain or are contained in a key above them."""
    return [i for i, key in enumerate(keys)
            if any(is_run_of(key, above) or is_run_of(above, key) for above in keys[:i])]


def author_keys(output: Path, lang: str) -> set[str]:
    """Concept keys of every author keyword of the collection in one language."""
    keys = set()
    for path in sorted((output / "normalize").glob("*.json")):
        artifact = json.loads(path.read_text(encoding="utf-8"))
        for keyword in (artifact.get("author_keywords") or {}).get(lang, []):
            if keyword.get("key"):
                keys.add(concept_key(keyword["key"], lang))
    return keys


def timing(output: Path, lang: str, top_n: int) -> tuple[float, float, int]:
    """CPU seconds of the contributions and of the ranking (median of 5), documents."""
    artifacts = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((output / "keywords").glob("*.json"))}
    contributions_s, ranking_s = [], []
    for _ in range(5):
        start = time.process_time()
        contributions = {d: document_contributions(a["keywords"].get(lang, []), lang)
                         for d, a in sorted(artifacts.items())}
        contributions = {d: c for d, c in contributions.items() if c}
        middle = time.process_time()
        rank_corpus_keywords(contributions, top_n)
        contributions_s.append(middle - start)
        ranking_s.append(time.process_time() - middle)
    return statistics.median(contributions_s), statistics.median(ranking_s), len(contributions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, help="output folder of a finished run")
    parser.add_argument("--top", type=int, default=30, help="entries measured per language")
    parser.add_argument("--show", type=int, default=None, help="entries printed (default: --top)")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    for lang in LANGS:
        path = args.output / "corpus_keywords" / f"{lang}.json"
        if not path.exists():
            continue
        artifact = json.loads(path.read_text(encoding="utf-8"))
        entries = artifact["keywords"][: args.top]
        keys = [concept_key(e["key"], lang) for e in entries]
        nested = nested_or_variant(keys)
        authors = author_keys(args.output, lang)
        named = [i for i, key in enumerate(keys) if key in authors]
        version = artifact["header"].get("schema_version")
        print(f"== {lang}: {artifact['n_documents']} documents (schema version {version}), top {len(entries)}")
        for i, entry in enumerate(entries[: args.show or args.top]):
            marks = ("N" if i in nested else " ") + ("A" if i in named else " ")
            docs = ", ".join(entry["documents"][:3]) + (" ..." if entry["df"] > 3 else "")
            print(f"{i + 1:3d} {marks} {entry['phrase'][:40]:<40} {entry['df']:>4} {entry['score']:>10.4f}  {docs}")
        print(f"nested or variant of a higher entry (N): {len(nested)} of {len(entries)}: "
              + "; ".join(entries[i]["phrase"] for i in nested))
        print(f"single-document entries: {sum(e['df'] < 2 for e in entries)} of {len(entries)}")
        print(f"among the collection's author keywords (A): {len(named)} of {len(entries)} "
              f"({len(authors)} distinct author keywords)")
        if not args.no_timing:
            contributions_s, ranking_s, n = timing(args.output, lang, len(artifact["keywords"]) or 100)
            print(f"this code, from the {n} documents' keywords: contributions {contributions_s:.3f} s, "
                  f"ranking {ranking_s:.3f} s (CPU, median of 5)")
        print()


if __name__ == "__main__":
    main()
