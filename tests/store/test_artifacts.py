"""The artifact store: headers, validation on read, freshness, and ``load`` for callers
outside the store."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.errors import ArtifactError
from pipeline.store import ArtifactRef, ArtifactStore, sha256_bytes

from tests.paths import SEEDS


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


def test_missing_side_file_makes_report_stale(tmp_path):
    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keywords.md").write_text("x")
    ref, obj = report_artifact(store, {"keywords.md": sha256_bytes(b"x")})
    store.write(ref, obj)
    inputs = {"ingest/a": "0" * 64}
    assert store.is_fresh(ref, inputs, {"html": True})[0]
    assert store.read_file("keywords.md") == b"x"
    (tmp_path / "out" / "keywords.md").unlink()
    assert store.is_fresh(ref, inputs, {"html": True}) == (False, "file changed or missing: keywords.md")
    with pytest.raises(FileNotFoundError):
        store.read_file("keywords.md")


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


# -- load(kind, key): the validated read for callers outside the store ----------------

def _run_copy(seed_run, tmp_path) -> ArtifactStore:
    """A fresh store over a copy of a real run's output and models folders."""
    root, _, _ = seed_run
    for name in ("output", "models"):
        shutil.copytree(root / name, tmp_path / name)
    return ArtifactStore(tmp_path / "output", tmp_path / "models")


def test_load_gives_a_real_runs_artifacts_validated(seed_run, tmp_path):
    store = _run_copy(seed_run, tmp_path)
    doc = SEEDS["001"]
    separate = store.load("separate", doc)
    assert separate == json.loads((tmp_path / "output" / "separate" / f"{doc}.json").read_bytes())
    assert separate["header"]["schema"] == "separate" and separate["header"]["document"] == doc
    model = store.load("topic_model", "id")
    assert model["header"]["schema"] == "topic_model" and model["header"]["language"] == "id"
    # the same answer as the store's own reads
    assert separate == store.load_with_sha(ArtifactRef("separate", doc))[0] == store.read(ArtifactRef("separate", doc))


def _one_line_naming(exc: pytest.ExceptionInfo, where: str, fix: str) -> None:
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(where) and fix in message


def test_load_refuses_a_missing_artifact_with_the_fix(seed_run, tmp_path):
    store = _run_copy(seed_run, tmp_path)
    path = tmp_path / "output" / "separate" / "no_such_document.json"
    with pytest.raises(ArtifactError) as exc:
        store.load("separate", "no_such_document")
    _one_line_naming(exc, str(path), "run the 'separate' stage first")
    with pytest.raises(ArtifactError, match="'separat': not an artifact kind"):
        store.load("separat", SEEDS["001"])


def test_load_refuses_a_hand_edited_artifact_with_the_fix(seed_run, tmp_path):
    store = _run_copy(seed_run, tmp_path)
    doc = SEEDS["002"]
    path = tmp_path / "output" / "separate" / f"{doc}.json"
    obj = json.loads(path.read_bytes())
    obj["sections"] = "edited by hand"
    path.write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(ArtifactError) as exc:
        store.load("separate", doc)
    _one_line_naming(exc, str(path), "not a valid 'separate' artifact")
    assert "delete it or re-run the stage to rebuild it" in str(exc.value)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ArtifactError) as exc:
        ArtifactStore(tmp_path / "output", tmp_path / "models").load("separate", doc)
    _one_line_naming(exc, str(path), "truncated or not JSON")


def test_load_works_on_a_url_and_names_the_url(tmp_path):
    pytest.importorskip("fsspec")
    out, models = "memory://store-load-test/output", "memory://store-load-test/models"
    store = ArtifactStore(out, models)
    ref, obj = report_artifact(store)
    store.write(ref, obj)
    assert ArtifactStore(out, models).load("report", "corpus") == obj
    store.files.write(store.path(ref), b'{"header": ')
    # (a memory:// path is shown as memory:///<path>, which fsspec opens as well)
    with pytest.raises(ArtifactError) as exc:
        ArtifactStore(out, models).load("report", "corpus")
    _one_line_naming(exc, "memory:///store-load-test/output/report/corpus.json", "truncated or not JSON")
    with pytest.raises(ArtifactError) as exc:
        ArtifactStore(out, models).load("report", "other")
    _one_line_naming(exc, "memory:///store-load-test/output/report/other.json", "missing")
    store.files.fs.rm("/store-load-test", recursive=True)
