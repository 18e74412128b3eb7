"""Corpus keywords per journal, year or author (issue 25, facets)."""

from __future__ import annotations

import json

from pipeline.cli import main
from tests.paths import CORPUS, SEEDS


def test_keywords_by_source_and_author_rank_each_group_s_themes(seed_copy, tmp_path, capsys):
    root, _ = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["keywords", "--by", "source", *common]) == 0
    assert "no document has a source" in capsys.readouterr().err
    for name, seed, source, authors in (("a", "003", "Jurnal Hubungan Internasional", "Sari; Basri"),
                                        ("b", "004", "Jurnal Hubungan Internasional", "Basri"),
                                        ("c", "002", "Global Strategis", "Sari")):
        path = tmp_path / f"{name}.txt"
        text = (CORPUS / f"{SEEDS[seed]}.txt").read_text(encoding="utf-8")
        path.write_text(f"Salinan {name}. " + text, encoding="utf-8")
        assert main(["add", str(path), "--source", source, "--authors", authors, "--allow-duplicates",
                     "--quiet", *common]) == 0
    capsys.readouterr()
    assert main(["keywords", "--by", "source", "--lang", "id", "--format", "json", *common]) == 0
    rows = json.loads(capsys.readouterr().out)
    journals = {r["source"]: r["documents"] for r in rows}
    assert journals == {"Jurnal Hubungan Internasional": 2, "Global Strategis": 1}
    first = [r["phrase"] for r in rows if r["source"] == "Global Strategis" and r["rank"] == 1]
    assert first == ["diplomasi kota"]  # copy of 002, alone in its journal
    ji = {r["phrase"] for r in rows if r["source"] == "Jurnal Hubungan Internasional"}
    assert "ACFTA" in ji and "paradiplomasi" in ji and "diplomasi kota" not in ji
    assert main(["keywords", "--by", "author", "--lang", "id", "--format", "json", *common]) == 0
    authors = {r["author"]: r["documents"] for r in json.loads(capsys.readouterr().out)}
    # the given authors, and those ingest read from the seeds' catalogue lines
    assert authors == {"Basri": 2, "Sari": 2, "Ivan Satria Basri": 1, "Melissa Aesthetica": 1}
    assert main(["keywords", "--by", "year", "--concepts", *common]) == 2
