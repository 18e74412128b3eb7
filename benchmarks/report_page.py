"""How long the report takes to assemble and to open in headless Chromium, and how big it is.

Run by hand:  python benchmarks/report_page.py OUTPUT_DIR [--assemble] [--screenshot FILE.png]

Needs Debian's chromium (`apt-get install chromium`) and the test extra (playwright).
Build the page first, e.g. for the SINTA corpus:
    python run_pipeline.py add ../shared/data/corpus/sinta_abstracts.jsonl ...  (or any corpus)
    python run_pipeline.py report --output OUTPUT_DIR

``--assemble`` also times the ``report`` step alone (what adding one document costs on
the report side besides its own section): the step is made stale by removing
``report/corpus.json``, then run, first without ``report/sections.cache`` and then with
it, ``--repeat`` times. CPU seconds (``time.process_time``) are reported besides wall
seconds because the machine may be shared. The corpus and models folders default to
the siblings of OUTPUT_DIR named ``corpus`` and ``models``.

``--scale K`` measures the assembly (the ``report`` step's ``run``) on a corpus K times
as large, made up from OUTPUT_DIR (which needs a current ``report/sections.cache``:
run the report step once first): every section, topic assignment and keyword
contribution is repeated K times under new document ids in a scratch folder, and the
assembly runs there in a fresh process, which reports its CPU seconds and the growth
of its peak RSS (``VmHWM``). ``--changed N`` leaves N sections out of the cache
first, as adding documents does, so that the cache is written again.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def time_assembly(output: Path, corpus: Path, models: Path, repeat: int) -> None:
    from pipeline.store import ArtifactRef
    from pipeline import Pipeline

    for label, keep_cache in (("without cache", False), ("with cache", True)):
        runs = []
        for _ in range(repeat):
            pipeline = Pipeline(corpus, output, models, jobs=1)
            pipeline.store.path(ArtifactRef("report", "corpus")).unlink(missing_ok=True)
            if not keep_cache:
                (output / "report" / "sections.cache").unlink(missing_ok=True)
            cpu, wall = time.process_time(), time.perf_counter()
            summary = pipeline.run(only="report")
            step = next(s for s in summary.steps if s.name == "report")
            runs.append((step.seconds, time.process_time() - cpu, time.perf_counter() - wall))
            if summary.errors or step.ran != 1:
                raise SystemExit(f"report step did not run cleanly: {summary.errors[:3]}")
        best = min(runs, key=lambda r: r[1])
        print(f"report step {label}: step {best[0]:.3f} s wall; whole run {best[1]:.3f} s CPU, "
              f"{best[2]:.3f} s wall (best of {repeat})")


def _scaled_id(doc_id: str, copy: int) -> str:
    return f"{doc_id}-x{copy}"


def build_scaled(output: Path, scratch: Path, scale: int, changed: int) -> None:
    """A scratch output folder ``scale`` times as large as ``output`` (see ``--scale``)."""
    import json

    from pipeline.store import ArtifactRef, ArtifactStore
    from pipeline.stages import report

    cached = report.read_cache((output / report.CACHE_NAME).read_bytes())
    if not cached:
        raise SystemExit(f"{output / report.CACHE_NAME}: missing or of another version; run the report step first")
    entries = sorted((_scaled_id(d, k), e) for d, e in cached.items() for k in range(scale))
    (scratch / "output" / "report").mkdir(parents=True)
    (scratch / "output" / report.SECTION).mkdir()
    # The runner gives the assembly each section's payload sha256: kept for the run.
    (scratch / "hashes.json").write_text(json.dumps({f"{report.SECTION}/{d}": e.sha for d, e in entries}))
    (scratch / "output" / report.CACHE_NAME).write_bytes(report.cache_bytes(entries[changed:]))
    source = ArtifactStore(output, output.parent / "models")
    for doc_id, _ in entries[:changed]:  # left out of the cache: read from their files
        original = doc_id.rsplit("-x", 1)[0]
        shutil.copy(source.path(ArtifactRef(report.SECTION, original)),
                    scratch / "output" / report.SECTION / f"{doc_id}.json")
    del cached, entries
    store = ArtifactStore(scratch / "output", scratch / "models")
    for kind, per_document in (("topics", ("documents", "document_stats")), ("corpus_keywords", ("contributions",))):
        for lang in ("id", "en"):
            ref = ArtifactRef(kind, lang)
            if not source.exists(ref):
                continue
            art = source.read(ref)
            for name in per_document:
                art[name] = {_scaled_id(d, k): v for d, v in (art.get(name) or {}).items() for k in range(scale)}
            store.write(ref, art)
    store.save_index()


def _peak_rss_kb() -> int:
    """This process's peak RSS in kB: ``VmHWM`` where Linux has it (``ru_maxrss`` carries
    the peak of the process it was forked from across ``exec``)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_scaled(scratch: Path) -> None:
    """Run the assembly on a folder :func:`build_scaled` made (in a fresh process)."""
    import json
    from types import SimpleNamespace

    from pipeline.store import ArtifactStore
    from pipeline.stage import Inputs, RunOptions
    from pipeline.stages import STEPS
    from pipeline.stages import report

    hashes = json.loads((scratch / "hashes.json").read_text())
    documents = [SimpleNamespace(doc_id=name.split("/", 1)[1]) for name in hashes]
    options = RunOptions(steps=tuple((s.name, s.scope, s.writes) for s in STEPS), n_documents=len(documents))
    inputs = Inputs(ArtifactStore(scratch / "output", scratch / "models"), documents, "corpus", {}, options, hashes)
    before = _peak_rss_kb()
    cpu, wall = time.process_time(), time.perf_counter()
    report.run("corpus", inputs, {"html": True})
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    after = _peak_rss_kb()
    page = (scratch / "output" / "report.html").stat().st_size
    print(f"assembly of {len(documents):,} documents: {cpu:.2f} s CPU, {wall:.2f} s wall; peak RSS "
          f"{after / 1e3:.0f} MB (+{(after - before) / 1e3:.0f} MB during the step); page {page / 1e6:.0f} MB")


