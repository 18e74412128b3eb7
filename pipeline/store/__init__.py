"""The artifact store: every read and write of the output and models folders.

Modules, each depending only on those above it:

``files``
    A folder as a local path or an fsspec URL; atomic writes, the folder's lock,
    temporaries left by an interrupted write.
``format``
    The bytes of an artifact: serialisation, the header line, the hashes taken of
    a file and of its payload, the parameters' hash and the freshness fingerprint.
``schema``
    The artifact kinds, their schema versions and JSON Schemas, and validation.
``index``
    The journals that make a warm run cheap: ``.artifact-index`` (what was validated)
    and ``.file-hashes`` (hashes of corpus files).
``artifacts``
    :class:`ArtifactStore` and :class:`ArtifactRef`, built on the four above.

Read an artifact from outside the pipeline with :meth:`ArtifactStore.load`, which
validates it and works on a URL::

    store = ArtifactStore("output", "models")
    sections = store.load("separate", "003")["sections"]
"""

from .artifacts import ArtifactRef, ArtifactStore
from .files import FileStat, FsspecFiles, LocalFiles, atomic_write_bytes, atomic_write_chunks, files_for, is_url
from .format import dumps, fingerprint, params_hash, payload_sha256, sha256_bytes
from .index import FILE_HASHES_NAME, INDEX_NAME
from .schema import MODEL_KINDS, SCHEMA_DIR, SCHEMA_VERSIONS, validate, validator

__all__ = [
    "ArtifactRef", "ArtifactStore",
    "FileStat", "FsspecFiles", "LocalFiles", "atomic_write_bytes", "atomic_write_chunks", "files_for", "is_url",
    "dumps", "fingerprint", "params_hash", "payload_sha256", "sha256_bytes",
    "FILE_HASHES_NAME", "INDEX_NAME",
    "MODEL_KINDS", "SCHEMA_DIR", "SCHEMA_VERSIONS", "validate", "validator",
]
