"""The only code that touches the output and models folders.

Every artifact is one JSON file with a ``header`` (schema name and version, stage,
document or language, pipeline version, sha256 of every input read, hash of the
parameters used) beside its payload. Artifacts are validated against the JSON
Schema of their kind before they are written, and written atomically (temporary
file in the same folder, rename). A file is validated again on read only when its
bytes are not those recorded in the folder's index (``.artifact-index``), i.e.
when it was truncated, edited by hand or written by something else.

Layout::

    <output>/<stage>/<doc_id>.json      per-document artifacts (ingest, separate, ...)
    <output>/<stage>/<lang>.json        per-language artifacts (corpus_keywords, topics)
    <models>/<lang>/<kind>.json         fitted models (keyphrase_model, topic_model)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import orjson

from . import __version__
from .errors import ArtifactError, PipelineError
from .storage import LOCAL, FileStat, files_for

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

# Bumped whenever the layout of an artifact kind changes: an artifact written with
# another version is never misread, it is rebuilt.
SCHEMA_VERSIONS = {
    "ingest": 3,
    "separate": 1,
    "normalize": 2,
    "keyphrase_model": 2,
    "keywords": 2,
    "corpus_keywords": 1,
    "topic_model": 1,
    "topics": 1,
    "report": 1,
    "report_section": 1,
}

# Kinds stored under the models folder rather than the output folder.
MODEL_KINDS = frozenset({"keyphrase_model", "topic_model"})


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
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
    read without parsing the payload (see :func:`_header_only`), and the payload's
    bytes, which are what readers record (:func:`content_sha256`), do not depend on it.
    """
    return b"{" + b",\n".join(b"%s: %s" % (_encode(key), _encode(value)) for key, value in obj.items()) + b"}\n"


def _encode(value: Any) -> bytes:
    # orjson: compact UTF-8 like json.dumps(ensure_ascii=False, separators=(",", ":")),
    # ten times faster; keys that are not strings become strings as json.dumps makes them.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def atomic_write_bytes(path: Path, data: bytes, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The temporary file lives in the destination folder so that the final
    ``os.replace`` is a rename on one file system.

    Parameters
    ----------
    path : Path
    data : bytes
    fsync : bool
        Flush the bytes to the disk before the rename. Needed for files that cannot
        be rebuilt (corpus documents); derived artifacts skip it (a few ms each, the
        largest cost of writing them) because a file torn by a power cut fails its
        sha256 or JSON check on the next run and is rebuilt.
    """
    atomic_write_chunks(path, (data,), fsync=fsync, digest=False)


_WRITE_BLOCK = 1 << 20


def atomic_write_chunks(path: Path, chunks: Iterable[bytes], fsync: bool = True,
                        digest: bool = True) -> str | None:
    """As :func:`atomic_write_bytes`, for bytes given in pieces, each written as it comes
    (a 100 MB report page is never held whole); returns their sha256 (with ``digest``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    hasher = hashlib.sha256() if digest else None
    try:
        # mkstemp makes the file private (0600); give it the permissions of a normal file.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            # Pages come as tens of thousands of small pieces: joined into blocks of
            # about a megabyte, each written and hashed with one call.
            block, size = [], 0
            for chunk in chunks:
                block.append(chunk)
                size += len(chunk)
                if size >= _WRITE_BLOCK:
                    data = b"".join(block)
                    handle.write(data)
                    if hasher is not None:
                        hasher.update(data)
                    block, size = [], 0
            if block:
                data = b"".join(block)
                handle.write(data)
                if hasher is not None:
                    hasher.update(data)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return hasher.hexdigest() if hasher is not None else None


# jsonschema is imported when first needed: a warm run, which validates nothing, does
# not pay for it.
@lru_cache(maxsize=None)
def _registry():
    from referencing import Registry, Resource

    resources = []
    for schema_file in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        resources.append((schema_file.name, Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def validator(kind: str):
    """The JSON Schema validator of an artifact kind (schemas ship in ``pipeline/schemas``)."""
    import jsonschema

    schema_file = SCHEMA_DIR / f"{kind}.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=_registry())


# -- a fast check for the JSON Schema subset the artifact schemas use -------------
# jsonschema walks an artifact node by node through generic machinery (about 8 ms for
# a normalize artifact, more than tokenising it); the checks below are compiled once
# into plain closures. They are conservative: True only when every keyword holds
# with the same meaning as in jsonschema; anything else (an unknown keyword, a
# value of doubtful type) answers False, and jsonschema then decides and explains.

class _Unsupported(Exception):
    pass


_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "default", "examples"})
_TYPE_CHECKS = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in (int, float),
}
_SCALARS = (str, int, float, bool, type(None))


