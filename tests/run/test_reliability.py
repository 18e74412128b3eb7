"""Bad input never stops a batch: each bad file gets one clear line, the rest is processed."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from pipeline import Pipeline
from pipeline.store import ArtifactRef

from tests.paths import CORPUS, REPO, SEEDS

GOOD = "Diplomasi ekonomi Indonesia di kawasan ASEAN menjadi kunci kerja sama regional. "


def write_bad_corpus(folder):
    folder.mkdir()
    shutil.copy(CORPUS / f"{SEEDS['001']}.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"   \n\t\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.txt").write_bytes("Diplomasi ekonomi \xe9\xe8 kota\n".encode("latin-1"))
    (folder / "utf16.txt").write_bytes((GOOD * 3).encode("utf-16"))
    (folder / "huge.txt").write_text(GOOD * 20_000, encoding="utf-8")  # 1.6 MB, over the test's 1.5 MB limit
    (folder / "longline.txt").write_text("x" * 1_000_000 + "\n" + GOOD * 3, encoding="utf-8")
    (folder / "russian.txt").write_text(
        "Дипломатия является важным инструментом внешней политики государства. "
        "Россия и Индонезия развивают сотрудничество в регионе.\n", encoding="utf-8")
    (folder / "table.txt").write_text("Tahun ASEAN Tiongkok\n2006 3.4 0.3\n2007 4.4 1.0\n2008 5.5 2.5\n",
                                      encoding="utf-8")
    (folder / "numbers.txt").write_text("12 34 56\n78 90 12\n", encoding="utf-8")
    (folder / "titleonly.txt").write_text("Diplomasi Ekonomi Indonesia di ASEAN\n", encoding="utf-8")


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    write_bad_corpus(root / "corpus")
    (root / "small.toml").write_text("[ingest]\nmax_bytes = 1500000\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(REPO / "run_pipeline.py"), "run", "--quiet", "--corpus", str(root / "corpus"),
         "--output", str(root / "out"), "--models", str(root / "models"), "--config", str(root / "small.toml")],
        capture_output=True, text=True, timeout=600)
    return root, proc


@pytest.mark.parametrize("name, message", [
    ("empty.txt", "empty document"),
    ("blank.txt", "empty document"),
    ("binary.txt", "binary content"),
    ("scan.txt", "this is a PDF file, not text; extract its text first"),
    ("photo.txt", "this is a PNG image, not text; run OCR on it first"),
    ("latin1.txt", "cannot be read as utf-8"),
    ("huge.txt", "over the limit of 1,500,000; split the file or raise [ingest] max_bytes"),
])
def test_each_bad_file_has_one_clear_line(bad_run, name, message):
    _, proc = bad_run
    lines = [line for line in proc.stderr.splitlines() if name in line]
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert lines[0].startswith("error: ")


def test_the_rest_of_the_batch_is_processed(bad_run):
    root, proc = bad_run
    assert proc.returncode == 1  # errors were reported
    assert "Traceback" not in proc.stderr
    pipeline = Pipeline(root / "corpus", root / "out", root / "models")
    for doc in (SEEDS["001"], "utf16", "longline", "russian", "table", "numbers", "titleonly"):
        assert pipeline.store.exists(ArtifactRef("keywords", doc)), doc
    utf16 = pipeline.store.read(ArtifactRef("separate", "utf16"))
    assert utf16["abstracts"]["id"] or any(s["lang"] == "id" for s in utf16["sections"])
    # Nothing processed before is lost: the good document has its keywords.
    assert pipeline.store.read(ArtifactRef("keywords", SEEDS["001"]))["keywords"]["id"]


def test_documents_without_indonesian_or_english_are_warned_about(bad_run):
    _, proc = bad_run
    for name in ("russian", "numbers", "table", "titleonly"):
        lines = [line for line in proc.stderr.splitlines() if f"{name}.txt:" in line and line.startswith("warning:")]
        assert len(lines) == 1 and "no Indonesian or English prose" in lines[0], proc.stderr
    longline = [line for line in proc.stderr.splitlines() if "longline" in line]
    assert len(longline) == 1 and "without spaces" in longline[0], proc.stderr


def test_strict_turns_warnings_into_failure(bad_run, tmp_path):
    root, _ = bad_run
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{SEEDS['001']}.txt", corpus)
    shutil.copy(root / "corpus" / "russian.txt", corpus)
    cmd = [sys.executable, str(REPO / "run_pipeline.py"), "run", "--quiet", "--corpus", str(corpus),
           "--output", str(tmp_path / "out"), "--models", str(tmp_path / "models")]
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
    strict = subprocess.run(cmd + ["--strict", "--force"], capture_output=True, text=True)
    assert strict.returncode == 1 and "russian" in strict.stderr
