"""Which steps run, for which keys, and which of those keys are stale.

For each key of a step (a document id, a language, or ``"corpus"``) the planner
computes the sha256 of the payload of every input the step declares, and compares
them and the parameter hash with the headers of the artifacts already in the store
(:meth:`pipeline.store.ArtifactStore.is_fresh`, which reads only headers, or only
the index). A key runs only when something changed.
"""

from __future__ import annotations

from typing import Iterable

from ..store import ArtifactRef, ArtifactStore
from ..corpus import Corpus, Document
from ..errors import ArtifactError, PipelineError
from ..stage import LANGS, Step
from ..stages import STAGES, STEPS
from .summary import Reporter, StepSummary
from .worker import KeyTask


def select_steps(only: str | None = None, start: str | None = None) -> list[Step]:
    """The steps to run: all, those of one stage (``only``), or from a stage on (``start``)."""
    for name in (only, start):
        if name is not None and name not in STAGES:
            raise PipelineError(f"unknown stage '{name}'; the stages are {', '.join(STAGES)}")
    if only:
        return [s for s in STEPS if s.stage == only]
    if start:
        first = STAGES.index(start)
        return [s for s in STEPS if STAGES.index(s.stage) >= first]
    return list(STEPS)


def step_keys(step: Step, documents: list[Document]) -> list[str]:
    """The keys a step runs for: each document, each language, or ``"corpus"``."""
    if step.scope == "document":
        return [d.doc_id for d in documents]
    if step.scope == "language":
        return list(LANGS)
    return ["corpus"]


def reads_output(step: Step, other: Step) -> bool:
    """Whether ``step`` reads an artifact kind ``other`` writes."""
    return any(read.kind in other.writes for read in step.reads)


class Planner:
    """Input hashes and freshness of the steps over one corpus and one store.

    Parameters
    ----------
    corpus : Corpus
    store : ArtifactStore
    params : dict
        Every stage's parameters, by stage name.
    """

    def __init__(self, corpus: Corpus, store: ArtifactStore, params: dict[str, dict]):
        self.corpus = corpus
        self.store = store
        self.params = params
        # kind -> (store generation, documents, {name: payload sha256}); see _all_hashes.
        self._all_memo: dict[str, tuple[int, list, dict[str, str]]] = {}

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
            elif read.which == "corpus":
                keys = ["corpus"]
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
                        raise ArtifactError(f"{self.store.where(self.store.path(ref))}: "
                                            f"missing input of {step.name}") from None
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

        Staleness propagates: a step whose input is itself stale is stale too, even
        when the hashes on disk still agree. Read-only: the store's index is left as it is.
        """
        documents = self.corpus.documents()
        by_id = {d.doc_id: d for d in documents}
        rows = []
        stale: set[str] = set()
        for step in steps or STEPS:
            params = self.params[step.stage]
            for key in step_keys(step, documents):
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

    def plan(self, step: Step, documents: list[Document], reporter: Reporter,
             force: bool) -> tuple[StepSummary, list[KeyTask]]:
        """The keys of a step that are stale, with their inputs' hashes.

        The others are counted as skipped (fresh) or failed (an input missing: the
        upstream step failed for that key and said why; its stale outputs are deleted)
        and reported as such.
        """
        params = self.params[step.stage]
        keys = step_keys(step, documents)
        by_id = {d.doc_id: d for d in documents}
        result = StepSummary(step.name, step.stage)
        reporter.start_step(step, len(keys))
        # Steps that read every document get the whole corpus; the others only their own
        # document, so a task stays small whatever the corpus size.
        reads_all = any(read.which == "all" for read in step.reads)
        stale: list[KeyTask] = []
        for key in keys:
            try:
                hashes = self.input_hashes(step, key, documents, by_id)
            except ArtifactError:
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
        return result, stale
