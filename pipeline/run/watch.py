"""Watch an inbox folder: add the files dropped into it to the corpus and update every result.

A resident process keeps what a fresh one loads again for every ``add`` (spaCy, the
lexicons, the keyphrase and topic models, the artifact index): a librarian leaves
``python run_pipeline.py watch`` running and drops new documents into the inbox; each
batch is added (ids, duplicate checks and metadata as ``add`` does them) and the pipeline
runs on it, so the reports follow within about a second of the files arriving.

A file is taken once its size and modification time have stayed the same for one poll
(so a file still being copied is not read half-way); afterwards it is moved out of the
inbox into ``<inbox>/added/`` or, when it was not added (a duplicate, unreadable),
``<inbox>/skipped/``, so the inbox only ever holds what is still to do and the user's
files are never deleted.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..corpus import ADDABLE_SUFFIXES, METADATA_SUFFIX, AddResult, BulkFields, read_file
from ..errors import PipelineError
from ..stages import STEPS
from .pipeline import Pipeline
from .summary import RunSummary

#: Sub-folders of the inbox the handled files are moved to.
ADDED_DIR, SKIPPED_DIR = "added", "skipped"
#: A batch up to this many documents runs in this process, where everything stays loaded;
#: a larger one uses the pipeline's workers.
IN_PROCESS_UP_TO = 8


@dataclass
class WatchEvent:
    """What one poll did: the files taken, what adding them gave, and the run after."""

    files: list[Path] = field(default_factory=list)
    results: list[AddResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    summary: RunSummary | None = None
    seconds: float = 0.0

    @property
    def added(self) -> int:
        return sum(1 for r in self.results if r.added)


class InboxWatcher:
    """Adds the files that appear in ``inbox`` to the pipeline's corpus and runs it.

    Parameters
    ----------
    pipeline : Pipeline
        The pipeline (corpus, output and models folders) to feed.
    inbox : path
        The folder to watch; created if missing. Sub-folders other than ``added`` and
        ``skipped`` are watched too.
    interval : float
        Seconds between polls.
    allow_duplicates : bool
        Add near-duplicates anyway (as ``add --allow-duplicates``).
    fields : BulkFields, optional
        Field names for JSON lines and CSV files.
    encoding : str
        Encoding of text files, ``"auto"`` to detect it.
    """

    def __init__(self, pipeline: Pipeline, inbox: str | Path, interval: float = 0.5,
                 allow_duplicates: bool = False, fields: BulkFields | None = None, encoding: str = "auto"):
        self.pipeline = pipeline
        self.inbox = Path(inbox)
        self.interval = float(interval)
        self.allow_duplicates = allow_duplicates
        self.fields = fields
        self.encoding = encoding
        if self.inbox.resolve() == Path(pipeline.corpus.root).resolve():
            raise PipelineError(f"{self.inbox}: the inbox must not be the corpus folder; "
                                "give another folder with --inbox")
        self.inbox.mkdir(parents=True, exist_ok=True)
        # path -> (size, mtime_ns) seen at the previous poll
        self._seen: dict[Path, tuple[int, int]] = {}

    def _candidates(self) -> dict[Path, tuple[int, int]]:
        found = {}
        for folder, dirs, files in os.walk(self.inbox):
            if Path(folder) == self.inbox:
                dirs[:] = [d for d in dirs if d not in (ADDED_DIR, SKIPPED_DIR)]
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith(".") or name.endswith(METADATA_SUFFIX):
                    continue
                if os.path.splitext(name)[1].lower() not in ADDABLE_SUFFIXES:
                    continue
                path = Path(folder) / name
                try:
                    stat = path.stat()
                except OSError:
                    continue
                found[path] = (stat.st_size, stat.st_mtime_ns)
        return found

    def ready(self) -> list[Path]:
        """Files unchanged since the previous poll (sorted); remembers this poll's."""
        now = self._candidates()
        ready = sorted(p for p, stamp in now.items() if self._seen.get(p) == stamp)
        self._seen = {p: s for p, s in now.items() if p not in ready}
        return ready

    def _move(self, path: Path, sub: str) -> None:
        target_dir = self.inbox / sub
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        stem, suffix, n = path.stem, path.suffix, 1
        while target.exists():  # never overwrite an earlier file of the same name
            n += 1
            target = target_dir / f"{stem}_{n}{suffix}"
        shutil.move(str(path), str(target))

    def poll(self) -> WatchEvent | None:
        """One check: add the ready files and run the pipeline; None when there were none."""
        files = self.ready()
        if not files:
            return None
        began = time.perf_counter()
        event = WatchEvent(files=files)
        outcome: dict[Path, bool] = {}
        for path in files:
            try:
                items = list(read_file(path, self.encoding, None, self.fields))
            except PipelineError as exc:
                event.errors.append(str(exc))
                outcome[path] = False
                continue
            results = self.pipeline.add(items, allow_duplicates=self.allow_duplicates)
            event.results.extend(results)
            outcome[path] = any(r.added for r in results)
        for path, added in outcome.items():
            self._move(path, ADDED_DIR if added else SKIPPED_DIR)
        if event.added:
            # A small batch runs here, where spaCy and the models stay loaded between
            # batches; a large one is worth the workers.
            jobs = 1 if event.added <= IN_PROCESS_UP_TO else None
            event.summary = self.pipeline.run(jobs=jobs)
        event.seconds = time.perf_counter() - began
        return event

    def warm_up(self) -> None:
        """Load now what the document steps need (spaCy, lexicons, the saved keyphrase
        models: each step's ``prepare``), so the first file dropped is as quick as the next."""
        for step in STEPS:
            step.warm(self.pipeline.params[step.stage], self.pipeline.store)

    def watch(self, on_event: Callable[[WatchEvent], None] | None = None,
              stop: threading.Event | None = None) -> None:
        """Load what the steps need, then poll until ``stop`` is set (or the process is
        interrupted)."""
        stop = stop or threading.Event()
        self.warm_up()
        while not stop.is_set():
            event = self.poll()
            if event is not None and on_event is not None:
                on_event(event)
            stop.wait(self.interval)
