"""The report's bilingual parts in a real browser (as tests/stages/test_report_browser.py):
a document's terms in both languages under its abstracts, and the glossary's sorting,
search box and links."""

from __future__ import annotations



from tests.paths import SEEDS
from tests.stages.chromium import requires_chromium

pytestmark = requires_chromium


def test_pairs_under_the_abstracts_and_glossary_sorted_searched_and_linked(seed_run, browser):
    root, pipeline, _ = seed_run
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((root / "output" / "report.html").as_uri())
    # 003: its terms in both languages, under both abstracts.
    article = page.locator(f"article#doc-{SEEDS['003']}")
    pairs = article.locator("table.pairs")
    assert pairs.count() == 1
    pairs.scroll_into_view_if_needed()
    lowest_abstract = max(b["y"] + b["height"] for b in
                          (article.locator("p.abstract").nth(i).bounding_box() for i in range(2)))
    assert pairs.bounding_box()["y"] > lowest_abstract
    rows = [tuple(r) for r in (row.split("\t") for row in pairs.locator("tbody tr").all_inner_texts())]
    assert ("ACFTA", "ACFTA", "identical", "1.00") in rows
    assert page.locator(f"article#doc-{SEEDS['001']} table.pairs").count() == 0
    # The glossary: every entry shown, sorted by a click on a header.
    entries = pipeline.store.load("glossary", "corpus")["entries"]
    table = page.locator("#glossary-table")
    assert table.locator("tbody tr").count() == len(entries)
    table.locator("th", has_text="English").click()
    english = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert english == sorted(english, key=str.lower)
    assert table.locator("th", has_text="English").get_attribute("aria-sort") == "ascending"
    # Its search box keeps the entries holding the text, and says how many.
    page.fill("input.table-filter", "tiongkok")
    visible = [t for t, shown in zip(table.locator("tbody tr td:nth-child(2)").all_inner_texts(),
                                     [r.is_visible() for r in table.locator("tbody tr").all()]) if shown]
    assert visible == ["Tiongkok"]
    assert page.locator('.filter-count[data-for="glossary-table"]').inner_text() == f"1 of {len(entries)} entries"
    # The entry's link leads to its document's article.
    table.locator("tbody tr:visible a").first.click()
    assert page.locator(f"article#doc-{SEEDS['003']}").bounding_box()["y"] < 200
    page.fill("input.table-filter", "")
    assert table.locator("tbody tr:visible").count() == len(entries)
    assert errors == []
