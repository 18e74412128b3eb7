"""The pipeline over one corpus, one output folder and one models folder: run, status, add, remove.

:class:`Pipeline` is the library's entry point; the CLI and ``watch`` only call it.
A run walks the steps of every stage in pipeline order: the planner
(:mod:`pipeline.run.planner`) says which keys of a step are stale, the pool
(:mod:`pipeline.run.pool`) says where they run (here, in ``jobs`` worker processes,
or as tasks on a Dask cluster), and each worker (:mod:`pipeline.run.worker`) reads
its inputs and writes its artifacts itself, sending back only what it wrote. A
document whose step fails is reported and its stale artifact removed; the other
documents go on. A document's artifacts are the same bytes whatever runs them.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..store import ArtifactRef, ArtifactStore
from ..config import load as load_config
from ..corpus import AddResult, Corpus, Document
from ..errors import PipelineError
from ..stage import ArtifactCache, RunOptions, Step
from ..stages import PARAM_SPECS, STEPS
from .executors import EXECUTORS, Executor, task_result
from .planner import Planner, reads_output, select_steps, step_keys
from .pool import WorkerPool
from .summary import Reporter, RunSummary, StepSummary
from .worker import ChunkTask, KeyResult, KeyTask, run_chunk, run_keys


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
        self.planner = Planner(self.corpus, self.store, self.params)
        self._workers: WorkerPool | None = None

    # -- planning --------------------------------------------------------------
    select_steps = staticmethod(select_steps)
    keys = staticmethod(step_keys)

    def input_hashes(self, step: Step, key: str, documents: list[Document],
                     by_id: dict[str, Document] | None = None) -> dict[str, str]:
        """sha256 of every input the step declares for ``key`` (see :meth:`Planner.input_hashes`)."""
        return self.planner.input_hashes(step, key, documents, by_id)

    def status(self, steps: Iterable[Step] | None = None) -> list[tuple[str, str, bool, str]]:
        """Freshness of every artifact: ``(step, key, fresh, reason)`` (see :meth:`Planner.status`)."""
        return self.planner.status(steps)

    # -- the corpus ------------------------------------------------------------
    def add(self, items: Iterable, allow_duplicates: bool = False,
            progress: Callable[[AddResult], None] | None = None,
            on_wait: Callable[[str], None] | None = None) -> list[AddResult]:
        """Add documents to the corpus, under the store's lock; run nothing.

        Parameters
        ----------
        items : iterable
            What :func:`pipeline.corpus.read_file` gave: new documents, or results
            (a file that could not be read) that are passed through.
        allow_duplicates : bool
            Add near-duplicates anyway (exact duplicates are always skipped).
        progress : callable, optional
            Called with each :class:`AddResult` as it is decided.
        on_wait : callable, optional
            Told (one line) when another process holds the lock.

        Returns
        -------
        list of AddResult
            One per item, in order. :meth:`run` then processes the added documents.
        """
        with self.store.lock(on_wait=on_wait):
            return self.corpus.add(items, allow_duplicates=allow_duplicates, progress=progress)

    def remove(self, doc_ids: Iterable[str],
               on_wait: Callable[[str], None] | None = None) -> tuple[list[tuple[str, list[Path]]], list[str]]:
        """Remove documents and their per-document artifacts, under the store's lock.

        Every id is checked before anything is removed, so an unknown id (a typo)
        removes nothing. Corpus-level results (models, corpus keywords, topics, the
        report) still count the removed documents until the next :meth:`run`.

        Returns
        -------
        removed : list of (doc_id, files)
            Each document removed, with the corpus files deleted.
        pruned : list of str
            The artifacts deleted (``kind/doc_id``).

        Raises
        ------
        PipelineError
            For an unknown id, naming known ones.
        """
        wanted = list(dict.fromkeys(doc_ids))
        known = {d.doc_id for d in self.corpus.documents()}
        for doc_id in wanted:
            if doc_id not in known:
                self.corpus.document(doc_id)  # raises: unknown id, with the known ones
        with self.store.lock(on_wait=on_wait):
            removed = [(doc_id, self.corpus.remove(doc_id)) for doc_id in wanted]
            # Per-document artifacts go now, so no reader sees results of a removed document.
            pruned = self.prune(self.corpus.documents())
        return removed, pruned

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
        pool = WorkerPool(self.jobs, self.executor, self.scheduler, store=self._store_spec())
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
            pool = early or WorkerPool(*settings, store=self._store_spec())
            # Under the lock, every file written meanwhile is written here or reported
            # here by the workers, so file stats can be remembered for the run.
            self.store.memoize_stats(True)
            try:
                return self._run(only, start, reporter, force, refit, pool)
            finally:
                self.store.memoize_stats(False)
                pool.close()
                self.store.save_index()

    def write_report(self, reporter: Reporter | None = None) -> RunSummary:
        """Bring every stage up to date and write the reports afresh.

        The report is rebuilt even when nothing changed (the documents' sections are
        fresh, so only the assembly runs again): a user who asks for the report gets
        new pages, with the time they were built.
        """
        summary = self.run(reporter=reporter)
        if not any(s.name == "report" and s.ran for s in summary.steps):
            self.store.delete(ArtifactRef("report", "corpus"))
            summary = self.run(only="report", reporter=reporter)
        return summary

    def report_files(self) -> list[str]:
        """Where the report's files are (``report.html``, the Markdown and CSV tables).

        Raises
        ------
        PipelineError
            When the report has not been built yet.
        """
        report = self.store.load("report", "corpus")
        return [self.store.file_path(name) for name in report["files"]]

    def _run(self, only, start, reporter: Reporter, force: bool, refit: bool = False,
             pool: "WorkerPool | None" = None) -> RunSummary:
        began = time.perf_counter()
        pool = pool or WorkerPool(1, "local", None)
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
        options = RunOptions(refit=refit, params=self.params,
                             steps=tuple((s.name, s.scope, s.writes) for s in STEPS), n_documents=len(documents),
                             cores=pool.local_workers())
        steps = self.select_steps(only, start)
        # A language step running on an idle worker while this process goes on with the
        # steps after it.
        aside: _SideStep | None = None
        for index, step in enumerate(steps):
            if aside is not None and aside.step is step:
                continue  # already running on the side (see below)
            if aside is not None and (reads_output(step, aside.step)
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
            if worker is not None and later is not None and not reads_output(later, step):
                # The next step does not read what this one writes: one of the two runs on
                # the worker (started for a few documents, idle once their document steps
                # are done) while this process runs the other; a step that reads it waits.
                # The next one goes, if it is the model step (the heavier) and also a
                # language step that reads nothing of this one.
                side = (later if later.scope == "language" and later.fits_model and not step.fits_model
                        and not reads_output(step, later) else step)
                result, stale, side_began = self._plan_step(side, documents, reporter,
                                                            force or (refit and side.fits_model), pool)
                chunks = self._chunk_tasks(side, stale, self.params[side.stage], options, worker)
                aside = _SideStep(side, stale, worker.submit_all(run_chunk, chunks), result, side_began)
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

    def _finish_aside(self, aside: "_SideStep", reporter: Reporter, summary: RunSummary) -> None:
        """Wait for a step run on the side (see :meth:`_run`) and record what it wrote."""
        outcomes = (outcome for future in aside.futures for outcome in task_result(future))
        self._finish_step(aside.step, aside.stale, outcomes, reporter, summary, aside.result, aside.began)

    def _chunks(self, step: Step, tasks: list[KeyTask], workers: int) -> list[list[KeyTask]]:
        if step.scope != "document":
            return [[task] for task in tasks]
        size = self.chunk_size or max(1, min(64, -(-len(tasks) // (4 * workers))))
        return [tasks[i:i + size] for i in range(0, len(tasks), size)]

    def _run_step(self, step: Step, documents: list[Document], reporter: Reporter, force: bool,
                  cache, summary: RunSummary, options: RunOptions,
                  pool: "WorkerPool | None" = None) -> StepSummary:
        pool = pool or WorkerPool(1, "local", None)
        result, stale, began = self._plan_step(step, documents, reporter, force, pool)
        outcomes = self._execute(step, stale, self.params[step.stage], options, cache, pool)
        return self._finish_step(step, stale, outcomes, reporter, summary, result, began)

    def _plan_step(self, step: Step, documents: list[Document], reporter: Reporter, force: bool,
                   pool: WorkerPool) -> tuple[StepSummary, list[KeyTask], float]:
        """The stale keys of a step (see :meth:`Planner.plan`); local workers start
        preparing for them at once when the step is a document step."""
        began = time.perf_counter()
        result, stale = self.planner.plan(step, documents, reporter, force)
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
                    self.store.record(ArtifactRef(kind, outcome.key), entry)
                result.ran += 1
            reporter.advance(step, outcome.key, outcome.action)
        # Workers finish in any order; errors are listed in corpus order all the same.
        summary.errors.extend(errors[task.key] for task in stale if task.key in errors)
        summary.warnings.extend(w for task in stale for w in warnings.get(task.key, ()))
        result.seconds = time.perf_counter() - began
        reporter.end_step(step, result)
        return result

    def _chunk_tasks(self, step: Step, stale: list[KeyTask], params: dict, options: RunOptions,
                     executor: Executor) -> list[ChunkTask]:
        chunks = []
        for keys in self._chunks(step, stale, executor.workers):
            names = {n: s for task in keys for n, s in task.hashes.items()}
            chunks.append(ChunkTask(step.name, keys, params, options, self._store_spec(), self.store.known(names)))
        return chunks

    def _execute(self, step: Step, stale: list[KeyTask], params: dict, options: RunOptions, cache,
                 pool: "WorkerPool") -> Iterator[KeyResult]:
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


@dataclass
class _SideStep:
    """A step running on an idle worker while this process runs the steps after it."""

    step: Step
    stale: list[KeyTask]
    futures: list
    result: StepSummary
    began: float


def run_pipeline(corpus_dir="corpus", output_dir="output", models_dir="models", config=None,
                 **kwargs) -> RunSummary:
    """Run the whole pipeline once; a convenience over :class:`Pipeline`."""
    return Pipeline(corpus_dir, output_dir, models_dir, config).run(**kwargs)

