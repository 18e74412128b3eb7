"""Files of the store: atomic writes, folders given as a path or a URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.store import LocalFiles, atomic_write_bytes, atomic_write_chunks, files_for, is_url, sha256_bytes


def test_atomic_write_leaves_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    atomic_write_bytes(target, b"old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_chunks_are_written_whole_and_hashed(tmp_path):
    chunks = [b"x" * 700_000, b"y" * 700_000, b"z"]
    target = tmp_path / "deep" / "page.html"
    assert atomic_write_chunks(target, iter(chunks), fsync=False) == sha256_bytes(b"".join(chunks))
    assert target.read_bytes() == b"".join(chunks)


def test_a_folder_is_a_path_or_a_url(tmp_path):
    assert not is_url(tmp_path) and not is_url(f"file://{tmp_path}")
    assert is_url("s3://bucket/out") and is_url("memory://run/out")
    files, folder = files_for(f"file://{tmp_path}")
    assert isinstance(files, LocalFiles) and folder == Path(tmp_path)


def test_local_listing_leaves_out_hidden_files_and_temporaries(tmp_path):
    files, folder = files_for(tmp_path)
    for name in ("b.json", "a.json", ".artifact-index", ".a.json.x1.tmp", "c.txt"):
        (tmp_path / name).write_bytes(b"{}")
    assert files.names(folder, ".json") == ["a.json", "b.json"]
    assert [p.name for p in files.glob(folder, "*.json")] == ["a.json", "b.json"]
    assert files.remove_temporaries(folder) == 1
    assert not (tmp_path / ".a.json.x1.tmp").exists()
