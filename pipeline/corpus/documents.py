"""The corpus folder: which documents there are, their ids, adding and removing them.

A document is one text file in the corpus folder (``.txt`` or ``.md``, UTF-8 or
UTF-16/32 with a byte-order mark); its id is the file name without the extension
(``003_f5f628d705a61f74``), so ids are stable and readers outside the project can
find a document's artifacts by its file name. Beside it may lie its metadata
sidecar ``<id>.meta.json`` (:mod:`pipeline.corpus.sidecars`).

Adding (:meth:`Corpus.add`) stores every input (:mod:`pipeline.corpus.importers`)
as a UTF-8 text file, refusing exact duplicates and reporting near-duplicates
(:mod:`pipeline.corpus.duplicates`), which are kept only when asked.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import PipelineError
from ..store import atomic_write_bytes
from ..text.encoding import decode_text
from .duplicates import DuplicateIndex, guess_title, load_signatures, save_signatures
from .importers import DOCUMENT_SUFFIXES, AddResult, NewDocument, read_file
from .sidecars import METADATA_SUFFIX, format_metadata, parse_metadata

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
# Device names Windows refuses as file names, whatever the extension.
_RESERVED_IDS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class Document:
    """One corpus document: its id and its file."""

    doc_id: str
    path: Path
    #: Whether a metadata sidecar was beside it when the corpus was listed (None: not known).
    has_metadata: bool | None = None


def slugify(name: str) -> str:
    """A safe document id from a file name: ASCII letters, digits, ``.``, ``_`` and ``-``.

    Accents are dropped (``Tiongkok–ASEAN é`` -> ``Tiongkok_ASEAN_e``), path
    separators and ``..`` cannot survive, and a name with no ASCII letter or digit
    at all gets ``doc-`` and a short hash of the name, so it stays stable.
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text)
    text = re.sub(r"\.{2,}", ".", text).strip("._-")[:128].strip("._-")
    if not text:
        return "doc-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    if text.split(".")[0].lower() in _RESERVED_IDS:
        text = f"doc-{text}"
    return text


