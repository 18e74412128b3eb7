"""The packaged resource files (this folder, ``pipeline/text/resources/``) and their one set of readers.

Every word list, table and lexicon the text functions use is a data file in
``pipeline/text/resources/``, each with a comment line saying where it came from. This
module is the one place that knows where that folder is and how its files are laid
out: one entry per line, ``#`` starts a comment line, blank lines are skipped.
A missing file reads as empty, so a trimmed installation degrades instead of failing.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent


def resource_path(name: str | Path) -> Path:
    """The path of a resource: ``name`` inside the resources folder, unless absolute."""
    path = Path(name)
    return path if path.is_absolute() else RESOURCES_DIR / path


def read_lines(name: str | Path) -> tuple[str, ...]:
    """The entries of a one-entry-per-line file, stripped, in file order.

    Parameters
    ----------
    name : str or Path
        A file name inside the resources folder, or an absolute path.

    Returns
    -------
    tuple of str
        Non-empty lines that do not start with ``#``; empty if the file is missing.
    """
    try:
        text = resource_path(name).read_text(encoding="utf-8")
    except OSError:
        return ()
    stripped = (line.strip() for line in text.splitlines())
    return tuple(line for line in stripped if line and not line.startswith("#"))


def read_word_list(name: str | Path) -> tuple[str, ...]:
    """The entries of a word-list file, lowercased, in file order (see :func:`read_lines`)."""
    return tuple(line.lower() for line in read_lines(name))


def read_word_set(name: str | Path) -> frozenset[str]:
    """The entries of a word-list file as a set of lowercase words."""
    return frozenset(read_word_list(name))


def read_tsv_pairs(name: str | Path) -> list[tuple[str, str]]:
    """The ``key<TAB>value`` lines of a table, lowercased, key whitespace collapsed.

    Lines without a tab, comment lines and lines whose key or value is empty are skipped.
    """
    try:
        text = resource_path(name).read_text(encoding="utf-8")
    except OSError:
        return []
    pairs = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        key, value = line.split("\t", 1)
        key, value = " ".join(key.lower().split()), value.strip().lower()
        if key and value:
            pairs.append((key, value))
    return pairs
