"""Which steps are stale, in what order they run, and what happened.

The runner walks the steps of every stage in pipeline order. For each key (a
document id, a language, or the whole corpus) it computes the sha256 of every
input the step declares, compares them and the parameter hash with the header of
the artifacts already on disk, and runs the step only when something changed. A
document whose step fails is reported and its stale artifact removed; the other
documents go on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .artifacts import ArtifactRef, ArtifactStore
from .config import Param
from .config import load as load_config
from .corpus import Corpus, Document
from .errors import ArtifactError, PipelineError
from .stage import LANGS, Step
from .stages import ingest, keywords, normalize, report, separate, topics

STAGE_MODULES = (ingest, separate, normalize, keywords, topics, report)
STAGES = tuple(m.NAME for m in STAGE_MODULES)
PARAM_SPECS: dict[str, dict[str, Param]] = {m.NAME: m.PARAMS for m in STAGE_MODULES}
STEPS: tuple[Step, ...] = tuple(step for m in STAGE_MODULES for step in m.STEPS)


class Inputs:
    """The inputs of one run of a step, loaded on demand and validated on read.

    Parameters
    ----------
    store : ArtifactStore
    documents : list of Document
        The corpus, for ``corpus`` reads and ``all`` reads.
    key : str
        The step's key (document id, language or ``"corpus"``).
    """

    def __init__(self, store: ArtifactStore, documents: list[Document], key: str,
                 cache: dict | None = None, options: dict | None = None):
        self.store = store
        self.documents = documents
        self.key = key
        self.options = options or {}
        self._cache = cache if cache is not None else {}

    def raw(self) -> tuple[Path, bytes]:
        """The corpus file of this document: its path and bytes."""
        doc = next(d for d in self.documents if d.doc_id == self.key)
        return doc.path, doc.path.read_bytes()

    def one(self, kind: str, key: str | None = None) -> dict:
        """One artifact (this step's key unless ``key`` is given)."""
        ref = ArtifactRef(kind, key or self.key)
        path = self.store.path(ref)
        sha = self.store.sha256(ref)
        cached = self._cache.get((str(path), sha))
        if cached is None:
            cached = self.store.read(ref)
            self._cache[(str(path), sha)] = cached
        return cached

    def all(self, kind: str) -> dict[str, dict]:
        """That kind's artifact for every corpus document that has one, by document id."""
        out = {}
        for doc in self.documents:
            if self.store.exists(ArtifactRef(kind, doc.doc_id)):
                out[doc.doc_id] = self.one(kind, doc.doc_id)
        return out

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


class Pipeline:
    """The whole pipeline over one corpus, one output folder and one models folder.

    Parameters
    ----------
    corpus_dir, output_dir, models_dir : path
    config : path, optional
        A TOML file overriding stage parameters.
    params : dict, optional
        Already-resolved parameters (instead of ``config``), e.g. from tests.
    """

    def __init__(self, corpus_dir: str | Path = "corpus", output_dir: str | Path = "output",
                 models_dir: str | Path = "models", config: str | Path | None = None,
                 params: dict[str, dict[str, Any]] | None = None):
        self.corpus = Corpus(corpus_dir)
        self.store = ArtifactStore(output_dir, models_dir)
        self.params = params if params is not None else load_config(PARAM_SPECS, config)

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

    def input_hashes(self, step: Step, key: str, documents: list[Document]) -> dict[str, str]:
        """sha256 of every input the step declares for ``key``.

        Raises
        ------
        ArtifactError
            When a ``self`` input is missing (the upstream step failed or never ran).
        """
        hashes: dict[str, str] = {}
        for read in step.reads:
            if read.kind == "corpus":
                doc = next(d for d in documents if d.doc_id == key)
                hashes[f"corpus/{doc.path.name}"] = self.store.file_sha256(doc.path)
                continue
            if read.which == "self":
                keys = [key]
            elif read.which == "all":
                keys = [d.doc_id for d in documents]
            else:
                keys = list(LANGS)
            for k in keys:
                ref = ArtifactRef(read.kind, k)
                if self.store.exists(ref):
                    hashes[ref.name] = self.store.sha256(ref)
                elif read.which == "self":
                    raise ArtifactError(f"{self.store.path(ref)}: missing input of {step.name}")
        return hashes

    def status(self, steps: Iterable[Step] | None = None) -> list[tuple[str, str, bool, str]]:
        """Freshness of every artifact: ``(step, key, fresh, reason)``.

        Staleness propagates: a step whose input is itself stale is stale too,
        even when the hashes on disk still agree.
        """
        documents = self.corpus.documents()
        rows = []
        stale: set[str] = set()
        for step in steps or STEPS:
            params = self.params[step.stage]
            for key in self.keys(step, documents):
                try:
                    hashes = self.input_hashes(step, key, documents)
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
            reporter: Reporter | None = None, force: bool = False, refit: bool = False) -> RunSummary:
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
            Refit the corpus models (topics) instead of reusing the saved ones.
        """
        reporter = reporter or Reporter()
        with self.store.lock(on_wait=reporter.waiting):
            return self._run(only, start, reporter, force, refit)

    def _run(self, only, start, reporter: Reporter, force: bool, refit: bool = False) -> RunSummary:
        began = time.perf_counter()
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
        cache: dict = {}
        # What steps may know of the run beyond their own parameters: the report shows
        # every stage's settings and how many artifacts each step has.
        options = {"refit": refit, "params": self.params,
                   "steps": [(s.name, s.scope, s.writes) for s in STEPS], "n_documents": len(documents)}
        for step in self.select_steps(only, start):
            # A refit is new work even when the inputs are unchanged.
            step_force = force or (refit and step.stage == "topics")
            summary.steps.append(self._run_step(step, documents, reporter, step_force, cache, summary, options))
        summary.seconds = time.perf_counter() - began
        return summary

    def _run_step(self, step: Step, documents: list[Document], reporter: Reporter, force: bool,
                  cache: dict, summary: RunSummary, options: dict) -> StepSummary:
        params = self.params[step.stage]
        keys = self.keys(step, documents)
        result = StepSummary(step.name, step.stage)
        reporter.start_step(step, len(keys))
        began = time.perf_counter()
        for key in keys:
            try:
                hashes = self.input_hashes(step, key, documents)
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
            inputs = Inputs(self.store, documents, key, cache, options)
            try:
                payloads = step.run(key, inputs, params)
            except PipelineError as exc:
                for kind in step.writes:
                    self.store.delete(ArtifactRef(kind, key))
                summary.errors.append(str(exc))
                result.failed += 1
                reporter.advance(step, key, "failed")
                continue
            for kind in step.writes:
                ref = ArtifactRef(kind, key)
                payload = payloads[kind]
                header = self.store.header(
                    ref, step.stage, hashes, params,
                    document=key if step.scope == "document" else None,
                    language=key if step.scope == "language" else None,
                )
                self.store.write(ref, {"header": header, **payload})
            result.ran += 1
            reporter.advance(step, key, "ran")
        result.seconds = time.perf_counter() - began
        reporter.end_step(step, result)
        return result


def run_pipeline(corpus_dir="corpus", output_dir="output", models_dir="models", config=None,
                 **kwargs) -> RunSummary:
    """Run the whole pipeline once; a convenience over :class:`Pipeline`."""
    return Pipeline(corpus_dir, output_dir, models_dir, config).run(**kwargs)

