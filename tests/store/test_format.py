"""The bytes of an artifact: layout, header, hashes of the file and of the payload."""

from __future__ import annotations

import json

from pipeline.store import dumps, params_hash, payload_sha256, sha256_bytes
from pipeline.store.format import header_end, header_only, top_level_fields, with_header

HEADER = {"schema": "report", "inputs": {"ingest/a": "0" * 64}, "params_hash": "1" * 64}


def test_params_hash_is_order_independent():
    assert params_hash({"a": 1, "b": [1, 2]}) == params_hash({"b": [1, 2], "a": 1})
    assert params_hash({"a": 1}) != params_hash({"a": 2})


def test_dumps_writes_one_field_a_line_header_first():
    obj = {"header": HEADER, "files": {"report.html": None}, "text": "é\nline"}
    data = dumps(obj)
    assert json.loads(data) == obj
    assert data.count(b"\n") == 3 and data.startswith(b'{"header": {')
    assert "é".encode() in data  # UTF-8, not escaped
    assert header_only(data) == HEADER
    assert header_only(b'{"files": {}, "header": {}}\n') is None


def test_the_payload_hash_ignores_the_header_and_the_file_hash_does_not():
    a = dumps({"header": HEADER, "files": {}})
    b = with_header(a, header_end(a), dict(HEADER, inputs={"ingest/a": "2" * 64}))
    assert json.loads(b)["files"] == {} and header_only(b)["inputs"] == {"ingest/a": "2" * 64}
    assert payload_sha256(a) == payload_sha256(b)
    assert sha256_bytes(a) != sha256_bytes(b)
    # not laid out as dumps writes it: the payload is the whole file
    assert payload_sha256(b"[1, 2]") == sha256_bytes(b"[1, 2]")


def test_top_level_fields_reads_only_what_is_asked():
    data = dumps({"header": HEADER, "a": 1, "b": [2], "c": {"d": 3}})
    end = header_end(data)
    assert top_level_fields(data, end, ("c", "a")) == {"a": 1, "c": {"d": 3}}
    assert top_level_fields(data, end, ("zz",)) == {}
    indented = json.dumps({"header": HEADER, "a": 1}, indent=1).encode()
    assert header_end(indented) == -1