def _is_number(value) -> bool:
    return type(value) in (int, float)


def _compile(schema, schema_file: str):
    """A function ``check(value) -> bool`` for one (sub)schema; raises _Unsupported."""
    if schema is True:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, dict):
        raise _Unsupported(repr(schema))
    checks = []
    for keyword, arg in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if keyword == "type":
            names = [arg] if isinstance(arg, str) else list(arg)
            if any(n not in _TYPE_CHECKS for n in names):
                raise _Unsupported(f"type {arg}")
            tests = tuple(_TYPE_CHECKS[n] for n in names)
            checks.append(lambda v, tests=tests: any(t(v) for t in tests))
        elif keyword == "enum" or keyword == "const":
            values = list(arg) if keyword == "enum" else [arg]
            if not all(isinstance(x, _SCALARS) for x in values):
                raise _Unsupported(keyword)
            # jsonschema tells 1 from True: compare types as well as values.
            allowed = tuple((type(x), x) for x in values)
            checks.append(lambda v, allowed=allowed: any(type(v) is t and v == x for t, x in allowed))
        elif keyword == "required":
            names = tuple(arg)
            checks.append(lambda v, names=names: type(v) is not dict or all(n in v for n in names))
        elif keyword == "properties":
            props = tuple((name, _compile(sub, schema_file)) for name, sub in arg.items())

            def check_props(v, props=props):
                if type(v) is not dict:
                    return True
                for name, check in props:
                    if name in v and not check(v[name]):
                        return False
                return True
            checks.append(check_props)
        elif keyword == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported(keyword)
            known = frozenset(schema.get("properties", {}))
            extra = _compile(arg, schema_file)

            def check_extra(v, known=known, extra=extra):
                if type(v) is not dict:
                    return True
                return all(extra(x) for k, x in v.items() if k not in known)
            checks.append(check_extra)
        elif keyword == "items":
            item = _compile(arg, schema_file)
            skip = len(schema.get("prefixItems", ()))
            checks.append(lambda v, item=item, skip=skip:
                          type(v) is not list or all(item(x) for x in (v[skip:] if skip else v)))
        elif keyword == "prefixItems":
            firsts = tuple(_compile(sub, schema_file) for sub in arg)
            checks.append(lambda v, firsts=firsts:
                          type(v) is not list or all(c(x) for c, x in zip(firsts, v)))
        elif keyword in ("minItems", "maxItems"):
            bound = int(arg)
            if keyword == "minItems":
                checks.append(lambda v, b=bound: type(v) is not list or len(v) >= b)
            else:
                checks.append(lambda v, b=bound: type(v) is not list or len(v) <= b)
        elif keyword in ("minimum", "maximum"):
            bound = arg
            if keyword == "minimum":
                checks.append(lambda v, b=bound: not _is_number(v) or v >= b)
            else:
                checks.append(lambda v, b=bound: not _is_number(v) or v <= b)
        elif keyword == "pattern":
            regex = re.compile(arg)
            checks.append(lambda v, r=regex: type(v) is not str or r.search(v) is not None)
        elif keyword == "allOf":
            subs = tuple(_compile(sub, schema_file) for sub in arg)
            checks.append(lambda v, subs=subs: all(c(v) for c in subs))
        elif keyword == "oneOf":
            # Exactly one must hold; a conservative check of the others cannot prove
            # they fail, so this is left to jsonschema.
            reference = {**schema, "$id": schema_file}
            import jsonschema

            exact = jsonschema.validators.validator_for(reference)(
                {"oneOf": arg}, registry=_registry())
            checks.append(exact.is_valid)
        elif keyword == "$ref":
            if not isinstance(arg, str) or "#" in arg:
                raise _Unsupported(f"$ref {arg}")
            target = _compile_file(arg)
            checks.append(lambda v, target=target: target(v))
        else:
            raise _Unsupported(keyword)
    checks = tuple(checks)
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)


