"""The run's pool of workers: started only when a step has work for several, early when
a few new documents are coming, ended when only corpus steps remain.

The policy in one place: a step runs in this process unless it has at least two keys
(or workers were started for it), a language step uses only a pool already running
for the documents, corpus steps run here (or on the cluster, with Dask), and workers
that fitted a corpus model are replaced, since Python seldom gives heap memory back.
"""

from __future__ import annotations

import functools
from typing import Any

from .executors import Executor, ProcessExecutor, SerialExecutor, available_cores, make_executor
from .worker import StoreSpec, prepare_each, prepare_steps
from ..store import ArtifactStore


class WorkerPool:
    """The run's executor, started only when a step has work for several workers.

    Local workers may also be started early, by :meth:`start_preparing`, as soon as the
    runner knows documents will go through a step that has a ``prepare``: the workers
    load its resources while this process plans and runs the light steps before it.
    """

    def __init__(self, jobs: int | None, executor: str | Executor, scheduler: Any,
                 store: StoreSpec | None = None):
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

    def local_workers(self) -> int:
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
        workers = min(self.local_workers(), n_tasks)
        # One document and one core to spare is the case this is for (an add): a
        # worker loads spaCy while this process ingests and separates it.
        if workers < 1 or self.local_workers() < 2:
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
        prepare_each(specs, store)

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
                    and self._executor.workers < min(self.local_workers(), n_tasks)):
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
