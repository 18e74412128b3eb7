"""The README's library example runs as written (on a copy of the seed run)."""

from __future__ import annotations

import os
import re

from tests.paths import REPO


def test_the_readme_library_example_runs(seed_copy, capsys):
    root, _ = seed_copy
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    example = next(b for b in blocks if "from pipeline import Pipeline" in b)
    before = os.getcwd()
    os.chdir(root)
    try:
        exec(compile(example, "README.md", "exec"), {})
    finally:
        os.chdir(before)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("4 documents, 0 artifacts built")  # the copy is fresh
    assert "diplomasi ekonomi" in printed[1].lower()
    assert not (root / "corpus" / "note.txt").exists()  # removed again
