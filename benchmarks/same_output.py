"""Same output: this tree and commit REF write the same artifacts from the same inputs.

A restructuring must leave every artifact byte-identical. This script runs the same
inputs through the current tree (the repository this script lives in, uncommitted
changes included) and through commit REF, and lists every file whose payload differs,
``report.html``'s build time aside.

1. REF's tree is extracted with ``git archive REF | tar -x`` into a temporary folder: no
   worktree, no checkout, the repository's work tree and HEAD are left alone. The
   current tree (tracked and untracked files; not .git, .venv, output/, models/*/,
   caches: what ``git ls-files --cached --others --exclude-standard`` lists) is copied
   beside it, so both run from a copy, under the same conditions.
2. In each copy, ``import pipeline`` must resolve to that copy (PYTHONPATH is set to it:
   the venv's editable install points at the repository) and ``add --help`` must offer
   the bulk options used below; otherwise one line and exit 2.
3. Bundled corpus: the current tree's ``corpus/`` (four documents) is copied to a fresh
   folder on each side, then ``run --jobs 2``.
4. SINTA: the first N abstracts (default 300) of
   ``../shared/data/corpus/sinta_abstracts.jsonl`` are written to one .jsonl file, which
   each side ``add``s to an empty corpus (``--text-field abstract --title-field title
   --id-field id``; ``add`` also runs the pipeline), then ``run`` again so everything is
   fresh. Both sides use this Python (``sys.executable``) and the same folder layout.
5. The corpus, output and models folders of the two sides are compared file by file
   (``.artifact-index``, ``.file-hashes``, locks and temporary files aside):
   a JSON artifact's payload (everything but its ``header``) as parsed JSON, its header
   field by field, and its raw bytes; ``pipeline_version`` alone is reported apart, not
   counted. ``report.html`` is compared byte for byte once its build time (the
   ``<dt>built</dt><dd>...</dd>`` fact of the overview) is blanked; the corpus's
   duplicate index (a cache keyed by file times) array by array with its files' stamps
   blanked; every other file
   (the corpus's texts and sidecars, ``keywords.md/.csv``, ``topics.md/.csv``, caches)
   byte for byte. A file on one side only is a difference, and so is a command that
   exits with another status on one side.
6. One line per differing file, a summary line, exit 0 when none differ, else 1.

Run from the repository (the SINTA file must be in ../shared)::

    .venv/bin/python benchmarks/same_output.py fe6130b --n 30      # quick
    .venv/bin/python benchmarks/same_output.py fe6130b              # 300 abstracts
    .venv/bin/python benchmarks/same_output.py fe6130b --tree /tmp/other --keep /tmp/so
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

REPO = Path(__file__).resolve().parent.parent
SINTA = REPO.parent / "shared" / "data" / "corpus" / "sinta_abstracts.jsonl"

#: Files the store and the corpus keep for themselves (indexes, hash journals, locks),
#: not artifacts: their content records file times and paths.
IGNORED_NAMES = frozenset({".artifact-index", ".file-hashes", ".lock"})
IGNORED_SUFFIXES = (".lock", ".tmp")
#: Folders never copied from a tree outside git (generated or environment).
SKIPPED_DIRS = frozenset({".git", ".venv", "output", "__pycache__", ".pytest_cache", ".hypothesis",
                          "build"})
#: Header fields a restructuring may legitimately change: reported apart, not counted.
VERSION_FIELDS = ("pipeline_version",)

#: The page's build time, as ``stages/report.py`` puts it among the overview's facts
#: (``"built": "%Y-%m-%d %H:%M UTC"``) and ``render.py`` prints it (``<dt>k</dt><dd>v</dd>``).
BUILT_FACT = re.compile(rb"(<dt>built</dt><dd>)([^<]*)(</dd>)")
HTML_VERSION_FACT = re.compile(rb"(<dt>pipeline version</dt><dd>)([^<]*)(</dd>)")
JSON_VERSION_FIELD = re.compile(rb'("pipeline_version"\s*:\s*")([^"]*)(")')

#: The corpus's duplicate index (``corpus.DUPLICATE_CACHE_NAME``), a cache that keys each
#: row by its files' stamps (``mtime_ns:size:sidecar mtime_ns:size``, or ``-`` without a
#: sidecar): compared member by member with the stamps blanked.
DUPLICATE_INDEX = ".duplicate-index.npz"
FILE_STAMP = re.compile(rb'"\d+:\d+:(?:\d+:\d+|-)"')

BULK_OPTIONS = ("--text-field", "abstract", "--title-field", "title", "--id-field", "id")


@dataclass
class Side:
    """One tree under test: its copy, its run folders and what its commands did."""

    label: str
    tree: Path
    work: Path
    timings: list[tuple[str, float]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        """The environment of its commands: ``import pipeline`` finds this tree first."""
        env = dict(os.environ)
        env["PYTHONPATH"] = str(self.tree)
        return env


@dataclass
class Comparison:
    """What the file-by-file comparison found."""

    compared: int = 0
    differences: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    version_only: list[str] = field(default_factory=list)
    versions: set[tuple[str, str]] = field(default_factory=set)


def fail(message: str) -> NoReturn:
    """A setup problem (no SINTA file, unknown REF, a tree that does not import): one line, exit 2."""
    print(f"same_output: {message}", file=sys.stderr)
    sys.exit(2)


def extract_ref(ref: str, dest: Path) -> str:
    """Extract commit ``ref``'s files into ``dest`` with ``git archive``; returns the full commit id.

    Only reads the repository: no worktree, no checkout, HEAD and the index untouched.
    """
    resolved = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                              capture_output=True, text=True)
    if resolved.returncode != 0:
        fail(f"{ref!r} is not a commit of {REPO}")
    commit = resolved.stdout.strip()
    dest.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(REPO), "archive", "--format=tar", commit],
                               stdout=subprocess.PIPE)
    with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # Python before 3.11.4: git archive's paths are relative and plain
            tar.extractall(dest)
    if archive.wait() != 0:
        fail(f"git archive {commit} failed")
    return commit


def tree_files(tree: Path) -> list[Path]:
    """The files of a source tree, relative to it: tracked and untracked, not ignored.

    In a git repository this is what ``git ls-files --cached --others --exclude-standard``
    lists (that exist: a file deleted or moved in the work tree is left out); elsewhere,
    every file outside the generated and environment folders.
    """
    if (tree / ".git").exists():
        listed = subprocess.run(["git", "-C", str(tree), "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], capture_output=True, check=True).stdout
        names = sorted({name for name in listed.decode("utf-8").split("\0") if name})
        return [Path(name) for name in names if (tree / name).is_file()]
    files = []
    for folder, dirs, names in os.walk(tree):
        rel = Path(folder).relative_to(tree)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
                         and not (rel == Path("models")))
        files += [rel / name for name in sorted(names) if name != ".duplicate-index.npz"]
    return files


def copy_tree(source: Path, dest: Path) -> tuple[int, int]:
    """Copy a source tree's files (see :func:`tree_files`) to ``dest``.

    Returns how many were copied and how many vanished between the listing and the copy
    (a tree others are editing: moved or deleted files are left out, not an error).
    """
    copied = vanished = 0
    for rel in tree_files(source):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(source / rel, target, follow_symlinks=False)
        except FileNotFoundError:
            vanished += 1
        else:
            copied += 1
    return copied, vanished


def check_tree(side: Side) -> None:
    """Check that ``import pipeline`` resolves to the side's copy and ``add`` has the bulk options."""
    probe = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"],
                           cwd=side.tree, env=side.env(), capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        fail(f"{side.label}: 'import pipeline' fails in {side.tree}: {last}")
    where = Path(probe.stdout.strip()).resolve()
    if not where.is_relative_to(side.tree.resolve()):
        fail(f"{side.label}: 'import pipeline' resolves to {where}, not to the copy in {side.tree}")
    helped = subprocess.run([sys.executable, "run_pipeline.py", "add", "--help"],
                            cwd=side.tree, env=side.env(), capture_output=True, text=True)
    if helped.returncode != 0:
        last = (helped.stderr.strip().splitlines() or ["no message"])[-1]
        fail(f"{side.label}: 'run_pipeline.py add --help' fails in {side.tree}: {last}")
    missing = [opt for opt in BULK_OPTIONS[::2] if opt not in helped.stdout]
    if missing:
        fail(f"{side.label}: 'add' has no {', '.join(missing)}")


