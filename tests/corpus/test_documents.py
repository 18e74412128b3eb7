"""The corpus folder: listing, ids, removing."""

from __future__ import annotations

import json

import pytest

from pipeline.corpus import BulkFields, slugify
from pipeline.errors import PipelineError

from .inputs import add_path, seed_text, sinta_records


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
