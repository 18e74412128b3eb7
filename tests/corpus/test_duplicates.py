"""Exact duplicates and near-duplicates: refused, reported, kept only when allowed."""

from __future__ import annotations

import json

from pipeline.corpus import BulkFields, DuplicateIndex
from pipeline.corpus.duplicates import load_signatures
from tests.paths import DATA

from .inputs import add_path, seed_text, sinta_records


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
    assert cache.is_file() and len(load_signatures(corpus.root)[0]) == 10
    # The same abstract under a new title is still found, from the kept index.
    record = json.loads(lines[3])
    (tmp_path / "again.txt").write_text("Judul Lain Sama Sekali Berbeda\n\n" + record["abstract"], encoding="utf-8")
    [again] = add_path(corpus, tmp_path / "again.txt")
    assert again.status == "near-duplicate" and again.match.doc_id == record["id"]
    # A damaged cache is rebuilt from the files, with the same answer.
    cache.write_bytes(b"not an npz")
    [again] = add_path(corpus, tmp_path / "again.txt")
    assert again.status == "near-duplicate" and again.match.doc_id == record["id"]
    assert len(load_signatures(corpus.root)[0]) == 10
    # A document edited in place is indexed again from its new text.
    path = corpus.root / f"{record['id']}.txt"
    path.write_text("Teks yang sama sekali lain tentang kebijakan luar negeri Indonesia.\n", encoding="utf-8")
    [third] = add_path(corpus, tmp_path / "again.txt")
    assert third.added
