"""Pipeline.add / Pipeline.remove: the library does what the CLI and ``watch`` ask of it."""

from __future__ import annotations

import json

import pytest

from pipeline import Pipeline
from pipeline.corpus import read_file
from pipeline.errors import PipelineError

from tests.paths import DATA


def _sinta_abstract(tmp_path, index: int = 3):
    record = json.loads((DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[index])
    path = tmp_path / "kinerja_bank.txt"
    path.write_text(record["title"] + "\n\nAbstrak\n\n" + record["abstract"] + "\n", encoding="utf-8")
    return path


def test_add_puts_a_document_in_the_corpus_and_run_processes_it(seed_copy, tmp_path):
    root, pipeline = seed_copy
    items = list(read_file(_sinta_abstract(tmp_path), "auto", None, None))
    results = pipeline.add(items)
    assert [r.status for r in results] == ["added"] and results[0].doc_id == "kinerja_bank"
    again = pipeline.add(list(read_file(_sinta_abstract(tmp_path), "auto", None, None)))
    assert again[0].status == "duplicate" and not again[0].added
    summary = pipeline.run()
    assert not summary.errors
    keywords = pipeline.store.load("keywords", "kinerja_bank")
    assert keywords["keywords"]["id"], "the added abstract has Indonesian keywords"


def test_remove_deletes_the_document_and_its_artifacts(seed_copy):
    root, pipeline = seed_copy
    doc_id = sorted(p.stem for p in (root / "corpus").glob("*.txt"))[0]
    removed, pruned = pipeline.remove([doc_id, doc_id])
    assert [d for d, _ in removed] == [doc_id]
    assert not (root / "corpus" / f"{doc_id}.txt").exists()
    assert f"keywords/{doc_id}" in pruned and f"ingest/{doc_id}" in pruned
    assert not (root / "output" / "keywords" / f"{doc_id}.json").exists()


def test_remove_with_an_unknown_id_removes_nothing(seed_copy):
    root, pipeline = seed_copy
    before = sorted(p.name for p in (root / "corpus").iterdir())
    known = before[0].split(".")[0]
    with pytest.raises(PipelineError, match="unknown"):
        pipeline.remove([known, "no_such_document"])
    assert sorted(p.name for p in (root / "corpus").iterdir()) == before


def test_the_package_exports_the_pipeline():
    import pipeline as package
    from pipeline.run.pipeline import Pipeline as Real

    assert Pipeline is Real and package.Pipeline is Real
    with pytest.raises(AttributeError):
        package.NoSuchThing  # noqa: B018
