"""Tests of pipeline.text.sections on the seeds and SINTA abstracts."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.cleanup import clean_text
from pipeline.text.labels import SCRAPED_KEYWORD_LABEL_RE
from pipeline.text.langid import detect_language
from pipeline.text.sections import parse_keywords, split_bilingual_title, split_scraped_abstract, split_sections
from tests.paths import CORPUS, DATA
SECTION_KINDS = {"title", "abstract", "keywords", "body", "heading", "references", "meta", "table"}

# --- a small, independent block builder (so these tests do not depend on ingest) ---
_SEPARATOR = re.compile(r"^(?:<hr\s*/?>|-{3,}|\.{3,}|\*{3,})$")
_KEYWORDS = re.compile(r"^(?:kata\s*kunci|keywords?)\s*:", re.IGNORECASE)
_HEADING_WORDS = {"abstrak", "abstract", "intisari", "pendahuluan", "introduction", "kesimpulan",
                  "daftar pustaka", "references", "referensi", "metode penelitian"}
_META = re.compile(r"(?:,\s*author$|^deskripsi lengkap:)", re.IGNORECASE)


def blocks_from_raw(raw: str) -> list[dict]:
    """Blocks from raw text: blank-line paragraphs, lines joined; short
    upper-case or known heading lines are headings, ``Kata kunci:`` lines
    keywords, ``<hr />``/``---``/``.....`` separators, digit-heavy
    paragraphs tables, and a short first paragraph the title."""
    blocks: list[dict] = []

    def add(kind, text):
        blocks.append({"id": len(blocks), "kind": kind, "text": text})

    for para in re.split(r"\n\s*\n", raw):
        buf: list[str] = []

        def flush():
            if buf:
                text = " ".join(buf)
                letters = sum(c.isalpha() for c in text)
                digits = sum(c.isdigit() for c in text)
                add("table" if digits > letters else "paragraph", text)
                buf.clear()

        for line in (ln.strip() for ln in para.splitlines()):
            core = line.strip("*#_ ").strip()
            if _SEPARATOR.match(line):
                flush()
                add("separator", line)
            elif not core:
                continue
            elif _KEYWORDS.match(core):
                flush()
                add("keywords", core)
            elif _META.search(core):
                flush()
                add("meta", core)
            elif len(core.split()) <= 4 and (core.isupper() or core.lower() in _HEADING_WORDS):
                flush()
                add("heading", line)
            else:
                buf.append(line)
        flush()
    if (blocks and blocks[0]["kind"] == "paragraph" and len(blocks[0]["text"].split()) <= 30
            and not blocks[0]["text"].rstrip().endswith(".")):
        blocks[0]["kind"] = "title"
    return blocks


def _seed(prefix: str) -> str:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds():
    return {p: split_sections(blocks_from_raw(_seed(p)), {}) for p in ("001", "002", "003", "004")}


def _check_format(result, blocks):
    assert set(result) >= {"sections", "abstracts", "titles", "keywords"}
    ids = {b["id"] for b in blocks}
    firsts = []
    for sec in result["sections"]:
        assert set(sec) == {"lang", "kind", "text", "blocks", "confidence"}
        assert sec["lang"] in ("id", "en", "unknown")
        assert sec["kind"] in SECTION_KINDS
        assert sec["text"].strip()
        assert sec["blocks"] and set(sec["blocks"]) <= ids
        assert 0.0 <= sec["confidence"] <= 1.0
        if sec["kind"] in ("table", "meta"):
            assert sec["lang"] == "unknown"
        firsts.append(sec["blocks"][0])
    assert firsts == sorted(firsts), "sections must be in document order"
    for lang in ("id", "en"):
        assert result["abstracts"][lang] is None or result["abstracts"][lang].strip()
        assert isinstance(result["keywords"][lang], list)


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_seed_format(seeds, prefix):
    _check_format(seeds[prefix], blocks_from_raw(_seed(prefix)))


def test_seed_001_is_indonesian_only(seeds):
    r = seeds["001"]
    assert not [s for s in r["sections"] if s["lang"] == "en" and s["kind"] in ("abstract", "body")]
    assert r["abstracts"]["en"] is None
    assert [s["kind"] for s in r["sections"]] == ["title", "body"]
    # Headless and short: its prose stands in as the Indonesian abstract.
    assert r["abstracts"]["id"].startswith("Diplomasi antar negara anggota ASEAN")
    assert r["titles"]["id"].startswith("Diplomasi ASEAN: Pilar")


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_seed_bilingual_abstracts(seeds, prefix):
    r = seeds[prefix]
    assert r["abstracts"]["id"] and r["abstracts"]["en"]
    assert detect_language(r["abstracts"]["id"])[0] == "id"
    assert detect_language(r["abstracts"]["en"])[0] == "en"
    assert len(r["abstracts"]["id"].split()) > 100
    assert len(r["abstracts"]["en"].split()) > 100


def test_seed_003_structure(seeds):
    r = seeds["003"]
    assert r["abstracts"]["id"].startswith("Hubungan kerja sama Tiongkok")
    assert "The relationship between China" not in r["abstracts"]["id"]
    assert "PENDAHULUAN" not in r["abstracts"]["en"]
    assert r["keywords"]["id"] == ["ACFTA", "Diplomasi Ekonomi", "E-commerce"]
    kinds = [s["kind"] for s in r["sections"]]
    start = next(i for i, s in enumerate(r["sections"]) if s["kind"] == "heading" and "PENDAHULUAN" in s["text"])
    body = [s for s in r["sections"][start:] if s["kind"] in ("body", "heading")]
    assert len(body) > 5
    assert all(s["lang"] == "id" for s in body)
    assert kinds.count("abstract") == 2


@pytest.mark.parametrize("prefix, id_start, en_start", [
    ("002", "Implementasi diplomasi kota", "City diplomacy implementation on Indonesia's foreign policy"),
    ("004", "Peran paradiplomasi", "The role of paradiplomacy"),
])
def test_seed_bilingual_titles(seeds, prefix, id_start, en_start):
    r = seeds[prefix]
    assert r["titles"]["id"].startswith(id_start)
    assert r["titles"]["en"].startswith(en_start)
    assert "=" not in r["titles"]["id"] and "Basri" not in (r["titles"]["en"] or "")
    titles = [s for s in r["sections"] if s["kind"] == "title"]
    assert [s["lang"] for s in titles] == ["id", "en"]


def test_seed_004_untitled_english_abstract_after_separator(seeds):
    r = seeds["004"]
    abstracts = [s for s in r["sections"] if s["kind"] == "abstract"]
    assert [s["lang"] for s in abstracts] == ["id", "en"]
    assert r["abstracts"]["en"].startswith("The process of globalization")
    assert abstracts[0]["text"].count("\n\n") == 1  # two paragraphs merged


def test_seed_meta_blocks(seeds):
    meta = [s for s in seeds["002"]["sections"] if s["kind"] == "meta"]
    assert meta and "author" in meta[0]["text"]


def test_language_switch_inside_abstract():
    # Scraped layout: no Abstract heading; the English abstract follows the
    # Indonesian one directly.
    rec = next(r for r in map(json.loads, (DATA / "sinta_dev.jsonl").open(encoding="utf-8")) if r.get("en_abstract"))
    blocks = [
        {"id": 0, "kind": "heading", "text": "Abstrak"},
        {"id": 1, "kind": "paragraph", "text": rec["id_abstract"]},
        {"id": 2, "kind": "paragraph", "text": rec["en_abstract"]},
    ]
    r = split_sections(blocks, {})
    assert r["abstracts"]["id"] == rec["id_abstract"]
    assert r["abstracts"]["en"] == rec["en_abstract"]


def test_references_and_tables():
    blocks = [
        {"id": 0, "kind": "heading", "text": "PENDAHULUAN"},
        {"id": 1, "kind": "paragraph", "text": "Penelitian ini membahas kerja sama ekonomi antara negara-negara ASEAN dan Tiongkok."},
        {"id": 2, "kind": "table", "text": "2006 3.4 0.3 2007 4.4 1.0"},
        {"id": 3, "kind": "paragraph", "text": "Data tersebut menunjukkan bahwa investasi terus meningkat setiap tahun."},
        {"id": 4, "kind": "heading", "text": "DAFTAR PUSTAKA"},
        {"id": 5, "kind": "paragraph", "text": "Agarwal, J. (1999). Economic reform in China. Journal of Asian Economics, 10(1), 29-40."},
        {"id": 6, "kind": "paragraph", "text": "Chiang, M. (2018). China-ASEAN economic relations. London: Routledge."},
    ]
    r = split_sections(blocks, {})
    _check_format(r, blocks)
    assert [(s["kind"], s["lang"]) for s in r["sections"]] == [
        ("heading", "id"), ("body", "id"), ("table", "unknown"), ("body", "id"), ("heading", "id"), ("references", "en")]
    assert r["sections"][-1]["blocks"] == [5, 6]
    assert r["abstracts"] == {"id": None, "en": None}


def test_long_headless_document_has_no_abstract():
    para = ("Diplomasi ekonomi merupakan aktivitas yang penting bagi suatu negara untuk mencapai kepentingannya "
            "di kawasan dan di tingkat global melalui perdagangan serta investasi. ") * 8
    blocks = [{"id": i, "kind": "paragraph", "text": para} for i in range(6)]
    r = split_sections(blocks, {})
    assert r["abstracts"] == {"id": None, "en": None}
    assert [s["kind"] for s in r["sections"]] == ["body"]


def test_parse_keywords_and_titles():
    assert parse_keywords("Kata kunci:Belajar, bermain, Template Matching, dan pola.") == [
        "Belajar", "bermain", "Template Matching", "pola"]
    assert parse_keywords("Keywords: a; b ; a") == ["a", "b"]
    parts = split_bilingual_title("# Judul penelitian tentang kota = A study of cities / Nama Penulis")
    assert [(t, lg) for t, lg, _ in parts] == [("Judul penelitian tentang kota", "id"), ("A study of cities", "en")]


def _sinta_bilingual():
    return [r for r in map(json.loads, (DATA / "sinta_dev.jsonl").open(encoding="utf-8")) if r.get("en_abstract")]


def test_split_scraped_abstract_run_on():
    """Indonesian abstract, keywords and English abstract glued as scraped."""
    records = _sinta_bilingual()
    assert len(records) >= 10
    good = 0
    for rec in records:
        text = (rec["id_abstract"] + " Kata kunci: " + ", ".join(rec["id_keywords"]) + "."
                + rec["en_abstract"] + " Keywords: " + ", ".join(rec["en_keywords"]))
        r = split_scraped_abstract(text)
        ok = (r["abstracts"]["id"] is not None and r["abstracts"]["en"] is not None
              and r["abstracts"]["id"].startswith(rec["id_abstract"][:40])
              and rec["en_abstract"][:40] not in r["abstracts"]["id"]
              and r["abstracts"]["en"].startswith(rec["en_abstract"][:40])
              and [k.lower() for k in r["keywords"]["id"]] == [k.strip().lower() for k in rec["id_keywords"]]
              and [k.lower() for k in r["keywords"]["en"]] == [k.strip().lower() for k in rec["en_keywords"]])
        good += ok
    print(f"split_scraped_abstract run-on: {good}/{len(records)} fully right")
    assert good >= len(records) - 2


def test_split_scraped_abstract_no_separator_at_all():
    rec = _sinta_bilingual()[0]
    r = split_scraped_abstract(rec["id_abstract"] + rec["en_abstract"])
    assert r["abstracts"]["id"].startswith(rec["id_abstract"][:40])
    assert r["abstracts"]["en"].startswith(rec["en_abstract"][:40])
    assert [b["kind"] for b in r["blocks"]] == ["paragraph", "paragraph"]


def test_split_scraped_abstract_keywords_follow_abstract_language():
    text = ("Penelitian ini bertujuan untuk menganalisis pengaruh suku bunga terhadap investasi di Indonesia "
            "dengan model koreksi kesalahan selama periode tahun 1992 sampai 2007. "
            "Keywords: fungsi investasi, suku bunga, model koreksi kesalahan")
    r = split_scraped_abstract(text)
    assert r["abstracts"]["en"] is None
    assert r["keywords"]["id"] == ["fungsi investasi", "suku bunga", "model koreksi kesalahan"]
    assert r["keywords"]["en"] == []


def test_split_scraped_abstracts_60():
    for line in (DATA / "sinta_abstracts_60.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        r = split_scraped_abstract(rec["abstract"])
        _check_format(r, r["blocks"])
        assert r["abstracts"]["id"], rec["id"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "kind": st.sampled_from(["title", "heading", "paragraph", "table", "keywords", "meta", "separator", "odd"]),
    "text": st.text(max_size=80)}), max_size=8))
def test_never_raises(raw_blocks):
    blocks = [dict(b, id=i) for i, b in enumerate(raw_blocks)]
    r = split_sections(blocks, {})
    assert set(r) >= {"sections", "abstracts", "titles", "keywords"}
    s = split_scraped_abstract(" ".join(b["text"] for b in raw_blocks))
    assert "sections" in s


def test_odd_inputs():
    assert split_sections([], {})["sections"] == []
    assert split_sections(None, None)["sections"] == []  # type: ignore[arg-type]
    assert split_sections([{"id": 0}, "x", {"kind": "paragraph", "text": 5}], {})["sections"] == []
    assert split_scraped_abstract("")["sections"] == []


def test_deterministic(seeds):
    again = split_sections(blocks_from_raw(_seed("003")), {})
    assert again == seeds["003"]


def test_with_ingest_clean_text():
    """clean_text -> split_sections on the four seeds."""
    results = {}
    for prefix in ("001", "002", "003", "004"):
        blocks, _ = clean_text(_seed(prefix))
        results[prefix] = split_sections(blocks, {})
        _check_format(results[prefix], blocks)
    assert results["001"]["abstracts"]["en"] is None
    for prefix in ("002", "003", "004"):
        r = results[prefix]
        assert detect_language(r["abstracts"]["id"])[0] == "id"
        assert detect_language(r["abstracts"]["en"])[0] == "en"
    assert results["003"]["abstracts"]["id"].startswith("Hubungan kerja sama Tiongkok")
    assert "The relationship" not in results["003"]["abstracts"]["id"]


def test_label_prechecks_never_hide_a_label():
    """The cheap label-word checks in front of the slow label patterns only skip text without labels."""
    from pipeline.text import sections

    texts = [json.loads(l)["abstract"] for l in (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += ["hasil ini.Kata kunci: a, b", "ABSTRAKPenelitian ini", "tanamanKata Kunci: x", "Tipe STADAbstractThis",
              "berikut.AbstractThe aim", "INDEX TERMS — a, b", "keyWords: x", "ABſTRACT: Ini", "no label here at all"]
    hits = 0
    for text in texts:
        assert sections._unglue_labels(text) == sections._GLUED_LABEL_RE.sub(" ", text)
        unglued = sections._unglue_labels(text)
        if SCRAPED_KEYWORD_LABEL_RE.search(unglued):
            hits += 1
            assert sections._may_hold(unglued, sections._KEYWORD_LABEL_WORDS)
        if sections._SCRAPED_ABS_RE.search(unglued):
            hits += 1
            assert sections._may_hold(unglued, sections._ABSTRACT_LABEL_WORDS)
    assert hits >= 6
    assert not sections._may_hold("tidak ada label", sections._ABSTRACT_LABEL_WORDS)
