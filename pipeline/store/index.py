"""What the store knows of its files across runs: two journals, kept as a cache.

``<folder>/.artifact-index`` (one per folder, output and models)
    One line per artifact that was written (validated first) or read and validated:
    ``<name> <sha256> <mtime_ns> <size> <payload sha256> <fingerprint>``. A file whose
    stat still matches its line is the file that was validated, so freshness is decided
    from the index alone, with no file opened, and reading it for a step skips the
    schema check. A truncated or hand-edited file no longer matches and is parsed and
    validated in full.
``<output>/.file-hashes``
    The sha256 of files outside the folders (corpus documents), one JSON array a line,
    ``[path, mtime_ns, size, sha256]``, so a warm run does not read the corpus again.

Both are journals: the lines of the entries that changed are appended, later lines
win (``<name> -`` forgets an artifact), and a line torn by a kill is skipped. The file
is written whole again, sorted and atomically, once the appended lines outnumber the
entries, or when it is not the file this process read. Lost or damaged, either is
rebuilt: it is only a cache.

A stat is trusted only when the file was not changed just before the journal was
saved (:data:`RACY_NS`): within the file system's timestamp granularity a later
change could keep the same stat. Such a "racy" entry is confirmed by hashing the file
once, and saved again so that the next run trusts it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

import orjson

from .files import FileStat

INDEX_NAME = ".artifact-index"
FILE_HASHES_NAME = ".file-hashes"
# A file changed within this long before its index was saved may have changed again
# within the file system's timestamp granularity: its stat is not trusted ("racy").
RACY_NS = 100_000_000


@dataclass(slots=True)  # one per artifact: 100k+ of them at scale, in every process
class Entry:
    """What the index knows of one artifact: the sha256 of its validated bytes, the stat
    of the file that had them, its payload's sha256 and its freshness fingerprint."""

    sha: str
    mtime_ns: int = 0
    size: int = -1
    content: str = ""
    fp: str = ""

    def line(self, name: str) -> str:
        """The entry's line in the ``.artifact-index`` journal."""
        return f"{name} {self.sha} {self.mtime_ns} {self.size} {self.content or '-'} {self.fp or '-'}\n"


