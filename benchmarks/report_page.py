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
    from pipeline.artifacts import ArtifactRef
    from pipeline.runner import Pipeline

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
    args = parser.parse_args()
    if args.assemble:
        time_assembly(args.output, args.corpus or args.output.parent / "corpus",
                      args.models or args.output.parent / "models", args.repeat)
    if not args.no_browser:
        time_opening((args.output / "report.html").resolve(), args.screenshot)


if __name__ == "__main__":
    main()
