"""Which steps are stale, in what order they run, and what happened.

The runner walks the steps of every stage in pipeline order. For each key (a
document id, a language, or the whole corpus) it computes the sha256 of every
input the step declares, compares them and the parameter hash with the header of
the artifacts already on disk (only their headers are read, see
:class:`pipeline.artifacts.ArtifactStore`), and runs the step only when something
changed. A document whose step fails is reported and its stale artifact removed;
the other documents go on.

The stale keys of a step run where the executor says (:mod:`pipeline.executors`):
in this process (``jobs=1``), in chunks over ``jobs`` worker processes (the default:
every core), or as tasks on a Dask cluster (``executor="dask"``). Workers read
their inputs and write their artifacts themselves and send back only the sha256
of what they wrote; a document's artifacts are the same bytes whatever runs them.
"""

from __future__ import annotations

import functools
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .artifacts import ArtifactRef, ArtifactStore
from .config import Param
from .config import load as load_config
from .corpus import Corpus, Document
from .errors import ArtifactError, PipelineError
from .executors import (EXECUTORS, Executor, ProcessExecutor, SerialExecutor, available_cores, make_executor,
                        task_result)
from .stage import KEEP, LANGS, Step
from .stages import ingest, keywords, normalize, report, separate, topics

STAGE_MODULES = (ingest, separate, normalize, keywords, topics, report)
STAGES = tuple(m.NAME for m in STAGE_MODULES)
PARAM_SPECS: dict[str, dict[str, Param]] = {m.NAME: m.PARAMS for m in STAGE_MODULES}
STEPS: tuple[Step, ...] = tuple(step for m in STAGE_MODULES for step in m.STEPS)


class ArtifactCache:
    """Parsed artifacts of a run, least recently used first out, bounded by file bytes.

    A corpus step reads every document's artifact, and the next one often reads
    them again (both languages' topics read every ``normalize``): within the budget
    they are parsed once; beyond it, memory stays bounded and they are re-read.

    Parameters
    ----------
    max_bytes : int
        Budget in bytes of the artifact files held (the parsed objects take a few
        times more).
    """

    def __init__(self, max_bytes: int = 32 * 2**20):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, str], tuple[dict, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple[str, str]) -> dict | None:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: tuple[str, str], obj: dict, size: int) -> None:
        if size > self.max_bytes:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        self._items[key] = (obj, size)
        self._bytes += size
        while self._bytes > self.max_bytes and self._items:
            _, (_, dropped) = self._items.popitem(last=False)
            self._bytes -= dropped


class ArtifactMap(Mapping):
    """That kind's artifact per key, read when looked up (not all held at once).

    Behaves as a read-only dict ``{key: artifact}``; iterating it yields the keys
    that have an artifact, in corpus order.
    """

    def __init__(self, inputs: "Inputs", kind: str, keys: list[str], cached: bool = True):
        self._inputs = inputs
        self._kind = kind
        self._keys = keys
        self._cached = cached

    def __getitem__(self, key: str) -> dict:
        if key not in self._index:
            raise KeyError(key)
        return self._inputs.one(self._kind, key, keep=self._cached)

    @property
    def _index(self) -> frozenset:
        index = self.__dict__.get("_index_set")
        if index is None:
            index = self.__dict__["_index_set"] = frozenset(self._keys)
        return index

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key) -> bool:
        return key in self._index