class Corpus:
    """A folder of input documents.

    Parameters
    ----------
    root : path
        The corpus folder.
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def documents(self) -> list[Document]:
        """Every document, sorted by id (metadata sidecars and hidden files are not documents)."""
        if not self.root.is_dir():
            raise PipelineError(
                f"{self.root}: corpus folder not found; pass an existing folder with --corpus"
            )
        docs: dict[str, Document] = {}
        # Names are sorted as strings (sorting thousands of Path objects is slow).
        with os.scandir(self.root) as entries:
            listed = [e.name for e in entries if not e.name.startswith(".") and e.is_file()]
        # The sidecars are known from the same listing: no stat per document for them.
        sidecars = {name for name in listed if name.endswith(METADATA_SUFFIX)}
        names = sorted(name for name in listed if name not in sidecars
                       and os.path.splitext(name)[1].lower() in DOCUMENT_SUFFIXES)
        for name in names:
            path = self.root / name
            doc_id = path.stem
            if doc_id in docs:
                raise PipelineError(
                    f"{path}: two corpus files share the id '{doc_id}' "
                    f"({docs[doc_id].path.name}); rename one of them"
                )
            if not _ID_RE.match(doc_id):
                raise PipelineError(
                    f"{path}: '{doc_id}' is not a usable document id; rename the file to "
                    f"'{slugify(doc_id)}{path.suffix}'"
                )
            docs[doc_id] = Document(doc_id, path, f"{doc_id}{METADATA_SUFFIX}" in sidecars)
        return [docs[k] for k in sorted(docs)]

    def document(self, doc_id: str) -> Document:
        """One document by id.

        Raises
        ------
        PipelineError
            For an unknown id, naming some known ones.
        """
        documents = self.documents()
        for doc in documents:
            if doc.doc_id == doc_id:
                return doc
        ids = [d.doc_id for d in documents]
        raise PipelineError(f"unknown document '{doc_id}'; known ids: {', '.join(ids[:10])}"
                            + (" ..." if len(ids) > 10 else ""))

    def metadata_path(self, doc_id: str) -> Path:
        """Where the metadata sidecar of ``doc_id`` is (whether or not it exists)."""
        return self.root / f"{doc_id}{METADATA_SUFFIX}"

    def metadata(self, doc_id: str) -> dict:
        """The given metadata of a document: its sidecar without ``format``; ``{}`` when it has none.

        Raises
        ------
        PipelineError
            When the sidecar exists but is not a valid version-1 sidecar.
        """
        path = self.metadata_path(doc_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return {}
        return parse_metadata(raw, str(path))

    # -- adding ------------------------------------------------------------------------
    def _stamp(self, doc: Document) -> str:
        # What says a cached signature is still the file's: its and its sidecar's stat.
        stat = doc.path.stat()
        try:
            side = self.metadata_path(doc.doc_id).stat()
            side_stamp = f"{side.st_mtime_ns}:{side.st_size}"
        except FileNotFoundError:
            side_stamp = "-"
        return f"{stat.st_mtime_ns}:{stat.st_size}:{side_stamp}"

    def _index(self, documents: list[Document]) -> tuple[DuplicateIndex, dict]:
        """The duplicate index of the corpus, from the kept signatures of unchanged files.

        Returns the index and the signatures to keep: ``{"rows", "hashes"}`` of the kept
        ones and ``{"new": {doc_id: (stamp, key, title, hashes)}}`` of those computed now.
        """
        import numpy as np

        index = DuplicateIndex()
        meta, flat = load_signatures(self.root)
        starts = np.concatenate([[0], np.cumsum([int(row[4]) for row in meta])]).astype(np.int64)
        cached = {row[0]: (i, row) for i, row in enumerate(meta)}
        keep_rows, keep_slices, new = [], [], {}
        for doc in documents:
            try:
                stamp = self._stamp(doc)
            except OSError:
                continue
            hit = cached.get(doc.doc_id)
            if hit is not None and hit[1][1] == stamp:
                keep_rows.append(hit[1])
                keep_slices.append((starts[hit[0]], starts[hit[0] + 1]))
                continue
            try:
                text, _, _ = decode_text(doc.path.read_bytes(), doc.path.name)
                given = self.metadata(doc.doc_id) if self.metadata_path(doc.doc_id).exists() else {}
            except (OSError, PipelineError):
                continue
            new[doc.doc_id] = (stamp, *DuplicateIndex.signature(text, given.get("title") or guess_title(text)))
        kept_hashes = (np.concatenate([flat[a:b] for a, b in keep_slices]) if keep_slices
                       else np.zeros(0, dtype=np.int64))
        index.add_bulk([r[0] for r in keep_rows], [r[2] for r in keep_rows], [r[3] for r in keep_rows],
                       [int(r[4]) for r in keep_rows], kept_hashes)
        for doc_id, (_, key, title, hashes) in new.items():
            index.add_signature(doc_id, key, title, hashes)
        return index, {"rows": keep_rows, "hashes": kept_hashes, "new": new}

    def _keep_signatures(self, signatures: dict) -> None:
        import numpy as np

        rows = list(signatures["rows"])
        parts = [signatures["hashes"]]
        for doc_id, (stamp, key, title, hashes) in sorted(signatures["new"].items()):
            rows.append([doc_id, stamp, key, title, len(hashes)])
            parts.append(np.asarray(hashes, dtype=np.int64))
        save_signatures(self.root, rows, np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64))

    def add(self, items: Iterable[NewDocument | AddResult], allow_duplicates: bool = False,
            progress: Callable[[AddResult], None] | None = None) -> list[AddResult]:
        """Add documents to the corpus.

        Parameters
        ----------
        items : iterable of NewDocument or AddResult
            What :func:`read_file` yields (an AddResult there is an unreadable record, passed on).
        allow_duplicates : bool
            Add near-duplicates too (exact duplicates are always skipped).
        progress : callable, optional
            Called with each result as soon as it is known.

        Returns
        -------
        list of AddResult
            One per item, in order.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        documents = self.documents()
        taken = {d.doc_id.lower() for d in documents}
        index, signatures = self._index(documents)
        results = []
        try:
            for item in items:
                result = (item if isinstance(item, AddResult)
                          else self._add_one(item, allow_duplicates, taken, index, signatures))
                results.append(result)
                if progress:
                    progress(result)
        finally:
            added = [r for r in results if r.added]
            if len(added) > 32:
                os.sync()  # one flush of everything beats thousands of fsyncs
            else:
                for path in [p for r in added for p in self.root.glob(f"{r.doc_id}.*")]:
                    with open(path, "rb") as handle:
                        os.fsync(handle.fileno())
            if added:
                _fsync_dir(self.root)
            # The index is only a cache: if this fails, the next add rebuilds it.
            try:
                self._keep_signatures(signatures)
            except OSError:
                pass
        return results

    def _add_one(self, doc: NewDocument, allow_duplicates: bool, taken: set[str],
                 index: DuplicateIndex, signatures: dict) -> AddResult:
        title = doc.metadata.get("title") or guess_title(doc.text)
        match = index.match(doc.text, title)
        if match and (match.kind == "duplicate" or not allow_duplicates):
            return AddResult(doc.source, "duplicate" if match.kind == "duplicate" else "near-duplicate",
                             match=match, warnings=doc.warnings)
        doc_id = slugify(doc.id_wish)
        note = ""
        # Ids are compared case-insensitively: on case-insensitive file systems
        # 'Abc.txt' would overwrite 'abc.txt'.
        if doc_id.lower() in taken:
            if doc.id_given:
                return AddResult(doc.source, "clash", message=(
                    f"id '{doc_id}' belongs to a different document already in the corpus; remove it first "
                    f"(python run_pipeline.py remove {doc_id}) to replace it"), warnings=doc.warnings)
            base, n = doc_id[:120], 2
            while f"{base}-{n}".lower() in taken:
                n += 1
            doc_id, note = f"{base}-{n}", f"the id '{doc_id}' was taken"
        target = self.root / f"{doc_id}{doc.suffix}"
        sidecar = self.metadata_path(doc_id)
        root = self.root.resolve()
        # resolve() guards against any id that would leave the corpus folder.
        if target.resolve().parent != root or sidecar.resolve().parent != root:
            return AddResult(doc.source, "error", message="refusing to write outside the corpus folder")
        if target.exists():  # a file the listing does not count (e.g. another suffix): never overwrite
            return AddResult(doc.source, "clash", message=f"{target} exists; rename the input")
        # The sidecar first: a document never exists without its metadata. One
        # os.sync() at the end of add() makes them durable: an fsync per file costs
        # 2-5 ms each, most of a bulk add's time.
        atomic_write_bytes(sidecar, format_metadata(doc.metadata), fsync=False)
        atomic_write_bytes(target, doc.original if doc.original is not None else doc.text.encode("utf-8"),
                           fsync=False)
        taken.add(doc_id.lower())
        signature = DuplicateIndex.signature(doc.text, title)
        index.add_signature(doc_id, *signature)
        signatures["new"][doc_id] = (self._stamp(Document(doc_id, target)), *signature)
        if match:
            return AddResult(doc.source, "near-duplicate", doc_id, match=match, added=True, warnings=doc.warnings)
        return AddResult(doc.source, "added", doc_id, message=note, added=True, warnings=doc.warnings)

    def add_file(self, source: Path, allow_duplicates: bool = False) -> tuple[str, str]:
        """Copy one text file into the corpus (the simple case of :meth:`add`).

        Returns
        -------
        doc_id : str
        status : str
            ``"added"``, ``"duplicate of <id>"`` or ``"near-duplicate of <id> ..."``
            (not copied).

        Raises
        ------
        PipelineError
            For an unreadable file or an unsupported type.
        """
        source = Path(source)
        items = list(read_file(source))
        if len(items) != 1:
            raise PipelineError(f"{source}: holds {len(items)} records; use Corpus.add(read_file(...))")
        result = self.add(items, allow_duplicates)[0]
        if result.added:
            if source.suffix.lower() in DOCUMENT_SUFFIXES and result.doc_id:
                shutil.copystat(source, self.root / f"{result.doc_id}{source.suffix.lower()}")
            return result.doc_id, "added"
        if result.match:
            return result.match.doc_id, result.match.describe()
        raise PipelineError(result.describe())

    # -- removing ----------------------------------------------------------------------
    def remove(self, doc_id: str) -> list[Path]:
        """Delete a document and its metadata sidecar; return the files deleted.

        Its artifacts are deleted by the next run (:meth:`pipeline.run.Pipeline.prune`).

        Raises
        ------
        PipelineError
            For an unknown id.
        """
        doc = self.document(doc_id)
        removed = []
        for path in (doc.path, self.metadata_path(doc.doc_id)):
            try:
                path.unlink()
                removed.append(path)
            except FileNotFoundError:
                pass
        return removed


def _fsync_dir(folder: Path) -> None:
    # The renames that put new files in place are durable once the folder is flushed.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

