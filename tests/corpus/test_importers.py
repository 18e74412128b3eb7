"""Adding documents: text and Markdown files, encodings, PDFs, bulk files."""

from __future__ import annotations

import csv
import json

import pytest

from pipeline.corpus import BulkFields, expand_paths, read_file
from pipeline.errors import PipelineError
from pipeline.text.encoding import decode_text
from pipeline.text.pdf import extract_pdf_text
from tests.paths import SEEDS
from tests.paths import CORPUS, DATA

from .inputs import add_path, seed_text, sinta_records
from .pdfs import make_pdf


# -- text files ------------------------------------------------------------------------

def test_text_and_markdown_files_are_copied_with_a_sidecar(corpus, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "tesis.txt").write_bytes((CORPUS / f"{SEEDS['001']}.txt").read_bytes())
    (src / "katalog.md").write_text(seed_text("004"), encoding="utf-8")
    results = corpus.add(item for f in expand_paths([src]) for item in read_file(f, given={"year": "2021"}))
    assert [(r.status, r.doc_id) for r in results] == [("added", "katalog"), ("added", "tesis")]
    assert (corpus.root / "tesis.txt").read_bytes() == (CORPUS / f"{SEEDS['001']}.txt").read_bytes()
    assert [d.doc_id for d in corpus.documents()] == ["katalog", "tesis"]  # sidecars are not documents
    assert (corpus.root / "katalog.md").is_file() and (corpus.root / "katalog.meta.json").is_file()
    meta = corpus.metadata("tesis")
    assert meta["year"] == 2021 and meta["imported_from"] == {"file": "tesis.txt", "format": "txt"}
    assert corpus.metadata("unknown") == {}


# -- encodings -------------------------------------------------------------------------

@pytest.mark.parametrize("key,codec,expected", [
    ("003", "cp1252", "cp1252"),       # curly quotes: bytes 0x91/0x92
    ("001", "latin-1", "cp1252"),      # Latin-1 text is also valid cp1252 with the same characters
    ("002", "utf-16", "utf-16"),       # with a byte-order mark
    ("004", "utf-16-le", "utf-16-le"),  # without one
])
def test_non_utf8_files_are_decoded_and_stored_as_utf8(corpus, tmp_path, key, codec, expected):
    original = seed_text(key)
    path = tmp_path / f"doc_{codec}.txt"
    path.write_bytes(original.encode(codec))
    text, used, warning = decode_text(path.read_bytes(), path.name)
    assert text.lstrip("\ufeff") == original and used == expected
    assert (warning is None) == (expected == "utf-16")
    [result] = add_path(corpus, path)
    assert result.status == "added"
    assert (corpus.root / f"{path.stem}.txt").read_text(encoding="utf-8") == original
    if expected != "utf-16":
        assert result.warnings and expected in result.warnings[0]
        assert corpus.metadata(path.stem)["imported_from"]["encoding"] == expected


# -- PDFs ------------------------------------------------------------------------------

def test_pdf_text_layer_is_added_page_by_page(corpus, tmp_path):
    paragraphs = seed_text("001").split("\n\n")
    pdf = tmp_path / "Artikel Jurnal.pdf"
    pdf.write_bytes(make_pdf(["\n".join(paragraphs[:3]), None, "\n".join(paragraphs[3:])]))
    extracted = extract_pdf_text(pdf.read_bytes(), pdf.name)
    assert len(extracted.pages) == 3 and extracted.empty_pages == [2]
    assert "Diplomasi ASEAN: Pilar Keberhasilan Kerjasama" in extracted.pages[0]
    [result] = add_path(corpus, pdf, given={"title": "Diplomasi ASEAN", "authors": "A. Penulis"})
    assert result.status == "added" and result.doc_id == "Artikel_Jurnal"
    assert "page" in result.warnings[0] and "2 of 3" in result.warnings[0]
    stored = (corpus.root / "Artikel_Jurnal.txt").read_text(encoding="utf-8")
    # Every word of the seed survives the round trip through the PDF text layer.
    assert stored.split() == " ".join(paragraphs).split()
    meta = corpus.metadata("Artikel_Jurnal")
    assert meta["title"] == "Diplomasi ASEAN" and meta["authors"] == ["A. Penulis"]
    assert meta["imported_from"] == {"file": "Artikel Jurnal.pdf", "format": "pdf", "pages": 3, "empty_pages": [2]}


