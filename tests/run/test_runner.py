"""The runner's layer: parallel runs give the same bytes, warm runs read headers only,
damaged artifacts are still caught, and corpus reads stream."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping

import pytest

import pipeline.store.artifacts as artifacts
from pipeline.errors import PipelineError
from pipeline.run import Pipeline
from pipeline.run.pool import WorkerPool
from pipeline.stage import ArtifactCache, Inputs
from pipeline.stages import STEPS
from pipeline.store import INDEX_NAME, ArtifactRef

from tests.paths import SEEDS
from tests.paths import all_artifacts


def _fresh_copy(seed_run, tmp_path):
    root, _, _ = seed_run
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    return tmp_path


def test_one_process_and_two_give_byte_identical_artifacts(seed_run, tmp_path):
    root, _, _ = seed_run
    base = _fresh_copy(seed_run, tmp_path)
    serial = Pipeline(base / "corpus", base / "one" / "output", base / "one" / "models", jobs=1)
    once = serial.run()
    assert not once.errors
    parallel = Pipeline(base / "corpus", base / "two" / "output", base / "two" / "models", jobs=2,
                        chunk_size=1)
    summary = parallel.run()
    assert not summary.errors and summary.ran == once.ran
    one, two = all_artifacts(base / "one"), all_artifacts(base / "two")
    assert one and one == two
    # ... and both equal the session's run, made with the default settings
    reference = all_artifacts(root)
    assert {k.split("/", 1)[1]: v for k, v in reference.items()} == \
        {k.split("/", 1)[1]: v for k, v in two.items()}


def test_one_new_document_goes_to_a_worker_started_early_with_the_same_bytes(seed_run, tmp_path, monkeypatch):
    # An add: three documents run, then a fourth. With two jobs, a worker is started as
    # soon as ingest finds the new document, loads spaCy while this process ingests, and
    # normalizes the document; later the corpus keywords run on it beside the glossary
    # and the alignment here: same bytes, and the steps listed in order, as in one process.
    base = _fresh_copy(seed_run, tmp_path)
    new = base / "corpus" / f"{SEEDS['004']}.txt"
    held = new.read_bytes()
    new.unlink()
    # Models kept as they are on a real add (one document on thousands), not refitted
    # for one document on three: then the steps after normalize have one document too.
    config = base / "keep.toml"
    config.write_text("[keywords]\nrefit_new_fraction = 1.0\n[topics]\nrefit_new_fraction = 1.0\n"
                      "[align]\nrefit_new_fraction = 1.0\n")
    aside = []
    real = Pipeline._finish_aside
    monkeypatch.setattr(Pipeline, "_finish_aside", lambda self, a, *rest: (aside.append(a.step.name),
                                                                          real(self, a, *rest)))
    outputs = {}
    for jobs in (1, 2):
        pipeline = Pipeline(base / "corpus", base / str(jobs) / "output", base / str(jobs) / "models",
                            config=config, jobs=jobs)
        assert not pipeline.run().errors
        new.write_bytes(held)
        summary = pipeline.run()
        assert not summary.errors
        assert {s.name: s.ran for s in summary.steps}["normalize"] == 1
        assert {s.name: s.ran for s in summary.steps}["keywords"] == 1
        assert [s.name for s in summary.steps] == [s.name for s in STEPS]
        outputs[jobs] = all_artifacts(base / str(jobs))
        new.unlink()
    assert aside == ["corpus_keywords"]
    assert outputs[1] and outputs[1] == outputs[2]


def test_workers_started_early_serve_single_documents_and_grow_for_many():
    pool = WorkerPool(2, "local", None, store=("out", "models", False))
    pool.preparing = (("normalize", {}), ("keywords", {}))
    try:
        pool.start_preparing(1)
        assert pool.get(1, "document", "normalize").workers == 1
        # a light step (ingest) of one document stays in this process, and so does a
        # later prepared step, which this process prepares while it waits for the worker
        assert pool.get(1, "document", "ingest") is None
        assert pool.get(1, "document", "keywords") is None
        assert [name for name, _ in pool._local_preparing] == ["keywords"]
        # a language step runs here beside one worker; a step with many documents gets both
        # workers, and language steps then use them too
        assert pool.get(2, "language") is None
        assert pool.get(50, "document").workers == 2
        assert pool.get(2, "language").workers == 2
    finally:
        pool.close()
    # one job: nothing is started early
    single = WorkerPool(1, "local", None, store=("out", "models", False))
    single.preparing = (("normalize", {}),)
    single.start_preparing(1)
    assert single.get(1, "document", "normalize") is None


def test_warm_run_validates_nothing_and_skips_everything(seed_copy, monkeypatch):
    _, pipeline = seed_copy
    calls = []
    real = artifacts.validate
    monkeypatch.setattr(artifacts, "validate", lambda *a, **k: (calls.append(a[0]), real(*a, **k)))
    summary = Pipeline(pipeline.corpus.root, pipeline.store.output_dir, pipeline.store.models_dir).run()
    assert summary.ran == 0 and not summary.errors
    assert calls == []


def test_artifact_edited_by_hand_into_an_invalid_one_is_rebuilt(seed_copy):
    _, pipeline = seed_copy
    ref = ArtifactRef("separate", SEEDS["001"])
    path = pipeline.store.path(ref)
    good = path.read_bytes()
    broken = json.loads(good)
    broken["sections"] = "not a list"  # still JSON, header untouched: only a full check sees it
    path.write_text(json.dumps(broken, indent=1, ensure_ascii=False), encoding="utf-8")
    fresh, reason = Pipeline(pipeline.corpus.root, pipeline.store.output_dir,
                             pipeline.store.models_dir).store.is_fresh(ref, {}, {})
    assert not fresh and "not a valid 'separate' artifact" in reason
    summary = pipeline.run()
    assert {s.name: s.ran for s in summary.steps if s.ran} == {"separate": 1}
    assert path.read_bytes() == good


def test_index_records_every_artifact_and_a_lost_index_is_rebuilt(seed_copy):
    root, pipeline = seed_copy
    index = (root / "output" / INDEX_NAME).read_text(encoding="utf-8").splitlines()
    names = [line.split(" ")[0] for line in index]
    assert names == sorted(names) and f"normalize/{SEEDS['003']}" in names
    assert len(names) == sum(1 for _ in (root / "output").glob("*/*.json"))
    (root / "output" / INDEX_NAME).unlink()
    (root / "models" / INDEX_NAME).write_text("garbage\n")
    summary = Pipeline(root / "corpus", root / "output", root / "models").run()
    assert summary.ran == 0
    assert (root / "output" / INDEX_NAME).read_text(encoding="utf-8").splitlines() == index


def test_corpus_reads_are_lazy_and_bounded(seed_run):
    _, pipeline, _ = seed_run
    documents = pipeline.corpus.documents()
    cache = ArtifactCache(max_bytes=1)  # holds nothing
    inputs = Inputs(pipeline.store, documents, "corpus", cache)
    normalized = inputs.all("normalize")
    assert isinstance(normalized, Mapping) and list(normalized) == sorted(SEEDS.values())
    assert cache._items == {} and normalized[SEEDS["002"]]["sections"]
    with pytest.raises(KeyError):
        normalized["no-such-document"]
    roomy = ArtifactCache()
    inputs = Inputs(pipeline.store, documents, "corpus", roomy)
    assert inputs.all("normalize")[SEEDS["001"]] is inputs.one("normalize", SEEDS["001"])


def test_bad_executor_settings_fail_before_any_work(seed_copy):
    _, pipeline = seed_copy
    with pytest.raises(PipelineError, match="unknown executor 'cluster'"):
        pipeline.run(executor="cluster")
    with pytest.raises(PipelineError, match="jobs must be at least 1"):
        pipeline.run(jobs=0)
