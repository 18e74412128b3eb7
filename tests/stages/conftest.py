"""Fixtures of the stage tests."""

from __future__ import annotations

import pytest

from tests.stages.chromium import ARGS, CHROMIUM


@pytest.fixture(scope="module")
def browser():
    """A Chromium browser for one test module (the module marks itself ``requires_chromium``)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
