"""Cost of the topics step alone on the SINTA abstracts, at 1x and scaled up.

Run by hand:  python benchmarks/topics_scale.py [--scale 10] [--limit N] [--work DIR]

Steps: the SINTA abstracts (``../shared/data/corpus/sinta_abstracts.jsonl``), times
``--scale`` with the varied copies of ``benchmarks/pipeline_speed.py`` (``scaled``), are
written as corpus files and run through every stage before topics (ingest, separate,
normalize, keywords; skipped when ``--work`` already holds them). Then the topics step
of each language is run alone, refitting, each in a fresh process (as a pipeline worker
runs it): wall seconds, CPU seconds (``time.process_time``), peak resident memory of that
process (``ru_maxrss``; the imports alone are about 130 MB), the chosen k, the number of
units the k search ran on, and a digest of the two artifacts (to check that the output
does not change between runs or versions). Nothing is written to the output folder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from naive_baseline import SINTA, sinta_records  # noqa: E402
from pipeline_speed import scaled, write_corpus  # noqa: E402

STEP = """
import hashlib, json, resource, sys, time
from pathlib import Path
from pipeline import Pipeline
from pipeline.stage import ArtifactCache, Inputs, RunOptions
from pipeline.stages import topics

corpus, output, models, lang = sys.argv[1:5]
pipeline = Pipeline(Path(corpus), Path(output), Path(models), jobs=1)
inputs = Inputs(pipeline.store, pipeline.corpus.documents(), lang, ArtifactCache(), RunOptions(refit=True))
began, began_cpu = time.perf_counter(), time.process_time()
out = topics.run(lang, inputs, pipeline.params["topics"])
wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
art, model = out["topics"], out["topic_model"]
digest = hashlib.sha256(json.dumps([art, model], sort_keys=True).encode()).hexdigest()[:16]
searched = (model.get("model") or {}).get("params", {}).get("search_units")
print(json.dumps({"lang": lang, "documents": art["n_documents"], "k": art["k"], "wall": wall, "cpu": cpu,
                  "peak_mib": peak, "search_units": searched, "digest": digest,
                  "labels": [t["label"] for t in art["topics"]]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10, help="copies of each abstract (1: the corpus as it is)")
    parser.add_argument("--limit", type=int, default=None, help="first N abstracts only")
    parser.add_argument("--work", default=None, help="folder of the corpus and outputs (kept; reused if present)")
    parser.add_argument("--langs", default="id,en")
    args = parser.parse_args()
    if not SINTA.exists():
        sys.exit(f"{SINTA} not found: this benchmark needs ../shared/data")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="topics_scale_"))
    corpus, output, models = work / "corpus", work / "output", work / "models"
    if not corpus.exists():
        write_corpus(corpus, scaled(sinta_records(args.limit), max(args.scale, 1)))
    from pipeline import Pipeline

    began = time.perf_counter()
    pipeline = Pipeline(corpus, output, models)
    for stage in ("ingest", "separate", "normalize", "keywords"):
        pipeline.run(only=stage)
    print(f"{len(pipeline.corpus.documents())} documents; stages before topics ready in "
          f"{time.perf_counter() - began:.0f} s ({work})")
    for lang in args.langs.split(","):
        done = subprocess.run([sys.executable, "-c", STEP, str(corpus), str(output), str(models), lang],
                              cwd=REPO, capture_output=True, text=True)
        if done.returncode:
            print(done.stderr[-2000:])
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{r['lang']}: {r['documents']} documents, k = {r['k']} (search on at most {r['search_units']} units), "
              f"wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s, peak RSS {r['peak_mib']:.0f} MiB, digest {r['digest']}")
        for label in r["labels"]:
            print(f"    {label}")


if __name__ == "__main__":
    main()
