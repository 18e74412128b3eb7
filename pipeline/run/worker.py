"""The work a worker does: run one step on some keys and write what it produces.

A worker (this process, a local worker process or a Dask worker) gets a
:class:`ChunkTask`: the step's name, the keys with their inputs' hashes, the step's
parameters and where the store is. It reads its inputs and writes its artifacts
itself, and sends back only a :class:`KeyResult` per key: what it wrote (the index
entry, so the process that keeps the index need not read the file again) or why the
key failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store import ArtifactRef, ArtifactStore
from ..store.index import Entry
from ..corpus import Document
from ..errors import PipelineError
from ..stage import KEEP, WARNINGS, ArtifactCache, Inputs, RunOptions, Step
from ..stages import STEP_BY_NAME

#: Where a worker finds the store: ``(output location, models location, fsync)``.
StoreSpec = tuple[str, str, bool]


@dataclass
class KeyTask:
    """The work on one key of a step: the key, its inputs' payload hashes, and the
    documents the step may read (the whole corpus for a step that reads every document)."""

    key: str
    hashes: dict[str, str]
    documents: list[Document]


@dataclass
class ChunkTask:
    """A chunk of keys of one step, as sent to a worker (a process or a Dask task)."""

    step: str
    keys: list[KeyTask]
    params: dict
    options: RunOptions
    store: StoreSpec
    trusted: dict[str, str]


@dataclass
class KeyResult:
    """What a worker did with one key.

    ``action`` is ``"ran"``, with ``written``: the store's index entry of each kind it
    wrote (sha256, stat, payload sha256, header fingerprint), or ``"failed"``, with
    ``error``: the one-line message.
    """

    key: str
    action: str
    written: dict[str, Entry] = field(default_factory=dict)
    error: str = ""
    warnings: list[str] = field(default_factory=list)


# One store (and so one hash cache) per worker for the life of the worker: loaded
# models and normalizers are cached per store and per process across chunks.
_WORKER_STORES: dict[StoreSpec, ArtifactStore] = {}


def worker_store(spec: StoreSpec) -> ArtifactStore:
    """This worker's store for ``spec``, made once per process."""
    store = _WORKER_STORES.get(spec)
    if store is None:
        output_dir, models_dir, fsync = spec
        store = _WORKER_STORES[spec] = ArtifactStore(output_dir, models_dir, fsync=fsync)
    return store


def run_keys(store: ArtifactStore, step: Step, tasks: list[KeyTask], params: dict, options: RunOptions,
             cache: ArtifactCache | dict | None = None) -> list[KeyResult]:
    """Run one step on some keys and write what it produces; the work of one chunk.

    A :class:`PipelineError` of one key removes that key's stale artifacts and is
    reported in its result; the other keys go on. What ``run`` returns is checked
    against the step's declaration before anything is written.
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
        step.check_payloads(payloads)
        warnings = list(payloads.get(WARNINGS, ()))
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


def prepare_steps(spec: StoreSpec, steps: tuple[tuple[str, dict], ...]) -> None:
    """Worker start-up: ``prepare(params, store)`` of each named step (see
    :attr:`pipeline.stage.Step.prepare`), with the store the worker's tasks will use."""
    prepare_each(steps, worker_store(spec))


def prepare_each(steps: tuple[tuple[str, dict], ...], store: ArtifactStore) -> None:
    """``prepare`` each ``(step name, params)``, best effort.

    Preparing only warms caches, and what fails here fails again in the step itself,
    for its document, with the step's own message: so any failure is left to that.
    """
    for name, params in steps:
        try:
            STEP_BY_NAME[name].prepare(params, store)
        except Exception:  # noqa: BLE001 - see the docstring
            pass


def run_chunk(task: ChunkTask) -> list[KeyResult]:
    """Worker entry point: run a :class:`ChunkTask` with this worker's store."""
    store = worker_store(task.store)
    store.trust(task.trusted)
    return run_keys(store, STEP_BY_NAME[task.step], task.keys, task.params, task.options)
