"""The trends stage and command on the seeds (issue 25): years given on add or printed
in a journal issue line, recorded with their source."""

from __future__ import annotations

import json

from pipeline.cli import main
from pipeline.store import ArtifactRef
from tests.paths import CORPUS, SEEDS


def test_years_given_or_printed_reach_the_trends_and_say_where_they_come_from(seed_copy, tmp_path, capsys):
    root, pipeline = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    # no seed carries a year: the command says how to give them
    assert main(["trends", *common]) == 0
    captured = capsys.readouterr()
    assert "no document has a year (4 undated)" in captured.err and "no concept rises or falls" in captured.out
    given = tmp_path / "given.txt"
    given.write_text((CORPUS / f"{SEEDS['004']}.txt").read_text(encoding="utf-8").replace(
        "Peran paradiplomasi", "Peran paradiplomasi kota", 1), encoding="utf-8")
    printed = tmp_path / "printed.txt"
    printed.write_text("Jurnal Hubungan Internasional Vol. 7 No. 1, 2018\n\n"
                       + (CORPUS / f"{SEEDS['003']}.txt").read_text(encoding="utf-8").replace("ACFTA", "ACFTA 2", 1),
                       encoding="utf-8")
    assert main(["add", str(given), "--year", "2021", "--allow-duplicates", "--quiet", *common]) == 0
    assert main(["add", str(printed), "--allow-duplicates", "--quiet", *common]) == 0
    meta = {doc: pipeline.store.read(ArtifactRef("ingest", doc))["metadata"] for doc in ("given", "printed")}
    assert (meta["given"]["year"], meta["given"]["year_source"]) == (2021, "given")
    assert (meta["printed"]["year"], meta["printed"]["year_source"]) == (2018, "text")
    assert pipeline.store.read(ArtifactRef("ingest", SEEDS["001"]))["metadata"]["year_source"] is None
    trends = pipeline.store.read(ArtifactRef("trends", "corpus"))["views"]["concepts"]
    assert trends["years"] == {"2018": 1, "2021": 1} and trends["undated"] == 4
    capsys.readouterr()
    assert main(["trends", "--all", "--format", "json", *common]) == 0
    assert json.loads(capsys.readouterr().out) == []  # two dated documents: no concept has five
