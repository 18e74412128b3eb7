"""What can be added to the corpus: text, Markdown, PDF and bulk (JSON lines, CSV/TSV) files.

Every input becomes one or more :class:`NewDocument` (a UTF-8 text with its
given metadata), or an :class:`AddResult` of status ``"error"`` for a bulk record
that cannot be read. Text files are decoded by :func:`pipeline.text.encoding.decode_text`
(a guessed legacy encoding comes with a warning), PDFs by their text layer, and
bulk records are stored as ``title\\n\\ntext``, the layout ingest reads as title and body.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import PipelineError
from ..text.encoding import decode_text
from .duplicates import DuplicateMatch
from .sidecars import METADATA_FIELDS, METADATA_SUFFIX, clean_metadata

DOCUMENT_SUFFIXES = (".txt", ".md")
BULK_SUFFIXES = (".jsonl", ".csv", ".tsv")
REFERENCE_SUFFIXES = (".ris", ".bib")  # reference managers' exports: see .references
ADDABLE_SUFFIXES = (*DOCUMENT_SUFFIXES, ".pdf", *BULK_SUFFIXES, *REFERENCE_SUFFIXES)


@dataclass
class NewDocument:
    """One document to add: its text, where it came from, and what the user said about it.

    Attributes
    ----------
    source : str
        Where it came from, for messages (``a.pdf``, ``abstracts.jsonl line 5``).
    id_wish : str
        The id asked for before slugging (file stem, or the record's id field).
    text : str
        The document's text.
    suffix : str
        ``.txt`` or ``.md``: the corpus file's extension.
    metadata : dict
        Sidecar fields (``title``, ``authors``, ``year``, ``source``, ``imported_from``).
    id_given : bool
        The id came from an id field: a clash is refused, never renamed.
    original : bytes, optional
        Bytes to store verbatim (a UTF-8 text file), instead of the UTF-8 encoding of ``text``.
    warnings : list of str
    """

    source: str
    id_wish: str
    text: str
    suffix: str = ".txt"
    metadata: dict = field(default_factory=dict)
    id_given: bool = False
    original: bytes | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class AddResult:
    """What happened to one input.

    ``status``: ``"added"``, ``"duplicate"`` (same words as ``match``; skipped),
    ``"near-duplicate"`` (skipped, or added with ``allow_duplicates``, then
    ``added`` is true), ``"clash"`` (the given id belongs to another document)
    or ``"error"`` (unreadable input; ``message`` says why).
    """

    source: str
    status: str
    doc_id: str | None = None
    message: str = ""
    match: DuplicateMatch | None = None
    added: bool = False
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the user."""
        if self.status == "added":
            return f"{self.source}: added as {self.doc_id}" + (f" ({self.message})" if self.message else "")
        if self.status == "near-duplicate" and self.added:
            return f"{self.source}: added as {self.doc_id}, {self.match.describe()} (--allow-duplicates)"
        if self.status == "near-duplicate":
            return (f"{self.source}: skipped, {self.match.describe()}; "
                    "add it anyway with --allow-duplicates")
        if self.status == "duplicate":
            return f"{self.source}: skipped, {self.match.describe()}"
        return f"{self.source}: skipped, {self.message}"


@dataclass
class BulkFields:
    """Which fields of a bulk record (JSON lines / CSV) hold what."""

    text: str = "text"
    title: str | None = "title"
    id: str | None = "id"
    authors: str | None = "authors"
    year: str | None = "year"
    source: str | None = "source"


def _split_record_text(record_text: str, title: str | None) -> str:
    # Bulk records are stored as "title\n\ntext", the layout ingest reads as title + body.
    body = record_text.strip()
    return f"{title}\n\n{body}\n" if title else f"{body}\n"


def read_bulk(path: Path, data: bytes, fields: BulkFields, encoding: str = "auto",
              given: dict | None = None) -> Iterator[NewDocument | AddResult]:
    """The records of a JSON lines or CSV/TSV file as documents (or errors, one per bad record).

    Raises
    ------
    PipelineError
        When the file is unreadable or no record has the text field.
    """
    text, codec, warning = decode_text(data, path.name, encoding)
    fmt = path.suffix.lower().lstrip(".")
    records: list[tuple[int, dict | None, str]] = []
    if fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                records.append((number, None, f"not valid JSON ({exc.msg})"))
                continue
            records.append((number, obj, "") if isinstance(obj, dict) else (number, None, "not a JSON object"))
        unit = "line"
    else:
        csv.field_size_limit(1 << 30)
        delimiter = "\t" if fmt == "tsv" else ","
        if fmt == "csv":
            try:
                delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
            except csv.Error:
                pass
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for number, row in enumerate(reader, 2):
                records.append((number, {k: v for k, v in row.items() if k is not None}, ""))
        except csv.Error as exc:
            raise PipelineError(f"{path}: not a readable {fmt.upper()} file ({exc}); check the file") from None
        unit = "row"
    present = [r for _, r, _ in records if r]
    if present and not any(fields.text in r for r in present):
        names = sorted({k for r in present[:100] for k in r})
        raise PipelineError(f"{path}: the records have no '{fields.text}' field (they have "
                            f"{', '.join(names) or 'no fields'}); name the text field with --text-field")
    if not present:
        raise PipelineError(f"{path}: no records found; check the file")
    first = True
    for number, record, problem in records:
        where = f"{path.name} {unit} {number}"
        if record is None:
            yield AddResult(where, "error", message=problem)
            continue
        body = record.get(fields.text)
        if not isinstance(body, str) or not body.strip():
            yield AddResult(where, "error", message=f"no text in field '{fields.text}'")
            continue
        raw_meta = {name: record.get(getattr(fields, name)) for name in METADATA_FIELDS
                    if getattr(fields, name)}
        meta, notes = clean_metadata({**raw_meta, **{k: v for k, v in (given or {}).items() if v}}, where)
        rid = record.get(fields.id) if fields.id else None
        rid = str(rid).strip() if isinstance(rid, (str, int)) and str(rid).strip() else None
        title = meta.get("title")
        origin = {"file": path.name, "format": fmt, "record": number}
        if rid:
            origin["record_id"] = rid
        if codec not in ("utf-8", "utf-8-sig"):
            origin["encoding"] = codec
        meta["imported_from"] = origin
        wish = rid or (title[:80] if title else f"{path.stem}-{number}")
        doc = NewDocument(where, wish, _split_record_text(body, title), ".txt", meta, id_given=bool(rid),
                          warnings=notes)
        if first and warning:
            doc.warnings.insert(0, warning)
        first = False
        yield doc


def read_file(path: Path, encoding: str = "auto", given: dict | None = None,
              fields: BulkFields | None = None) -> Iterator[NewDocument | AddResult]:
    """The documents one input file holds: one for a text or PDF file, one per record of a bulk file.

    Raises
    ------
    PipelineError
        When the file cannot be read at all (a bad single document, an unknown type).
    """
    suffix = path.suffix.lower()
    if suffix not in ADDABLE_SUFFIXES:
        raise PipelineError(f"{path}: unsupported file type '{suffix}'; add "
                            f"{', '.join(ADDABLE_SUFFIXES)} files")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"{path}: cannot be read ({exc.strerror}); check the path") from None
    given = {k: v for k, v in (given or {}).items() if v}
    if suffix in BULK_SUFFIXES:
        yield from read_bulk(path, data, fields or BulkFields(), encoding, given)
        return
    if suffix in REFERENCE_SUFFIXES:
        from .references import read_references

        for where, meta, text, notes in read_references(path, data, encoding, given):
            if meta is None:  # no abstract, or not parseable: 'text' says why
                yield AddResult(where, "error", message=text)
                continue
            wish = (meta.get("title") or f"{path.stem}-{meta['imported_from']['record']}")[:80]
            yield NewDocument(where, wish, text, ".txt", meta, warnings=notes)
        return
    meta, notes = clean_metadata(given, str(path))
    origin: dict = {"file": path.name, "format": suffix.lstrip(".")}
    original = None
    if suffix == ".pdf":
        from ..text.pdf import extract_pdf_text

        pdf = extract_pdf_text(data, str(path))
        text = pdf.text + "\n"
        origin["pages"] = len(pdf.pages)
        if pdf.empty_pages:
            origin["empty_pages"] = pdf.empty_pages
            notes.append(f"{path}: pages {_ranges(pdf.empty_pages)} of {len(pdf.pages)} have no text layer "
                         "(scanned?); their text is missing, OCR the PDF to include it")
        target_suffix = ".txt"
    else:
        if data.startswith(b"%PDF"):
            raise PipelineError(f"{path}: this is a PDF file named {suffix}; rename it to .pdf")
        text, codec, warning = decode_text(data, str(path), encoding)
        if warning:
            notes.append(warning)
        if codec in ("utf-8", "utf-8-sig"):
            original = data  # already what the corpus stores: keep the bytes as they are
        else:
            origin["encoding"] = codec
        target_suffix = suffix
    if not text.strip():
        raise PipelineError(f"{path}: empty document (no text); nothing to add")
    meta["imported_from"] = origin
    yield NewDocument(str(path), path.stem, text, target_suffix, meta, original=original, warnings=notes)


def _ranges(numbers: list[int]) -> str:
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(out)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The files to add: files as given, folders searched recursively for addable files, sorted.

    Raises
    ------
    PipelineError
        For a missing path, or when nothing addable is found.
    """
    files: list[Path] = []
    names = []
    for name in paths:
        path = Path(name)
        names.append(str(path))
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                            and p.suffix.lower() in ADDABLE_SUFFIXES and not p.name.endswith(METADATA_SUFFIX))
        elif path.is_file():
            files.append(path)
        else:
            raise PipelineError(f"{path}: no such file or folder; check the path")
    if not files:
        raise PipelineError(f"{', '.join(names)}: no {', '.join(ADDABLE_SUFFIXES)} files found to add")
    return files

