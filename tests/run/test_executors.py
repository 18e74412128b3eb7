"""Executors: the same artifacts whether the work runs here, in processes or on Dask."""

from __future__ import annotations

import functools
import shutil

import pytest

from pipeline.errors import PipelineError
from pipeline.run.executors import ProcessExecutor, SerialExecutor, make_executor
from pipeline import Pipeline

from tests.paths import all_artifacts


def _square(x):
    return x * x


def test_local_executors_return_every_result():
    assert sorted(SerialExecutor().map_unordered(_square, range(5))) == [0, 1, 4, 9, 16]
    with ProcessExecutor(2) as pool:
        assert sorted(pool.map_unordered(_square, range(20))) == [i * i for i in range(20)]


_PREPARED: list[str] = []


def _prepare(marker):
    _PREPARED.append(marker)


def _prepared(_):
    return list(_PREPARED)


def test_a_worker_prepares_before_its_first_task():
    # prepare runs in the worker (this process's list stays empty), once, before any task
    with ProcessExecutor(1, prepare=functools.partial(_prepare, "spacy")) as pool:
        pool.start()
        assert list(pool.map_unordered(_prepared, range(3))) == [["spacy"]] * 3
    assert _PREPARED == []


def test_make_executor_choices():
    assert isinstance(make_executor("local", jobs=1), SerialExecutor)
    assert isinstance(make_executor("local", jobs=3), ProcessExecutor)
    with pytest.raises(PipelineError, match="needs the dask executor"):
        make_executor("local", jobs=2, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(PipelineError, match="unknown executor"):
        make_executor("spark")


def test_dask_cluster_writes_the_same_artifacts_as_a_local_run(seed_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    root, _, _ = seed_run
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        summary = Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models",
                           executor="dask", scheduler=client).run()
        assert not summary.errors
        assert {s.name: s.ran for s in summary.steps}["ingest"] == 4
        # the address works as well as the client: nothing is stale, nothing runs
        again = Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models",
                         executor="dask", scheduler=cluster.scheduler_address).run()
        assert again.ran == 0
    assert all_artifacts(tmp_path) == all_artifacts(root)


def _url_artifacts(url: str) -> dict[str, bytes]:
    """Every artifact under an fsspec URL, keyed as :func:`all_artifacts` keys local files."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    files = {}
    for path in fs.find(root):
        name = path[len(root.rstrip("/")) + 1:]
        if name.rsplit("/", 1)[-1] not in ("report.html", ".lock", ".artifact-index", ".file-hashes"):
            files[name] = fs.cat_file(path)
    return files


def test_artifacts_on_an_fsspec_url_equal_a_local_run(seed_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    root, _, _ = seed_run
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    local = all_artifacts(root)
    # memory:// is one process's file system: the Dask cluster runs in threads here, as
    # workers on several machines would share s3:// or gs://.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        pipeline = Pipeline(tmp_path / "corpus", "memory://test-run/output", "memory://test-run/models",
                            executor="dask", scheduler=client)
        summary = pipeline.run()
        assert not summary.errors, summary.errors
        assert pipeline.run().ran == 0  # the index works on the URL too: nothing is stale
    remote = {**{f"output/{k}": v for k, v in _url_artifacts("memory://test-run/output").items()},
              **{f"models/{k}": v for k, v in _url_artifacts("memory://test-run/models").items()}}
    assert remote == local
    # A document removed from the corpus: its artifacts are pruned from the URL as well.
    (tmp_path / "corpus" / next(p.name for p in (tmp_path / "corpus").glob("001_*.txt"))).unlink()
    assert not Pipeline(tmp_path / "corpus", "memory://test-run/output", "memory://test-run/models", jobs=1).run().errors
    assert not any(name.startswith("ingest/001_") for name in _url_artifacts("memory://test-run/output"))


def _die(_):
    import os

    os._exit(1)


def test_a_worker_that_dies_is_a_clear_error_not_a_traceback():
    with ProcessExecutor(1) as pool:
        with pytest.raises(PipelineError, match="worker process ended.*--jobs 1"):
            list(pool.map_unordered(_die, range(2)))