class Inputs:
    """The inputs of one run of a step, loaded on demand and validated on read.

    Parameters
    ----------
    store : ArtifactStore
    documents : list of Document
        The corpus, for ``corpus`` reads and ``all`` reads.
    key : str
        The step's key (document id, language or ``"corpus"``).
    cache : ArtifactCache or dict, optional
        Parsed artifacts shared by the steps of a run (a dict: unbounded).
    options : dict, optional
        What the run tells steps beyond their parameters (``refit``, ...).
    """

    def __init__(self, store: ArtifactStore, documents: list[Document], key: str,
                 cache: ArtifactCache | dict | None = None, options: dict | None = None,
                 hashes: dict[str, str] | None = None):
        self.store = store
        self.documents = documents
        self.key = key
        self.options = options or {}
        self.hashes = hashes or {}
        self._cache = cache if cache is not None else ArtifactCache()

    def previous(self, kind: str) -> dict | None:
        """What this step wrote last time under its key (to update it rather than rebuild
        it), or None when it is missing or not valid."""
        ref = ArtifactRef(kind, self.key)
        if not self.store.exists(ref):
            return None
        try:
            return self.store.read(ref)
        except ArtifactError:
            return None

    def payload_hash(self, kind: str, key: str) -> str:
        """The payload sha256 of an input artifact, as the runner recorded it for this step
        (a worker need not read the file to know it)."""
        ref = ArtifactRef(kind, key)
        digest = self.hashes.get(ref.name)
        return digest if digest is not None else self.store.content_sha256(ref)

    def raw(self) -> tuple[Path, bytes]:
        """The corpus file of this document: its path and bytes."""
        doc = next(d for d in self.documents if d.doc_id == self.key)
        return doc.path, doc.path.read_bytes()

    def given_metadata(self) -> dict:
        """Metadata the user gave when adding this document (its sidecar); ``{}`` if none."""
        doc = next(d for d in self.documents if d.doc_id == self.key)
        return Corpus(doc.path.parent).metadata(self.key)

    def one(self, kind: str, key: str | None = None, keep: bool = True) -> dict:
        """One artifact (this step's key unless ``key`` is given); ``keep=False``: not
        kept in the run's cache (read once by a step that streams the corpus)."""
        ref = ArtifactRef(kind, key or self.key)
        sha = self.store.sha256(ref) if self.store.exists(ref) else ""
        cache_key = (ref.name, sha)
        cached = self._cache.get(cache_key)
        if cached is None:
            cached, sha = self.store.load(ref)
            if not keep:
                return cached
            size = self.store.size(ref)
            if isinstance(self._cache, dict):
                self._cache[(ref.name, sha)] = cached
            else:
                self._cache.put((ref.name, sha), cached, size)
        return cached

    def all(self, kind: str, cached: bool = True) -> Mapping[str, dict]:
        """That kind's artifact for every corpus document that has one, by document id.

        A read-only mapping whose artifacts are loaded when looked up, so a step that
        goes through the documents one at a time never holds them all. ``cached=False``
        for a step that reads each once: the run's cache would only hold parsed
        artifacts (several times their file size) that nothing reads again.
        """
        names = [f"{kind}/{doc.doc_id}" for doc in self.documents]
        if any(name in self.hashes for name in names):
            # The step declared this kind an "all" read: the runner's hashes name every
            # document that has one (as planned), with no file to look up.
            keys = [doc.doc_id for doc, name in zip(self.documents, names) if name in self.hashes]
        else:
            keys = [doc.doc_id for doc in self.documents if self.store.exists(ArtifactRef(kind, doc.doc_id))]
        return ArtifactMap(self, kind, keys, cached=cached)

    def langs(self, kind: str) -> dict[str, dict]:
        """That kind's artifact for every language that has one."""
        return {lang: self.one(kind, lang) for lang in LANGS
                if self.store.exists(ArtifactRef(kind, lang))}


@dataclass
class StepSummary:
    """What one step did in one run."""

    name: str
    stage: str
    ran: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    stale_reasons: dict[str, str] = field(default_factory=dict)


@dataclass
class RunSummary:
    """What a run did: per step, the errors met, and totals."""

    steps: list[StepSummary] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    seconds: float = 0.0

    @property
    def ran(self) -> int:
        return sum(s.ran for s in self.steps)


class Reporter:
    """Receives progress events; the CLI draws them, the library ignores them."""

    def start_step(self, step: Step, total: int) -> None:  # pragma: no cover - interface
        pass

    def advance(self, step: Step, key: str, action: str) -> None:  # pragma: no cover
        pass

    def end_step(self, step: Step, summary: StepSummary) -> None:  # pragma: no cover
        pass

    def waiting(self, message: str) -> None:  # pragma: no cover
        pass


@dataclass
class KeyTask:
    """The work on one key of a step, as sent to a worker."""

    key: str
    hashes: dict[str, str]
    documents: list[Document]


@dataclass
class ChunkTask:
    """A chunk of keys of one step, as sent to a worker (a process or a Dask task)."""

    step: str
    keys: list[KeyTask]
    params: dict
    options: dict
    output_dir: str
    models_dir: str
    fsync: bool
    trusted: dict[str, str]


@dataclass
class KeyResult:
    """What a worker did with one key: ``ran`` (with the sha256 and stat of what it
    wrote, so the parent need not read it again) or ``failed`` (with the error)."""

    key: str
    action: str
    written: dict[str, tuple[str, int, int, str, str]] = field(default_factory=dict)
    error: str = ""
    warnings: list[str] = field(default_factory=list)


_STEP_BY_NAME = {step.name: step for step in STEPS}
# One store (and so one hash cache) per worker for the life of the worker: loaded
# models and normalizers are cached per store and per process across chunks.
_WORKER_STORES: dict[tuple[str, str, bool], ArtifactStore] = {}


