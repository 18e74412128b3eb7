"""End to end on the four bundled seeds: artifacts, separation, skipping, rebuilding, crashes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path


from pipeline import Pipeline
from pipeline.stages import STEPS
from pipeline.stage import LANGS
from pipeline.store import ArtifactRef, validate

from tests.paths import REPO, SEEDS, all_artifacts


def test_every_step_writes_valid_artifacts(seed_run):
    root, pipeline, summary = seed_run
    assert summary.documents == 4
    for step in STEPS:
        keys = list(SEEDS.values()) if step.scope == "document" else (
            list(LANGS) if step.scope == "language" else ["corpus"])
        for key in keys:
            for kind in step.writes:
                art = pipeline.store.read(ArtifactRef(kind, key))  # validates
                header = art["header"]
                assert header["schema"] == kind and header["stage"] == step.stage
                assert header["inputs"], f"{kind}/{key} records no inputs"
    for name in ("report.html", "keywords.md", "keywords.csv", "topics.md", "topics.csv"):
        assert (root / "output" / name).stat().st_size > 200


def test_public_fields(seed_run):
    root, pipeline, _ = seed_run
    ingest = pipeline.store.read(ArtifactRef("ingest", SEEDS["002"]))
    assert set(ingest["metadata"]) >= {"title", "authors", "source_url", "author_keywords"}
    assert ingest["metadata"]["source_url"] == "https://lib.ui.ac.id/detail?id=20446421&lokasi=lokal"
    assert "Ivan Satria Basri" in ingest["metadata"]["authors"]
    assert "**" not in ingest["text"] and "<hr" not in ingest["text"]
    kw = pipeline.store.read(ArtifactRef("keywords", SEEDS["003"]))
    assert all({"phrase", "score"} <= set(k) for k in kw["keywords"]["id"])
    scores = [k["score"] for k in kw["keywords"]["id"]]
    assert scores == sorted(scores, reverse=True)
    topics = pipeline.store.read(ArtifactRef("topics", "id"))
    assert topics["topics"] and all({"id", "label", "terms"} <= set(t) for t in topics["topics"])
    assert set(topics["documents"]) == set(SEEDS.values())


def test_languages_are_separated(seed_run):
    _, pipeline, _ = seed_run
    read = lambda doc: pipeline.store.read(ArtifactRef("separate", SEEDS[doc]))
    only_id = read("001")
    assert only_id["abstracts"]["en"] is None
    assert not [s for s in only_id["sections"] if s["lang"] == "en" and s["kind"] in ("abstract", "body")]
    assert any(s["lang"] == "id" for s in only_id["sections"])
    expected_start = {"002": ("Diplomasi dikenal", "Diplomacy was known"),
                      "003": ("Hubungan kerja sama Tiongkok", "The relationship between China"),
                      "004": ("Proses globalisasi", "The process of globalization")}
    for doc, (id_start, en_start) in expected_start.items():
        abstracts = read(doc)["abstracts"]
        assert abstracts["id"].startswith(id_start), (doc, abstracts["id"][:80])
        assert abstracts["en"].startswith(en_start), (doc, abstracts["en"][:80])
        # Neither abstract carries the other language.
        assert en_start not in abstracts["id"] and id_start not in abstracts["en"]


def test_author_keywords_of_003(seed_run):
    _, pipeline, _ = seed_run
    meta = pipeline.store.read(ArtifactRef("ingest", SEEDS["003"]))["metadata"]
    assert meta["author_keywords"]["id"] == ["ACFTA", "Diplomasi Ekonomi", "E-commerce"]
    ranks = pipeline.store.read(ArtifactRef("keywords", SEEDS["003"]))["author_keywords"]["id"]
    assert [r["phrase"] for r in ranks] == ["ACFTA", "Diplomasi Ekonomi", "E-commerce"]


def test_keywords_are_readable_phrases(seed_run):
    _, pipeline, _ = seed_run
    for doc in SEEDS.values():
        for lang, ranked in pipeline.store.read(ArtifactRef("keywords", doc))["keywords"].items():
            for kw in ranked:
                assert 1 <= len(kw["phrase"].split()) <= 3, kw
                assert kw["phrase"].strip() == kw["phrase"] and "**" not in kw["phrase"]
    top_003 = [k["phrase"].lower() for k in
               pipeline.store.read(ArtifactRef("keywords", SEEDS["003"]))["keywords"]["id"]]
    assert "acftа" not in top_003  # a Cyrillic homoglyph would be an ingest bug
    assert any("acfta" in p for p in top_003) and any("e-commerce" in p for p in top_003)


def test_second_run_does_no_work(seed_copy):
    _, pipeline = seed_copy
    summary = pipeline.run()
    assert summary.ran == 0
    assert sum(s.skipped for s in summary.steps) > 0


def test_deleted_artifact_is_rebuilt_alone_and_identical(seed_copy):
    root, pipeline = seed_copy
    ref = ArtifactRef("separate", SEEDS["004"])
    before = pipeline.store.path(ref).read_bytes()
    pipeline.store.delete(ref)
    summary = pipeline.run()
    ran = {s.name: s.ran for s in summary.steps if s.ran}
    # The rebuilt artifact is byte-identical, so nothing downstream is stale.
    assert ran == {"separate": 1}
    assert pipeline.store.path(ref).read_bytes() == before


def test_changed_document_reruns_what_depends_on_it(seed_copy):
    root, pipeline = seed_copy
    path = root / "corpus" / f"{SEEDS['001']}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nDiplomasi maritim juga dibahas.\n",
                    encoding="utf-8")
    summary = pipeline.run()
    ran = {s.name: s.ran for s in summary.steps}
    assert ran["ingest"] == 1 and ran["separate"] == 1 and ran["normalize"] == 1
    status = {(step, key): fresh for step, key, fresh, _ in pipeline.status()}
    assert all(status.values())


def test_runs_are_deterministic(seed_run, tmp_path):
    root, _, _ = seed_run
    again = Pipeline(root / "corpus", tmp_path / "output", tmp_path / "models")
    assert not again.run().errors
    assert all_artifacts(tmp_path) == all_artifacts(root)


def test_hand_edited_artifact_is_detected_and_rebuilt(seed_copy):
    _, pipeline = seed_copy
    ref = ArtifactRef("normalize", SEEDS["002"])
    path = pipeline.store.path(ref)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # truncated
    fresh, reason = pipeline.store.is_fresh(ref, {}, {})
    assert not fresh and "truncated" in reason
    pipeline.run()
    assert path.read_bytes() == good


def _valid_or_absent(root: Path) -> None:
    from pipeline.store import SCHEMA_VERSIONS

    for folder in ("output", "models"):
        for path in (root / folder).rglob("*.json"):
            obj = json.loads(path.read_text(encoding="utf-8"))
            validate(obj["header"]["schema"], obj, where=str(path))
            assert obj["header"]["schema"] in SCHEMA_VERSIONS


def test_killed_runs_leave_only_valid_artifacts(seed_run, tmp_path):
    root, _, _ = seed_run
    rng = random.Random(7)
    cmd = [sys.executable, str(REPO / "run_pipeline.py"), "run", "--quiet",
           "--corpus", str(root / "corpus"), "--output", str(tmp_path / "output"),
           "--models", str(tmp_path / "models")]
    for attempt in range(4):
        proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _valid_or_absent(tmp_path)
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _valid_or_absent(tmp_path)
    assert all_artifacts(tmp_path) == all_artifacts(root)
    assert not list(tmp_path.rglob("*.tmp"))


def test_new_document_is_placed_by_the_saved_topic_model(seed_copy):
    root, pipeline = seed_copy
    record = json.loads((Path(__file__).parent / "data" / "sinta_abstracts_60.jsonl")
                        .read_text(encoding="utf-8").splitlines()[0])
    (root / "new").mkdir()
    new = root / "new" / "new_abstract.txt"
    new.write_text(record["title"] + "\n\nAbstrak\n\n" + record["abstract"] + "\n", encoding="utf-8")
    doc_id, status = pipeline.corpus.add_file(new)
    assert status == "added"
    summary = pipeline.run()
    assert not summary.errors
    ran = {s.name: s.ran for s in summary.steps}
    assert ran["ingest"] == 1 and ran["separate"] == 1
    topics = pipeline.store.read(ArtifactRef("topics", "id"))
    assert topics["status"] == "placed_with_saved_model"
    assert doc_id in topics["documents"]
    model = pipeline.store.read(ArtifactRef("topic_model", "id"))
    assert doc_id not in model["fitted_on"]


def test_concurrent_runs_are_serialized_by_a_lock(seed_copy):
    import threading

    _, pipeline = seed_copy
    messages = []

    class Recorder:
        def start_step(self, *a): pass
        def advance(self, *a): pass
        def end_step(self, *a): pass
        def waiting(self, message): messages.append(message)

    results = []
    with pipeline.store.lock():
        worker = threading.Thread(target=lambda: results.append(pipeline.run(reporter=Recorder())))
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive() and not results  # blocked behind the lock
    worker.join(timeout=60)
    assert results and results[0].ran == 0
    assert messages and "another run is using this output folder" in messages[0]


def test_metadata_given_on_add_reaches_the_ingest_artifact(seed_copy, tmp_path):
    from pipeline.cli import main

    root, pipeline = seed_copy
    record = json.loads((Path(__file__).parent / "data" / "sinta_dev.jsonl").read_text(encoding="utf-8")
                        .splitlines()[57])
    new = tmp_path / "investasi.txt"
    new.write_text(record["id_abstract"] + "\n", encoding="utf-8")
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["add", str(new), "--quiet", "--title", record["title"], "--authors", "Ani Lestari; Budi Santoso",
                 "--year", "2019", "--source", "https://example.org/article/57", *common]) == 0
    meta = pipeline.store.read(ArtifactRef("ingest", "investasi"))["metadata"]
    assert meta["title"] == record["title"] and meta["authors"] == ["Ani Lestari", "Budi Santoso"]
    assert meta["year"] == 2019 and meta["source"] == "https://example.org/article/57"
    assert meta["given"] == ["authors", "source", "title", "year"]
    seed_meta = pipeline.store.read(ArtifactRef("ingest", SEEDS["002"]))["metadata"]
    assert seed_meta["year"] is None and seed_meta["given"] == []
