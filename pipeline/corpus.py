"""The corpus folder: which documents there are, their ids, adding and removing them.

A document is one text file in the corpus folder (``.txt`` or ``.md``, UTF-8 or
UTF-16/32 with a byte-order mark); its id is the file name without the extension
(``003_f5f628d705a61f74``), so ids are stable and readers outside the project can
find a document's artifacts by its file name.

Beside a document may lie its **metadata sidecar** ``<id>.meta.json``: what the
user (or the bulk file a document came from) said about the document, as opposed
to what ingest extracts from its text. Format (version 1)::

    {
      "format": "corpus-metadata/1",
      "title": "Kinerja dan Fungsi Intermediasi Perbankan ...",   # optional, str
      "authors": ["Ivan Satria Basri"],                            # optional, list of str
      "year": 2019,                                                # optional, int 1000..2999
      "source": "Buletin Ekonomi Moneter dan Perbankan",           # optional, str (journal, URL, ...)
      "imported_from": {                                           # how the text got here
        "file": "sinta_abstracts.jsonl", "format": "jsonl",        # txt | md | pdf | jsonl | csv
        "record": 17, "record_id": "sinta-1d67c6851d",             # bulk files: line/row, id field
        "pages": 12, "empty_pages": [3], "encoding": "cp1252"      # when they apply
      }
    }

Only ``format`` is required; absent fields were not given. Sidecars are written
before their document (so a document never exists without its sidecar), never
count as documents, and are deleted with their document.

Adding (:meth:`Corpus.add`) converts every input to a UTF-8 text file: PDFs by
their text layer, bulk records (JSON lines / CSV) as ``title\\n\\ntext``. It
refuses exact duplicates (the same words) and reports near-duplicates (the same
normalized title, or a Jaccard similarity of word 5-shingles of at least 0.8
with a corpus document), which are kept only when asked.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .artifacts import atomic_write_bytes
from .errors import PipelineError

DOCUMENT_SUFFIXES = (".txt", ".md")
BULK_SUFFIXES = (".jsonl", ".csv", ".tsv")
ADDABLE_SUFFIXES = (*DOCUMENT_SUFFIXES, ".pdf", *BULK_SUFFIXES)
METADATA_SUFFIX = ".meta.json"
METADATA_FORMAT = "corpus-metadata/1"
METADATA_FIELDS = ("title", "authors", "year", "source")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
# Device names Windows refuses as file names, whatever the extension.
_RESERVED_IDS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}

SHINGLE_SIZE = 5
# The duplicate index kept between adds (a cache: rebuilt from the files when missing).
DUPLICATE_CACHE_NAME = ".duplicate-index.npz"
NEAR_DUPLICATE_JACCARD = 0.8
_WORD_RE = re.compile(r"\w+")


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


# -- text decoding -------------------------------------------------------------------

def decode_text(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str, str | None]:
    """Decode a text file, detecting its encoding when not given.

    Order of detection (``encoding="auto"``): a byte-order mark (UTF-8/16/32);
    UTF-16 without a mark (NUL bytes in every other position); strict UTF-8;
    Windows-1252 (the usual legacy encoding of Indonesian and English text,
    strict: its five undefined bytes fail it); charset-normalizer's guess when that
    library is installed; Latin-1, which decodes anything. Every guess beyond
    UTF-8 comes with a warning naming the encoding chosen.

    charset-normalizer is not asked first because on short Latin-script text it
    guesses exotic code pages (cp775 for a cp1252 Indonesian abstract).

    Returns
    -------
    text : str
    encoding : str
        The codec used.
    warning : str or None
        A one-line note when the encoding was guessed from a legacy code page.

    Raises
    ------
    PipelineError
        When a given encoding is unknown or does not decode the bytes.
    """
    if encoding != "auto":
        try:
            return data.decode(encoding), encoding, None
        except LookupError:
            raise PipelineError(f"--encoding {encoding}: unknown encoding; use a Python codec name "
                                "such as utf-8, cp1252, latin-1 or utf-16") from None
        except UnicodeDecodeError as exc:
            raise PipelineError(f"{name}: cannot be read as {encoding} (bad byte at {exc.start}); "
                                "leave --encoding out to detect it") from None
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, None
            except UnicodeDecodeError:
                break
    # UTF-16 without a mark before UTF-8: ASCII text in UTF-16 is also valid UTF-8 (full of NULs).
    head = data[:4096]
    if len(head) >= 8:
        even, odd = head[0::2], head[1::2]
        for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros.count(0) > 0.4 * len(zeros):
                try:
                    return data.decode(codec), codec, f"{name}: no byte-order mark; read as {codec.upper()}"
                except UnicodeDecodeError:
                    pass
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    guesses = ["cp1252"]
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
        if best is not None and best.encoding:
            guesses.append(best.encoding)
    except ImportError:  # pragma: no cover - an optional helper
        pass
    guesses.append("latin-1")
    for codec in guesses:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, codec, (f"{name}: not UTF-8; read as {codec} "
                             "(pass --encoding if the characters look wrong)")
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


# -- duplicates ----------------------------------------------------------------------

def content_words(text: str) -> list[str]:
    """The words of a text, case-folded and NFKC-normalized: what duplicate tests compare."""
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def content_key(text: str) -> str:
    """sha256 of a text's words: equal for the same words in any encoding, spacing or case."""
    return hashlib.sha256(" ".join(content_words(text)).encode("utf-8")).hexdigest()


