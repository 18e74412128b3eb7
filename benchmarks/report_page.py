"""How long report.html takes to open in headless Chromium, and how big it is.

Run by hand:  python benchmarks/report_page.py OUTPUT_DIR [--screenshot FILE.png]

Needs Debian's chromium (`apt-get install chromium`) and the test extra (playwright).
Build the page first, e.g. for the SINTA corpus:
    python run_pipeline.py add ../shared/data/corpus/sinta_abstracts.jsonl ...  (or any corpus)
    python run_pipeline.py report --output OUTPUT_DIR
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()
    page_path = (args.output / "report.html").resolve()
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
        if args.screenshot:
            page.screenshot(path=str(args.screenshot))
        browser.close()
    print(f"{page_path}: {page_path.stat().st_size / 1e6:.1f} MB, {documents} documents, "
          f"opened in {seconds:.2f} s")


if __name__ == "__main__":
    main()
