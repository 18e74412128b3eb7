"""The one decoder: a file reads the same for add, clean and ingest; documents that cannot be text are refused."""

from __future__ import annotations

import codecs

import pytest

from pipeline.errors import PipelineError
from pipeline.text.encoding import decode_document, decode_text, read_document
from tests.paths import SEEDS
from tests.paths import CORPUS


def seed_text(key: str) -> str:
    return (CORPUS / f"{SEEDS[key]}.txt").read_text(encoding="utf-8")


def test_given_encoding_is_used_or_refused():
    data = seed_text("003").encode("cp1252")
    assert decode_text(data, "a.txt", "cp1252")[0] == seed_text("003")
    with pytest.raises(PipelineError, match="cannot be read as utf-8"):
        decode_text(data, "a.txt", "utf-8")
    with pytest.raises(PipelineError, match="unknown encoding"):
        decode_text(data, "a.txt", "klingon")


def test_a_cp1252_file_reads_the_same_for_add_and_for_clean():
    data = seed_text("003").encode("cp1252")  # curly quotes: bytes 0x91/0x92, not UTF-8
    added = decode_text(data, "a.txt")  # what add reads
    cleaned = read_document(data, "a.txt")  # what clean reads
    assert added == cleaned
    assert added.text == seed_text("003") and added.codec == "cp1252"
    assert added.warning == "a.txt: not UTF-8; read as cp1252 (pass --encoding if the characters look wrong)"


@pytest.mark.parametrize("key,codec", [
    ("001", "utf-8"), ("002", "utf-8-sig"), ("003", "utf-16"), ("004", "utf-16-le"), ("001", "utf-32"),
    ("003", "cp1252"), ("001", "latin-1"),
])
def test_every_file_reads_the_same_for_add_and_for_clean(key, codec):
    data = seed_text(key).encode(codec)
    assert read_document(data, "a.txt") == decode_text(data, "a.txt")
    assert read_document(data, "a.txt").text.lstrip("\ufeff") == seed_text(key)


def test_corpus_files_are_read_as_add_writes_them_and_never_guessed():
    for key in SEEDS:
        data = (CORPUS / f"{SEEDS[key]}.txt").read_bytes()
        for raw in (data, codecs.BOM_UTF8 + data, seed_text(key).encode("utf-16"), seed_text(key).encode("utf-32")):
            assert decode_document(raw, "a.txt") == decode_text(raw, "a.txt").text
        assert decode_document(data, "a.txt") == data.decode("utf-8")
    # Not UTF-8 and no byte-order mark: a corpus file put there by hand is refused with the fix.
    with pytest.raises(PipelineError, match=r"a.txt: cannot be read as utf-8-sig \(UnicodeDecodeError at byte \d+\); "
                                            r"convert it to UTF-8"):
        decode_document(seed_text("003").encode("cp1252"), "a.txt")
    with pytest.raises(PipelineError, match=r"a.txt: binary content \(NUL bytes\)"):
        decode_document(seed_text("004").encode("utf-16-le"), "a.txt")
    with pytest.raises(PipelineError, match=r"a.txt: cannot be read as utf-16 \(UnicodeDecodeError at byte"):
        decode_document(codecs.BOM_UTF16_LE + "Teks rusak".encode("utf-16-le") + b"\x00", "a.txt")


@pytest.mark.parametrize("data,encoding,message", [
    (b"\x89PNG\r\n\x1a\n" + b"x" * 100, "auto", "a.txt: this is a PNG image, not text; run OCR on it first"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "auto", "a.txt: this is a PDF file, not text; extract its text first"),
    (b"Teks dengan NUL \x00 di tengah. " * 20, "auto", "a.txt: binary content (NUL bytes), not a text file"),
    (codecs.BOM_UTF8 + b"Teks \x00 lagi. " * 20, "auto", "a.txt: binary content (NUL bytes)"),
    (bytes(range(256)) * 20, "auto", "a.txt: binary content (NUL bytes)"),
    (b"  \n\t\n", "auto", "a.txt: empty document (no text); add text or remove the file"),
    (b"", "auto", "a.txt: empty document"),
    ("Diplomasi \u201ckota\u201d".encode("cp1252"), "utf-8",
     "a.txt: cannot be read as utf-8 (UnicodeDecodeError at byte 10); convert it to UTF-8"),
    (b"Diplomasi kota", "klingon", "a.txt: cannot be read as klingon (LookupError at byte ?)"),
])
def test_documents_that_cannot_be_text_are_refused_in_one_line(data, encoding, message):
    with pytest.raises(PipelineError) as error:
        read_document(data, "a.txt", encoding)
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


def test_documents_over_the_size_limit_are_refused():
    with pytest.raises(PipelineError, match="a.txt: 2,000 bytes is over the limit of 1,000; split the file"):
        decode_document(b"kata " * 400, "a.txt", max_bytes=1000)
    assert decode_document(b"kata " * 200, "a.txt", max_bytes=1000).startswith("kata")
