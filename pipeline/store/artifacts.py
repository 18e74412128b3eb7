"""The artifact store: the only code that reads and writes the output and models folders.

Every artifact is one JSON file with a ``header`` (schema name and version, stage,
document or language, pipeline version, sha256 of every input read, hash of the
parameters used) beside its payload (see :mod:`pipeline.store.format`). Artifacts
are validated against the JSON Schema of their kind before they are written
(:mod:`pipeline.store.schema`), and written atomically (temporary file in the same
folder, rename; :mod:`pipeline.store.files`). A file is validated again on read only
when its bytes are not those recorded in the folder's index
(:mod:`pipeline.store.index`), i.e. when it was truncated, edited by hand or written
by something else.

Layout::

    <output>/<stage>/<doc_id>.json      per-document artifacts (ingest, separate, ...)
    <output>/<stage>/<lang>.json        per-language artifacts (corpus_keywords, topics)
    <models>/<lang>/<kind>.json         fitted models (keyphrase_model, topic_model)
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import orjson

from ..version import __version__
from ..errors import ArtifactError, PipelineError
from .files import LOCAL, FileStat, files_for
from .format import (dumps, fingerprint, header_end, header_fingerprint, header_only, params_hash,
                     payload_sha256, sha256_bytes, top_level_fields, with_header)
from .index import Entry, Index
from .schema import MODEL_KINDS, SCHEMA_VERSIONS, fast_check, is_current, validate

# Kinds whose freshness also depends on side files they list (the report's pages).
_SIDE_FILE_KINDS = frozenset({"report"})


@dataclass(frozen=True)
class ArtifactRef:
    """Where one artifact lives: its kind and its key (a document id or a language)."""

    kind: str
    key: str
    #: The logical name recorded in headers, e.g. ``ingest/003`` or ``models/id/topic_model``.
    name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Set once here, not a cached_property: planning a run asks for it tens of
        # thousands of times, and cached_property takes a lock on each call.
        object.__setattr__(self, "name", f"models/{self.key}/{self.kind}" if self.kind in MODEL_KINDS
                           else f"{self.kind}/{self.key}")

    # The name says everything the two fields do (a kind has one place), and hashing
    # one string is cheaper than the generated hash of a tuple of two: refs are
    # dictionary keys tens of thousands of times in a run's planning.
    def __hash__(self) -> int:
        return hash(self.name)


class ArtifactStore:
    """Reads and writes the artifacts of one output folder and one models folder.

    Every artifact written (validated first) or read and validated is recorded in the
    folder's index (:class:`pipeline.store.index.Index`, held as :attr:`index`): the
    sha256 of the bytes that were validated, the file's modification time and size,
    the sha256 of its payload (what steps built from it record) and a fingerprint of
    its header (inputs, parameters, versions). A file whose stat still matches is the
    file that was validated: freshness is decided from the index alone, with no file
    opened, which keeps a warm run over thousands of documents fast; reading it for a
    step skips the schema check.

    Three sha256 digests are on offer: :meth:`sha256` (an artifact file's bytes),
    :meth:`content_sha256` (an artifact's payload, what steps record) and
    :meth:`file_sha256` (a file outside the store, such as a corpus document).

    Parameters
    ----------
    output_dir : path or URL
        Folder of the per-document and per-language artifacts: a local path, or a URL
        fsspec opens (``s3://bucket/out``, ``memory://out``; see :mod:`pipeline.store.files`).
    models_dir : path or URL
        Folder of the fitted models, one subfolder per language (on the same kind of
        file system as ``output_dir``).
    fsync : bool
        Flush every artifact to the disk before renaming it into place (see
        :func:`pipeline.store.files.atomic_write_bytes`; off by default: artifacts are
        rebuildable).
    """

    def __init__(self, output_dir: str | os.PathLike, models_dir: str | os.PathLike,
                 fsync: bool = False):
        # As given (a path or a URL): what worker processes are told to open.
        self.output_location, self.models_location = str(output_dir), str(models_dir)
        self.files, self.output_dir = files_for(output_dir)
        models_files, self.models_dir = files_for(models_dir)
        if models_files.url != self.files.url or getattr(models_files, "protocol", None) != getattr(
                self.files, "protocol", None):
            raise PipelineError(f"{output_dir} and {models_dir}: the output and models folders must be on "
                                "the same kind of file system (both local paths, or both URLs of one scheme)")
        self.fsync = fsync
        #: The journals of validated artifacts and of file hashes.
        self.index = Index(self.files, self.output_dir, self.models_dir)
        # (path, mtime_ns, size) -> sha256: a file is hashed once per run.
        self._hash_cache: dict[tuple[str, int, int], str] = {}
        self._paths: dict[ArtifactRef, Path] = {}
        self._spaths: dict[ArtifactRef, str] = {}
        self._params_memo: tuple | None = None
        # path -> stat, kept while this process holds the folder's lock (see
        # :meth:`memoize_stats`): a warm run asks for the same file many times.
        self._stat_memo: dict[str, FileStat | None] | None = None
        # path -> payload sha256, kept under the same terms as the stats: planning asks
        # for the same artifact's payload once per step that reads it (five for a
        # document's tokens), and each ask would otherwise stat and look it up again.
        self._content_memo: dict[str, str] | None = None
        #: Per kind, how many times an artifact of it was written or deleted through this
        #: store (or recorded as written by a worker): what a memo over a kind checks.
        self.generations: dict[str, int] = {}

    def __getstate__(self):
        # Sent to worker processes: the paths and the index (see Index.__getstate__),
        # not the caches.
        state = dict(self.__dict__)
        state["_hash_cache"] = {}
        state["_paths"] = {}
        state["_spaths"] = {}
        state["_params_memo"] = None
        state["_stat_memo"] = None
        state["_content_memo"] = None
        return state

    # -- stats -------------------------------------------------------------------
    def memoize_stats(self, on: bool) -> None:
        """Remember file stats until turned off: only for a process that holds the lock
        and is told (:meth:`record`) of every file other processes write meanwhile."""
        self._stat_memo = {} if on else None
        self._content_memo = {} if on else None

    @property
    def memoizing(self) -> bool:
        """Whether stats are being remembered (see :meth:`memoize_stats`)."""
        return self._stat_memo is not None

    def _stat(self, path) -> FileStat | None:
        """Stat of an artifact file, or None when it does not exist."""
        memo = self._stat_memo
        key = str(path)
        if memo is not None and key in memo:
            return memo[key]
        stat = self.files.stat(path)
        if memo is not None:
            memo[key] = stat
        return stat

    def _forget_stat(self, path: Path) -> None:
        if self._stat_memo is not None:
            self._stat_memo.pop(str(path), None)
            self._content_memo.pop(str(path), None)

    # -- paths -----------------------------------------------------------------
    def path(self, ref: ArtifactRef) -> Path:
        """The file of an artifact."""
        path = self._paths.get(ref)
        if path is None:
            # One path parse, not three (thousands per run).
            if ref.kind in MODEL_KINDS:
                path = type(self.models_dir)(f"{self.models_dir}/{ref.key}/{ref.kind}.json")
            else:
                path = type(self.output_dir)(f"{self.output_dir}/{ref.kind}/{ref.key}.json")
            self._paths[ref] = path
        return path

    def _spath(self, ref: ArtifactRef) -> str:
        """An artifact's file as a string (built once per artifact; no Path object)."""
        spath = self._spaths.get(ref)
        if spath is None:
            if ref.kind in MODEL_KINDS:
                spath = f"{self.models_dir}/{ref.key}/{ref.kind}.json"
            else:
                spath = f"{self.output_dir}/{ref.kind}/{ref.key}.json"
            self._spaths[ref] = spath
        return spath

    def _root(self, ref: ArtifactRef) -> Path:
        return self.models_dir if ref.kind in MODEL_KINDS else self.output_dir

    def exists(self, ref: ArtifactRef) -> bool:
        return self._stat(self._spath(ref)) is not None

    def where(self, path) -> str:
        """A path of the store as the user gave it (a URL for a URL)."""
        return self.files.display(path)

    def keys(self, kind: str) -> list[str]:
        """Keys of the artifacts of one kind present on disk, sorted."""
        if kind in MODEL_KINDS:
            return sorted(p.parent.name for p in self.files.glob(self.models_dir, f"*/{kind}.json"))
        return [name[:-5] for name in self.files.names(self.output_dir / kind, ".json")]

    def size(self, ref: ArtifactRef) -> int:
        """An artifact file's size in bytes (0 if missing)."""
        stat = self._stat(self.path(ref))
        return stat.size if stat is not None else 0

    # -- hashing ---------------------------------------------------------------
    def file_sha256(self, path: Path) -> str:
        """sha256 of the bytes of a file outside the store (a corpus document), cached on
        (path, mtime, size).

        The cache is kept across runs (``<output>/.file-hashes``), so a warm run does
        not read the corpus again.
        """
        stat = LOCAL.stat(path)
        if stat is None:
            raise FileNotFoundError(path)
        key = (str(path), stat.mtime_ns, stat.size)
        digest = self._hash_cache.get(key)
        if digest is not None:
            return digest
        digest = self.index.file_hash(key[0], stat)
        if digest is None:
            digest = sha256_bytes(Path(path).read_bytes())
            self.index.set_file_hash(key[0], stat, digest)
        self._hash_cache[key] = digest
        return digest

    def sha256(self, ref: ArtifactRef) -> str:
        """sha256 of an artifact file's bytes, header included."""
        entry = self._trusted_entry(ref)
        if entry is not None:
            return entry.sha
        return self._read_bytes(ref)[1]

    def content_sha256(self, ref: ArtifactRef) -> str:
        """sha256 of an artifact's payload (see :func:`pipeline.store.format.payload_sha256`):
        what steps that read it record in their headers."""
        memo = self._content_memo
        if memo is not None:
            spath = self._spath(ref)
            content = memo.get(spath)
            if content is None:
                content = memo[spath] = self._content_sha256(ref)
            return content
        return self._content_sha256(ref)

    def _content_sha256(self, ref: ArtifactRef) -> str:
        entry = self._trusted_entry(ref)
        if entry is not None and entry.content:
            return entry.content
        data, sha = self._read_bytes(ref)
        content = payload_sha256(data)
        self.index.set_content(self._root(ref), ref.name, sha, content)
        return content

    def _trusted_entry(self, ref: ArtifactRef, stat=None) -> Entry | None:
        """The index entry of an artifact when the file on disk is the one it describes."""
        return self.index.trusted(self._root(ref), ref.name, stat, lambda: self._stat(self._spath(ref)),
                                  lambda stat: self._file_digest(ref, stat))

    def _file_digest(self, ref: ArtifactRef, stat: FileStat) -> str:
        """sha256 of an artifact file's bytes now (its stat given), hashed once per stat."""
        path = self.path(ref)
        key = (str(path), stat.mtime_ns, stat.size)
        digest = self._hash_cache.get(key)
        if digest is None:
            digest = sha256_bytes(self.files.read(path)[0])
            self._hash_cache[key] = digest
        return digest

    def _read_bytes(self, ref: ArtifactRef) -> tuple[bytes, str]:
        """An artifact's bytes and their sha256 (one read; the hash is cached by stat)."""
        path = self.path(ref)
        try:
            data, stat = self.files.read(path)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ArtifactError(f"{self.where(path)}: missing; run the '{ref.kind}' stage first") from None
        key = (str(path), stat.mtime_ns, stat.size)
        digest = self._hash_cache.get(key)
        if digest is None:
            entry = self._trusted_entry(ref, stat)
            digest = entry.sha if entry is not None else sha256_bytes(data)
            self._hash_cache[key] = digest
        return data, digest

    # -- the index of validated artifacts (see pipeline.store.index) -------------
    def is_known(self, ref: ArtifactRef, sha: str) -> bool:
        """Whether bytes with this sha256 were validated as this artifact."""
        return self.index.is_known(self._root(ref), ref.name, sha)

    def known(self, names: dict[str, str]) -> dict[str, str]:
        """The subset of ``{name: sha256}`` whose bytes are known valid (for worker stores)."""
        return self.index.known(names)

    def trust(self, ref_names: dict[str, str]) -> None:
        """Record ``{name: sha256}`` pairs validated elsewhere (by the process that sent them)."""
        self.index.trust(ref_names)

    def remember(self, ref: ArtifactRef, sha: str | None, stat=None, content: str = "",
                 fp: str = "") -> None:
        """Record (or, with ``None``, forget) the valid sha256 of an artifact."""
        root = self._root(ref)
        if sha is None:
            self.index.forget(root, ref.name)
            return
        if stat is None:
            stat = self._stat(self.path(ref))
        self.index.remember(root, ref.name, sha, stat, content, fp)

    def record(self, ref: ArtifactRef, entry: Entry) -> None:
        """Record an artifact another process wrote (and validated): its index entry
        (:meth:`entry`, sent back by the worker that wrote it)."""
        self.generations[ref.kind] = self.generations.get(ref.kind, 0) + 1
        self._forget_stat(self._spath(ref))
        self._hash_cache[(self._spath(ref), entry.mtime_ns, entry.size)] = entry.sha
        self.index.record(self._root(ref), ref.name,
                          Entry(entry.sha, entry.mtime_ns, entry.size, entry.content, entry.fp))

    def entry(self, ref: ArtifactRef) -> Entry:
        """What the index holds of an artifact just written: sha256, stat, payload sha256
        and fingerprint (a worker sends it to the process that keeps the index)."""
        return self.index.entries(self._root(ref))[ref.name]

    def save_index(self) -> None:
        """Write what changed in the index files (see :meth:`pipeline.store.index.Index.save`)."""
        self.index.save()

    # -- reading -----------------------------------------------------------------
    def load(self, kind: str, key: str) -> dict:
        """An artifact (header and payload), validated unless its bytes are known valid.

        The way to read an artifact from outside the store: unlike reading its file,
        it validates it and works on a URL.

        Parameters
        ----------
        kind : str
            The artifact kind (``separate``, ``topic_model``, ...).
        key : str
            A document id or a language.

        Raises
        ------
        ArtifactError
            One line naming the file (a URL for a URL) and the fix, when the kind is
            unknown or the artifact is missing, truncated, hand-edited or of another
            schema version.
        """
        if kind not in SCHEMA_VERSIONS:
            raise ArtifactError(f"{kind!r}: not an artifact kind (one of {', '.join(sorted(SCHEMA_VERSIONS))})")
        ref = ArtifactRef(kind, key)
        return self._load(ref, self.where(self.path(ref)))[0]

    def load_with_sha(self, ref: ArtifactRef) -> tuple[dict, str]:
        """An artifact and the sha256 of its file's bytes; validated unless those bytes are
        known valid."""
        return self._load(ref, str(self.path(ref)))

    def read(self, ref: ArtifactRef) -> dict:
        """Load and validate an artifact; :class:`ArtifactError` names the file and the fix."""
        return self.load_with_sha(ref)[0]

    def _load(self, ref: ArtifactRef, where: str) -> tuple[dict, str]:
        data, sha = self._read_bytes(ref)
        obj = self._parse(data, where)
        if self.is_known(ref, sha) and is_current(ref.kind, obj.get("header")):
            return obj, sha
        try:
            validate(ref.kind, obj, where=where)
        except (KeyError, TypeError):
            raise ArtifactError(f"{where}: not a valid '{ref.kind}' artifact; "
                                "delete it or re-run the stage to rebuild it") from None
        self.remember(ref, sha, content=payload_sha256(data), fp=header_fingerprint(obj["header"]) or "")
        return obj, sha

    @staticmethod
    def _parse(data: bytes, where: str) -> dict:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:  # also raised for bytes that are not UTF-8
            raise ArtifactError(
                f"{where}: truncated or not JSON ({exc.__class__.__name__}); "
                "delete it or re-run the stage to rebuild it"
            ) from None

    def read_header(self, ref: ArtifactRef) -> tuple[dict, dict | None, str]:
        """An artifact's header, cheaply when its bytes are known valid.

        Returns
        -------
        header : dict
        artifact : dict or None
            The whole artifact when it had to be parsed anyway (or lists side files).
        sha : str
        """
        data, sha = self._read_bytes(ref)
        if self.is_known(ref, sha):
            header = header_only(data)
            if is_current(ref.kind, header) and b'\n"files": ' not in data:
                entry = self.index.entries(self._root(ref))[ref.name]
                fp = header_fingerprint(header) or ""
                if entry.fp != fp or not entry.content or entry.size < 0:
                    # An entry from an older index: completed, so the next run opens nothing.
                    self.remember(ref, sha, content=payload_sha256(data), fp=fp)
                return header, None, sha
            obj = self._parse(data, str(self.path(ref)))
            if is_current(ref.kind, obj.get("header")):
                return obj["header"], obj, sha
        obj = self._parse(data, str(self.path(ref)))
        try:
            validate(ref.kind, obj, where=str(self.path(ref)))
        except (KeyError, TypeError):
            raise ArtifactError(f"{self.path(ref)}: not a valid '{ref.kind}' artifact") from None
        self.remember(ref, sha, content=payload_sha256(data), fp=header_fingerprint(obj["header"]) or "")
        return obj["header"], obj, sha

    def read_fields(self, ref: ArtifactRef, fields: tuple[str, ...]) -> dict:
        """An artifact's header and some of its top-level fields, parsed only as far as needed.

        Fields are read in file order and reading stops once all are found (see
        :func:`pipeline.store.format.top_level_fields`). A file not known valid is
        loaded and validated in full.
        """
        data, sha = self._read_bytes(ref)
        end = header_end(data)
        if end < 0 or not self.is_known(ref, sha):
            obj = self.load_with_sha(ref)[0]
            return {k: obj[k] for k in ("header", *fields) if k in obj}
        header = header_only(data)
        if not is_current(ref.kind, header):
            obj = self.load_with_sha(ref)[0]
            return {k: obj[k] for k in ("header", *fields) if k in obj}
        found = top_level_fields(data, end, fields)
        if found is None:
            obj = self.load_with_sha(ref)[0]  # not laid out as dumps writes: parse it whole
            return {k: obj[k] for k in ("header", *fields) if k in obj}
        return {"header": header, **found}

    # -- writing -----------------------------------------------------------------
    def header(self, ref: ArtifactRef, stage: str, inputs: dict[str, str], params: dict,
               document: str | None = None, language: str | None = None) -> dict:
        """The header every artifact carries."""
        return {
            "schema": ref.kind,
            "schema_version": SCHEMA_VERSIONS[ref.kind],
            "stage": stage,
            "document": document,
            "language": language,
            "pipeline_version": __version__,
            "inputs": dict(sorted(inputs.items())),
            "params_hash": params_hash(params),
        }

    def encode(self, ref: ArtifactRef, obj: dict) -> bytes:
        """Validate and serialise; an invalid artifact is a bug and raises :class:`ArtifactError`."""
        validate(ref.kind, obj, where=f"{ref.name} (about to be written)")
        return dumps(obj)

    def put(self, ref: ArtifactRef, data: bytes, header: dict | None = None, content: str = "") -> str:
        """Write bytes made by :meth:`encode` atomically; returns their sha256. ``header``
        and ``content``: the header those bytes hold and their payload's sha256, when the
        caller has them (else they are parsed back and hashed)."""
        self.generations[ref.kind] = self.generations.get(ref.kind, 0) + 1
        path = self.path(ref)
        self.files.write(path, data, fsync=self.fsync)
        sha = sha256_bytes(data)
        self._forget_stat(path)
        stat = self._stat(path)
        self._hash_cache[(str(path), stat.mtime_ns, stat.size)] = sha
        if header is None:
            header = header_only(data) or {}
        self.remember(ref, sha, stat, content or payload_sha256(data), header_fingerprint(header) or "")
        return sha

    def write(self, ref: ArtifactRef, obj: dict) -> Path:
        """Validate, then write atomically. An invalid artifact is a bug: it is never written."""
        self.put(ref, self.encode(ref, obj))
        return self.path(ref)

    def rewrite_header(self, ref: ArtifactRef, header: dict) -> str:
        """Give a known-valid artifact a new header and keep its payload's bytes (see
        :data:`pipeline.stage.KEEP`); returns the new file's sha256."""
        data, sha = self._read_bytes(ref)
        end = header_end(data)
        if end < 0 or not self.is_known(ref, sha):
            # Not laid out as dumps writes (an older layout) or not known valid: load,
            # validate and write it again whole.
            obj = self.load_with_sha(ref)[0]
            return self.put(ref, self.encode(ref, {"header": header, **{k: v for k, v in obj.items()
                                                                      if k != "header"}}))
        validate_header = fast_check("header")
        if validate_header is not None and not validate_header(header):
            raise ArtifactError(f"{ref.name}: invalid header (about to be written)")
        # The payload's bytes are the old file's: so is their hash (megabytes for a model).
        content = self.index.known_content(self._root(ref), ref.name, sha)
        return self.put(ref, with_header(data, end, header), header, content)

    def delete(self, ref: ArtifactRef) -> bool:
        self.generations[ref.kind] = self.generations.get(ref.kind, 0) + 1
        path = self.path(ref)
        self._forget_stat(path)
        self.remember(ref, None)
        return self.files.delete(path)

    # -- side files of the output folder (the report's pages) ----------------------
    def write_file(self, name: str, data: bytes | Iterable[bytes]) -> str:
        """Write a side file of the output folder (a report page), given whole or as
        chunks written as they come (atomically either way); its sha256."""
        path = self.output_dir / name
        if isinstance(data, (bytes, bytearray, memoryview)):
            self.files.write(path, data, fsync=self.fsync)
            sha = sha256_bytes(data)
        else:
            sha = self.files.write_chunks(path, data, fsync=self.fsync)
        self._forget_stat(path)
        return sha

    def read_file(self, name: str) -> bytes:
        """The bytes of a side file of the output folder (raises :class:`OSError`, such as
        :class:`FileNotFoundError`, when it cannot be read)."""
        return self.files.read(self.output_dir / name)[0]

    def file_path(self, name: str) -> str:
        """Where a side file of the output folder is, for messages (a URL for a URL)."""
        return self.where(self.output_dir / name)

    # -- freshness ---------------------------------------------------------------
    def _params_hash(self, params: dict) -> str:
        # A warm run asks once per artifact with the same dict: hash it once.
        memo = self._params_memo
        if memo is None or memo[0] is not params or memo[1] != params:
            memo = self._params_memo = (params, dict(params), params_hash(params))
        return memo[2]

    def is_fresh(self, ref: ArtifactRef, inputs: dict[str, str], params: dict) -> tuple[bool, str]:
        """Whether the artifact on disk was built from exactly these inputs and parameters.

        Decided from the index when the file is the one recorded there (no file is
        opened); otherwise from its header, and a file whose bytes are not known valid
        is parsed and validated in full (a truncated or hand-edited artifact is stale).

        Returns
        -------
        fresh : bool
        reason : str
            Why it is stale ("missing", "input changed: ingest/003", ...), empty if fresh.
        """
        stat = self._stat(self._spath(ref))
        if stat is None:
            return False, "missing"
        if ref.kind not in _SIDE_FILE_KINDS:
            entry = self._trusted_entry(ref, stat)
            if entry is not None and entry.fp and entry.fp == fingerprint(
                    inputs, self._params_hash(params), __version__, SCHEMA_VERSIONS.get(ref.kind, -1)):
                return True, ""
        try:
            header, obj, _ = self.read_header(ref)
        except ArtifactError as exc:
            return False, f"invalid ({exc})"
        if header["pipeline_version"] != __version__:
            return False, f"built by pipeline {header['pipeline_version']}"
        if header["params_hash"] != self._params_hash(params):
            return False, "parameters changed"
        old = header["inputs"]
        changed = sorted(set(old) ^ set(inputs) | {k for k in inputs if old.get(k) != inputs[k]})
        if changed:
            more = f" (+{len(changed) - 1} more)" if len(changed) > 1 else ""
            return False, f"input changed: {changed[0]}{more}"
        # Side files an artifact lists (the report's pages) must still be there, unchanged.
        for name, sha in ((obj or {}).get("files") or {}).items():
            side = self.output_dir / name
            if self.files.stat(side) is None or (
                    sha is not None and sha256_bytes(self.files.read(side)[0]) != sha):
                return False, f"file changed or missing: {name}"
        return True, ""

    # -- the folder as a whole ----------------------------------------------------
    @contextlib.contextmanager
    def lock(self, on_wait=None):
        """Hold the output folder's lock: one run or add at a time per output folder.

        The lock is an ``flock`` on ``<output>/.lock``, which the kernel releases when
        its process dies, so a killed run never leaves a stale lock behind. (An output
        URL has no lock: see :mod:`pipeline.store.files`.)

        Parameters
        ----------
        on_wait : callable, optional
            Called once with a message when another process holds the lock and this
            one starts waiting for it.
        """
        with self.files.lock(self.output_dir, on_wait):
            yield

    def remove_stray_temporaries(self) -> int:
        """Delete temporary files left by an interrupted write; returns how many."""
        return sum(self.files.remove_temporaries(root) for root in (self.output_dir, self.models_dir))
