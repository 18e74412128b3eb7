"""The HTML report in a real browser (Debian's chromium, driven by Playwright).

`.ci/run` installs chromium when it is missing; elsewhere these tests are skipped with
the command that installs it.
"""

from __future__ import annotations

import shutil


from pipeline import Pipeline

from tests.paths import CORPUS, SEEDS
from tests.stages.chromium import requires_chromium

pytestmark = requires_chromium


def test_seed_report_in_the_browser(seed_run, browser, tmp_path):
    root, _, _ = seed_run
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((root / "output" / "report.html").as_uri())
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    for doc in SEEDS.values():
        assert page.locator(f"article#doc-{doc}").count() == 1
    # 002's Indonesian and English abstracts side by side.
    article = page.locator(f"article#doc-{SEEDS['002']}")
    boxes = [article.locator("p.abstract").nth(i).bounding_box() for i in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 5 and boxes[1]["x"] > boxes[0]["x"] + 200
    assert article.locator("mark").count() >= 5
    # Its topics (a corpus result, put into its section when the page is assembled).
    assert "Topics:" in article.text_content()
    # Sorting the themes table by theme changes its order.
    table = page.locator("#corpus-keywords table.sortable").first
    before = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    table.locator("th", has_text="theme").click()
    after = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert after != before and after == sorted(after, key=str.lower)
    # A theme's documents are named by title and lead to their articles.
    link = page.locator(f'#themes-id ul.docs a[href="#doc-{SEEDS["002"]}"]').first
    assert link.is_visible() and "Implementasi diplomasi kota" in link.inner_text()
    link.click()
    assert page.locator(f"article#doc-{SEEDS['002']}").bounding_box()["y"] < 200  # scrolled to it
    page.goto((root / "output" / "report.html").as_uri())
    # Filtering hides documents that do not match.
    page.fill("#search", "paradiplomasi")
    assert page.locator(f"article#doc-{SEEDS['004']}").is_visible()
    assert not page.locator(f"article#doc-{SEEDS['003']}").is_visible()
    assert dialogs == []


def test_report_reads_without_javascript(seed_run, browser):
    root, _, _ = seed_run
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((root / "output" / "report.html").as_uri())
    assert page.locator("article.doc").count() == 4
    assert page.locator("svg.bars").count() >= 2 and page.locator("table.heat").count() >= 1
    context.close()


def test_document_text_is_escaped(browser, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{SEEDS['002']}.txt", corpus)
    hostile = ("Diplomasi <script>alert(1)</script> dan <img src=x onerror=alert(2)> kota\n\n"
               "Abstrak\n\nDiplomasi kota <script>alert(3)</script> adalah bentuk diplomasi oleh pemerintah "
               "daerah <b onmouseover=alert(4)>kota</b> untuk kepentingan daerahnya sendiri.\n")
    (corpus / "hostile.txt").write_text(hostile, encoding="utf-8")
    pipeline = Pipeline(corpus, tmp_path / "out", tmp_path / "models")
    assert not pipeline.run().errors
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((tmp_path / "out" / "report.html").as_uri())
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("article#doc-hostile img").count() == 0
    assert page.locator("#corpus-keywords img, #corpus-keywords script").count() == 0
    assert "<script>alert(1)</script>" in page.locator("article#doc-hostile").text_content()
    markdown = (tmp_path / "out" / "keywords.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "<img" not in markdown
