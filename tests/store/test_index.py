"""The store's journals: ``.artifact-index`` and ``.file-hashes``."""

from __future__ import annotations

import os

from pipeline.store import FILE_HASHES_NAME, INDEX_NAME, ArtifactRef, ArtifactStore, sha256_bytes


def test_index_is_a_journal_that_survives_a_torn_line_and_compacts(tmp_path):
    def artifact(doc):
        # report artifacts under three keys: the smallest valid kind
        ref = ArtifactRef("report", doc)
        return ref, {"header": store.header(ref, "report", {f"ingest/{doc}": "0" * 64}, {}), "files": {}}

    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    refs = []
    for doc in ("a", "b", "c"):
        ref, obj = artifact(doc)
        store.write(ref, obj)
        refs.append(ref)
    store.save_index()
    index = tmp_path / "out" / INDEX_NAME
    first = index.read_text()
    assert [line.split(" ")[0] for line in first.splitlines()] == ["report/a", "report/b", "report/c"]
    # one changed entry and one removed: two lines appended, the rest left as it was
    ref, obj = artifact("b")
    obj["header"]["inputs"]["ingest/x"] = "1" * 64
    store.write(ref, obj)
    store.delete(refs[2])
    store.save_index()
    text = index.read_text()
    assert text.startswith(first) and text[len(first):].splitlines() == [
        store.index.entries(store.output_dir)["report/b"].line("report/b").strip(), "report/c -"]
    again = ArtifactStore(tmp_path / "out", tmp_path / "models")
    assert sorted(again.index.entries(again.output_dir)) == ["report/a", "report/b"]
    assert again.is_fresh(ref, {"ingest/b": "0" * 64, "ingest/x": "1" * 64}, {})[0]
    # a line torn by a kill is skipped (b is then checked from its file, still fresh),
    # and the next save writes the file whole rather than append after it
    index.write_text(text[:-20])
    torn = ArtifactStore(tmp_path / "out", tmp_path / "models")
    assert torn.is_fresh(ref, {"ingest/b": "0" * 64, "ingest/x": "1" * 64}, {})[0]
    torn.save_index()
    assert index.read_text().endswith("\n")
    # appended lines never outgrow the entries for long: the file is compacted
    for _ in range(40):
        store = ArtifactStore(tmp_path / "out", tmp_path / "models")
        store.write(ref, obj)
        store.delete(ref)
        store.save_index()
    assert len(index.read_text().splitlines()) <= 2 * 1 + 64


def test_file_hashes_are_kept_across_runs_unless_the_stat_is_racy(tmp_path):
    document = tmp_path / "doc.txt"
    document.write_bytes(b"aaa")
    store = ArtifactStore(tmp_path / "out", tmp_path / "models")
    (tmp_path / "out").mkdir()
    assert store.file_sha256(document) == sha256_bytes(b"aaa")
    store.save_index()
    journal = tmp_path / "out" / FILE_HASHES_NAME
    assert journal.read_text().startswith(f'["{document}", ')
    # Same stat, other bytes (what a timestamp too coarse to see the change gives).
    stat = document.stat()
    document.write_bytes(b"bbb")
    os.utime(document, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # Saved well after the file changed: the stat is trusted, the file is not read.
    later = stat.st_mtime_ns + 10**9
    os.utime(journal, ns=(later, later))
    assert ArtifactStore(tmp_path / "out", tmp_path / "models").file_sha256(document) == sha256_bytes(b"aaa")
    # Saved just after it changed ("racy"): the file is hashed again.
    os.utime(journal, ns=(stat.st_mtime_ns, stat.st_mtime_ns))
    assert ArtifactStore(tmp_path / "out", tmp_path / "models").file_sha256(document) == sha256_bytes(b"bbb")
