"""The bytes of an artifact: how one is written, and the hashes taken of it.

An artifact is one JSON object, written by :func:`dumps` with one top-level field a
line and the ``header`` first::

    {"header": {"schema": "keywords", ..., "inputs": {...}, "params_hash": "..."},
    "keywords": [...],
    "candidates": [...]}

so the header is read without parsing the payload (:func:`header_only`), and any
top-level field without parsing the others (:func:`top_level_fields`).

Two sha256 digests are taken of an artifact, for two purposes:

* the sha256 of the **file's bytes** (:func:`sha256_bytes` of the whole file), header
  included: the identity of a file that was validated, as the artifact index records
  it. Any change to the file, even to its header alone, changes it.
* the sha256 of the **payload** (:func:`payload_sha256`): the bytes after the header
  line. This is what a step records in its header as the hash of an input it read,
  so an artifact rebuilt with a new header (new provenance) but the same payload
  leaves what was built from it fresh: a keyword model reused after a document is
  added does not make every document's keywords stale.

:func:`params_hash` and :func:`fingerprint` digest a step's parameters and what
decides an artifact's freshness.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

import orjson


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data`` (of a whole file's bytes, for an artifact)."""
    return hashlib.sha256(data).hexdigest()


def params_hash(params: dict) -> str:
    """A stable hash of a parameter dict (canonical JSON, sorted keys)."""
    canonical = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256_bytes(canonical.encode("utf-8"))


def dumps(obj: Any) -> bytes:
    """Serialise an artifact the one way the project does: UTF-8, stable, one top-level
    field per line.

    Each field's value is compact JSON written by orjson (indented output would make
    files two to three times larger). The header is the first line, so it is
    read without parsing the payload (see :func:`header_only`), and the payload's
    bytes, which are what readers record (:func:`payload_sha256`), do not depend on it.
    """
    return b"{" + b",\n".join(b"%s: %s" % (encode(key), encode(value)) for key, value in obj.items()) + b"}\n"


def encode(value: Any) -> bytes:
    """One JSON value as :func:`dumps` writes it: compact UTF-8, like
    ``json.dumps(ensure_ascii=False, separators=(",", ":"))``."""
    # orjson, much faster than json; keys that are not strings become strings as
    # json.dumps makes them.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


_HEADER_START = b'{"header": {'


def header_end(data: bytes) -> int:
    """Offset just past an artifact's header (:func:`dumps` layout), or -1.

    ``dumps`` writes the header as the first line, so it ends just before the first
    line break (a JSON string cannot hold a raw one), or before the closing brace
    when the header is the only field.
    """
    if not data.startswith(_HEADER_START):
        return -1
    end = data.find(b"\n", len(_HEADER_START))
    if end < 0:
        return -1
    if data[end - 1:end] == b",":
        return end - 1
    return end - 1 if data[end - 1:end] == b"}" and end == len(data) - 1 else -1


def header_only(data: bytes) -> dict | None:
    """The header of an artifact written by :func:`dumps`, parsed without the payload.

    None when the bytes are not laid out that way.
    """
    end = header_end(data)
    if end < 0:
        return None
    try:
        header = orjson.loads(data[len(_HEADER_START) - 1:end])
    except orjson.JSONDecodeError:  # also raised for bytes that are not UTF-8
        return None
    return header if isinstance(header, dict) else None


def with_header(data: bytes, end: int, header: dict) -> bytes:
    """The bytes of an artifact with another header and the same payload bytes.

    ``end`` is :func:`header_end` of ``data`` (not -1).
    """
    head = dumps({"header": header})
    return head[:len(head) - 2] + data[end:]


def top_level_fields(data: bytes, end: int, fields: Iterable[str]) -> dict | None:
    """Some top-level fields of an artifact, each parsed from its own line.

    Fields are read in file order and reading stops once all are found, so small
    fields written before a large one (a model's bookkeeping before its tables) cost
    little. ``end`` is :func:`header_end` of ``data`` (not -1). Fields absent from the
    artifact are left out; None when the bytes are not laid out as :func:`dumps`
    writes them.
    """
    out = {}
    # dumps writes one top-level field a line, '"key": value' and then "," (or the
    # object's closing brace on the last line), and a JSON value holds no raw line
    # break: each field is its line, parsed alone. ``end`` is the header line's comma.
    pos, wanted = end, set(fields)
    size = len(data)
    while wanted and pos < size - 2:
        stop = data.find(b"\n", pos + 2)
        line = data[pos + 2:stop]
        colon = line.find(b'": ')
        if stop < 0 or not line.startswith(b'"') or colon < 0:
            return None
        key = orjson.loads(line[:colon + 1])
        if key in wanted:
            out[key] = orjson.loads(line[colon + 3:-1])
            wanted.discard(key)
        pos = stop - 1
    return out


def payload_sha256(data: bytes) -> str:
    """sha256 of an artifact's payload: its bytes after the header (of all of them when
    the file is not laid out as :func:`dumps` writes it).

    Steps record this, not the file's sha256, as the hash of what they read (see the
    module's docstring).
    """
    end = header_end(data)
    return sha256_bytes(data[end:] if end >= 0 else data)


def fingerprint(inputs: dict[str, str], params_digest: str, version: str, schema_version: int) -> str:
    """A short digest of what decides an artifact's freshness: its inputs' hashes, its
    parameters' hash, the pipeline version and the schema version (see
    :meth:`pipeline.store.ArtifactStore.is_fresh`)."""
    # Names are artifact or corpus file names and values hex digests: a tab and a line
    # break cannot be confused with either.
    canonical = "\n".join([f"{params_digest}\t{version}\t{schema_version}",
                            *(f"{name}\t{digest}" for name, digest in sorted(inputs.items()))])
    return sha256_bytes(canonical.encode("utf-8", "surrogatepass"))[:32]


def header_fingerprint(header: dict) -> str | None:
    """The :func:`fingerprint` a header records, or None when it lacks a field."""
    try:
        return fingerprint(header["inputs"], header["params_hash"], header["pipeline_version"],
                           header["schema_version"])
    except (KeyError, TypeError, AttributeError):
        return None