@pytest.mark.parametrize("image_pages", [True, False])
def test_pdf_without_text_layer_asks_for_ocr(corpus, tmp_path, image_pages):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(make_pdf([None, None], image_pages=image_pages))
    with pytest.raises(PipelineError) as error:
        list(read_file(pdf))
    assert "no text layer" in str(error.value) and "ocrmypdf" in str(error.value)
    assert not corpus.root.exists() or not corpus.documents()


def test_damaged_pdf_and_misnamed_pdf(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    with pytest.raises(PipelineError, match="damaged PDF|no pages"):
        list(read_file(bad))
    renamed = tmp_path / "article.txt"
    renamed.write_bytes(make_pdf([seed_text("001")]))
    with pytest.raises(PipelineError, match="rename it to .pdf"):
        list(read_file(renamed))


# -- bulk files ------------------------------------------------------------------------

def test_jsonl_records_become_documents_with_their_metadata(corpus):
    fields = BulkFields(text="abstract", title="title", id="id", source="journal")
    results = add_path(corpus, DATA / "sinta_abstracts_60.jsonl", fields=fields)
    records = sinta_records()
    # Line 19 is the same abstract as an earlier record under another title (a scraper slip):
    # a real near-duplicate, skipped; every other record is added under its own id.
    skipped = [(r.source, r.status, r.match.kind) for r in results if not r.added]
    assert skipped == [("sinta_abstracts_60.jsonl line 19", "near-duplicate", "text")]
    assert results[18].match.doc_id in {r["id"] for r in records[:18]}
    assert [r.doc_id for r in results if r.added] == [r["id"] for i, r in enumerate(records) if i != 18]
    first = records[0]
    stored = (corpus.root / f"{first['id']}.txt").read_text(encoding="utf-8")
    assert stored == f"{first['title']}\n\n{first['abstract']}\n"
    meta = corpus.metadata(first["id"])
    assert meta["title"] == first["title"] and meta["source"] == first["journal"]
    assert meta["imported_from"] == {"file": "sinta_abstracts_60.jsonl", "format": "jsonl", "record": 1,
                                     "record_id": first["id"]}
    # The same file again: every record is a duplicate, nothing is overwritten.
    again = add_path(corpus, DATA / "sinta_abstracts_60.jsonl", fields=fields)
    assert [r.status for r in again].count("duplicate") == 59 and len(corpus.documents()) == 59


def test_bulk_errors_name_the_field_or_the_line(corpus, tmp_path):
    with pytest.raises(PipelineError, match=r"no 'text' field \(they have abstract, id, journal, title\)"):
        list(read_file(DATA / "sinta_abstracts_60.jsonl"))
    records = sinta_records(3)
    lines = [json.dumps(records[0]), "{not json", json.dumps({"id": "x", "abstract": ""}), json.dumps(records[2])]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = add_path(corpus, path, fields=BulkFields(text="abstract"))
    assert [r.status for r in results] == ["added", "error", "error", "added"]
    assert "line 2" in results[1].source and "not valid JSON" in results[1].message
    assert "no text in field 'abstract'" in results[2].message


def test_csv_records_with_authors_and_year(corpus, tmp_path):
    records = sinta_records(5)
    path = tmp_path / "portal export.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["kode", "judul", "abstrak", "penulis", "tahun"])
        for i, r in enumerate(records):
            writer.writerow([r["id"], r["title"], r["abstract"] + '\n"kutipan", dan; lain', "Sari, D.; Putra, A.",
                             2015 + i])
    fields = BulkFields(text="abstrak", title="judul", id="kode", authors="penulis", year="tahun")
    results = add_path(corpus, path, fields=fields)
    assert [r.status for r in results] == ["added"] * 5
    meta = corpus.metadata(records[1]["id"])
    assert meta["authors"] == ["Sari, D.", "Putra, A."] and meta["year"] == 2016
    assert meta["imported_from"]["format"] == "csv" and meta["imported_from"]["record"] == 3
    stored = (corpus.root / f"{records[1]['id']}.txt").read_text(encoding="utf-8")
    assert stored.startswith(records[1]["title"] + "\n\n") and '"kutipan", dan; lain' in stored
