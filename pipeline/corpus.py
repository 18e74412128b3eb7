"""The corpus folder: which documents there are, their ids, and adding new ones.

A document is one file in the corpus folder (``.txt`` or ``.md``); its id is the
file name without the extension (``003_f5f628d705a61f74``), so ids are stable and
readers outside the project can find a document's artifacts by its file name.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .artifacts import atomic_write_bytes
from .errors import PipelineError

DOCUMENT_SUFFIXES = (".txt", ".md")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class Document:
    """One corpus document: its id and its file."""

    doc_id: str
    path: Path


def slugify(name: str) -> str:
    """A safe document id from a file name: ASCII letters, digits, ``.``, ``_`` and ``-``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")
    return text[:128] or "document"


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
        """Every document, sorted by id."""
        if not self.root.is_dir():
            raise PipelineError(
                f"{self.root}: corpus folder not found; pass an existing folder with --corpus"
            )
        docs: dict[str, Document] = {}
        for path in sorted(self.root.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.suffix.lower() not in DOCUMENT_SUFFIXES:
                continue
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
            docs[doc_id] = Document(doc_id, path)
        return [docs[k] for k in sorted(docs)]

    def add_file(self, source: Path) -> tuple[str, str]:
        """Copy one file into the corpus.

        Returns
        -------
        doc_id : str
        status : str
            ``"added"`` or ``"duplicate of <id>"`` (same bytes already in the corpus; not copied).
        """
        source = Path(source)
        if source.suffix.lower() not in DOCUMENT_SUFFIXES:
            raise PipelineError(
                f"{source}: unsupported file type '{source.suffix}'; "
                f"add {' or '.join(DOCUMENT_SUFFIXES)} files"
            )
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        existing = self.documents() if self.root.is_dir() else []
        for doc in existing:
            if hashlib.sha256(doc.path.read_bytes()).hexdigest() == digest:
                return doc.doc_id, f"duplicate of {doc.doc_id}"
        doc_id = slugify(source.stem)
        if any(d.doc_id == doc_id for d in existing):
            raise PipelineError(
                f"{source}: a different document with id '{doc_id}' is already in the corpus; "
                "rename the file before adding it"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / f"{doc_id}{source.suffix.lower()}"
        # resolve() guards against ids that would leave the corpus folder.
        if target.resolve().parent != self.root.resolve():
            raise PipelineError(f"{source}: refusing to write outside the corpus folder")
        atomic_write_bytes(target, data)
        shutil.copystat(source, target)
        return doc_id, "added"
