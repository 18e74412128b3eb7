"""Tests of metadata extraction (pipeline.text.metadata) on the seeds."""

from __future__ import annotations

import pytest

from pipeline.text.cleanup import clean_text
from pipeline.text.metadata import extract_metadata, split_keywords, split_title_authors
from tests.paths import CORPUS


def _meta(prefix: str) -> dict:
    raw = next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return extract_metadata(clean_text(raw)[0])


def test_seed_003_keywords_no_title():
    m = _meta("003")
    assert m["author_keywords"]["id"] == ["ACFTA", "Diplomasi Ekonomi", "E-commerce"]
    assert m["author_keywords"]["en"] == []
    assert m["title"] is None


def test_seed_002_authors_url_title():
    m = _meta("002")
    assert m["authors"] == ["Ivan Satria Basri"]
    assert m["source_url"] == "https://lib.ui.ac.id/detail?id=20446421&lokasi=lokal"
    assert m["title"].startswith("Implementasi diplomasi kota")
    assert "= City diplomacy implementation" in m["title"]
    assert "/" not in m["title"] and "Basri" not in m["title"]


def test_seed_004_and_001():
    m4 = _meta("004")
    assert m4["authors"] == ["Melissa Aesthetica"]
    assert m4["source_url"] == "https://lib.ui.ac.id/detail?id=20389935&lokasi=lokal"
    assert m4["title"].startswith("Peran paradiplomasi") and not m4["title"].startswith("#")
    m1 = _meta("001")
    assert m1["title"].startswith("Diplomasi ASEAN: Pilar Keberhasilan")
    assert m1["authors"] == [] and m1["source_url"] is None


def test_english_keywords_and_separators():
    blocks = [
        {"id": 0, "kind": "keywords", "text": "Keywords: Games; Groups, Algebra ."},
        {"id": 1, "kind": "keywords", "text": "Key words: fuzzy AHP"},
        {"id": 2, "kind": "keywords", "text": "Kata Kunci : permainan, grup"},
    ]
    m = extract_metadata(blocks)
    assert m["author_keywords"] == {"id": ["permainan", "grup"], "en": ["Games", "Groups", "Algebra", "fuzzy AHP"]}


def test_helpers():
    assert split_keywords(" a ;b,, c. ") == ["a", "b", "c"]
    assert split_title_authors("Judul = Title / Budi Santoso") == ("Judul = Title", ["Budi Santoso"])
    assert split_title_authors("Judul tanpa penulis") == ("Judul tanpa penulis", [])


@pytest.mark.parametrize("bad", [[], None, [None, 3, {"kind": "title"}], [{"id": 0, "kind": "title", "text": ""}]])
def test_never_raises(bad):
    m = extract_metadata(bad)
    assert m["title"] is None and m["authors"] == []
