"""Debian's chromium, driven by Playwright, for the report's browser tests.

`.ci/run` installs chromium when it is missing; elsewhere the tests marked
``requires_chromium`` are skipped with the command that installs it. The ``browser``
fixture (one per module) is in ``tests/stages/conftest.py``.
"""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed: `apt-get install chromium` (.ci/run does it)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
