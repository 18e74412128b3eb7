"""The report's keyword map in a real browser (as tests/stages/test_report_browser.py):
the map renders its nodes, a click on one lists only its documents, "show all" lists
them all again."""

from __future__ import annotations

import os
from pathlib import Path


from tests.stages.chromium import requires_chromium

pytestmark = requires_chromium
#: Where the map's screenshot goes (for a person to look at; set REPORT_MAP_SCREENSHOT).
SCREENSHOT = os.environ.get("REPORT_MAP_SCREENSHOT")


def test_map_nodes_filter_the_documents_and_reset_shows_them_all(seed_run, browser):
    root, pipeline, _ = seed_run
    view = pipeline.store.load("map", "corpus")["views"]["concepts"]
    all_docs = sorted(pipeline.store.keys("report_section"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((root / "output" / "report.html").as_uri())
    svg = page.locator("svg.keymap")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 300
    circles = page.locator("svg.keymap g.node circle")
    assert circles.count() == len(view["nodes"])
    # Every node is drawn inside the box, with a size.
    for i in range(circles.count()):
        b = circles.nth(i).bounding_box()
        assert b["width"] > 3 and box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1
    if SCREENSHOT:
        Path(SCREENSHOT).parent.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, document.getElementById('keymap').offsetTop - 60)")
        page.screenshot(path=SCREENSHOT)

    def visible_docs() -> list[str]:
        return sorted(a.get_attribute("id")[4:] for a in page.locator("article.doc").all() if a.is_visible())

    assert visible_docs() == all_docs
    # A node held by some documents but not all, and not under another one (the layout
    # may put nodes on top of each other: a click takes the one on top, drawn last).
    on_top = page.evaluate("""() => Array.from(document.querySelectorAll("svg.keymap g.node")).filter(g => {
        const r = g.querySelector("circle").getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return hit && hit.closest("g.node") === g;
      }).map(g => g.getAttribute("data-key"))""")
    node = next(n for n in sorted(view["nodes"], key=lambda n: (-n["documents"], n["key"]))
                if 0 < len(n["doc_ids"]) < len(all_docs) and n["key"] in on_top)
    target = page.locator(f'svg.keymap g.node[data-key="{node["key"]}"]')
    target.click()
    assert visible_docs() == sorted(node["doc_ids"])
    bar = page.locator("#keymap .map-filter")
    assert bar.is_visible()
    n = len(node["doc_ids"])
    assert bar.inner_text().startswith(f'{n} document{"" if n == 1 else "s"} of concept {node["label"]}')
    assert "selected" in target.get_attribute("class")
    # The documents list says it too, and its link shows them all again.
    assert page.locator("#documents .map-filter").is_visible()
    page.locator("#documents .map-filter .map-reset").click()
    assert visible_docs() == all_docs
    assert not bar.is_visible()
    # By keyboard: Enter on a focused node.
    target.focus()
    page.keyboard.press("Enter")
    assert visible_docs() == sorted(node["doc_ids"])
    page.locator("#keymap .map-reset").click()
    assert visible_docs() == all_docs
    assert errors == []
