"""Where the work of a step runs: in this process, in a pool of processes, or on Dask.

The runner decides which keys of a step are stale, cuts them into chunks and hands
each chunk to an executor as one task, ``fn(task) -> result``; results come back in
the order they finish. A task carries everything its worker needs (paths, keys,
parameters), and the worker reads and writes the artifacts itself, so only small
summaries travel back. Whatever the executor, a document's artifacts depend only on
its inputs and parameters, so they are byte-identical.

- :class:`SerialExecutor` runs tasks one after the other in this process.
- :class:`ProcessExecutor` runs them in ``jobs`` worker processes (forked, so the
  imported libraries are shared; each worker keeps its caches, the normalizers,
  lexicons and loaded models, for the whole run).
- :class:`DaskExecutor` submits them to a ``dask.distributed`` scheduler: the workers
  must see the corpus, output and models folders at the same paths (a shared file
  system) and have this package installed.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from ..errors import PipelineError

EXECUTORS = ("local", "dask")


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Executor:
    """Runs tasks; the interface the runner uses."""

    #: How many tasks can run at once (the runner sizes chunks from it).
    workers: int = 1
    #: Whether corpus-wide steps should be sent to the workers too (where the data are).
    remote: bool = False

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any],
                      meanwhile: Callable[[], None] | None = None) -> Iterator[Any]:
        """``fn(task)`` for every task, yielded as they finish; ``meanwhile()``, if
        given, runs in this process once the first tasks are sent, while they run."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the workers."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class SerialExecutor(Executor):
    """Every task in this process, in order."""

    workers = 1

    def map_unordered(self, fn, tasks, meanwhile=None):
        if meanwhile is not None:
            meanwhile()
        for task in tasks:
            yield fn(task)


def _init_worker(parent_pid: int, prepare: Callable[[], None] | None = None) -> None:
    """Worker initializer: end this worker when the run's process ends; one BLAS thread;
    then ``prepare()``, if given (best effort: a failure there shows in the task that
    needs what it prepares, with its own message).

    A forked worker inherits the output folder's lock; left behind by a killed run
    it would block every later run. The kernel sends it SIGKILL when its parent dies.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - exotic libc
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    # The workers already use every core: a BLAS library starting threads of its own in
    # each of them only spins (it cost the topic fit half its CPU time).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    if "numpy" in sys.modules:  # already loaded before the fork: limit it now
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=1)
        except ImportError:  # pragma: no cover - scikit-learn brings threadpoolctl
            pass
    if prepare is not None:
        try:
            prepare()
        except Exception:  # noqa: BLE001 - see the docstring
            pass


def task_result(future):
    """A local worker's result; a worker that died (killed, out of memory) is a clear
    error, not a traceback from the pool's internals."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise PipelineError(
            "a worker process ended before its task did (killed, or out of memory?); what was "
            "finished is kept: run the command again, or with --jobs 1 to use no worker"
        ) from None


class ProcessExecutor(Executor):
    """Tasks in a pool of ``jobs`` processes on this machine.

    Parameters
    ----------
    jobs : int
        Number of worker processes. The pool is started on first use (or by
        :meth:`start`) and kept for the executor's life, so worker caches survive from
        step to step.
    prepare : callable, optional
        Run by each worker when it starts, before any task (it must be picklable:
        a module-level function or a ``functools.partial`` of one).
    """

    def __init__(self, jobs: int, prepare: Callable[[], None] | None = None):
        self.workers = max(1, int(jobs))
        self.prepare = prepare
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers now, so that their ``prepare`` runs while this process works."""
        # A pool forks its workers on its first submission: a no-op task, not waited for.
        self._ensure_pool().submit(int)

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # fork: a worker starts in milliseconds with spaCy, scikit-learn and the
            # pipeline already imported (spawn would import them again, seconds each).
            method = "fork" if sys.platform.startswith("linux") else None
            context = multiprocessing.get_context(method)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_init_worker, initargs=(os.getpid(), self.prepare))
        return self._pool

    def map_unordered(self, fn, tasks, meanwhile=None):
        tasks = list(tasks)
        if not tasks:
            return
        pool = self._ensure_pool()
        # Keep a bounded number of tasks in flight: results stream back, and the
        # parent never holds every chunk's summary and task at once.
        pending = set()
        queue = iter(tasks)
        for task in queue:
            pending.add(pool.submit(fn, task))
            if len(pending) >= 2 * self.workers:
                break
        if meanwhile is not None:
            meanwhile()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield task_result(future)
                for task in queue:
                    pending.add(pool.submit(fn, task))
                    break

    def submit_all(self, fn, tasks) -> list:
        """Send every task now; their futures (for work that runs beside this process)."""
        pool = self._ensure_pool()
        return [pool.submit(fn, task) for task in tasks]

    def close(self, now: bool = False) -> None:
        """Release the workers; with ``now``, end them at once, even mid-``prepare``
        (for workers started early that no task used)."""
        if self._pool is not None:
            if now:
                # ProcessPoolExecutor has no public way to stop a busy worker before
                # Python 3.14 (terminate_workers); its process table is the one handle.
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """Tasks on a ``dask.distributed`` cluster.

    Parameters
    ----------
    scheduler : str or distributed.Client, optional
        The scheduler's address (``tcp://host:8786``), or a connected client. Without
        one, a local cluster of ``jobs`` single-threaded worker processes is started
        for the executor's life.
    jobs : int, optional
        Workers of the local cluster started when no scheduler is given.
    """

    remote = True

    def __init__(self, scheduler: Any = None, jobs: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - depends on the installation
            raise PipelineError(
                "the dask executor needs dask.distributed; install it with "
                "pip install 'bilingual-textmining-pipeline[scale]'"
            ) from None
        self._own_client = False
        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(n_workers=jobs or available_cores(), threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self.client = Client(self._cluster)
            self._own_client = True
        elif isinstance(scheduler, str):
            try:
                self.client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise PipelineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            self._own_client = True
        else:
            self.client = scheduler
        threads = self.client.nthreads() or {}
        self.workers = max(1, sum(threads.values()))

    def map_unordered(self, fn, tasks, meanwhile=None):
        from distributed import as_completed

        futures = [self.client.submit(fn, task, pure=False) for task in tasks]
        if not futures:
            return
        if meanwhile is not None:
            meanwhile()
        for future in as_completed(futures):
            yield future.result()
            future.release()

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(executor: str | Executor | None = "local", jobs: int | None = None,
                  scheduler: Any = None) -> Executor:
    """The executor named by the run's options.

    Parameters
    ----------
    executor : {"local", "dask"} or Executor
        ``"local"``: ``jobs`` processes on this machine (in this process when 1).
        ``"dask"``: the Dask scheduler at ``scheduler`` (or a local Dask cluster).
    jobs : int, optional
        Processes on this machine; default every core this process may use.
    scheduler : str or distributed.Client, optional
        For ``"dask"``: the scheduler's address or a client.
    """
    if isinstance(executor, Executor):
        return executor
    name = executor or "local"
    if jobs is not None and int(jobs) < 1:
        raise PipelineError(f"jobs must be at least 1 (got {jobs})")
    if name == "local":
        if scheduler is not None:
            raise PipelineError("a scheduler address needs the dask executor (executor='dask')")
        jobs = available_cores() if jobs is None else int(jobs)
        return SerialExecutor() if jobs == 1 else ProcessExecutor(jobs)
    if name == "dask":
        return DaskExecutor(scheduler, jobs)
    raise PipelineError(f"unknown executor '{name}'; choose one of {', '.join(EXECUTORS)}")
