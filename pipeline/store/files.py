"""Where artifacts live: a local folder, or any file system fsspec reaches by URL.

:class:`pipeline.store.ArtifactStore` does every file operation through one of
these, so the output and models folders may be local paths (the default, with
atomic renames, ``fsync`` on request and an ``flock`` per output folder) or URLs
such as ``s3://bucket/run1/output`` or ``memory://run1/output`` (through
``fsspec``, installed with Dask: ``pip install -e ".[scale]"``), which every Dask
worker can reach.

On a URL, a file is written in one piece (object stores replace an object
atomically; on file-like systems the bytes go to a temporary name first and are
moved into place), and a file's identity for the artifact index is its size and
modification time or, where the system has none, its checksum (ETag). There is no
lock on a URL: run one pipeline at a time per output URL.

This module knows files, not artifacts: it imports nothing else of
:mod:`pipeline.store`, which is what keeps the package free of import cycles. Its
atomic writes (:func:`atomic_write_bytes`) also serve the corpus folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterable, NamedTuple

from ..errors import PipelineError


class FileStat(NamedTuple):
    """What identifies a file's version: a change stamp (nanoseconds) and its size."""

    mtime_ns: int
    size: int


# -- atomic writes of local files ---------------------------------------------------

def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()
_WRITE_BLOCK = 1 << 20


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
        be rebuilt (corpus documents); derived artifacts skip it (it is the largest
        cost of writing them) because a file torn by a power cut fails its sha256 or
        JSON check on the next run and is rebuilt.
    """
    atomic_write_chunks(path, (data,), fsync=fsync, digest=False)


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
        # Whatever stopped the write (a full disk, an interrupt), the temporary file
        # goes and the exception goes on: the destination keeps its old bytes.
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return hasher.hexdigest() if hasher is not None else None


# -- a folder given as a path or a URL ----------------------------------------------

def is_url(location) -> bool:
    """Whether a folder is given as a URL (``proto://...``) rather than a local path."""
    text = str(location)
    return "://" in text and not text.startswith("file://")


def files_for(location) -> tuple["LocalFiles | FsspecFiles", Path | PurePosixPath]:
    """The file system of a folder given as a path or URL, and the folder in it."""
    if is_url(location):
        return FsspecFiles.for_url(str(location))
    text = str(location)
    if text.startswith("file://"):
        text = text[len("file://"):]
    return LOCAL, Path(text)


class LocalFiles:
    """Files on this machine's file system (or a shared mount)."""

    url = False

    def stat(self, path) -> FileStat | None:
        try:
            stat = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if stat.st_mode & 0o170000 != 0o100000:  # not a regular file
            return None
        return FileStat(stat.st_mtime_ns, stat.st_size)

    def read(self, path) -> tuple[bytes, FileStat]:
        """A file's bytes and the stat of the file they were read from."""
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            return handle.read(), FileStat(stat.st_mtime_ns, stat.st_size)

    def write(self, path, data: bytes, fsync: bool = False) -> None:
        atomic_write_bytes(Path(path), data, fsync=fsync)

    def write_chunks(self, path, chunks, fsync: bool = False) -> str:
        """Write bytes given in pieces, each as it comes (atomically); their sha256."""
        return atomic_write_chunks(Path(path), chunks, fsync=fsync)

    def append(self, path, data: bytes, expected: FileStat) -> FileStat | None:
        """Append to a file that still has the stat ``expected``; the new stat, or None
        (nothing written) when the file is not that one any more.

        Not atomic: only for journals whose reader skips a torn last line.
        """
        try:
            with open(path, "r+b") as handle:
                stat = os.fstat(handle.fileno())
                if FileStat(stat.st_mtime_ns, stat.st_size) != expected:
                    return None
                handle.seek(0, os.SEEK_END)
                handle.write(data)
                handle.flush()
                stat = os.fstat(handle.fileno())
                return FileStat(stat.st_mtime_ns, stat.st_size)
        except OSError:
            return None

    def delete(self, path) -> bool:
        try:
            os.unlink(path)
            return True
        except FileNotFoundError:
            return False

    def is_dir(self, path) -> bool:
        return os.path.isdir(path)

    def makedirs(self, path) -> None:
        os.makedirs(path, exist_ok=True)

    def names(self, folder, suffix: str) -> list[str]:
        """Sorted names of the files in a folder ending with ``suffix`` (hidden ones left out)."""
        try:
            with os.scandir(folder) as entries:
                return sorted(e.name for e in entries if e.name.endswith(suffix) and not e.name.startswith("."))
        except (FileNotFoundError, NotADirectoryError):
            return []

    def glob(self, folder, pattern: str) -> list[Path]:
        if pattern.startswith("*.") and "/" not in pattern and "*" not in pattern[1:]:
            # The common case ("*.json"), by scandir: Path.glob costs ten times more.
            return [Path(folder) / name for name in self.names(folder, pattern[1:])]
        return sorted(Path(folder).glob(pattern))

    def remove_temporaries(self, folder) -> int:
        """Delete the temporary files (``.*.tmp``) interrupted writes left; how many."""
        count = 0
        if os.path.isdir(folder):
            for tmp in Path(folder).rglob(".*.tmp"):
                tmp.unlink(missing_ok=True)
                count += 1
        return count

    @contextlib.contextmanager
    def lock(self, folder, on_wait=None):
        """An ``flock`` on ``<folder>/.lock``; the kernel releases it when the process dies."""
        os.makedirs(folder, exist_ok=True)
        with open(Path(folder) / ".lock", "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait(f"{folder}: another run is using this output folder; waiting for it to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def display(self, path) -> str:
        return str(path)


LOCAL = LocalFiles()


class FsspecFiles:
    """Files on a file system fsspec opens from a URL (``s3://``, ``gs://``, ``memory://``...).

    Parameters
    ----------
    fs : fsspec.AbstractFileSystem
    protocol : str
        The URL's scheme, to show paths as URLs in messages.
    """

    url = True

    def __init__(self, fs, protocol: str):
        self.fs = fs
        self.protocol = protocol

    @classmethod
    def for_url(cls, url: str) -> tuple["FsspecFiles", PurePosixPath]:
        try:
            import fsspec
        except ImportError:
            raise PipelineError(f"{url}: a URL needs fsspec; install it with: pip install -e \".[scale]\"") from None
        fs, root = fsspec.core.url_to_fs(url)
        return cls(fs, url.split("://", 1)[0]), PurePosixPath(root)

    def __reduce__(self):
        # Sent to workers as the file system fsspec rebuilds from its own arguments.
        return (FsspecFiles, (self.fs, self.protocol))

    def stat(self, path) -> FileStat | None:
        try:
            info = self.fs.info(str(path))
        except (FileNotFoundError, OSError):
            return None
        if info.get("type") != "file":
            return None
        size = int(info.get("size") or 0)
        stamp = info.get("mtime") or info.get("LastModified") or info.get("updated") or info.get("created")
        if hasattr(stamp, "timestamp"):
            stamp_ns = int(stamp.timestamp() * 1e9)
        elif isinstance(stamp, (int, float)):
            stamp_ns = int(float(stamp) * 1e9) if float(stamp) < 1e12 else int(stamp)
        else:
            # No time: identify the version by the system's checksum, or not at all
            # (then every read hashes the bytes).
            token = info.get("ETag") or info.get("etag") or info.get("md5") or info.get("crc32c")
            stamp_ns = int.from_bytes(hashlib.sha256(str(token).encode()).digest()[:7], "big") if token else 0
        return FileStat(stamp_ns, size)

    def read(self, path) -> tuple[bytes, FileStat]:
        data = self.fs.cat_file(str(path))
        stat = self.stat(path) or FileStat(0, len(data))
        return data, stat

    def write(self, path, data: bytes, fsync: bool = False) -> None:
        path = str(path)
        parent = path.rsplit("/", 1)[0]
        if parent:
            self.fs.makedirs(parent, exist_ok=True)
        self.fs.pipe_file(path, data)

    def write_chunks(self, path, chunks, fsync: bool = False) -> str:
        """Bytes given in pieces: an object store takes an object whole, so they are joined."""
        data = b"".join(chunks)
        self.write(path, data, fsync=fsync)
        return hashlib.sha256(data).hexdigest()

    def append(self, path, data: bytes, expected: FileStat) -> FileStat | None:
        # Object stores have no append: the caller writes the file whole.
        return None

    def delete(self, path) -> bool:
        try:
            self.fs.rm_file(str(path))
            return True
        except (FileNotFoundError, OSError):
            return False

    def is_dir(self, path) -> bool:
        try:
            return self.fs.isdir(str(path))
        except OSError:
            return False

    def makedirs(self, path) -> None:
        self.fs.makedirs(str(path), exist_ok=True)

    def glob(self, folder, pattern: str) -> list[PurePosixPath]:
        return sorted(PurePosixPath(p if p.startswith("/") or not str(folder).startswith("/") else "/" + p)
                      for p in self.fs.glob(f"{folder}/{pattern}"))

    def names(self, folder, suffix: str) -> list[str]:
        return sorted(p.name for p in self.glob(folder, f"*{suffix}") if not p.name.startswith("."))

    def remove_temporaries(self, folder) -> int:
        return 0  # written in one piece: nothing is left half-written

    @contextlib.contextmanager
    def lock(self, folder, on_wait=None):
        # No portable lock on object stores: one run per output URL at a time.
        self.makedirs(folder)
        yield

    def display(self, path) -> str:
        text = str(path)
        return f"{self.protocol}://{text.lstrip('/') if self.protocol != 'memory' else text}"