def time_scaled(output: Path, scale: int, changed: int, repeat: int) -> None:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="report-scale-") as scratch:
        for _ in range(repeat):
            shutil.rmtree(Path(scratch) / "output", ignore_errors=True)
            build_scaled(output, Path(scratch), scale, changed)
            subprocess.run([sys.executable, __file__, str(output), "--measure-scaled", scratch], check=True)


def time_opening(page_path: Path, screenshot: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium not found: apt-get install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        began = time.perf_counter()
        page.goto(page_path.as_uri(), wait_until="load")
        seconds = time.perf_counter() - began
        documents = page.locator("article.doc").count()
        if screenshot:
            page.screenshot(path=str(screenshot))
        browser.close()
    print(f"{page_path}: {page_path.stat().st_size / 1e6:.1f} MB, {documents} documents, "
          f"opened in {seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("--screenshot", type=Path, default=None)
    parser.add_argument("--assemble", action="store_true", help="also time the report step alone")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--models", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip opening the page")
    parser.add_argument("--scale", type=int, default=0, help="time the assembly on a corpus K times as large")
    parser.add_argument("--changed", type=int, default=0, help="with --scale: sections left out of the cache")
    parser.add_argument("--measure-scaled", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_scaled:
        measure_scaled(args.measure_scaled)
        return
    if args.scale:
        time_scaled(args.output, args.scale, args.changed, args.repeat)
    if args.assemble:
        time_assembly(args.output, args.corpus or args.output.parent / "corpus",
                      args.models or args.output.parent / "models", args.repeat)
    if not args.no_browser:
        time_opening((args.output / "report.html").resolve(), args.screenshot)


if __name__ == "__main__":
    main()
