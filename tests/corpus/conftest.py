"""The empty corpus the corpus tests add to."""

from __future__ import annotations

import pytest

from pipeline.corpus import Corpus


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    return Corpus(tmp_path / "corpus")
