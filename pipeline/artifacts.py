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
import fcntl
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from . import __version__
from .errors import ArtifactError

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
    """Serialise an artifact the one way the project does: UTF-8, stable, readable."""
    return (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the permissions of a normal file.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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


@lru_cache(maxsize=None)
def _registry() -> Registry:
    resources = []
    for schema_file in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        resources.append((schema_file.name, Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def validator(kind: str) -> jsonschema.protocols.Validator:
    """The JSON Schema validator of an artifact kind (schemas ship in ``pipeline/schemas``)."""
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


_HEADER_START = b'{\n "header": {'


def _header_only(data: bytes) -> dict | None:
    """The header of an artifact written by :func:`dumps`, parsed without the payload.

    ``dumps`` writes the header first with one space of indent, so the header ends
    at the first line that is exactly `` }`` (a JSON string cannot hold a raw line
    break). None when the bytes are not laid out that way.
    """
    if not data.startswith(_HEADER_START):
        return None
    end = data.find(b"\n }", len(_HEADER_START))
    if end < 0:
        return None
    try:
        header = json.loads(data[len(_HEADER_START) - 1:end + 3].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return header if isinstance(header, dict) else None


def _current(ref: "ArtifactRef", header) -> bool:
    # A known-valid file still needs the schema version this pipeline reads.
    return (isinstance(header, dict) and header.get("schema") == ref.kind
            and header.get("schema_version") == SCHEMA_VERSIONS.get(ref.kind))


@dataclass(frozen=True)
class ArtifactRef:
    """Where one artifact lives: its kind and its key (a document id or a language)."""

    kind: str
    key: str

    @property
    def name(self) -> str:
        """The logical name recorded in headers, e.g. ``ingest/003`` or ``models/id/topic_model``."""
        if self.kind in MODEL_KINDS:
            return f"models/{self.key}/{self.kind}"
        return f"{self.kind}/{self.key}"


INDEX_NAME = ".artifact-index"


class ArtifactStore:
    """Reads and writes the artifacts of one output folder and one models folder.

    Every artifact written (validated first) or read and validated is recorded in a
    small index per folder (``<folder>/.artifact-index``: one ``name sha256`` line per
    artifact, sorted, so it is as reproducible as the artifacts). A file whose bytes
    still have the recorded sha256 is the file that was validated, so freshness is
    decided from its header alone and reading it for a step skips the schema check;
    a truncated or hand-edited file no longer has that sha256 and is parsed and
    validated in full. The index is only a cache: lost or damaged, it is rebuilt.

    Parameters
    ----------
    output_dir : path
        Folder of the per-document and per-language artifacts.
    models_dir : path
        Folder of the fitted models, one subfolder per language.
    fsync : bool
        Flush every artifact to the disk before renaming it into place (see
        :func:`atomic_write_bytes`; off by default: artifacts are rebuildable).
    """

    def __init__(self, output_dir: str | os.PathLike, models_dir: str | os.PathLike,
                 fsync: bool = False):
        self.output_dir = Path(output_dir)
        self.models_dir = Path(models_dir)
        self.fsync = fsync
        # (path, mtime_ns, size) -> sha256: a file is hashed once per run.
        self._hash_cache: dict[tuple[str, int, int], str] = {}
        # Per folder: artifact name -> sha256 of the bytes known to be valid.
        self._index: dict[Path, dict[str, str]] = {}
        self._index_dirty: set[Path] = set()
        self._paths: dict[ArtifactRef, Path] = {}
        self._params_memo: tuple | None = None

    def __getstate__(self):
        # Sent to worker processes: the paths and the index, not the hash cache.
        state = dict(self.__dict__)
        state["_hash_cache"] = {}
        state["_index_dirty"] = set()
        state["_paths"] = {}
        state["_params_memo"] = None
        return state

    # -- paths -----------------------------------------------------------------
    def path(self, ref: ArtifactRef) -> Path:
        """The file of an artifact."""
        path = self._paths.get(ref)
        if path is None:
            if ref.kind in MODEL_KINDS:
                path = self.models_dir / ref.key / f"{ref.kind}.json"
            else:
                path = self.output_dir / ref.kind / f"{ref.key}.json"
            self._paths[ref] = path
        return path

    def _params_hash(self, params: dict) -> str:
        # A warm run asks once per artifact with the same dict: hash it once.
        memo = self._params_memo
        if memo is None or memo[0] is not params or memo[1] != params:
            memo = self._params_memo = (params, dict(params), params_hash(params))
        return memo[2]

    def exists(self, ref: ArtifactRef) -> bool:
        return self.path(ref).is_file()

    def keys(self, kind: str) -> list[str]:
        """Keys of the artifacts of one kind present on disk, sorted."""
        if kind in MODEL_KINDS:
            return sorted(p.parent.name for p in self.models_dir.glob(f"*/{kind}.json"))
        folder = self.output_dir / kind
        return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []

    # -- hashing ---------------------------------------------------------------
    def file_sha256(self, path: Path) -> str:
        """sha256 of a file's bytes, cached on (path, mtime, size) for the life of the store."""
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        digest = self._hash_cache.get(key)
        if digest is None:
            digest = sha256_bytes(path.read_bytes())
            self._hash_cache[key] = digest
        return digest

    def sha256(self, ref: ArtifactRef) -> str:
        return self.file_sha256(self.path(ref))

    def _read_bytes(self, ref: ArtifactRef) -> tuple[bytes, str]:
        """An artifact's bytes and their sha256 (one read; the hash is cached by stat)."""
        path = self.path(ref)
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                data = handle.read()
        except FileNotFoundError:
            raise ArtifactError(f"{path}: missing; run the '{ref.kind}' stage first") from None
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        digest = self._hash_cache.get(key)
        if digest is None:
            digest = sha256_bytes(data)
            self._hash_cache[key] = digest
        return data, digest

    # -- the index of validated artifacts --------------------------------------
    def _root(self, ref: ArtifactRef) -> Path:
        return self.models_dir if ref.kind in MODEL_KINDS else self.output_dir

    def _index_of(self, root: Path) -> dict[str, str]:
        index = self._index.get(root)
        if index is None:
            index = {}
            try:
                lines = (root / INDEX_NAME).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
            for line in lines:
                name, _, digest = line.rpartition(" ")
                if name and len(digest) == 64:
                    index[name] = digest
            self._index[root] = index
        return index

    def is_known(self, ref: ArtifactRef, sha: str) -> bool:
        """Whether bytes with this sha256 were validated as this artifact."""
        return self._index_of(self._root(ref)).get(ref.name) == sha

    def known(self, names: dict[str, str]) -> dict[str, str]:
        """The subset of ``{name: sha256}`` whose bytes are known valid (for worker stores)."""
        out = {}
        for root in (self.output_dir, self.models_dir):
            index = self._index_of(root)
            out.update({n: s for n, s in names.items() if index.get(n) == s})
        return out

    def trust(self, ref_names: dict[str, str]) -> None:
        """Record ``{name: sha256}`` pairs validated elsewhere (by the process that sent them)."""
        for name, sha in ref_names.items():
            root = self.models_dir if name.startswith("models/") else self.output_dir
            self._index_of(root)[name] = sha

    def remember(self, ref: ArtifactRef, sha: str | None) -> None:
        """Record (or, with ``None``, forget) the valid sha256 of an artifact."""
        root = self._root(ref)
        index = self._index_of(root)
        if sha is None:
            if index.pop(ref.name, None) is not None:
                self._index_dirty.add(root)
        elif index.get(ref.name) != sha:
            index[ref.name] = sha
            self._index_dirty.add(root)

    def record(self, ref: ArtifactRef, sha: str, mtime_ns: int, size: int) -> None:
        """Record an artifact another process wrote (and validated): its sha256 and stat."""
        self._hash_cache[(str(self.path(ref)), mtime_ns, size)] = sha
        self.remember(ref, sha)

    def save_index(self) -> None:
        """Write the index files that changed (atomically; sorted, so reproducible)."""
        for root in sorted(self._index_dirty):
            index = self._index.get(root, {})
            if not root.is_dir():
                continue
            data = "".join(f"{name} {index[name]}\n" for name in sorted(index)).encode("utf-8")
            atomic_write_bytes(root / INDEX_NAME, data, fsync=False)
        self._index_dirty.clear()

    # -- reading and writing ---------------------------------------------------
    def _parse(self, ref: ArtifactRef, data: bytes) -> dict:
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
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
        self.remember(ref, sha)
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
            if _current(ref, header) and b'\n "files": ' not in data:
                return header, None, sha
            obj = self._parse(ref, data)
            if _current(ref, obj.get("header")):
                return obj["header"], obj, sha
        obj = self._parse(ref, data)
        try:
            validate(ref.kind, obj, where=str(self.path(ref)))
        except (KeyError, TypeError):
            raise ArtifactError(f"{self.path(ref)}: not a valid '{ref.kind}' artifact") from None
        self.remember(ref, sha)
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

    def put(self, ref: ArtifactRef, data: bytes) -> str:
        """Write bytes made by :meth:`encode` atomically; returns their sha256."""
        path = self.path(ref)
        atomic_write_bytes(path, data, fsync=self.fsync)
        sha = sha256_bytes(data)
        stat = path.stat()
        self._hash_cache[(str(path), stat.st_mtime_ns, stat.st_size)] = sha
        self.remember(ref, sha)
        return sha

    def write(self, ref: ArtifactRef, obj: dict) -> Path:
        """Validate, then write atomically. An invalid artifact is a bug: it is never written."""
        self.put(ref, self.encode(ref, obj))
        return self.path(ref)

    def delete(self, ref: ArtifactRef) -> bool:
        path = self.path(ref)
        self.remember(ref, None)
        try:
            path.unlink()
            return True
        except FileNotFoundError:
            return False

    def is_fresh(self, ref: ArtifactRef, inputs: dict[str, str], params: dict) -> tuple[bool, str]:
        """Whether the artifact on disk was built from exactly these inputs and parameters.

        Reads only the header when the file's bytes are those recorded in the index;
        otherwise the whole file is parsed and validated (a truncated or hand-edited
        artifact is stale).

        Returns
        -------
        fresh : bool
        reason : str
            Why it is stale ("missing", "input changed: ingest/003", ...), empty if fresh.
        """
        if not self.exists(ref):
            return False, "missing"
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
            if not side.is_file() or (sha is not None and self.file_sha256(side) != sha):
                return False, f"file changed or missing: {name}"
        return True, ""

    @contextlib.contextmanager
    def lock(self, on_wait=None):
        """Hold the output folder's lock: one run or add at a time per output folder.

        The lock is an ``flock`` on ``<output>/.lock``, which the kernel releases when
        its process dies, so a killed run never leaves a stale lock behind.

        Parameters
        ----------
        on_wait : callable, optional
            Called once with a message when another process holds the lock and this
            one starts waiting for it.
        """
        self.output_dir.mkdir(parents=True, exist_ok=True)
        with open(self.output_dir / ".lock", "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait(f"{self.output_dir}: another run is using this output folder; waiting for it to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def remove_stray_temporaries(self) -> int:
        """Delete temporary files left by an interrupted write; returns how many."""
        count = 0
        for root in (self.output_dir, self.models_dir):
            if root.is_dir():
                for tmp in root.rglob(".*.tmp"):
                    tmp.unlink(missing_ok=True)
                    count += 1
        return count

