"""Nested share of the keyword lists of a pipeline run: one entry per concept?

Reads ``OUTPUT_DIR/keywords/*.json`` (a run of ``run_pipeline.py run``, e.g. on the
bundled ``corpus/``) and reports, per language and over both, the share of the
phrases of each document's top-10 list that are a contiguous part of another
phrase of the list, contain another, or equal another (stem keys, lowercased; the
measure of ``keywords_quality.py``, :func:`keywords_quality.nested_flags`), macro
(mean of the per-document shares) and micro (over all phrases), and the same on
the authors' keyword lists of the same documents (``author_keywords`` of the
artifact).  ``--lists`` prints every list, nested phrases marked with ``*``.

Usage::

    python run_pipeline.py run --output /tmp/seed_out --models /tmp/seed_models
    python benchmarks/keywords_nesting.py /tmp/seed_out [--lists] [--top 10]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from keywords_quality import nested_flags, nested_share  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", type=Path, help="the output folder of a pipeline run")
    ap.add_argument("--top", type=int, default=10, help="length of the lists measured")
    ap.add_argument("--lists", action="store_true", help="print every list, nested phrases marked *")
    args = ap.parse_args(argv)
    folder = args.output / "keywords"
    paths = sorted(folder.glob("*.json"))
    if not paths:
        print(f"{folder}: no keywords artifacts; run the pipeline with --output {args.output} first",
              file=sys.stderr)
        return 2
    ours: dict = {"id": [], "en": []}
    authors: dict = {"id": [], "en": []}
    for path in paths:
        artifact = json.loads(path.read_text(encoding="utf-8"))
        for lang in ("id", "en"):
            ranked = artifact.get("keywords", {}).get(lang) or []
            keys = [k["key"] for k in ranked][:args.top]
            if keys:
                ours[lang].append(keys)
            own = [k["key"].lower() for k in (artifact.get("author_keywords", {}).get(lang) or []) if k.get("key")]
            if own:
                authors[lang].append(own)
            if args.lists and keys:
                flags = nested_flags(keys)
                print(f"{path.stem} {lang}: " + " | ".join(
                    ("*" if flag else "") + k["phrase"] for k, flag in zip(ranked, flags)))
    print(f"{args.output}: {len(paths)} documents; nested share of the top-{args.top} lists, macro / micro %")
    for lang in ("id", "en", "both"):
        lists = ours["id"] + ours["en"] if lang == "both" else ours[lang]
        own = authors["id"] + authors["en"] if lang == "both" else authors[lang]
        if not lists:
            continue
        print("  {:4s} ours {:5.1f} / {:5.1f} ({} lists)   authors' {:5.1f} / {:5.1f} ({} lists)".format(
            lang, *nested_share(lists), len(lists), *nested_share(own), len(own)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
