"""Rebuild the reference nesting and cue priors (``pipeline/text/resources/keywords_nest_prior.json``).

The keyword extractor's nesting prior (``KeyphraseExtractor(nest_prior=...)``)
and its cue prior (``cue_prior``) are learnt from the author keywords of the
corpus being processed.  A corpus with too few of them (fewer than 20: a
handful of documents, or documents without ``Kata kunci:`` / ``Keywords:``
lines) falls back to this reference:
the same counts taken from the keyword lines of the SINTA corpus
(``../shared/data/corpus/sinta_abstracts.jsonl``: Indonesian journal abstracts
of many fields, the genre this tool is for), split from the scraped text by the
pipeline's own :func:`pipeline.text.sections.split_scraped_abstract` and keyed
by its own normalizer, with the 100 SINTA keyword dev items left out (same
title), so the dev figures never see their own keywords.

Usage::

    python benchmarks/nest_prior_reference.py [--check]

``--check`` only compares the file with what the corpus gives (exit 1 if they
differ).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import keywords_quality as kq  # noqa: E402
from pipeline.text.keyphrases import NEST_REFERENCE_PATH, KeyphraseExtractor  # noqa: E402


def reference_counts() -> dict:
    sets = kq.load_sets(1)
    background = kq.load_background(sets["sinta-id"][1])
    if not background:
        raise SystemExit("the SINTA corpus is needed: ../shared/data/corpus/sinta_abstracts.jsonl")
    out = {
        "source": ("keyword lines of ../shared/data/corpus/sinta_abstracts.jsonl (SINTA journal "
                   "abstracts), dev items of keywords/sinta_dev.jsonl left out; rebuilt by "
                   "benchmarks/nest_prior_reference.py"),
        "layout": ("candidates/chosen: per phrase length 1, 2, 3, 4+: [not nested, nested]; "
                   "cue_candidates/cue_chosen: [not named, named] after a cue word"),
    }
    for lang in ("id", "en"):
        labelled = [(sections, keys) for sections, keys in background.get(lang, []) if keys]
        model = KeyphraseExtractor(lang=lang).fit([s for s, _ in labelled], [k for _, k in labelled])
        out[lang] = {"documents": len(labelled),
                     "keywords": sum(len(k) for _, k in labelled),
                     "candidates": model.nest_cand_, "chosen": model.nest_kp_,
                     "cue_candidates": model.cue_cand_, "cue_chosen": model.cue_kp_}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 when the file differs")
    args = ap.parse_args(argv)
    counts = reference_counts()
    text = json.dumps(counts, indent=1, sort_keys=True) + "\n"
    for lang in ("id", "en"):
        c = counts[lang]
        print(f"{lang}: {c['documents']} documents, {c['keywords']} keywords; "
              f"chosen {c['chosen']} of candidates {c['candidates']}; "
              f"named: chosen {c['cue_chosen']} of {c['cue_candidates']}")
    if args.check:
        same = NEST_REFERENCE_PATH.exists() and NEST_REFERENCE_PATH.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{NEST_REFERENCE_PATH} differs")
        return 0 if same else 1
    NEST_REFERENCE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {NEST_REFERENCE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