def normalized_title(title: str | None) -> str:
    """A title for comparison: words only, case-folded; ``""`` when too short to identify a work.

    A title of fewer than four words (``Abstrak``, ``BAB I PENDAHULUAN``) names no
    particular work, so it never makes two documents near-duplicates.
    """
    if not title:
        return ""
    words = content_words(title)
    return " ".join(words) if len(words) >= 4 else ""


def shingles(words: list[str], size: int = SHINGLE_SIZE) -> set[str]:
    """The set of word ``size``-shingles (runs of ``size`` consecutive words)."""
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def guess_title(text: str) -> str | None:
    """The first non-empty line of a text, markup stripped, when it reads like a title."""
    for line in text.splitlines():
        line = line.strip().strip("#*_ ").strip()
        if line:
            return line if len(line) <= 400 else None
    return None


@dataclass
class DuplicateMatch:
    """A corpus document a new text duplicates.

    ``kind`` is ``"duplicate"`` (the same words), ``"title"`` (the same normalized
    title) or ``"text"`` (Jaccard of word shingles ``similarity`` at least the threshold).
    """

    doc_id: str
    kind: str
    similarity: float = 1.0

    def describe(self) -> str:
        if self.kind == "duplicate":
            return f"duplicate of {self.doc_id}"
        if self.kind == "title":
            return f"near-duplicate of {self.doc_id} (same title)"
        return f"near-duplicate of {self.doc_id} ({self.similarity:.0%} of 5-word shingles shared)"