@lru_cache(maxsize=None)
def _compile_file(schema_file: str):
    schema = json.loads((SCHEMA_DIR / schema_file).read_text(encoding="utf-8"))
    return _compile(schema, schema_file)


@lru_cache(maxsize=None)
def fast_check(kind: str):
    """A fast ``check(obj) -> bool`` for an artifact kind, or None when its schema uses
    keywords outside the supported subset (then only jsonschema validates it)."""
    try:
        return _compile_file(f"{kind}.schema.json")
    except _Unsupported:
        return None


def validate(kind: str, obj: Any, where: str = "artifact") -> None:
    """Raise :class:`ArtifactError` unless ``obj`` is a valid artifact of ``kind``."""
    check = fast_check(kind)
    if check is None or not check(obj):
        errors = sorted(validator(kind).iter_errors(obj), key=lambda e: list(e.absolute_path))
        if errors:
            first = errors[0]
            at = "/".join(str(p) for p in first.absolute_path) or "(top)"
            raise ArtifactError(
                f"{where}: not a valid '{kind}' artifact ({first.message[:160]} at {at}); "
                "delete it or re-run the stage to rebuild it"
            )
    header = obj["header"]
    expected = SCHEMA_VERSIONS[kind]
    if header["schema_version"] != expected:
        raise ArtifactError(
            f"{where}: written with schema version {header['schema_version']} of '{kind}', "
            f"this pipeline reads version {expected}; re-run the stage to rebuild it"
        )


_HEADER_START = b'{"header": {'


def _header_end(data: bytes) -> int:
    """Offset just past an artifact's header (``dumps`` layout), or -1.

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


def _header_only(data: bytes) -> dict | None:
    """The header of an artifact written by :func:`dumps`, parsed without the payload.

    None when the bytes are not laid out that way.
    """
    end = _header_end(data)
    if end < 0:
        return None
    try:
        header = orjson.loads(data[len(_HEADER_START) - 1:end])
    except orjson.JSONDecodeError:  # also raised for bytes that are not UTF-8
        return None
    return header if isinstance(header, dict) else None


def content_sha256(data: bytes) -> str:
    """sha256 of an artifact's payload: its bytes after the header.

    Steps record this, not the file's sha256, as the hash of what they read, so an
    artifact rebuilt with a new header (new provenance) but the same payload leaves
    what was built from it fresh: a keyword model reused after a document is added
    does not make every document's keywords stale.
    """
    end = _header_end(data)
    return sha256_bytes(data[end:] if end >= 0 else data)


def fingerprint(inputs: dict[str, str], params_digest: str, version: str, schema_version: int) -> str:
    """A short digest of what decides an artifact's freshness (see :meth:`ArtifactStore.is_fresh`)."""
    # Names are artifact or corpus file names and values hex digests: a tab and a line
    # break cannot be confused with either.
    canonical = "\n".join([f"{params_digest}\t{version}\t{schema_version}",
                            *(f"{name}\t{digest}" for name, digest in sorted(inputs.items()))])
    return sha256_bytes(canonical.encode("utf-8", "surrogatepass"))[:32]


def _header_fingerprint(header: dict) -> str | None:
    try:
        return fingerprint(header["inputs"], header["params_hash"], header["pipeline_version"],
                           header["schema_version"])
    except (KeyError, TypeError, AttributeError):
        return None


def _current(ref: "ArtifactRef", header) -> bool:
    # A known-valid file still needs the schema version this pipeline reads.
    return (isinstance(header, dict) and header.get("schema") == ref.kind
            and header.get("schema_version") == SCHEMA_VERSIONS.get(ref.kind))


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


