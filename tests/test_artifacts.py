"""The artifact store: atomic writes, headers, validation on read, freshness."""

from __future__ import annotations

import json

import pytest

from pipeline.artifacts import ArtifactRef, ArtifactStore, atomic_write_bytes, params_hash
from pipeline.errors import ArtifactError


def report_artifact(store: ArtifactStore, files=None) -> tuple[ArtifactRef, dict]:
    ref = ArtifactRef("report", "corpus")
    header = store.header(ref, "report", {"ingest/a": "0" * 64}, {"html": True})
    return ref, {"header": header, "files": files or {}}


def test_write_read_round_trip(tmp_path):
    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    ref, obj = report_artifact(store)
    store.write(ref, obj)
    assert store.read(ref) == obj
    assert store.path(ref) == tmp_path / "out" / "report" / "corpus.json"
    assert store.is_fresh(ref, {"ingest/a": "0" * 64}, {"html": True}) == (True, "")
    assert store.is_fresh(ref, {"ingest/a": "1" * 64}, {"html": True})[1].startswith("input changed")
    assert store.is_fresh(ref, {"ingest/a": "0" * 64}, {"html": False})[1] == "parameters changed"


def test_invalid_artifacts_are_refused_with_the_fix(tmp_path):
    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    ref, obj = report_artifact(store)
    store.write(ref, obj)
    path = store.path(ref)
    path.write_text(path.read_text()[:40])
    with pytest.raises(ArtifactError, match="truncated or not JSON.*rebuild"):
        store.read(ref)
    broken = dict(obj, files={"report.html": "not a hash"})
    path.write_text(json.dumps(broken))
    with pytest.raises(ArtifactError, match="not a valid 'report' artifact"):
        store.read(ref)
    old = json.loads(json.dumps(obj))
    old["header"]["schema_version"] = 99
    path.write_text(json.dumps(old))
    with pytest.raises(ArtifactError, match="schema version 99"):
        store.read(ref)


def test_an_invalid_payload_is_never_written(tmp_path):
    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    ref, obj = report_artifact(store)
    del obj["files"]
    with pytest.raises(ArtifactError):
        store.write(ref, obj)
    assert not store.path(ref).exists()


def test_atomic_write_leaves_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    atomic_write_bytes(target, b"old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_params_hash_is_order_independent():
    assert params_hash({"a": 1, "b": [1, 2]}) == params_hash({"b": [1, 2], "a": 1})
    assert params_hash({"a": 1}) != params_hash({"a": 2})


def test_missing_side_file_makes_report_stale(tmp_path):
    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keywords.md").write_text("x")
    from pipeline.artifacts import sha256_bytes

    ref, obj = report_artifact(store, {"keywords.md": sha256_bytes(b"x")})
    store.write(ref, obj)
    inputs = {"ingest/a": "0" * 64}
    assert store.is_fresh(ref, inputs, {"html": True})[0]
    (tmp_path / "out" / "keywords.md").unlink()
    assert store.is_fresh(ref, inputs, {"html": True}) == (False, "file changed or missing: keywords.md")


def test_index_is_a_journal_that_survives_a_torn_line_and_compacts(tmp_path):
    from pipeline.artifacts import INDEX_NAME

    def artifact(doc):
        # report artifacts under three keys: the smallest valid kind
        ref = ArtifactRef("report", doc)
        return ref, {"header": store.header(ref, "report", {f"ingest/{doc}": "0" * 64}, {}), "files": {}}

    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    refs = []
    for doc in ("a", "b", "c"):
        ref, obj = artifact(doc)
        store.write(ref, obj)
        refs.append(ref)
    store.save_index()
    index = tmp_path / "out" / INDEX_NAME
    first = index.read_text()
    assert [line.split(" ")[0] for line in first.splitlines()] == ["report/a", "report/b", "report/c"]
    # one changed entry and one removed: two lines appended, the rest left as it was
    ref, obj = artifact("b")
    obj["header"]["inputs"]["ingest/x"] = "1" * 64
    store.write(ref, obj)
    store.delete(refs[2])
    store.save_index()
    text = index.read_text()
    assert text.startswith(first) and text[len(first):].splitlines() == [
        store._index_of(store.output_dir)["report/b"].line("report/b").strip(), "report/c -"]
    again = ArtifactStore(tmp_path / "out", tmp_path / "models")
    assert sorted(again._index_of(again.output_dir)) == ["report/a", "report/b"]
    assert again.is_fresh(ref, {"ingest/b": "0" * 64, "ingest/x": "1" * 64}, {})[0]
    # a line torn by a kill is skipped (b is then checked from its file, still fresh),
    # and the next save writes the file whole rather than append after it
    index.write_text(text[:-20])
    torn = ArtifactStore(tmp_path / "out", tmp_path / "models")
    assert torn.is_fresh(ref, {"ingest/b": "0" * 64, "ingest/x": "1" * 64}, {})[0]
    torn.save_index()
    assert index.read_text().endswith("\n")
    # appended lines never outgrow the entries for long: the file is compacted
    for _ in range(40):
        store = ArtifactStore(tmp_path / "out", tmp_path / "models")
        store.write(ref, obj)
        store.delete(ref)
        store.save_index()
    assert len(index.read_text().splitlines()) <= 2 * 1 + 64


def test_read_fields_parses_only_the_lines_of_the_fields_asked_for(tmp_path, seed_run):
    _, pipeline, _ = seed_run
    for kind in ("topics", "corpus_keywords"):
        ref = ArtifactRef(kind, "id")
        full = pipeline.store.read(ref)
        fields = tuple(k for k in full if k != "header")
        for wanted in (fields, fields[-1:], fields[:1], ("not_a_field",)):
            got = pipeline.store.read_fields(ref, wanted)
            assert got == {k: full[k] for k in ("header", *wanted) if k in full}
    # a file laid out otherwise (indented by hand) is parsed whole, with the same answer
    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    ref, obj = report_artifact(store, {"report.html": None})
    store.write(ref, obj)
    store.path(ref).write_text(json.dumps(obj, indent=2))
    assert store.read_fields(ref, ("files",)) == obj