class Index:
    """The ``.artifact-index`` of the output and models folders and the ``.file-hashes``
    of the output folder, as one store reads and updates them.

    Entries are read from a folder's journal when first asked for, changed in memory,
    and written by :meth:`save` (appended, or the file rewritten whole).

    Parameters
    ----------
    files : LocalFiles or FsspecFiles
        The file system of both folders.
    output_dir, models_dir : Path or PurePosixPath
        The two folders, as ``files`` names them.
    """

    def __init__(self, files, output_dir, models_dir):
        self.files = files
        self.output_dir, self.models_dir = output_dir, models_dir
        # Per folder: artifact name -> what is known of its validated bytes.
        self._entries: dict = {}
        self._saved_ns: dict = {}
        # Per folder: names whose entry changed since the index was read or saved.
        self._dirty: dict = {}
        # Hashes of files outside the folders (corpus documents), kept across runs.
        self._file_hashes: dict[str, tuple[int, int, str]] | None = None
        self._file_hashes_saved_ns = 0
        self._file_hashes_dirty: set[str] = set()
        # Journal file -> (its stat, its lines) when read or last written by this index.
        self._journals: dict[str, tuple[FileStat, int]] = {}

    def __getstate__(self):
        # Sent to worker processes with their store: the entries read so far, not what
        # is waiting to be saved (the process that keeps the index saves it).
        state = dict(self.__dict__)
        state["_dirty"] = {}
        state["_file_hashes"] = None
        state["_file_hashes_dirty"] = set()
        state["_journals"] = {}
        return state

    # -- artifacts ---------------------------------------------------------------
    def entries(self, root) -> dict[str, Entry]:
        """The entries of one folder's index, by artifact name (read once)."""
        index = self._entries.get(root)
        if index is None:
            index = {}
            path = root / INDEX_NAME
            try:
                raw, stat = self.files.read(path)
                self._saved_ns[root] = stat.mtime_ns
                lines = raw.decode("utf-8").split("\n")
                self._note_journal(path, stat, raw, len(lines))
            except (OSError, UnicodeDecodeError):
                lines = []
            # One line an artifact; later lines win and "<name> -" forgets one (the file
            # is a journal, see save). A line torn by a kill while it was appended has
            # too few fields or a short hash: skipped or untrusted, never wrong.
            for line in lines:
                fields = line.split(" ")
                if len(fields) == 2 and fields[1] == "-":
                    index.pop(fields[0], None)
                    continue
                if len(fields) < 2 or len(fields[1]) != 64:
                    continue
                entry = Entry(fields[1])
                if len(fields) == 6:
                    try:
                        entry.mtime_ns, entry.size = int(fields[2]), int(fields[3])
                    except ValueError:
                        pass
                    entry.content = fields[4] if len(fields[4]) == 64 else ""
                    entry.fp = fields[5] if len(fields[5]) == 32 else ""
                index[fields[0]] = entry
            self._entries[root] = index
        return index

    def trusted(self, root, name: str, stat: FileStat | None, stat_now: Callable[[], FileStat | None],
                digest_now: Callable[[FileStat], str]) -> Entry | None:
        """An artifact's entry when the file on disk is the one it describes, else None.

        Parameters
        ----------
        root : Path or PurePosixPath
            The artifact's folder.
        name : str
            The artifact's name (``ingest/003``).
        stat : FileStat or None
            The file's stat when the caller has it; else ``stat_now()`` gives it (asked
            only when there is an entry to compare it with; None: no file).
        digest_now : callable
            ``digest_now(stat)``: the sha256 of the file's bytes, asked only when the
            entry's stat is racy (see the module's docstring).
        """
        entry = self.entries(root).get(name)
        if entry is None or entry.size < 0:
            return None
        if stat is None:
            stat = stat_now()
            if stat is None:
                return None
        if stat.mtime_ns != entry.mtime_ns or stat.size != entry.size:
            return None
        if stat.mtime_ns + RACY_NS >= self._saved_ns.get(root, 0):
            # Written just before the index was saved: confirm by hashing once, then
            # re-save the index so the next run trusts it.
            if digest_now(stat) != entry.sha:
                return None
            self._dirty.setdefault(root, set()).add(name)
        return entry

    def is_known(self, root, name: str, sha: str) -> bool:
        """Whether bytes with this sha256 were validated as this artifact."""
        entry = self.entries(root).get(name)
        return entry is not None and entry.sha == sha

    def known_content(self, root, name: str, sha: str) -> str:
        """The payload sha256 recorded for the file with this sha256 ("" if none)."""
        entry = self.entries(root).get(name)
        return entry.content if entry is not None and entry.sha == sha else ""

    def known(self, names: dict[str, str]) -> dict[str, str]:
        """The subset of ``{name: sha256}`` whose bytes are known valid, in either folder."""
        out = {}
        for root in (self.output_dir, self.models_dir):
            index = self.entries(root)
            for name, sha in names.items():
                entry = index.get(name)
                if entry is not None and entry.sha == sha:
                    out[name] = sha
        return out

    def trust(self, names: dict[str, str]) -> None:
        """Record ``{name: sha256}`` pairs validated elsewhere (with no stat: they are
        known valid by their bytes only)."""
        for name, sha in names.items():
            root = self.models_dir if name.startswith("models/") else self.output_dir
            index = self.entries(root)
            entry = index.get(name)
            if entry is None or entry.sha != sha:
                index[name] = Entry(sha)

    def remember(self, root, name: str, sha: str, stat: FileStat | None, content: str = "",
                 fp: str = "") -> None:
        """Record the valid sha256 of an artifact and the stat of its file; a payload hash
        or fingerprint not given is kept from the entry of the same bytes."""
        index = self.entries(root)
        entry = index.get(name)
        mtime_ns, size = (stat.mtime_ns, stat.size) if stat is not None else (0, -1)
        if entry is not None and entry.sha == sha:
            content = content or entry.content
            fp = fp or entry.fp
        new = Entry(sha, mtime_ns, size, content, fp)
        if entry != new:
            index[name] = new
            self._dirty.setdefault(root, set()).add(name)

    def record(self, root, name: str, entry: Entry) -> None:
        """Record an entry as it is (one a worker process made)."""
        index = self.entries(root)
        if index.get(name) != entry:
            index[name] = entry
            self._dirty.setdefault(root, set()).add(name)

    def set_content(self, root, name: str, sha: str, content: str) -> None:
        """Complete the entry of the file with this sha256 with its payload's sha256."""
        entry = self.entries(root).get(name)
        if entry is not None and entry.sha == sha and entry.content != content:
            entry.content = content
            self._dirty.setdefault(root, set()).add(name)

    def forget(self, root, name: str) -> None:
        """Forget an artifact (deleted)."""
        if self.entries(root).pop(name, None) is not None:
            self._dirty.setdefault(root, set()).add(name)

    # -- files outside the folders -------------------------------------------------
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
            # file is a journal). A line that does not parse (torn by a kill while it was
            # appended) is skipped: the file is then hashed again.
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

    def file_hash(self, name: str, stat: FileStat) -> str | None:
        """The recorded sha256 of a file outside the folders, when the file still has the
        stat recorded and that stat is not racy; else None (hash the file)."""
        known = self._load_file_hashes().get(name)
        if (known is not None and known[:2] == (stat.mtime_ns, stat.size)
                and stat.mtime_ns + RACY_NS < self._file_hashes_saved_ns):
            return known[2]
        return None

    def set_file_hash(self, name: str, stat: FileStat, digest: str) -> None:
        """Record the sha256 of a file outside the folders, with its stat."""
        self._load_file_hashes()[name] = (stat.mtime_ns, stat.size, digest)
        self._file_hashes_dirty.add(name)

    # -- saving ----------------------------------------------------------------------
    def save(self) -> None:
        """Write what changed in the journals: appended, or the file written whole (see
        the module's docstring)."""
        for root in sorted(self._dirty):
            index = self._entries.get(root, {})
            names = self._dirty[root]
            if not self.files.is_dir(root):
                continue
            lines = (index[name].line(name) if name in index else f"{name} -\n" for name in sorted(names))
            if not self._append_journal(root / INDEX_NAME, "".join(lines).encode("utf-8"), len(names),
                                        len(index)):
                data = "".join(index[name].line(name) for name in sorted(index)).encode("utf-8")
                self._write_journal(root / INDEX_NAME, data, len(index))
            self._saved_ns[root] = self._journals[str(root / INDEX_NAME)][0].mtime_ns
        self._dirty.clear()
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
