"""Shared fixtures: the bundled corpus run once through the whole pipeline."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a CI run fails only for a change,
# never for a new random draw; `pytest --hypothesis-profile=explore` draws new ones (run it
# by hand now and then: a draw it finds goes into the test as an @example).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")

from tests.paths import CORPUS


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The four seeds run once; tests must not modify this folder (copy it first)."""
    from pipeline import Pipeline

    root = tmp_path_factory.mktemp("seed_run")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    pipeline = Pipeline(corpus, root / "output", root / "models")
    summary = pipeline.run()
    assert not summary.errors, summary.errors
    return root, pipeline, summary


@pytest.fixture
def seed_copy(seed_run, tmp_path):
    """A private copy of the seed run (corpus, output, models) a test may change."""
    from pipeline import Pipeline

    root, _, _ = seed_run
    for name in ("corpus", "output", "models"):
        shutil.copytree(root / name, tmp_path / name)
    return tmp_path, Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models")
