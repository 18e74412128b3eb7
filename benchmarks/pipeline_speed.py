"""Wall time of a full pipeline run, cold (empty output) and warm (nothing changed).

Run by hand:  python benchmarks/pipeline_speed.py [--sinta N]

Without options it times the bundled corpus. With ``--sinta N`` it also writes the
first N abstracts of ``../shared/data/corpus/sinta_abstracts.jsonl`` (when present)
as text files (title, blank line, abstract) and times the pipeline on them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.runner import Pipeline  # noqa: E402

SINTA = REPO.parent / "shared" / "data" / "corpus" / "sinta_abstracts.jsonl"


def time_runs(corpus: Path, label: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench_"))
    try:
        pipeline = Pipeline(corpus, work / "output", work / "models")
        began = time.perf_counter()
        cold = pipeline.run()
        cold_s = time.perf_counter() - began
        began = time.perf_counter()
        warm = pipeline.run()
        warm_s = time.perf_counter() - began
        docs = cold.documents
        print(f"{label}: {docs} documents, cold {cold_s:.1f} s ({docs / cold_s:.1f} docs/s), "
              f"warm {warm_s:.2f} s (ran {warm.ran} steps), errors {len(cold.errors)}")
        for step in cold.steps:
            print(f"    {step.name:<16} ran {step.ran:>5}  {step.seconds:7.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sinta", type=int, default=0, metavar="N", help="also time N SINTA abstracts")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    time_runs(REPO / "corpus", "bundled corpus")
    if args.sinta:
        if not SINTA.exists():
            print(f"{SINTA} not found; skipping the SINTA timing")
        else:
            folder = Path(tempfile.mkdtemp(prefix="sinta_corpus_"))
            try:
                with SINTA.open(encoding="utf-8") as handle:
                    for i, line in enumerate(handle):
                        if i >= args.sinta:
                            break
                        rec = json.loads(line)
                        (folder / f"{rec['id']}.txt").write_text(
                            f"{rec['title']}\n\n{rec['abstract']}\n", encoding="utf-8")
                time_runs(folder, f"SINTA first {args.sinta}")
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
