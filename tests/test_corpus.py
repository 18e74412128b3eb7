"""Adding documents: every input kind, encodings, ids, duplicates, metadata sidecars."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pytest

from pipeline.corpus import (AddResult, BulkFields, Corpus, DuplicateIndex, clean_metadata, decode_text,
                             expand_paths, parse_metadata, read_file, slugify)
from pipeline.errors import PipelineError
from pipeline.text.pdf import extract_pdf_text

from .conftest import CORPUS, DATA, SEEDS


def seed_text(key: str) -> str:
    return (CORPUS / f"{SEEDS[key]}.txt").read_text(encoding="utf-8")


def sinta_records(n: int = 60) -> list[dict]:
    lines = (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:n]]


def make_pdf(pages: list[str | None], image_pages: bool = False) -> bytes:
    """A minimal valid PDF: one page per item, text in Helvetica (WinAnsi), or no text.

    ``None`` makes a page without a content stream, or with ``image_pages`` a page
    that only draws a 1x1 image (what a scan looks like to a text extractor).
    """
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for text in pages:
        if text is None and not image_pages:
            add(b"null")
            kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] >>".encode()))
            continue
        if text is None:
            content = b"q 200 0 0 200 100 400 cm /Im1 Do Q"
        else:
            lines = [line for para in text.split("\n") for line in (textwrap.wrap(para, 90) or [""])]
            ops = ["BT /F1 10 Tf 50 800 Td 12 TL"]
            for line in lines:
                ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
            ops.append("ET")
            content = "\n".join(ops).encode("cp1252", "replace")
        c_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] /Contents {c_id} 0 R "
                        f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>".encode()))
    assert add(("<< /Type /Pages /Kids [%s] /Count %d >>"
                % (" ".join(f"{k} 0 R" for k in kids), len(kids))).encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def add_path(corpus: Corpus, path: Path, allow_duplicates: bool = False, **kwargs) -> list[AddResult]:
    return corpus.add(read_file(path, **kwargs), allow_duplicates=allow_duplicates)


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    return Corpus(tmp_path / "corpus")


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


def test_given_encoding_is_used_or_refused(tmp_path):
    data = seed_text("003").encode("cp1252")
    assert decode_text(data, "a.txt", "cp1252")[0] == seed_text("003")
    with pytest.raises(PipelineError, match="cannot be read as utf-8"):
        decode_text(data, "a.txt", "utf-8")
    with pytest.raises(PipelineError, match="unknown encoding"):
        decode_text(data, "a.txt", "klingon")


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


# -- ids -------------------------------------------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("../../x", "x"),
    ("Tesis Baru (2024)", "Tesis_Baru_2024"),
    ("Kebijakan Luar Negeri – Tiongkok é", "Kebijakan_Luar_Negeri_Tiongkok_e"),
    ("..", None), ("論文", None), ("CON", "doc-CON"), (".hidden..name", "hidden.name"),
])
def test_slugs_are_safe_ids(name, expected):
    slug = slugify(name)
    assert slug == expected if expected else slug.startswith("doc-")
    assert "/" not in slug and not slug.startswith(".") and ".." not in slug
    assert slugify(name) == slug  # stable


def test_hostile_names_stay_inside_the_corpus(corpus, tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "x.txt").write_text(seed_text("001"), encoding="utf-8")
    [result] = add_path(corpus, deep / ".." / ".." / "x.txt")
    assert result.doc_id == "x" and (corpus.root / "x.txt").is_file()
    weird = tmp_path / "Laporan akhir – Tiongkok ñ 論文.txt"
    weird.write_text(seed_text("004"), encoding="utf-8")
    [result] = add_path(corpus, weird)
    assert result.doc_id == "Laporan_akhir_Tiongkok_n"
    path = tmp_path / "evil.jsonl"
    record = sinta_records(1)[0]
    path.write_text(json.dumps({**record, "id": "../../../etc/passwd"}) + "\n", encoding="utf-8")
    [result] = add_path(corpus, path, fields=BulkFields(text="abstract"))
    assert result.doc_id == "etc_passwd"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and corpus.root not in p.parents) == \
        sorted(["x.txt", weird.name, "evil.jsonl"])


def test_id_clash_gets_a_suffix_for_files_and_is_refused_for_given_ids(corpus, tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "tesis.txt").write_text(seed_text("001"), encoding="utf-8")
    (tmp_path / "two" / "Tesis.txt").write_text(seed_text("003"), encoding="utf-8")
    first = add_path(corpus, tmp_path / "one" / "tesis.txt")[0]
    second = add_path(corpus, tmp_path / "two" / "Tesis.txt")[0]
    assert (first.doc_id, second.doc_id) == ("tesis", "Tesis-2") and "was taken" in second.message
    assert (corpus.root / "tesis.txt").read_text(encoding="utf-8") == seed_text("001")
    record = sinta_records(2)[1]
    path = tmp_path / "clash.jsonl"
    path.write_text(json.dumps({**record, "id": "tesis"}) + "\n", encoding="utf-8")
    [result] = add_path(corpus, path, fields=BulkFields(text="abstract"))
    assert result.status == "clash" and "remove it first" in result.message and not result.added
    assert (corpus.root / "tesis.txt").read_text(encoding="utf-8") == seed_text("001")


# -- duplicates ------------------------------------------------------------------------

def test_same_content_is_a_duplicate_in_any_encoding(corpus, tmp_path):
    (tmp_path / "a.txt").write_text(seed_text("003"), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(seed_text("003").replace("\n", "\r\n").encode("utf-16"))
    assert add_path(corpus, tmp_path / "a.txt")[0].status == "added"
    [result] = add_path(corpus, tmp_path / "b.txt", allow_duplicates=True)
    assert result.status == "duplicate" and result.match.doc_id == "a" and not result.added
    assert "duplicate of a" in result.describe()


def test_near_duplicates_are_reported_and_kept_only_when_allowed(corpus, tmp_path):
    text = seed_text("003")
    (tmp_path / "asli.txt").write_text(text, encoding="utf-8")
    paragraphs = text.split("\n\n")
    # A re-export: one paragraph lost, a few OCR slips: most 5-word shingles are shared.
    edited = "\n\n".join(paragraphs[:5] + paragraphs[6:]).replace("Tiongkok", "Tlongkok", 3)
    (tmp_path / "ulang.txt").write_text(edited, encoding="utf-8")
    add_path(corpus, tmp_path / "asli.txt")
    [result] = add_path(corpus, tmp_path / "ulang.txt")
    assert result.status == "near-duplicate" and result.match.doc_id == "asli" and not result.added
    assert result.match.kind == "text" and result.match.similarity >= 0.8
    assert "--allow-duplicates" in result.describe()
    [result] = add_path(corpus, tmp_path / "ulang.txt", allow_duplicates=True)
    assert result.added and result.doc_id == "ulang"
    # A different text under the same title (first line, or the title given) is a near-duplicate too.
    (tmp_path / "katalog.md").write_text(seed_text("002"), encoding="utf-8")
    add_path(corpus, tmp_path / "katalog.md")
    record = sinta_records(1)[0]
    title = seed_text("002").strip().splitlines()[0]
    (tmp_path / "judul_sama.txt").write_text(title.upper() + "\n\n" + record["abstract"], encoding="utf-8")
    [result] = add_path(corpus, tmp_path / "judul_sama.txt")
    assert result.status == "near-duplicate" and result.match.kind == "title" and result.match.doc_id == "katalog"
    (tmp_path / "lain.txt").write_text(record["abstract"], encoding="utf-8")
    [result] = add_path(corpus, tmp_path / "lain.txt", given={"title": title})
    assert result.status == "near-duplicate" and result.match.kind == "title"
    # A generic first line ('Abstrak') names no work: seed 003 matched by text above, not by title.
    assert add_path(corpus, tmp_path / "lain.txt")[0].status == "added"


def test_different_abstracts_are_not_near_duplicates():
    index = DuplicateIndex()
    records = sinta_records()
    for r in records[:30]:
        index.add(r["id"], r["title"] + "\n\n" + r["abstract"], r["title"])
    assert all(index.match(r["title"] + "\n\n" + r["abstract"], r["title"]) is None for r in records[30:])
    match = index.match(records[3]["abstract"] + " Tambahan satu kalimat.", None)
    assert match and match.doc_id == records[3]["id"] and match.kind == "text"


def test_duplicate_index_is_kept_between_adds_and_rebuilt_when_damaged(corpus, tmp_path):
    fields = BulkFields(text="abstract", title="title", id="id")
    lines = (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "first.jsonl").write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    add_path(corpus, tmp_path / "first.jsonl", fields=fields)
    cache = corpus.root / ".duplicate-index.npz"
    assert cache.is_file() and len(corpus._load_signatures()[0]) == 10
    # The same abstract under a new title is still found, from the kept index.
    record = json.loads(lines[3])
    (tmp_path / "again.txt").write_text("Judul Lain Sama Sekali Berbeda\n\n" + record["abstract"], encoding="utf-8")
    [again] = add_path(corpus, tmp_path / "again.txt")
    assert again.status == "near-duplicate" and again.match.doc_id == record["id"]
    # A damaged cache is rebuilt from the files, with the same answer.
    cache.write_bytes(b"not an npz")
    [again] = add_path(corpus, tmp_path / "again.txt")
    assert again.status == "near-duplicate" and again.match.doc_id == record["id"]
    assert len(corpus._load_signatures()[0]) == 10
    # A document edited in place is indexed again from its new text.
    path = corpus.root / f"{record['id']}.txt"
    path.write_text("Teks yang sama sekali lain tentang kebijakan luar negeri Indonesia.\n", encoding="utf-8")
    [third] = add_path(corpus, tmp_path / "again.txt")
    assert third.added


# -- removing --------------------------------------------------------------------------

def test_remove_deletes_the_document_and_its_sidecar(corpus, tmp_path):
    (tmp_path / "a.txt").write_text(seed_text("001"), encoding="utf-8")
    add_path(corpus, tmp_path / "a.txt")
    removed = corpus.remove("a")
    assert sorted(p.name for p in removed) == ["a.meta.json", "a.txt"]
    # Only the duplicate index (a cache) is left.
    assert corpus.documents() == [] and [p.name for p in corpus.root.iterdir()] == [".duplicate-index.npz"]
    with pytest.raises(PipelineError, match="unknown document 'a'"):
        corpus.remove("a")
