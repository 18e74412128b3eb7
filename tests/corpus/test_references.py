"""RIS and BibTeX in (``add refs.ris``) and out (``export --format ris|bibtex|csv``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import pytest
import rispy

from pipeline.cli import main
from pipeline.corpus import AddResult, NewDocument, read_file
from pipeline.corpus.references import export_record, to_bibtex, to_csv, to_ris
from pipeline.errors import PipelineError

DATA = Path(__file__).resolve().parent.parent / "data"
RIS = DATA / "references_sample.ris"
BIB = DATA / "references_sample.bib"

# What the sample files hold, record by record (written by hand from the formats' documentation).
RIS_ADDED = {
    1: ("Diplomasi Ekonomi Indonesia dalam Kerangka ASEAN Economic Community",
        ["Pratama, Andi Rizky", "Lestari, Dewi Ayu"], 2021, "Jurnal Hubungan Internasional Nusantara",
        "10.31315/jhin.v9i2.4417",
        ["diplomasi ekonomi", "ASEAN Economic Community", "investasi asing", "kebijakan luar negeri"]),
    2: ("Paradiplomacy of Indonesian Provinces: Sister Province Cooperation with Japan",   # T1, A1, Y1, T2, N2
        ["Santoso, Budi", "Hakim, Lukman"], 2019, "Indonesian Journal of International Relations",
        "10.32787/ijir.v3i1.88", ["paradiplomacy", "sister province", "decentralisation"]),
    3: ("Indonesia's Maritime Diplomacy in the South China Sea", ["Wijaya, Citra"], 2020, "Global Strategis",
        None, ["maritime diplomacy", "South China Sea", "Natuna"]),
    6: ("Indonesia and the Indo-Pacific Outlook: Norm Entrepreneurship in ASEAN",       # JF
        ["Kusuma, Gita", "Rahman, Hadi"], 2023, "Jurnal Ilmu Sosial dan Ilmu Politik", "10.22146/jsp.75210",
        ["Indo-Pacific", "norm entrepreneurship", "ASEAN centrality"]),
}
BIB_ADDED = {
    1: ("Kerja Sama Selatan-Selatan dan Triangular Indonesia di Kawasan Pasifik",       # @string journal
        ["Putri, Indah Sari", "Siregar, Joko"], 2020, "Jurnal Hubungan Internasional", "10.18196/jhi.v8i1.9876",
        ["Kerja Sama Selatan-Selatan", "bantuan luar negeri", "Pasifik"]),
    2: ("Halal Diplomacy and Indonesia's Trade with the Middle East", ["Tan, Kevin", "Yusuf, Maria"], 2017,
        "Journal of ASEAN Studies", "10.21512/jas.v5i2.3321", ["halal diplomacy", "economic diplomacy", "Middle East"]),
    5: ("Digital Diplomacy of the Indonesian Ministry of Foreign Affairs on Social Media",
        ["Wibowo, Nanda", "Effendi, Tri", "Gunawan, Surya"], 2022, "Insignia: Journal of International Relations",
        "10.20884/1.ins.2022.9.1.5012", ["digital diplomacy", "social media", "nation branding"]),
}


def _fields(meta: dict) -> tuple:
    return (meta.get("title"), meta.get("authors"), meta.get("year"), meta.get("source"), meta.get("doi"),
            meta.get("keywords"))


@pytest.mark.parametrize("path, expected, skipped", [
    (RIS, RIS_ADDED, {4: "no abstract", 5: "no ER line"}),
    (BIB, BIB_ADDED, {3: "not a readable BibTeX entry 'broken2019'", 4: "no abstract"}),
])
def test_records_become_documents_and_bad_ones_are_named(path, expected, skipped):
    items = list(read_file(path))
    docs = [i for i in items if isinstance(i, NewDocument)]
    errors = [i for i in items if isinstance(i, AddResult)]
    assert {d.metadata["imported_from"]["record"]: _fields(d.metadata) for d in docs} == expected
    assert len(errors) == len(skipped)
    for error, (number, reason) in zip(errors, sorted(skipped.items())):
        line = error.describe()
        assert line.startswith(f"{path.name} record {number}") and reason in line and "\n" not in line
    # the record without an abstract is named by its title too
    assert any("Peran Indonesia" in e.describe() or "Politik Luar Negeri" in e.describe() for e in errors)
    first = docs[0]
    title, abstract_start = first.text.split("\n\n")[:2]
    assert title == first.metadata["title"] and len(abstract_start) > 200
    assert first.metadata["imported_from"]["format"] == ("ris" if path == RIS else "bibtex")


def test_text_layout_and_keyword_cue_follow_the_abstract_language():
    docs = {d.metadata["imported_from"]["record"]: d for d in read_file(RIS) if isinstance(d, NewDocument)}
    indonesian = docs[1].text.rstrip("\n").split("\n\n")
    assert indonesian[0] == RIS_ADDED[1][0] and indonesian[1].startswith("Penelitian ini menganalisis")
    assert indonesian[2] == "Kata kunci: diplomasi ekonomi; ASEAN Economic Community; investasi asing; kebijakan luar negeri"
    assert docs[2].text.rstrip("\n").split("\n\n")[2] == "Keywords: paradiplomacy; sister province; decentralisation"


def test_latex_and_protected_case_are_plain_text():
    doc = next(d for d in read_file(BIB) if isinstance(d, NewDocument) and d.metadata["imported_from"]["record"] == 2)
    assert "attachés" in doc.text and "exporters & strengthened" in doc.text and "{" not in doc.text


def test_a_file_without_records_is_one_error(tmp_path):
    empty = tmp_path / "empty.ris"
    empty.write_text("nothing here\n", encoding="utf-8")
    items = list(read_file(empty))  # stray lines: one malformed record, not silence
    assert [i.status for i in items] == ["error"] and "no TY line" in items[0].message
    blank = tmp_path / "blank.bib"
    blank.write_text("% only a comment\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="no BibTeX records found"):
        list(read_file(blank))


def _record(doc_id, title, authors, year, journal, doi, own, extracted_id, extracted_en):
    ingest = {"metadata": {"title": title, "authors": authors, "year": year, "source": journal,
                           "author_keywords": {"id": [], "en": []}, **({"doi": doi} if doi else {}),
                           **({"keywords": own} if own else {})}}
    keywords = {"keywords": {"id": [{"phrase": p, "score": 1.0} for p in extracted_id],
                             "en": [{"phrase": p, "score": 1.0} for p in extracted_en]}}
    return export_record(doc_id, ingest, keywords)


def test_export_keywords_are_own_then_indonesian_then_english_first_ten_each():
    extracted_id = [f"istilah {i}" for i in range(12)]
    record = _record("d1", "T", ["A, B"], 2020, "J", "10.1/x", ["Own", "istilah 0"], extracted_id, ["term a", "OWN"])
    assert record["keywords"] == ["Own", "istilah 0", *extracted_id[1:10], "term a"]


def test_export_formats_parse_back():
    records = [_record("doc-1", "Diplomasi {ASEAN} & kerja sama: 50% lebih", ["Pratama, Andi", "Lestari, Dewi"], 2021,
                       "Jurnal HI", "10.31315/jhin.v9i2.4417", ["diplomasi ekonomi"], ["kerja sama"], ["trade"]),
               _record("doc_2", "Untitled", [], None, None, None, [], [], [])]
    ris = rispy.loads(to_ris(records))
    assert [r.get("title") for r in ris] == ["Diplomasi {ASEAN} & kerja sama: 50% lebih", "Untitled"]
    assert ris[0]["authors"] == ["Pratama, Andi", "Lestari, Dewi"] and ris[0]["year"] == "2021"
    assert ris[0]["keywords"] == ["diplomasi ekonomi", "kerja sama", "trade"] and "keywords" not in ris[1]
    assert not to_ris(records).startswith("1.")
    from bibtexparser.bparser import BibTexParser
    from bibtexparser.customization import convert_to_unicode

    parser = BibTexParser(common_strings=True)
    parser.customization = convert_to_unicode
    bib = bibtexparser.loads(to_bibtex(records), parser=parser).entries
    assert [e["ID"] for e in bib] == ["doc-1", "doc_2"]
    assert bib[0]["title"] == "Diplomasi ASEAN & kerja sama: 50% lebih"
    assert bib[0]["keywords"] == "diplomasi ekonomi, kerja sama, trade" and bib[0]["doi"] == "10.31315/jhin.v9i2.4417"
    rows = list(csv.DictReader(io.StringIO(to_csv(records))))
    assert rows[0]["keywords"] == "diplomasi ekonomi; kerja sama; trade" and rows[0]["authors"] == "Pratama, Andi; Lestari, Dewi"
    assert rows[1]["year"] == "" and rows[1]["title"] == "Untitled"


def test_add_references_then_export_round_trip(seed_copy, tmp_path, capsys):
    root, pipeline = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["add", str(RIS), str(BIB), "--quiet", "--jobs", "1", *common]) == 1  # bad records: exit 1
    captured = capsys.readouterr()
    bad = [line for line in captured.err.splitlines() if "skipped" in line]
    assert len(bad) == 4, captured.err
    assert any("references_sample.ris record 5" in line and "no ER line" in line for line in bad)
    assert any("references_sample.ris record 4 (Peran Indonesia" in line and "no abstract" in line for line in bad)
    assert any("references_sample.bib record 3" in line and "broken2019" in line for line in bad)
    assert any("references_sample.bib record 4 (Politik Luar Negeri" in line for line in bad)
    assert captured.out.count("added as") == len(RIS_ADDED) + len(BIB_ADDED)

    expected = {v[0]: v for v in [*RIS_ADDED.values(), *BIB_ADDED.values()]}
    # what ingest kept: the contract fields and the DOI
    by_title = {}
    for doc in pipeline.corpus.documents():
        meta = pipeline.store.load("ingest", doc.doc_id)["metadata"]
        by_title[meta["title"]] = (doc.doc_id, meta)
    for title, (_, authors, year, journal, doi, own) in expected.items():
        doc_id, meta = by_title[title]
        assert (meta["authors"], meta["year"], meta["source"], meta.get("doi"), meta["keywords"]) == \
               (authors, year, journal, doi, own)
    indonesian = by_title[RIS_ADDED[1][0]][0]
    assert pipeline.store.load("keywords", indonesian)["keywords"]["id"]  # the Indonesian abstract got keywords

    ris_out, bib_out, csv_out = tmp_path / "out.ris", tmp_path / "out.bib", tmp_path / "out.csv"
    for fmt, out in (("ris", ris_out), ("bibtex", bib_out), ("csv", csv_out)):
        assert main(["export", "--format", fmt, "--out", str(out), *common]) == 0
    n_docs = len(list(pipeline.corpus.documents()))
    assert "documents" in capsys.readouterr().out

    ris_all = rispy.loads(ris_out.read_text(encoding="utf-8"))
    bib_all = bibtexparser.loads(bib_out.read_text(encoding="utf-8")).entries
    rows_all = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8"))))
    assert len(ris_all) == len(bib_all) == len(rows_all) == n_docs
    assert [r["id"] for r in ris_all] == [r["doc_id"] for r in rows_all]  # every document, seeds too
    ris = {r.get("title"): r for r in ris_all}
    bib = {e.get("title"): e for e in bib_all}
    rows = {r["title"]: r for r in rows_all}
    for title, (_, authors, year, journal, doi, own) in expected.items():
        doc_id = by_title[title][0]
        extracted = json.loads((root / "output" / "keywords" / f"{doc_id}.json").read_text())["keywords"]
        first = [k["phrase"] for k in extracted["id"][:10]] + [k["phrase"] for k in extracted["en"][:10]]
        r = ris[title]
        assert (r["authors"], r["year"], r.get("journal_name"), r.get("doi")) == (authors, str(year), journal, doi)
        assert r["keywords"][:len(own)] == own
        assert {k.casefold() for k in first} <= {k.casefold() for k in r["keywords"]}
        b = bib[title]
        assert (b["author"].split(" and "), b["year"], b["journal"], b.get("doi")) == (authors, str(year), journal, doi)
        assert b["keywords"].split(", ")[:len(own)] == own
        assert rows[title]["keywords"].split("; ") == r["keywords"]

    # the same records added again: duplicates, nothing new
    assert main(["add", str(RIS), "--quiet", "--no-run", *common]) == 1
    assert capsys.readouterr().out.count("skipped, duplicate") == len(RIS_ADDED)
    # a missing folder: one line, exit 2, nothing written
    assert main(["export", "--format", "ris", "--out", str(tmp_path / "nowhere" / "x.ris"), *common]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "folder does not exist" in err