def _worker_store(spec: tuple[str, str, bool]) -> ArtifactStore:
    """This worker's store for ``(output location, models location, fsync)``."""
    store = _WORKER_STORES.get(spec)
    if store is None:
        output_dir, models_dir, fsync = spec
        store = _WORKER_STORES[spec] = ArtifactStore(output_dir, models_dir, fsync=fsync)
    return store


def run_keys(store: ArtifactStore, step: Step, tasks: list[KeyTask], params: dict, options: dict,
             cache: ArtifactCache | dict | None = None) -> list[KeyResult]:
    """Run one step on some keys and write what it produces; the work of one chunk.

    A :class:`PipelineError` of one key removes that key's stale artifacts and is
    reported in its result; the other keys go on.
    """
    results = []
    cache = cache if cache is not None else ArtifactCache()
    for task in tasks:
        inputs = Inputs(store, task.documents, task.key, cache, options, task.hashes)
        try:
            payloads = step.run(task.key, inputs, params)
        except PipelineError as exc:
            for kind in step.writes:
                store.delete(ArtifactRef(kind, task.key))
            results.append(KeyResult(task.key, "failed", error=str(exc)))
            continue
        # A step may return "warnings": one line each, naming the file and what to do.
        warnings = list(payloads.pop("warnings", ()))
        written = {}
        for kind in step.writes:
            ref = ArtifactRef(kind, task.key)
            header = store.header(
                ref, step.stage, task.hashes, params,
                document=task.key if step.scope == "document" else None,
                language=task.key if step.scope == "language" else None,
            )
            if payloads[kind] is KEEP:
                store.rewrite_header(ref, header)
            else:
                store.put(ref, store.encode(ref, {"header": header, **{k: v for k, v in payloads[kind].items()
                                                                      if k != "header"}}), header)
            written[kind] = store.entry(ref)
        results.append(KeyResult(task.key, "ran", written, warnings=warnings))
    return results


def prepare_steps(store_spec: tuple[str, str, bool], specs: tuple[tuple[str, dict], ...]) -> None:
    """Worker start-up: ``prepare(params, store)`` of each named step (see :attr:`Step.prepare`),
    with the store the worker's tasks will use."""
    _prepare_each(specs, _worker_store(store_spec))


def _prepare_each(specs: tuple[tuple[str, dict], ...], store: ArtifactStore) -> None:
    # Best effort, step by step: a failure shows in the step itself, with its own message.
    for name, params in specs:
        try:
            _STEP_BY_NAME[name].prepare(params, store)
        except Exception:  # noqa: BLE001 - see the comment
            pass


def run_chunk(task: ChunkTask) -> list[KeyResult]:
    """Worker entry point: run a :class:`ChunkTask` with this worker's store."""
    store = _worker_store((task.output_dir, task.models_dir, task.fsync))
    store.trust(task.trusted)
    return run_keys(store, _STEP_BY_NAME[task.step], task.keys, task.params, task.options)