INDEX_NAME = ".artifact-index"
FILE_HASHES_NAME = ".file-hashes"
# A file changed within this long before its index was saved may have changed again
# within the file system's timestamp granularity: its stat is not trusted ("racy").
_RACY_NS = 100_000_000
# Kinds whose freshness also depends on side files they list (the report's pages).
_SIDE_FILE_KINDS = frozenset({"report"})


@dataclass(slots=True)  # one per artifact: 100k+ of them at scale, in every process
class _Entry:
    """What the index knows of one artifact: the sha256 of its validated bytes, the stat
    of the file that had them, its payload's sha256 and its freshness fingerprint."""

    sha: str
    mtime_ns: int = 0
    size: int = -1
    content: str = ""
    fp: str = ""

    def line(self, name: str) -> str:
        return f"{name} {self.sha} {self.mtime_ns} {self.size} {self.content or '-'} {self.fp or '-'}\n"


class ArtifactStore:
    """Reads and writes the artifacts of one output folder and one models folder.

    Every artifact written (validated first) or read and validated is recorded in a
    small index per folder (``<folder>/.artifact-index``, one line per artifact,
    sorted): the sha256 of the bytes that were validated, the file's modification
    time and size, the sha256 of its payload (what steps built from it record) and a
    fingerprint of its header (inputs, parameters, versions). A file whose stat still
    matches is the file that was validated: freshness is decided from the index alone,
    with no file opened, which keeps a warm run over thousands of documents fast;
    reading it for a step skips the schema check. A truncated or hand-edited file no
    longer matches and is parsed and validated in full. The index is only a cache:
    lost or damaged, it is rebuilt.

    Parameters
    ----------
    output_dir : path or URL
        Folder of the per-document and per-language artifacts: a local path, or a URL
        fsspec opens (``s3://bucket/out``, ``memory://out``; see :mod:`pipeline.storage`).
    models_dir : path or URL
        Folder of the fitted models, one subfolder per language (on the same kind of
        file system as ``output_dir``).
    fsync : bool
        Flush every artifact to the disk before renaming it into place (see
        :func:`atomic_write_bytes`; off by default: artifacts are rebuildable).
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
        # (path, mtime_ns, size) -> sha256: a file is hashed once per run.
        self._hash_cache: dict[tuple[str, int, int], str] = {}
        # Per folder: artifact name -> what is known of its validated bytes.
        self._index: dict[Path, dict[str, _Entry]] = {}
        self._index_saved_ns: dict[Path, int] = {}
        # Per folder: names whose entry changed since the index was read or saved.
        self._index_dirty: dict[Path, set[str]] = {}
        # Hashes of files outside the folders (corpus documents), kept across runs.
        self._file_hashes: dict[str, tuple[int, int, str]] | None = None
        self._file_hashes_saved_ns = 0
        self._file_hashes_dirty: set[str] = set()
        # Journal file -> (its stat, its lines) when read or last written by this store.
        self._journals: dict[str, tuple[FileStat, int]] = {}
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

    def memoize_stats(self, on: bool) -> None:
        """Remember file stats until turned off: only for a process that holds the lock
        and is told (:meth:`record`) of every file other processes write meanwhile."""
        self._stat_memo = {} if on else None
        self._content_memo = {} if on else None

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

    @property
    def memoizing(self) -> bool:
        """Whether stats are being remembered (see :meth:`memoize_stats`)."""
        return self._stat_memo is not None

    def _forget_stat(self, path: Path) -> None:
        if self._stat_memo is not None:
            self._stat_memo.pop(str(path), None)
            self._content_memo.pop(str(path), None)

    def __getstate__(self):
        # Sent to worker processes: the paths and the index, not the hash cache.
        state = dict(self.__dict__)
        state["_hash_cache"] = {}
        state["_index_dirty"] = {}
        state["_file_hashes"] = None
        state["_file_hashes_dirty"] = set()
        state["_journals"] = {}
        state["_paths"] = {}
        state["_spaths"] = {}
        state["_params_memo"] = None
        state["_stat_memo"] = None
        state["_content_memo"] = None
        return state

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

    def _params_hash(self, params: dict) -> str:
        # A warm run asks once per artifact with the same dict: hash it once.
        memo = self._params_memo
        if memo is None or memo[0] is not params or memo[1] != params:
            memo = self._params_memo = (params, dict(params), params_hash(params))
        return memo[2]

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

    # -- hashing ---------------------------------------------------------------
    def _load_file_hashes(self) -> dict[str, tuple[int, int, str]]:
        if self._file_hashes is None:
            self._file_hashes = {}
            path = self.output_dir / FILE_HASHES_NAME
            try:
                raw, stat = self.files.read(path)
            except OSError:
                return self._file_hashes
            self._file_hashes_saved_ns = stat.mtime_ns
            # One JSON array a line, [path, mtime_ns, size, sha256]; later lines win (the
            # file is a journal, see save_index). A line that does not parse (torn by a
            # kill while it was appended) is skipped: the file is then hashed again.
            lines = raw.split(b"\n")
            for line in lines:
                try:
                    name, mtime, size, digest = orjson.loads(line)
                    if isinstance(name, str) and isinstance(digest, str) and len(digest) == 64:
                        self._file_hashes[name] = (int(mtime), int(size), digest)
                except (ValueError, TypeError):
                    continue
            self._note_journal(path, stat, raw, len(lines))
        return self._file_hashes

    def file_sha256(self, path: Path) -> str:
        """sha256 of a file's bytes (a corpus document), cached on (path, mtime, size).

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
        known = self._load_file_hashes().get(key[0])
        if (known is not None and known[:2] == key[1:]
                and stat.mtime_ns + _RACY_NS < self._file_hashes_saved_ns):
            digest = known[2]
        else:
            digest = sha256_bytes(Path(path).read_bytes())
            self._file_hashes[key[0]] = (stat.mtime_ns, stat.size, digest)
            self._file_hashes_dirty.add(key[0])
        self._hash_cache[key] = digest
        return digest

    def _trusted_entry(self, ref: ArtifactRef, stat=None) -> _Entry | None:
        """The index entry of an artifact when the file on disk is the one it describes."""
        root = self.models_dir if ref.kind in MODEL_KINDS else self.output_dir
        index = self._index.get(root)
        if index is None:
            index = self._index_of(root)
        entry = index.get(ref.name)
        if entry is None or entry.size < 0:
            return None
        if stat is None:
            stat = self._stat(self._spath(ref))
            if stat is None:
                return None
        if stat.mtime_ns != entry.mtime_ns or stat.size != entry.size:
            return None
        if stat.mtime_ns + _RACY_NS >= self._index_saved_ns.get(root, 0):
            # Written just before the index was saved: confirm by hashing once, then
            # re-save the index so the next run trusts it.
            path = self.path(ref)
            key = (str(path), stat.mtime_ns, stat.size)
            digest = self._hash_cache.get(key)
            if digest is None:
                digest = sha256_bytes(self.files.read(path)[0])
                self._hash_cache[key] = digest
            if digest != entry.sha:
                return None
            self._index_dirty.setdefault(root, set()).add(ref.name)
        return entry

    def sha256(self, ref: ArtifactRef) -> str:
        """sha256 of an artifact file's bytes."""
        entry = self._trusted_entry(ref)
        if entry is not None:
            return entry.sha
        return self._read_bytes(ref)[1]

    def content_sha256(self, ref: ArtifactRef) -> str:
        """sha256 of an artifact's payload (see :func:`content_sha256`): what steps that
        read it record in their headers."""
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
        content = content_sha256(data)
        entry = self._index_of(self._root(ref)).get(ref.name)
        if entry is not None and entry.sha == sha and entry.content != content:
            entry.content = content
            self._index_dirty.setdefault(self._root(ref), set()).add(ref.name)
        return content

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

    # -- the index of validated artifacts --------------------------------------
    def _root(self, ref: ArtifactRef) -> Path:
        return self.models_dir if ref.kind in MODEL_KINDS else self.output_dir

    def _index_of(self, root: Path) -> dict[str, _Entry]:
        index = self._index.get(root)
        if index is None:
            index = {}
            path = root / INDEX_NAME
            try:
                raw, stat = self.files.read(path)
                self._index_saved_ns[root] = stat.mtime_ns
                lines = raw.decode("utf-8").split("\n")
                self._note_journal(path, stat, raw, len(lines))
            except (OSError, UnicodeDecodeError):
                lines = []
            # One line an artifact; later lines win and "<name> -" forgets one (the file
            # is a journal, see save_index). A line torn by a kill while it was appended
            # has too few fields or a short hash: skipped or untrusted, never wrong.
            for line in lines:
                fields = line.split(" ")
                if len(fields) == 2 and fields[1] == "-":
                    index.pop(fields[0], None)
                    continue
                if len(fields) < 2 or len(fields[1]) != 64:
                    continue
                entry = _Entry(fields[1])
                if len(fields) == 6:
                    try:
                        entry.mtime_ns, entry.size = int(fields[2]), int(fields[3])
                    except ValueError:
                        pass
                    entry.content = fields[4] if len(fields[4]) == 64 else ""
                    entry.fp = fields[5] if len(fields[5]) == 32 else ""
                index[fields[0]] = entry
            self._index[root] = index
        return index

    def is_known(self, ref: ArtifactRef, sha: str) -> bool:
        """Whether bytes with this sha256 were validated as this artifact."""
        entry = self._index_of(self._root(ref)).get(ref.name)
        return entry is not None and entry.sha == sha

    def known(self, names: dict[str, str]) -> dict[str, str]:
        """The subset of ``{name: sha256}`` whose bytes are known valid (for worker stores)."""
        out = {}
        for root in (self.output_dir, self.models_dir):
            index = self._index_of(root)
            for name, sha in names.items():
                entry = index.get(name)
                if entry is not None and entry.sha == sha:
                    out[name] = sha
        return out

    def trust(self, ref_names: dict[str, str]) -> None:
        """Record ``{name: sha256}`` pairs validated elsewhere (by the process that sent them)."""
        for name, sha in ref_names.items():
            root = self.models_dir if name.startswith("models/") else self.output_dir
            index = self._index_of(root)
            entry = index.get(name)
            if entry is None or entry.sha != sha:
                index[name] = _Entry(sha)

    def remember(self, ref: ArtifactRef, sha: str | None, stat=None, content: str = "",
                 fp: str = "") -> None:
        """Record (or, with ``None``, forget) the valid sha256 of an artifact."""
        root = self._root(ref)
        index = self._index_of(root)
        if sha is None:
            if index.pop(ref.name, None) is not None:
                self._index_dirty.setdefault(root, set()).add(ref.name)
            return
        entry = index.get(ref.name)
        if stat is None:
            stat = self._stat(self.path(ref))
        mtime_ns, size = (stat.mtime_ns, stat.size) if stat is not None else (0, -1)
        if entry is not None and entry.sha == sha:
            content = content or entry.content
            fp = fp or entry.fp
        new = _Entry(sha, mtime_ns, size, content, fp)
        if entry != new:
            index[ref.name] = new
            self._index_dirty.setdefault(root, set()).add(ref.name)

    def record(self, ref: ArtifactRef, sha: str, mtime_ns: int, size: int, content: str = "",
               fp: str = "") -> None:
        """Record an artifact another process wrote (and validated): its sha256 and stat."""
        self.generations[ref.kind] = self.generations.get(ref.kind, 0) + 1
        self._forget_stat(self._spath(ref))
        self._hash_cache[(self._spath(ref), mtime_ns, size)] = sha
        root = self._root(ref)
        new = _Entry(sha, mtime_ns, size, content, fp)
        if self._index_of(root).get(ref.name) != new:
            self._index_of(root)[ref.name] = new
            self._index_dirty.setdefault(root, set()).add(ref.name)

    def save_index(self) -> None:
        """Write what changed in the index files.

        Both files are journals: the lines of the entries that changed are appended
        (an add changes a few of the tens of thousands), and the file is written whole
        again, sorted and atomically, once the appended lines outnumber the entries,
        or when it is not the file this store read.
        """
        for root in sorted(self._index_dirty):
            index = self._index.get(root, {})
            names = self._index_dirty[root]
            if not self.files.is_dir(root):
                continue
            lines = (index[name].line(name) if name in index else f"{name} -\n" for name in sorted(names))
            if not self._append_journal(root / INDEX_NAME, "".join(lines).encode("utf-8"), len(names),
                                        len(index)):
                data = "".join(index[name].line(name) for name in sorted(index)).encode("utf-8")
                self._write_journal(root / INDEX_NAME, data, len(index))
            self._index_saved_ns[root] = self._journals[str(root / INDEX_NAME)][0].mtime_ns
        self._index_dirty.clear()
        if self._file_hashes_dirty and self.files.is_dir(self.output_dir):
            path = self.output_dir / FILE_HASHES_NAME

            def lines(names):
                return "".join(json.dumps([name, *self._file_hashes[name]], ensure_ascii=False) + "\n"
                               for name in sorted(names)).encode("utf-8")

            if not self._append_journal(path, lines(self._file_hashes_dirty), len(self._file_hashes_dirty),
                                        len(self._file_hashes)):
                self._write_journal(path, lines(self._file_hashes), len(self._file_hashes))
            self._file_hashes_saved_ns = self._journals[str(path)][0].mtime_ns
            self._file_hashes_dirty = set()

    def _note_journal(self, path, stat: FileStat, raw: bytes, n_lines: int) -> None:
        # A file that does not end a line (torn, or not ours) is never appended to.
        self._journals[str(path)] = (stat, n_lines if raw.endswith(b"\n") or not raw else -1)

    def _append_journal(self, path, data: bytes, n_new: int, n_entries: int) -> bool:
        known = self._journals.get(str(path))
        if known is None or known[1] < 0 or known[1] + n_new > 2 * n_entries + 64:
            return False
        stat = self.files.append(path, data, known[0])
        if stat is None:
            return False
        self._journals[str(path)] = (stat, known[1] + n_new)
        return True

    def _write_journal(self, path, data: bytes, n_lines: int) -> None:
        self.files.write(path, data)
        self._journals[str(path)] = (self.files.stat(path) or FileStat(0, 0), n_lines)

    # -- reading and writing ---------------------------------------------------
    def _parse(self, ref: ArtifactRef, data: bytes) -> dict:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:  # also raised for bytes that are not UTF-8
            raise ArtifactError(
                f"{self.path(ref)}: truncated or not JSON ({exc.__class__.__name__}); "
                "delete it or re-run the stage to rebuild it"
            ) from None

    def load(self, ref: ArtifactRef) -> tuple[dict, str]:
        """An artifact and the sha256 of its bytes; validated unless those bytes are known valid."""
        data, sha = self._read_bytes(ref)
        obj = self._parse(ref, data)
        if self.is_known(ref, sha) and _current(ref, obj.get("header")):
            return obj, sha
        try:
            validate(ref.kind, obj, where=str(self.path(ref)))
        except (KeyError, TypeError):
            raise ArtifactError(f"{self.path(ref)}: not a valid '{ref.kind}' artifact; "
                                "delete it or re-run the stage to rebuild it") from None
        self.remember(ref, sha, content=content_sha256(data), fp=_header_fingerprint(obj["header"]) or "")
        return obj, sha

    def read(self, ref: ArtifactRef) -> dict:
        """Load and validate an artifact; :class:`ArtifactError` names the file and the fix."""
        return self.load(ref)[0]

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
            header = _header_only(data)
            if _current(ref, header) and b'\n"files": ' not in data:
                entry = self._index_of(self._root(ref))[ref.name]
                fp = _header_fingerprint(header) or ""
                if entry.fp != fp or not entry.content or entry.size < 0:
                    # An entry from an older index: completed, so the next run opens nothing.
                    self.remember(ref, sha, content=content_sha256(data), fp=fp)
                return header, None, sha
            obj = self._parse(ref, data)
            if _current(ref, obj.get("header")):
                return obj["header"], obj, sha
        obj = self._parse(ref, data)
        try:
            validate(ref.kind, obj, where=str(self.path(ref)))
        except (KeyError, TypeError):
            raise ArtifactError(f"{self.path(ref)}: not a valid '{ref.kind}' artifact") from None
        self.remember(ref, sha, content=content_sha256(data), fp=_header_fingerprint(obj["header"]) or "")
        return obj["header"], obj, sha

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
            header = _header_only(data) or {}
        self.remember(ref, sha, stat, content or content_sha256(data), _header_fingerprint(header) or "")
        return sha

    def rewrite_header(self, ref: ArtifactRef, header: dict) -> str:
        """Give a known-valid artifact a new header and keep its payload's bytes (see
        :data:`pipeline.stage.KEEP`); returns the new file's sha256."""
        data, sha = self._read_bytes(ref)
        end = _header_end(data)
        if end < 0 or not self.is_known(ref, sha):
            # Not laid out as dumps writes (an older layout) or not known valid: load,
            # validate and write it again whole.
            obj = self.load(ref)[0]
            return self.put(ref, self.encode(ref, {"header": header, **{k: v for k, v in obj.items()
                                                                      if k != "header"}}))
        validate_header = fast_check("header")
        if validate_header is not None and not validate_header(header):
            raise ArtifactError(f"{ref.name}: invalid header (about to be written)")
        head = dumps({"header": header})
        # The payload's bytes are the old file's: so is their hash (megabytes for a model).
        entry = self._index_of(self._root(ref)).get(ref.name)
        content = entry.content if entry is not None and entry.sha == sha else ""
        return self.put(ref, head[:len(head) - 2] + data[end:], header, content)

    def read_fields(self, ref: ArtifactRef, fields: tuple[str, ...]) -> dict:
        """An artifact's header and some of its top-level fields, parsed only as far as needed.

        Fields are read in file order and reading stops once all are found, so small
        fields written before a large one (a model's bookkeeping before its tables)
        cost little. A file not known valid is loaded and validated in full.
        """
        data, sha = self._read_bytes(ref)
        end = _header_end(data)
        if end < 0 or not self.is_known(ref, sha):
            obj = self.load(ref)[0]
            return {k: obj[k] for k in ("header", *fields) if k in obj}
        header = _header_only(data)
        if not _current(ref, header):
            obj = self.load(ref)[0]
            return {k: obj[k] for k in ("header", *fields) if k in obj}
        out = {"header": header}
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
                obj = self.load(ref)[0]  # not laid out as dumps writes: parse it whole
                return {k: obj[k] for k in ("header", *fields) if k in obj}
            key = orjson.loads(line[:colon + 1])
            if key in wanted:
                out[key] = orjson.loads(line[colon + 3:-1])
                wanted.discard(key)
            pos = stop - 1
        return out

    def entry(self, ref: ArtifactRef) -> tuple[str, int, int, str, str]:
        """What the index holds of an artifact just written: sha256, mtime, size, payload
        sha256 and fingerprint (sent by workers to the process that keeps the index)."""
        entry = self._index_of(self._root(ref))[ref.name]
        return entry.sha, entry.mtime_ns, entry.size, entry.content, entry.fp

    def write(self, ref: ArtifactRef, obj: dict) -> Path:
        """Validate, then write atomically. An invalid artifact is a bug: it is never written."""
        self.put(ref, self.encode(ref, obj))
        return self.path(ref)

    def delete(self, ref: ArtifactRef) -> bool:
        self.generations[ref.kind] = self.generations.get(ref.kind, 0) + 1
        path = self.path(ref)
        self._forget_stat(path)
        self.remember(ref, None)
        return self.files.delete(path)

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

    def file_path(self, name: str) -> str:
        """Where a side file of the output folder is, for messages (a URL for a URL)."""
        return self.where(self.output_dir / name)

    def size(self, ref: ArtifactRef) -> int:
        """An artifact file's size in bytes (0 if missing)."""
        stat = self._stat(self.path(ref))
        return stat.size if stat is not None else 0

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

    @contextlib.contextmanager
    def lock(self, on_wait=None):
        """Hold the output folder's lock: one run or add at a time per output folder.

        The lock is an ``flock`` on ``<output>/.lock``, which the kernel releases when
        its process dies, so a killed run never leaves a stale lock behind. (An output
        URL has no lock: see :mod:`pipeline.storage`.)

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