def pipeline_command(side: Side, name: str, args: list[str]) -> None:
    """Run ``run_pipeline.py ARGS`` in the side's tree, timed; output goes to ``logs/NAME.log``.

    A nonzero status is recorded (a difference if the other side's differs) and shown
    with the end of the log.
    """
    logs = side.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    start = time.perf_counter()
    with open(log, "wb") as out:
        status = subprocess.run([sys.executable, "run_pipeline.py", *args], cwd=side.tree, env=side.env(),
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode
    side.timings.append((name, time.perf_counter() - start))
    side.statuses[name] = status
    if status != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        print(f"  {side.label}: '{name}' exited with {status} (log {log}):", file=sys.stderr)
        for line in tail:
            print(f"    {line}", file=sys.stderr)


def run_side(side: Side, bundled_corpus: Path, sinta_file: Path | None, jobs: int) -> None:
    """The bundled corpus's run, then the SINTA abstracts' add and run, in the side's own folders."""
    bundled = side.work / "bundled"
    shutil.copytree(bundled_corpus, bundled / "corpus")
    folders = ["--corpus", str(bundled / "corpus"), "--output", str(bundled / "output"),
               "--models", str(bundled / "models"), "--jobs", str(jobs)]
    pipeline_command(side, "bundled run", ["run", *folders])
    if sinta_file is None:
        return
    sinta = side.work / "sinta"
    folders = ["--corpus", str(sinta / "corpus"), "--output", str(sinta / "output"),
               "--models", str(sinta / "models"), "--jobs", str(jobs)]
    pipeline_command(side, "sinta add", ["add", str(sinta_file), *BULK_OPTIONS, *folders])
    pipeline_command(side, "sinta run", ["run", *folders])


def is_ignored(rel: Path) -> bool:
    """Whether a file is the store's or the corpus's own bookkeeping (not compared)."""
    return (rel.name in IGNORED_NAMES or rel.name.endswith(IGNORED_SUFFIXES)
            or "__pycache__" in rel.parts)


def listed_files(root: Path) -> set[Path]:
    """The files under ``root`` to compare, relative to it."""
    if not root.is_dir():
        return set()
    return {path.relative_to(root) for path in root.rglob("*")
            if path.is_file() and not is_ignored(path.relative_to(root))}


def first_difference(a, b, where: str = "") -> str:
    """Where two parsed JSON values first differ, as ``path: a != b`` (values shortened)."""
    if type(a) is not type(b):
        return f"{where or '.'}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'current' if key in a else 'REF'}"
            if a[key] != b[key]:
                return first_difference(a[key], b[key], f"{where}.{key}")
        return f"{where or '.'}: key order"
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
        return f"{where or '.'}: length {len(a)} != {len(b)}"

    def short(value) -> str:
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"{where or '.'}: {short(a)} != {short(b)}"


def compare_json(cur: bytes, ref: bytes, found: Comparison) -> tuple[list[str], str, bool]:
    """The kinds of difference between two JSON files (``payload``, ``header: ...``, ``bytes``).

    Returns the kinds, where the first parsed difference is, and whether the header's
    ``pipeline_version`` differs (noted in ``found.versions``, not a kind: the raw bytes
    are compared with that field blanked on both sides).
    """
    try:
        a, b = json.loads(cur), json.loads(ref)
    except ValueError:
        return (["bytes (not JSON)"] if cur != ref else []), "", False
    kinds, detail, version_differs = [], "", False
    if isinstance(a, dict) and isinstance(b, dict) and isinstance(a.get("header"), dict) \
            and isinstance(b.get("header"), dict):
        head_a, head_b = a["header"], b["header"]
        body_a = {k: v for k, v in a.items() if k != "header"}
        body_b = {k: v for k, v in b.items() if k != "header"}
        if body_a != body_b:
            kinds.append("payload")
            detail = first_difference(body_a, body_b)
        fields = sorted((set(head_a) | set(head_b)) - set(VERSION_FIELDS))
        changed = [f for f in fields if (f in head_a, head_a.get(f)) != (f in head_b, head_b.get(f))]
        if changed:
            kinds.append("header: " + ", ".join(changed))
            detail = detail or first_difference(head_a, head_b, ".header")
        for name in VERSION_FIELDS:
            if head_a.get(name) != head_b.get(name):
                version_differs = True
                found.versions.add((str(head_b.get(name)), str(head_a.get(name))))
    elif a != b:
        kinds.append("payload")
        detail = first_difference(a, b)
    if blank_groups(JSON_VERSION_FIELD, cur) != blank_groups(JSON_VERSION_FIELD, ref):
        kinds.append("bytes")
    return kinds, detail, version_differs


def compare_html(cur: bytes, ref: bytes, found: Comparison) -> tuple[list[str], bool]:
    """The page compared byte for byte once its build time is blanked.

    Returns the kinds of difference (``bytes`` or none) and whether the page's pipeline
    version differs (noted in ``found.versions``; the bytes are compared without it).
    """
    cur, ref = blank_groups(BUILT_FACT, cur), blank_groups(BUILT_FACT, ref)
    version_a, version_b = HTML_VERSION_FACT.search(cur), HTML_VERSION_FACT.search(ref)
    version_differs = bool(version_a and version_b and version_a.group(2) != version_b.group(2))
    if version_differs:
        found.versions.add((version_b.group(2).decode(errors="replace"), version_a.group(2).decode(errors="replace")))
    same = blank_groups(HTML_VERSION_FACT, cur) == blank_groups(HTML_VERSION_FACT, ref)
    return ([] if same else ["bytes"]), version_differs


def npz_members(data: bytes) -> dict[str, bytes] | None:
    """The arrays' data of an ``.npz`` file by member name (each ``.npy`` header dropped), or None.

    Read with the standard library: an ``.npz`` is a zip of ``.npy`` files, each a magic
    string, a version, a header length (2 bytes little-endian in version 1, 4 after) and
    a header, then the raw data.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
    except zipfile.BadZipFile:
        return None
    for name, raw in members.items():
        if raw.startswith(b"\x93NUMPY"):
            size, start = (2, 8) if raw[6] == 1 else (4, 8)
            members[name] = raw[start + size + int.from_bytes(raw[start:start + size], "little"):]
    return members


def compare_duplicate_index(cur: bytes, ref: bytes) -> list[str]:
    """The duplicate index's arrays compared byte for byte, the file stamps in its rows blanked."""
    a, b = npz_members(cur), npz_members(ref)
    if a is None or b is None:
        return ["bytes (not .npz)"] if cur != ref else []
    if sorted(a) != sorted(b):
        return ["members"]
    if any(FILE_STAMP.sub(b'""', a[name]) != FILE_STAMP.sub(b'""', b[name]) for name in a):
        return ["content, file stamps aside"]
    return []


def blank_groups(pattern: re.Pattern, data: bytes) -> bytes:
    """``data`` with the middle group (the value) of every match of ``pattern`` emptied."""
    return pattern.sub(rb"\1\3", data)


def compare_folders(cur_root: Path, ref_root: Path, label: str, found: Comparison, explain: bool) -> None:
    """Compare every file under two run folders (see the recipe, step 5) into ``found``."""
    names = sorted(listed_files(cur_root) | listed_files(ref_root), key=lambda p: p.as_posix())
    for rel in names:
        shown = f"{label}/{rel.as_posix()}"
        found.compared += 1
        a, b = cur_root / rel, ref_root / rel
        if not b.exists():
            found.differences.append(f"differs: {shown} (only in current)")
            continue
        if not a.exists():
            found.differences.append(f"differs: {shown} (only in REF)")
            continue
        cur, ref = a.read_bytes(), b.read_bytes()
        detail, version_differs = "", False
        if rel.name == "report.html":
            kinds, version_differs = compare_html(cur, ref, found)
        elif rel.name == DUPLICATE_INDEX:
            kinds = compare_duplicate_index(cur, ref)
        elif rel.suffix == ".json":
            kinds, detail, version_differs = compare_json(cur, ref, found)
        else:
            kinds = ["bytes"] if cur != ref else []
        if version_differs and not kinds:
            found.version_only.append(shown)
        if kinds:
            found.differences.append(f"differs: {shown} ({', '.join(kinds)})")
            if explain and detail:
                found.details.append(f"    {shown}: {detail}")


def write_sinta_sample(n: int, dest: Path) -> int:
    """The first ``n`` lines of the SINTA abstracts in ``dest``; returns how many were written."""
    lines = []
    with open(SINTA, encoding="utf-8") as source:
        for line in source:
            if len(lines) >= n:
                break
            lines.append(line if line.endswith("\n") else line + "\n")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("".join(lines), encoding="utf-8")
    return len(lines)


def print_timings(side: Side) -> None:
    """One line of the side's command times."""
    parts = " | ".join(f"{name} {seconds:.1f} s" for name, seconds in side.timings)
    total = sum(seconds for _, seconds in side.timings)
    print(f"{side.label:<8} {parts} | total {total:.1f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  .venv/bin/python benchmarks/same_output.py fe6130b --n 30 --keep /tmp/same_output")
    parser.add_argument("ref", metavar="REF", help="the commit to compare with (hash, tag, HEAD~1, ...)")
    parser.add_argument("--n", type=int, default=300, metavar="N",
                        help="SINTA abstracts to add (the first N; 0: the bundled corpus only; default 300)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N", help="worker processes per run (default 2)")
    parser.add_argument("--tree", type=Path, default=REPO, metavar="DIR",
                        help="the 'current' side's source tree (default: this repository, uncommitted "
                             "changes included); e.g. a 'git archive REF' extraction to check that a "
                             "commit compared with itself gives no difference")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="run in DIR (new or empty) and keep the trees, run folders and logs there")
    parser.add_argument("--explain", action="store_true",
                        help="after the list, where each differing JSON file first differs")
    args = parser.parse_args(argv)
    if args.n > 0 and not SINTA.exists():
        fail(f"{SINTA} not found: the SINTA comparison needs ../shared/data (or --n 0)")
    tree = args.tree.resolve()
    if not (tree / "run_pipeline.py").is_file():
        fail(f"{tree} has no run_pipeline.py: not a tree of this project")

    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            fail(f"{args.keep} is not empty: give a new or empty folder to --keep")
        args.keep.mkdir(parents=True, exist_ok=True)
        work, cleanup = args.keep.resolve(), None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="same_output.")
        work = Path(cleanup.name)
    try:
        ref_side = Side("REF", work / "ref" / "tree", work / "ref")
        cur_side = Side("current", work / "current" / "tree", work / "current")
        started = time.perf_counter()
        commit = extract_ref(args.ref, ref_side.tree)
        copied, vanished = copy_tree(tree, cur_side.tree)
        print(f"REF      {args.ref} = {commit[:12]}, extracted with git archive")
        print(f"current  {tree} ({copied} files copied"
              f"{', uncommitted changes included' if (tree / '.git').exists() else ''}"
              f"{f'; {vanished} vanished while copying: the tree is being edited' if vanished else ''})")
        for side in (ref_side, cur_side):
            check_tree(side)
        sinta_file, written = None, 0
        if args.n > 0:
            sinta_file = work / "input" / f"sinta_first_{args.n}.jsonl"
            written = write_sinta_sample(args.n, sinta_file)
        print(f"inputs   bundled corpus ({len(list((cur_side.tree / 'corpus').iterdir()))} files), "
              f"{written} SINTA abstracts; Python {sys.version.split()[0]}, --jobs {args.jobs}")
        for side in (ref_side, cur_side):
            run_side(side, cur_side.tree / "corpus", sinta_file, args.jobs)
            print_timings(side)

        found = Comparison()
        for name in sorted(set(ref_side.statuses) | set(cur_side.statuses)):
            if ref_side.statuses.get(name) != cur_side.statuses.get(name):
                found.differences.append(f"differs: exit status of '{name}' (REF {ref_side.statuses.get(name)}, "
                                         f"current {cur_side.statuses.get(name)})")
        for run in ("bundled", "sinta") if sinta_file else ("bundled",):
            for folder in ("corpus", "output", "models"):
                compare_folders(cur_side.work / run / folder, ref_side.work / run / folder,
                                f"{run}/{folder}", found, args.explain)
        for line in found.differences:
            print(line)
        if found.details:
            print("first difference (current != REF):")
            for line in found.details:
                print(line)
        if found.version_only:
            versions = "; ".join(f"REF {ref} -> current {cur}" for ref, cur in sorted(found.versions))
            print(f"note: {len(found.version_only)} files differ only in the pipeline version ({versions}); "
                  f"not counted")
        print(f"elapsed  {time.perf_counter() - started:.1f} s in all (copies, runs and comparison)")
        print(f"same_output: {found.compared} files compared, {len(found.differences)} differ")
        if args.keep:
            print(f"kept: {work}")
        return 0 if not found.differences else 1
    finally:
        if cleanup is not None:
            cleanup.cleanup()


if __name__ == "__main__":
    sys.exit(main())
