"""Metadata sidecars: given metadata cleaned, bad sidecars refused clearly."""

from __future__ import annotations

import pytest

from pipeline.corpus import clean_metadata, parse_metadata
from pipeline.errors import PipelineError

from .inputs import seed_text


def test_given_metadata_is_cleaned_and_bad_values_reported():
    meta, notes = clean_metadata({"title": "  Diplomasi   kota ", "authors": "Ivan Satria Basri; B. Sari;",
                                  "year": "2019-05", "source": "lib.ui.ac.id"}, "x")
    assert meta == {"title": "Diplomasi kota", "authors": ["Ivan Satria Basri", "B. Sari"], "year": 2019,
                    "source": "lib.ui.ac.id"} and notes == []
    meta, notes = clean_metadata({"year": "tahun lalu", "authors": []}, "x.txt")
    assert meta == {} and "year 'tahun lalu'" in notes[0]


def test_bad_sidecar_is_a_clear_error(corpus):
    corpus.root.mkdir(parents=True)
    (corpus.root / "a.txt").write_text(seed_text("001"), encoding="utf-8")
    (corpus.root / "a.meta.json").write_text('{"format": "corpus-metadata/1", "year": "2019"}')
    with pytest.raises(PipelineError, match="'year' must be a int"):
        corpus.metadata("a")
    with pytest.raises(PipelineError, match="not a metadata sidecar"):
        parse_metadata(b'{"title": "x"}', "b.meta.json")
