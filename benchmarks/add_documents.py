"""Time of adding documents: the SINTA abstracts in bulk, then one new document end to end.

Run by hand:  python benchmarks/add_documents.py [--limit N] [--allow-duplicates]

1. ``add ../shared/data/corpus/sinta_abstracts.jsonl --text-field abstract --title-field
   title --id-field id --no-run`` into an empty corpus: reading, duplicate checks and
   writing the text files and sidecars only (the command the user runs, with its
   progress bar on stderr).
2. ``run``: the whole pipeline over that corpus, cold, per step; then warm (nothing changed).
3. One new document added to that corpus, end to end, two ways:
   a. as a library call in a process that already ran the pipeline (imports done,
      normalizers and models loaded): ``corpus.add`` + ``Pipeline.run``, per step;
   b. as a user does it: ``python run_pipeline.py add FILE`` in a fresh process (the
      add and the run it triggers), wall time of the whole command.
   c. as 'watch' takes it: dropped into the inbox of a resident process (this one),
      from the file landing to the results updated.
   After each, every other document's artifacts are compared byte for byte with
   before (the corpus-level ones, which list the new document, are expected to change).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.cli import main as cli  # noqa: E402
from pipeline.corpus import read_file  # noqa: E402
from pipeline import Pipeline  # noqa: E402
from pipeline.run.watch import InboxWatcher  # noqa: E402

SINTA = REPO.parent / "shared" / "data" / "corpus" / "sinta_abstracts.jsonl"
WATCHED_DOCUMENT = REPO / "corpus" / "003_f5f628d705a61f74.txt"
NEW_DOCUMENTS = (REPO / "corpus" / "001_4b5ed426e38bc02b.txt", REPO / "corpus" / "002_6b2a9478b39344eb.txt",
                 REPO / "corpus" / "004_3a7b404a9cc61d7a.txt")


def per_document_digests(output: Path) -> dict[str, str]:
    """sha256 of every per-document artifact (``<output>/<kind>/<doc>.json``)."""
    out = {}
    for path in output.glob("*/*.json"):
        if path.stem not in ("id", "en", "corpus"):
            out[str(path.relative_to(output))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def compare(before: dict[str, str], after: dict[str, str], new_id: str) -> str:
    changed = [n for n in before if after.get(n) != before[n]]
    added = [n for n in after if n not in before]
    foreign = [n for n in added if new_id not in n]
    return (f"other documents' artifacts changed: {len(changed)} of {len(before)}; "
            f"new artifacts: {len(added)} (all of the new document: {not foreign})")


def print_steps(summary, label: str) -> None:
    print(f"{label}: {summary.seconds:.1f} s, {summary.documents} documents, errors {len(summary.errors)}")
    for step in summary.steps:
        print(f"    {step.name:<16} ran {step.ran:>5}  skipped {step.skipped:>5}  {step.seconds:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, metavar="N", help="only the first N abstracts")
    parser.add_argument("--allow-duplicates", action="store_true", help="keep the near-duplicates too")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print its path")
    args = parser.parse_args()
    if not SINTA.exists():
        sys.exit(f"{SINTA} not found: this benchmark needs ../shared/data")
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    work = Path(tempfile.mkdtemp(prefix="bench_add_"))
    try:
        source = SINTA
        if args.limit:
            source = work / "sinta_subset.jsonl"
            with SINTA.open(encoding="utf-8") as handle:
                source.write_text("".join(line for _, line in zip(range(args.limit), handle)), encoding="utf-8")
        common = ["--corpus", str(work / "corpus"), "--output", str(work / "output"),
                  "--models", str(work / "models")]
        (work / "corpus").mkdir()

        began = time.perf_counter()
        code = cli(["add", str(source), "--text-field", "abstract", "--title-field", "title",
                    "--id-field", "id", "--no-run", *(["--allow-duplicates"] if args.allow_duplicates else []),
                    *common])
        add_s = time.perf_counter() - began
        pipeline = Pipeline(work / "corpus", work / "output", work / "models")
        n_docs = len(pipeline.corpus.documents())
        print(f"bulk add --no-run: {n_docs} documents in {add_s:.1f} s ({n_docs / add_s:.0f} docs/s), exit {code}")

        print_steps(pipeline.run(), "full run (cold)")
        began = time.perf_counter()
        warm = pipeline.run()
        print(f"warm run (nothing changed): {time.perf_counter() - began:.1f} s, ran {warm.ran} steps")

        # a. One new document as a library call, in this (warm) process.
        before = per_document_digests(work / "output")
        began = time.perf_counter()
        [result] = pipeline.corpus.add(read_file(NEW_DOCUMENTS[0]))
        add_one_s = time.perf_counter() - began
        print(f"add one document ({result.describe()}): copy + duplicate check {add_one_s:.2f} s")
        # jobs=1: all in this process, which then keeps spaCy and the models loaded.
        summary = pipeline.run(jobs=1)
        print_steps(summary, "incremental run")
        print(f"incremental total, library call in a warm process (add + run): {add_one_s + summary.seconds:.2f} s")
        print("   ", compare(before, per_document_digests(work / "output"), result.doc_id))

        # a'. A second one in the same process: now every library is loaded here too (the
        # cold run loaded spaCy and the lexicons in its worker processes, not in this one).
        before = per_document_digests(work / "output")
        began = time.perf_counter()
        [result] = pipeline.corpus.add(read_file(NEW_DOCUMENTS[1]))
        summary = pipeline.run(jobs=1)
        print_steps(summary, "incremental run, second document, same process")
        print(f"incremental total, library call in a process that has loaded everything: "
              f"{time.perf_counter() - began:.2f} s")
        print("   ", compare(before, per_document_digests(work / "output"), result.doc_id))

        # b. Another new document as the user adds it: one command in a fresh process.
        before = per_document_digests(work / "output")
        began = time.perf_counter()
        done = subprocess.run([sys.executable, str(REPO / "run_pipeline.py"), "add", str(NEW_DOCUMENTS[2]),
                               "--quiet", *common], capture_output=True, text=True)
        cli_s = time.perf_counter() - began
        print(f"incremental total, 'run_pipeline.py add FILE' in a fresh process: {cli_s:.2f} s (exit {done.returncode})")
        print("   ", compare(before, per_document_digests(work / "output"), NEW_DOCUMENTS[2].stem))
        # c. A document dropped into the inbox of a resident 'watch' (here: this process,
        # which has everything loaded), from the file landing to the results updated.
        watcher = InboxWatcher(pipeline, work / "inbox", interval=0.1)
        watcher.warm_up()  # as 'watch' does when it starts
        before = per_document_digests(work / "output")
        landed = time.perf_counter()
        shutil.copy(WATCHED_DOCUMENT, work / "inbox" / WATCHED_DOCUMENT.name)
        event = None
        while event is None:
            time.sleep(watcher.interval)
            event = watcher.poll()
        print_steps(event.summary, "watch: run after the drop")
        print(f"watch: dropped file to results updated {time.perf_counter() - landed:.2f} s "
              f"(of which add + run {event.seconds:.2f} s, the rest the settle check at {watcher.interval} s intervals)")
        print("   ", compare(before, per_document_digests(work / "output"), event.results[0].doc_id))

        began = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()) as listing:
            cli(["list", "--format", "csv", *common])
        print(f"list --format csv: {listing.getvalue().count(chr(10)) - 1} rows in {time.perf_counter() - began:.1f} s")
        if args.keep:
            print(f"work folder kept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