class DuplicateIndex:
    """Exact duplicate and near-duplicate lookup over a set of texts.

    Exact: content keys (:func:`content_key`). Titles: normalized titles.
    Near-duplicate texts: an inverted index from word shingles to documents, so
    a lookup touches only the documents sharing a shingle with the new text and
    computes their Jaccard similarity exactly (no MinHash approximation). A
    shingle is stored as a 64-bit BLAKE2 digest, which keeps the index small and
    the same in every process (so :class:`Corpus` can keep it between runs); two
    different shingles collide with a probability of about 1e-8 over a corpus of
    thousands of abstracts.

    Parameters
    ----------
    threshold : float
        Jaccard similarity at or above which texts are near-duplicates.
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD):
        self.threshold = threshold
        self.keys: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.postings: dict[int, list[str]] = {}
        self.sizes: dict[str, int] = {}
        # Signatures loaded in bulk (a kept index): flat arrays, searched with numpy
        # instead of a dict of hundreds of thousands of postings built on every add.
        self._bulk_ids: list[str] = []
        self._bulk_sizes = None
        self._bulk_hashes = None
        self._bulk_doc = None

    def add_bulk(self, doc_ids: list[str], keys: list[str], titles: list[str], counts, hashes) -> None:
        """Index many texts at once by their signatures: ``counts[i]`` hashes of ``doc_ids[i]``
        in ``hashes`` (a flat int64 array, in document order). Used once, before any add."""
        import numpy as np

        for doc_id, key, title, n in zip(doc_ids, keys, titles, counts):
            self.keys.setdefault(key, doc_id)
            if title:
                self.titles.setdefault(title, doc_id)
            self.sizes[doc_id] = int(n)
        self._bulk_ids = list(doc_ids)
        self._bulk_sizes = np.asarray(counts, dtype=np.int64)
        self._bulk_hashes = np.asarray(hashes, dtype=np.int64)
        self._bulk_doc = np.repeat(np.arange(len(doc_ids)), self._bulk_sizes)

    @staticmethod
    def _hashes(words: list[str]) -> set[int]:
        return {int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big", signed=True)
                for s in shingles(words)}

    @classmethod
    def signature(cls, text: str, title: str | None = None) -> tuple[str, str, list[int]]:
        """What the index keeps of a text: content key, normalized title, sorted shingle hashes."""
        words = content_words(text)
        key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        return key, normalized_title(title), sorted(cls._hashes(words))

    def add(self, doc_id: str, text: str, title: str | None = None) -> None:
        """Index one text under ``doc_id``."""
        self.add_signature(doc_id, *self.signature(text, title))

    def add_signature(self, doc_id: str, key: str, title: str, hashes: Iterable[int]) -> None:
        """Index a text by its :meth:`signature`."""
        self.keys.setdefault(key, doc_id)
        if title:
            self.titles.setdefault(title, doc_id)
        n = 0
        for h in hashes:
            self.postings.setdefault(h, []).append(doc_id)
            n += 1
        self.sizes[doc_id] = n

    def match(self, text: str, title: str | None = None) -> DuplicateMatch | None:
        """The best match of a new text: an exact duplicate first, then the same title, then text."""
        words = content_words(text)
        key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        if key in self.keys:
            return DuplicateMatch(self.keys[key], "duplicate")
        norm = normalized_title(title)
        if norm and norm in self.titles:
            return DuplicateMatch(self.titles[norm], "title")
        hashes = self._hashes(words)
        if not hashes:
            return None
        shared: dict[str, int] = {}
        for h in hashes:
            for doc_id in self.postings.get(h, ()):
                shared[doc_id] = shared.get(doc_id, 0) + 1
        if self._bulk_hashes is not None and len(self._bulk_hashes):
            import numpy as np

            # The new text's few hundred hashes, sorted, looked up for each of the corpus's
            # (np.isin would sort the corpus's hundreds of thousands instead).
            query = np.sort(np.fromiter(hashes, dtype=np.int64, count=len(hashes)))
            at = np.searchsorted(query, self._bulk_hashes)
            at[at == len(query)] = 0
            hits = query[at] == self._bulk_hashes
            counts = np.bincount(self._bulk_doc[hits], minlength=len(self._bulk_ids))
            for i in np.flatnonzero(counts):
                doc_id = self._bulk_ids[i]
                shared[doc_id] = shared.get(doc_id, 0) + int(counts[i])
        best = None
        for doc_id in sorted(shared):
            n = shared[doc_id]
            jaccard = n / (len(hashes) + self.sizes[doc_id] - n)
            if jaccard >= self.threshold and (best is None or jaccard > best.similarity):
                best = DuplicateMatch(doc_id, "text", jaccard)
        return best


# -- what is being added -------------------------------------------------------------

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


def clean_metadata(given: dict, where: str) -> tuple[dict, list[str]]:
    """Validate and tidy user-given metadata; return it and warnings about dropped values.

    ``authors`` may be a list or a ``;``-separated string; ``year`` an int or a
    string holding a four-digit year.
    """
    out: dict = {}
    notes: list[str] = []
    title = given.get("title")
    if isinstance(title, str) and " ".join(title.split()):
        out["title"] = " ".join(title.split())
    authors = given.get("authors")
    if isinstance(authors, str):
        authors = re.split(r"\s*[;|]\s*", authors)
    if isinstance(authors, list):
        names = [" ".join(str(a).split()) for a in authors if isinstance(a, (str, int)) and str(a).strip()]
        if names:
            out["authors"] = list(dict.fromkeys(names))
    year = given.get("year")
    if year not in (None, ""):
        m = re.search(r"(?<!\d)(1\d{3}|2\d{3})(?!\d)", str(year))
        if m and not isinstance(year, bool):
            out["year"] = int(m.group(1))
        else:
            notes.append(f"{where}: year '{year}' is not a four-digit year; left out")
    src = given.get("source")
    if isinstance(src, str) and src.strip():
        out["source"] = " ".join(src.split())
    return out, notes


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
    meta, notes = clean_metadata(given, str(path))
    origin: dict = {"file": path.name, "format": suffix.lstrip(".")}
    original = None
    if suffix == ".pdf":
        from .text.pdf import extract_pdf_text

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


# -- the corpus ----------------------------------------------------------------------

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

    def _load_signatures(self):
        """The signatures kept by the last ``add``: rows ``[doc_id, stamp, key, title, n]``
        and the flat array of their shingle hashes; empty when missing or damaged."""
        import numpy as np

        try:
            with np.load(self.root / DUPLICATE_CACHE_NAME, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                hashes = np.asarray(data["hashes"], dtype=np.int64)
            if (not isinstance(meta, list) or any(len(row) != 5 for row in meta)
                    or sum(int(row[4]) for row in meta) != len(hashes)):
                raise ValueError("inconsistent")
            return meta, hashes
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, EOFError):
            return [], np.zeros(0, dtype=np.int64)  # rebuilt from the files

    def _save_signatures(self, rows: list, hashes) -> None:
        import numpy as np

        buffer = io.BytesIO()
        np.savez(buffer, meta=np.frombuffer(json.dumps(rows, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
                 hashes=np.asarray(hashes, dtype=np.int64))
        atomic_write_bytes(self.root / DUPLICATE_CACHE_NAME, buffer.getvalue(), fsync=False)

    def _index(self, documents: list[Document]) -> tuple[DuplicateIndex, dict]:
        """The duplicate index of the corpus, from the kept signatures of unchanged files.

        Returns the index and the signatures to keep: ``{"rows", "hashes"}`` of the kept
        ones and ``{"new": {doc_id: (stamp, key, title, hashes)}}`` of those computed now.
        """
        import numpy as np

        index = DuplicateIndex()
        meta, flat = self._load_signatures()
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
        self._save_signatures(rows, np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64))

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

        Its artifacts are deleted by the next run (:meth:`pipeline.runner.Pipeline.prune`).

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


def format_metadata(metadata: dict) -> bytes:
    """A sidecar's bytes: ``format`` first, then the fields, sorted keys, UTF-8, newline-terminated."""
    body = {"format": METADATA_FORMAT, **{k: v for k, v in sorted(metadata.items()) if k != "format"}}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def parse_metadata(raw: bytes, name: str) -> dict:
    """A sidecar's fields (without ``format``), checked.

    Raises
    ------
    PipelineError
        When it is not JSON, not version 1, or a field has the wrong type.
    """
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PipelineError(f"{name}: not a valid metadata sidecar ({exc.__class__.__name__}); "
                            "fix the JSON or delete the file") from None
    if not isinstance(data, dict) or data.get("format") != METADATA_FORMAT:
        raise PipelineError(f"{name}: not a metadata sidecar of format {METADATA_FORMAT}; fix or delete it")
    checks = {"title": str, "source": str, "authors": list, "year": int, "imported_from": dict}
    for key, kind in checks.items():
        if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
            raise PipelineError(f"{name}: '{key}' must be a {kind.__name__}; fix or delete the file")
    if "authors" in data and not all(isinstance(a, str) for a in data["authors"]):
        raise PipelineError(f"{name}: 'authors' must be a list of strings; fix or delete the file")
    return {k: v for k, v in data.items() if k != "format"}