class Pipeline:
    """The whole pipeline over one corpus, one output folder and one models folder.

    Parameters
    ----------
    corpus_dir, output_dir, models_dir : path
    config : path, optional
        A TOML file overriding stage parameters.
    params : dict, optional
        Already-resolved parameters (instead of ``config``), e.g. from tests.
    jobs : int, optional
        Processes for the per-document steps (and the per-language ones); default
        every core this process may use. ``1`` runs everything in this process.
    executor : {"local", "dask"} or Executor
        ``"local"``: ``jobs`` processes on this machine. ``"dask"``: tasks on the
        ``dask.distributed`` scheduler at ``scheduler`` (the workers must see the
        three folders at the same paths).
    scheduler : str or distributed.Client, optional
        The Dask scheduler's address (``tcp://host:8786``) or a client; without one,
        ``executor="dask"`` starts a local Dask cluster of ``jobs`` workers.
    chunk_size : int, optional
        Documents per task; default about four tasks per worker, at most 64
        documents, so that process start-up and messages are amortised.
    """

    def __init__(self, corpus_dir: str | Path = "corpus", output_dir: str | Path = "output",
                 models_dir: str | Path = "models", config: str | Path | None = None,
                 params: dict[str, dict[str, Any]] | None = None, jobs: int | None = None,
                 executor: str | Executor = "local", scheduler: Any = None,
                 chunk_size: int | None = None):
        self.corpus = Corpus(corpus_dir)
        self.store = ArtifactStore(output_dir, models_dir)
        self.params = params if params is not None else load_config(PARAM_SPECS, config)
        self.jobs = jobs
        self.executor = executor
        self.scheduler = scheduler
        self.chunk_size = chunk_size
        self._workers: _LazyExecutor | None = None
        # kind -> (store generation, documents, {name: payload sha256}); see _all_hashes.
        self._all_memo: dict[str, tuple[int, list, dict[str, str]]] = {}

    # -- planning --------------------------------------------------------------
    @staticmethod
    def select_steps(only: str | None = None, start: str | None = None) -> list[Step]:
        """The steps to run: all, those of one stage (``only``), or from a stage on (``start``)."""
        for name in (only, start):
            if name is not None and name not in STAGES:
                raise PipelineError(
                    f"unknown stage '{name}'; the stages are {', '.join(STAGES)}"
                )
        if only:
            return [s for s in STEPS if s.stage == only]
        if start:
            first = STAGES.index(start)
            return [s for s in STEPS if STAGES.index(s.stage) >= first]
        return list(STEPS)

    @staticmethod
    def keys(step: Step, documents: list[Document]) -> list[str]:
        if step.scope == "document":
            return [d.doc_id for d in documents]
        if step.scope == "language":
            return list(LANGS)
        return ["corpus"]

    def input_hashes(self, step: Step, key: str, documents: list[Document],
                     by_id: dict[str, Document] | None = None) -> dict[str, str]:
        """sha256 of every input the step declares for ``key`` (of artifacts: their payload).

        Raises
        ------
        ArtifactError
            When a ``self`` input is missing (the upstream step failed or never ran).
        """
        hashes: dict[str, str] = {}
        for read in step.reads:
            if read.kind == "corpus":
                doc = by_id[key] if by_id is not None else next(d for d in documents if d.doc_id == key)
                hashes[f"corpus/{doc.path.name}"] = self.store.file_sha256(doc.path)
                # Metadata given on 'add' is an input too: editing it re-runs ingest.
                sidecar = self.corpus.metadata_path(doc.doc_id)
                if doc.has_metadata or (doc.has_metadata is None and sidecar.exists()):
                    hashes[f"corpus/{sidecar.name}"] = self.store.file_sha256(sidecar)
                continue
            if read.which == "self":
                keys = [key]
            elif read.which == "all":
                hashes.update(self._all_hashes(read.kind, documents))
                continue
            else:
                keys = list(LANGS)
            for k in keys:
                ref = ArtifactRef(read.kind, k)
                try:
                    # The payload's hash, not the file's: an artifact rebuilt with the same
                    # payload (a reused model, new provenance) leaves its readers fresh.
                    hashes[ref.name] = self.store.content_sha256(ref)
                except (FileNotFoundError, ArtifactError):
                    if read.which == "self":
                        raise ArtifactError(f"{self.store.where(self.store.path(ref))}: missing input of {step.name}") from None
        return hashes

    def _all_hashes(self, kind: str, documents: list[Document]) -> dict[str, str]:
        """Payload sha256 of every document's artifact of one kind (those present).

        Several corpus steps, each once per language, read every document's tokens or
        keywords: within a run (while the store memoizes stats) the table is built once
        and kept until an artifact of that kind is written or deleted.
        """
        memo = self._all_memo.get(kind)
        generation = self.store.generations.get(kind, 0)
        if (memo is not None and memo[0] == generation and memo[1] is documents
                and self.store.memoizing):
            return memo[2]
        table = {}
        for doc in documents:
            ref = ArtifactRef(kind, doc.doc_id)
            try:
                table[ref.name] = self.store.content_sha256(ref)
            except (FileNotFoundError, ArtifactError):
                pass
        if self.store.memoizing:
            self._all_memo[kind] = (generation, documents, table)
        return table

    def status(self, steps: Iterable[Step] | None = None) -> list[tuple[str, str, bool, str]]:
        """Freshness of every artifact: ``(step, key, fresh, reason)``.

        Staleness propagates: a step whose input is itself stale is stale too,
        even when the hashes on disk still agree.
        """
        documents = self.corpus.documents()
        by_id = {d.doc_id: d for d in documents}
        rows = []
        stale: set[str] = set()
        # Read-only: the index of validated artifacts is left as it is.
        for step in steps or STEPS:
            params = self.params[step.stage]
            for key in self.keys(step, documents):
                try:
                    hashes = self.input_hashes(step, key, documents, by_id)
                except ArtifactError:
                    rows.append((step.name, key, False, "input missing"))
                    stale.update(ArtifactRef(k, key).name for k in step.writes)
                    continue
                upstream = sorted(n for n in hashes if n in stale)
                reason = ""
                fresh = True
                for kind in step.writes:
                    ok, why = self.store.is_fresh(ArtifactRef(kind, key), hashes, params)
                    if not ok:
                        fresh, reason = False, why
                        break
                if fresh and upstream:
                    fresh, reason = False, f"input stale: {upstream[0]}"
                if not fresh:
                    stale.update(ArtifactRef(k, key).name for k in step.writes)
                rows.append((step.name, key, fresh, reason))
        return rows

    # -- running ---------------------------------------------------------------
    def start_workers(self, n_documents: int) -> None:
        """Start the local workers of the next :meth:`run` now, for ``n_documents`` new documents.

        They load what the document steps need (spaCy, the saved keyphrase models: see
        :attr:`pipeline.stage.Step.prepare`) while this process is still busy, e.g.
        adding the files to the corpus. Nothing starts with one job or one core, or on
        Dask. The next :meth:`run` (without executor overrides) uses them; call
        :meth:`stop_workers` if no run follows.
        """
        self.stop_workers()
        pool = _LazyExecutor(self.jobs, self.executor, self.scheduler, store=self._store_spec())
        pool.preparing = tuple((s.name, self.params[s.stage]) for s in STEPS if s.prepare is not None)
        pool.start_preparing(n_documents)
        if pool.started:
            self._workers = pool

    def stop_workers(self) -> None:
        """End workers started by :meth:`start_workers` that no run used (at once: they
        may still be loading)."""
        if self._workers is not None:
            self._workers.close(now=True)
            self._workers = None

    def _store_spec(self) -> tuple[str, str, bool]:
        return (self.store.output_location, self.store.models_location, self.store.fsync)

    def prune(self, documents: list[Document]) -> list[str]:
        """Delete per-document artifacts of documents no longer in the corpus."""
        ids = {d.doc_id for d in documents}
        removed = []
        for step in STEPS:
            if step.scope != "document":
                continue
            for kind in step.writes:
                for key in self.store.keys(kind):
                    if key not in ids and self.store.delete(ArtifactRef(kind, key)):
                        removed.append(f"{kind}/{key}")
        return removed

    def run(self, only: str | None = None, start: str | None = None,
            reporter: Reporter | None = None, force: bool = False, refit: bool = False,
            jobs: int | None = None, executor: str | Executor | None = None,
            scheduler: Any = None) -> RunSummary:
        """Run the stale steps; return what was done.

        Parameters
        ----------
        only : str, optional
            Run just this stage.
        start : str, optional
            Run this stage and every later one.
        reporter : Reporter, optional
            Receives progress events.
        force : bool
            Re-run every selected step even when fresh.
        refit : bool
            Refit the corpus models (keyphrase and topic models) instead of reusing the saved ones.
        jobs, executor, scheduler : optional
            Override the pipeline's (see :class:`Pipeline`) for this run.
        """
        reporter = reporter or Reporter()
        settings = (self.jobs if jobs is None else jobs,
                    self.executor if executor is None else executor,
                    self.scheduler if scheduler is None else scheduler)
        # Checked before taking the lock or starting workers: a typo fails at once.
        if isinstance(settings[1], str) and settings[1] not in EXECUTORS:
            raise PipelineError(f"unknown executor '{settings[1]}'; choose one of {', '.join(EXECUTORS)}")
        if settings[0] is not None and int(settings[0]) < 1:
            raise PipelineError(f"jobs must be at least 1 (got {settings[0]})")
        early, self._workers = self._workers, None
        if early is not None and (jobs, executor, scheduler) != (None, None, None):
            early.close(now=True)  # started for other settings than this run's
            early = None
        with self.store.lock(on_wait=reporter.waiting):
            pool = early or _LazyExecutor(*settings, store=self._store_spec())
            # Under the lock, every file written meanwhile is written here or reported
            # here by the workers, so file stats can be remembered for the run.
            self.store.memoize_stats(True)
            try:
                return self._run(only, start, reporter, force, refit, pool)
            finally:
                self.store.memoize_stats(False)
                pool.close()
                self.store.save_index()

    def _run(self, only, start, reporter: Reporter, force: bool, refit: bool = False,
             pool: "_LazyExecutor | None" = None) -> RunSummary:
        began = time.perf_counter()
        pool = pool or _LazyExecutor(1, "local", None)
        documents = self.corpus.documents()
        if not documents:
            raise PipelineError(
                f"{self.corpus.root}: no .txt or .md documents in the corpus; "
                "add some with 'python run_pipeline.py add PATH'"
            )
        summary = RunSummary(documents=len(documents))
        self.store.remove_stray_temporaries()
        for name in self.prune(documents):
            summary.warnings.append(f"removed artifact of a document no longer in the corpus: {name}")
        cache = ArtifactCache()
        # What steps may know of the run beyond their own parameters: the report shows
        # every stage's settings and how many artifacts each step has.
        # "cores": how many cores a corpus step in this process may keep busy (the topic
        # model's search of k runs on that many threads); never changes an artifact.
        options = {"refit": refit, "params": self.params,
                   "steps": [(s.name, s.scope, s.writes) for s in STEPS], "n_documents": len(documents),
                   "cores": pool._local_workers()}
        steps = self.select_steps(only, start)
        # A language step running on an idle worker while this process goes on with the
        # steps after it: (step, stale keys, futures, summary, start time).
        aside = None
        for index, step in enumerate(steps):
            if aside is not None and aside[0] is step:
                continue  # already running on the side (see below)
            if aside is not None and (_reads(step, aside[0])
                                      or all(later.scope == "corpus" for later in steps[index:])):
                self._finish_aside(aside, reporter, summary)
                aside = None
            # Steps from here on that load something heavy (spaCy) before their first
            # document: workers started for this step's documents load it meanwhile.
            pool.preparing = tuple((s.name, self.params[s.stage]) for s in steps[index:]
                                   if s.prepare is not None)
            if all(later.scope == "corpus" for later in steps[index:]):
                # No work left for local workers: end them, and the memory their heaps
                # grew to (a topic fit, a keyword model) goes back before the report.
                pool.release_local()
            # A refit is new work even when the inputs are unchanged.
            step_force = force or (refit and step.fits_model)
            worker = pool.idle_worker() if aside is None and step.scope == "language" else None
            later = steps[index + 1] if index + 1 < len(steps) else None
            if worker is not None and later is not None and not _reads(later, step):
                # The next step does not read what this one writes: one of the two runs on
                # the worker (started for a few documents, idle once their document steps
                # are done) while this process runs the other; a step that reads it waits.
                # The next one goes, if it is the model step (the heavier) and also a
                # language step that reads nothing of this one.
                side = (later if later.scope == "language" and later.fits_model and not step.fits_model
                        and not _reads(step, later) else step)
                result, stale, began = self._plan_step(side, documents, reporter,
                                                       force or (refit and side.fits_model), pool)
                chunks = self._chunk_tasks(side, stale, self.params[side.stage], options, worker)
                aside = (side, stale, worker.submit_all(run_chunk, chunks), result, began)
                if side is step:
                    summary.steps.append(result)
                    continue
                summary.steps.append(self._run_step(step, documents, reporter, step_force, cache, summary,
                                                    options, pool))
                summary.steps.append(result)
                continue
            summary.steps.append(self._run_step(step, documents, reporter, step_force, cache, summary,
                                                options, pool))
            if step.scope == "language":
                # Workers that fitted or aggregated a corpus model keep the memory it took
                # (Python seldom gives heap back to the system): later steps get new ones.
                pool.recycle_local()
        if aside is not None:
            self._finish_aside(aside, reporter, summary)
        # The index is saved once, when the run ends (see run()): it is a cache, and a
        # run killed before that leaves entries that no longer match their files, which
        # are then checked again, never trusted.
        summary.seconds = time.perf_counter() - began
        return summary

    def _finish_aside(self, aside: tuple, reporter: Reporter, summary: RunSummary) -> None:
        """Wait for a step run on the side (see :meth:`_run`) and record what it wrote."""
        step, stale, futures, result, began = aside
        outcomes = (outcome for future in futures for outcome in task_result(future))
        self._finish_step(step, stale, outcomes, reporter, summary, result, began)

    def _chunks(self, step: Step, tasks: list[KeyTask], workers: int) -> list[list[KeyTask]]:
        if step.scope != "document":
            return [[task] for task in tasks]
        size = self.chunk_size or max(1, min(64, -(-len(tasks) // (4 * workers))))
        return [tasks[i:i + size] for i in range(0, len(tasks), size)]

    def _run_step(self, step: Step, documents: list[Document], reporter: Reporter, force: bool,
                  cache, summary: RunSummary, options: dict,
                  pool: "_LazyExecutor | None" = None) -> StepSummary:
        pool = pool or _LazyExecutor(1, "local", None)
        result, stale, began = self._plan_step(step, documents, reporter, force, pool)
        outcomes = self._execute(step, stale, self.params[step.stage], options, cache, pool)
        return self._finish_step(step, stale, outcomes, reporter, summary, result, began)

    def _plan_step(self, step: Step, documents: list[Document], reporter: Reporter, force: bool,
                   pool: "_LazyExecutor") -> tuple[StepSummary, list["KeyTask"], float]:
        """The keys of a step that are stale, with their inputs' hashes (the rest are
        counted as skipped or failed and reported)."""
        params = self.params[step.stage]
        keys = self.keys(step, documents)
        by_id = {d.doc_id: d for d in documents}
        result = StepSummary(step.name, step.stage)
        reporter.start_step(step, len(keys))
        began = time.perf_counter()
        # Steps that read every document get the whole corpus; the others only their own
        # document, so a task stays small whatever the corpus size.
        reads_all = any(read.which == "all" for read in step.reads)
        stale: list[KeyTask] = []
        for key in keys:
            try:
                hashes = self.input_hashes(step, key, documents, by_id)
            except ArtifactError:
                # The upstream step failed for this document: already reported there.
                for kind in step.writes:
                    self.store.delete(ArtifactRef(kind, key))
                result.failed += 1
                reporter.advance(step, key, "failed")
                continue
            if not force:
                fresh = [self.store.is_fresh(ArtifactRef(k, key), hashes, params) for k in step.writes]
                if all(ok for ok, _ in fresh):
                    result.skipped += 1
                    reporter.advance(step, key, "skipped")
                    continue
                result.stale_reasons[key] = next(why for ok, why in fresh if not ok)
            docs = documents if reads_all else ([by_id[key]] if key in by_id else [])
            stale.append(KeyTask(key, hashes, docs))
        if stale and step.scope == "document":
            pool.start_preparing(len(stale))
        return result, stale, began

    def _finish_step(self, step: Step, stale: list["KeyTask"], outcomes: Iterable[KeyResult],
                     reporter: Reporter, summary: RunSummary, result: StepSummary,
                     began: float) -> StepSummary:
        """Record what the stale keys' runs wrote, and report the step done."""
        errors: dict[str, str] = {}
        warnings: dict[str, list[str]] = {}
        for outcome in outcomes:
            if outcome.warnings:
                warnings[outcome.key] = outcome.warnings
            if outcome.action == "failed":
                errors[outcome.key] = outcome.error
                result.failed += 1
            else:
                for kind, entry in outcome.written.items():
                    self.store.record(ArtifactRef(kind, outcome.key), *entry)
                result.ran += 1
            reporter.advance(step, outcome.key, outcome.action)
        # Workers finish in any order; errors are listed in corpus order all the same.
        summary.errors.extend(errors[task.key] for task in stale if task.key in errors)
        summary.warnings.extend(w for task in stale for w in warnings.get(task.key, ()))
        result.seconds = time.perf_counter() - began
        reporter.end_step(step, result)
        return result

    def _chunk_tasks(self, step: Step, stale: list[KeyTask], params: dict, options: dict,
                     executor: Executor) -> list[ChunkTask]:
        chunks = []
        for keys in self._chunks(step, stale, executor.workers):
            names = {n: s for task in keys for n, s in task.hashes.items()}
            chunks.append(ChunkTask(step.name, keys, params, options, self.store.output_location,
                                    self.store.models_location, self.store.fsync, self.store.known(names)))
        return chunks

    def _execute(self, step: Step, stale: list[KeyTask], params: dict, options: dict, cache,
                 pool: "_LazyExecutor") -> Iterator[KeyResult]:
        """Run the stale keys: here, or on the executor's workers when it pays."""
        if not stale:
            return
        executor = pool.get(len(stale), step.scope, step.name)
        if executor is None:
            for task in stale:
                yield from run_keys(self.store, step, [task], params, options, cache)
            return
        chunks = self._chunk_tasks(step, stale, params, options, executor)
        meanwhile = functools.partial(pool.prepare_here, self.store)
        for results in executor.map_unordered(run_chunk, chunks, meanwhile=meanwhile):
            yield from results


def _reads(step: Step, other: Step) -> bool:
    """Whether ``step`` reads an artifact kind ``other`` writes."""
    return any(read.kind in other.writes for read in step.reads)


class _LazyExecutor:
    """The run's executor, started only when a step has work for several workers.

    Local workers may also be started early, by :meth:`start_preparing`, as soon as the
    runner knows documents will go through a step that has a ``prepare``: the workers
    load its resources while this process plans and runs the light steps before it.
    """

    def __init__(self, jobs: int | None, executor: str | Executor, scheduler: Any,
                 store: tuple[str, str, bool] | None = None):
        self.jobs = jobs
        self.name = executor
        self.scheduler = scheduler
        self.store = store
        self._executor: Executor | None = None
        #: ``(step name, params)`` of the steps still to run that have a ``prepare``.
        self.preparing: tuple[tuple[str, dict], ...] = ()
        self._recycled = False
        #: Names of the steps the early workers prepared.
        self._prepared_steps: frozenset[str] = frozenset()
        #: ``(step name, params)`` this process prepares while it waits for the workers.
        self._local_preparing: tuple[tuple[str, dict], ...] = ()

    @property
    def _prepared(self) -> bool:
        """Whether the workers running now were started early, each preparing steps."""
        return bool(self._prepared_steps)

    @property
    def _remote(self) -> bool:
        """Whether the executor is a cluster (Dask), which runs corpus steps too."""
        return self.name == "dask" or getattr(self.name, "remote", False)

    def _local_workers(self) -> int:
        """How many local workers this run may use (1: none, everything here)."""
        if self._remote or isinstance(self.name, Executor):
            return 1
        if self.jobs is not None:
            return int(self.jobs)
        return available_cores()

    def start_preparing(self, n_tasks: int) -> None:
        """Start up to ``n_tasks`` local workers now, each preparing the steps to come."""
        if self._executor is not None or not self.preparing or self.store is None:
            return
        workers = min(self._local_workers(), n_tasks)
        # One document and one core to spare is the case this is for (an add): a
        # worker loads spaCy while this process ingests and separates it.
        if workers < 1 or self._local_workers() < 2:
            return
        specs = self.preparing
        if n_tasks == 1:
            # One document: the worker prepares only the step it is started for (the
            # heavy one, spaCy); the document's later steps are light and run here, and
            # this process prepares them while it waits for that worker (see
            # :meth:`prepare_here`) instead of the worker paying for them in turn.
            specs, self._local_preparing = specs[:1], specs[1:]
        # Both processes need numpy (this one for the duplicate index and the topics, the
        # workers for spaCy): imported once, before the workers are forked, not in each.
        import numpy  # noqa: F401
        self._executor = ProcessExecutor(workers, functools.partial(prepare_steps, self.store, specs))
        self._executor.start()
        self._prepared_steps = frozenset(name for name, _ in specs)

    def prepare_here(self, store: ArtifactStore) -> None:
        """Prepare, in this process, the steps left to it by :meth:`start_preparing`
        (once; best effort, as in a worker: a failure shows in the step itself)."""
        specs, self._local_preparing = self._local_preparing, ()
        _prepare_each(specs, store)

    def get(self, n_tasks: int, scope: str, step: str = "") -> Executor | None:
        if not self._remote:
            if self.jobs == 1 or scope == "corpus":
                return None
            if n_tasks < 2 and step not in self._prepared_steps:
                return None
            # Starting workers (each imports the stages and loads its models) costs more
            # than a language step saves by running both languages at once: only a pool
            # already started for the documents is used for them, and only when it can
            # run them side by side (one worker would add only the messages).
            if scope == "language" and not self._recycled and (
                    self._executor is None or self._executor.workers < 2):
                return None
            if self.jobs is None and available_cores() == 1:
                return None
            if (self._prepared and scope == "document"
                    and self._executor.workers < min(self._local_workers(), n_tasks)):
                # Started small for a few documents; this step has more: a full pool.
                self.close()
        if self._executor is None:
            self._executor = make_executor(self.name, self.jobs, self.scheduler)
        if isinstance(self._executor, SerialExecutor):
            return None
        return self._executor

    def idle_worker(self) -> "ProcessExecutor | None":
        """The single local worker started early for one document (see
        :meth:`start_preparing`), which has nothing to do once that document's steps
        are done: a language step can run on it beside this process."""
        executor = self._executor
        if (self._prepared and not self._remote and isinstance(executor, ProcessExecutor)
                and executor.workers == 1 and executor is not self.name):
            return executor
        return None

    @property
    def started(self) -> bool:
        return self._executor is not None

    def close(self, now: bool = False) -> None:
        if self._executor is not None and self._executor is not self.name:
            if isinstance(self._executor, ProcessExecutor):
                self._executor.close(now=now)
            else:
                self._executor.close()
        self._executor = None
        self._prepared_steps = frozenset()
        self._local_preparing = ()

    def recycle_local(self) -> None:
        """End local workers that ran a language step; the next step starts new ones
        (language steps included, which otherwise only use a pool already there)."""
        if isinstance(self._executor, ProcessExecutor) and self._executor.workers >= 2 \
                and self._executor is not self.name:
            self.close()
            self._recycled = True

    def release_local(self) -> None:
        """End local worker processes (a Dask cluster, which runs corpus steps too, stays)."""
        if not self._remote:
            self.close()


def run_pipeline(corpus_dir="corpus", output_dir="output", models_dir="models", config=None,
                 **kwargs) -> RunSummary:
    """Run the whole pipeline once; a convenience over :class:`Pipeline`."""
    return Pipeline(corpus_dir, output_dir, models_dir, config).run(**kwargs)

