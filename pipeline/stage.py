"""What a stage programs against: steps, their declared inputs and outputs, and the inputs they get.

A stage module (``pipeline/stages/*.py``) exports ``PARAMS`` (its configurable values)
and ``STEPS`` (one or more :class:`Step`). The runner (:mod:`pipeline.run`) reads these
declarations to know which artifacts a step depends on, whether it is stale, and in
what order to run it; the step's ``run`` function only turns loaded inputs
(:class:`Inputs`) into payloads, one per kind it declared.

A declaration is checked when the :class:`Step` is built (a misspelt scope or read
fails at import, not in the middle of a run), and what ``run`` returns is checked
against it (:meth:`Step.check_payloads`) before anything is written.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .store import ArtifactRef, ArtifactStore
from .corpus import Corpus, Document
from .errors import ArtifactError
from .text import LANGS

__all__ = ["KEEP", "LANGS", "SCOPES", "Read", "Step", "StepContractError", "Inputs", "RunOptions", "ArtifactCache",
           "ArtifactMap"]

#: What a step runs once for: each corpus document, each language, or the whole corpus.
SCOPES = ("document", "language", "corpus")
#: Which artifacts of a kind a :class:`Read` means.
READ_WHICH = ("self", "all", "langs", "corpus")
#: The extra key a step's result may hold besides its kinds: one-line warnings.
WARNINGS = "warnings"


class StepContractError(TypeError):
    """A step's declaration is malformed, or its ``run`` returned other kinds than it declared.

    A programming error in a stage module, never a user's: it is raised, not reported
    per document.
    """

@dataclass(frozen=True)
class RunOptions:
    """What a run tells its steps beyond their own parameters.

    None of it may change a document's artifact except ``refit`` (which asks for new
    models); the report shows the rest.

    Parameters
    ----------
    refit : bool
        Refit the corpus models instead of keeping the saved ones (``run --refit``).
    params : dict
        Every stage's parameters, by stage name (the report shows the settings).
    steps : tuple
        ``(name, scope, writes)`` of every step (the report counts their artifacts).
    n_documents : int, optional
        Documents in the corpus; default the step's own document list.
    cores : int
        Cores a corpus step in this process may keep busy (the topic model's search of
        the number of topics runs on that many threads).
    """

    refit: bool = False
    params: dict = field(default_factory=dict)
    steps: tuple = ()
    n_documents: int | None = None
    cores: int = 1


class _Keep:
    """Returned by a step as the payload of a kind it decided to leave as it is."""

    def __repr__(self) -> str:
        return "KEEP"


#: A step's payload meaning "the artifact on disk stays as it is": the runner rewrites
#: only its header (the new inputs), so its payload, and what was built from it, stay
#: byte-identical, and a large model is neither parsed nor serialised again.
KEEP = _Keep()


@dataclass(frozen=True)
class Read:
    """One input of a step.

    Parameters
    ----------
    kind : str
        ``"corpus"`` for the raw corpus file, otherwise an artifact kind.
    which : str
        ``"self"``: the artifact with the step's own key (same document or language);
        ``"all"``: that kind's artifact for every document in the corpus;
        ``"langs"``: that kind's artifact for every language;
        ``"corpus"``: that kind's one artifact of the whole corpus (key ``"corpus"``).
    """

    kind: str
    which: str = "self"

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not self.kind:
            raise StepContractError(f"a Read needs an artifact kind, got {self.kind!r}")
        if self.which not in READ_WHICH:
            raise StepContractError(f"Read({self.kind!r}): which must be one of {', '.join(READ_WHICH)}, "
                                    f"got {self.which!r}")
        if self.kind == "corpus" and self.which != "self":
            raise StepContractError("Read('corpus') reads the step's own corpus file: which must be 'self'")


@dataclass(frozen=True)
class Step:
    """A unit of work of a stage.

    Parameters
    ----------
    name : str
        Unique name, shown in progress and summaries.
    stage : str
        The stage (and config section) it belongs to.
    scope : str
        ``"document"`` (one run per corpus document), ``"language"`` (one per language)
        or ``"corpus"`` (one run for the whole corpus, key ``"corpus"``).
    reads : tuple of Read
        Its inputs; their sha256 go into the header of what it writes.
    writes : tuple of str
        Artifact kinds it writes, each under the step's key.
    run : callable
        ``run(key, inputs, params) -> {kind: payload}``; payloads get their header
        from the runner. ``inputs`` is an :class:`Inputs`. The result holds exactly
        the kinds of ``writes`` (each a payload dict or :data:`KEEP`), and may hold
        ``"warnings"``: one-line messages naming the file and what to do.
    fits_model : bool
        It fits a corpus model that it may reuse while its refit rule allows;
        ``run --refit`` re-runs it and tells it to refit.
    prepare : callable, optional
        ``prepare(params, store)`` loads what ``run`` needs whatever the document (a
        spaCy pipeline, lexicons, a saved model): a worker process calls it when it
        starts, so the cost is paid while the runner is still planning and running
        earlier steps, not after. It must only warm caches: what ``run`` returns may
        not depend on whether it was called.
    warm_up : callable, optional
        ``warm_up(params, store)``: what a resident process (``watch``) loads once for
        every document to come, when that is more than ``prepare`` (which a worker
        started for one document runs); default ``prepare``. The same rule applies.
    """

    name: str
    stage: str
    scope: str
    reads: tuple[Read, ...]
    writes: tuple[str, ...]
    run: Callable[..., dict[str, dict[str, Any]]]
    fits_model: bool = False
    prepare: Callable[[dict[str, Any], Any], None] | None = None
    warm_up: Callable[[dict[str, Any], Any], None] | None = None

    def __post_init__(self) -> None:
        where = f"step {self.name!r}"
        if not isinstance(self.name, str) or not self.name:
            raise StepContractError(f"a step needs a name, got {self.name!r}")
        if self.scope not in SCOPES:
            raise StepContractError(f"{where}: scope must be one of {', '.join(SCOPES)}, got {self.scope!r}")
        if not isinstance(self.reads, tuple) or not all(isinstance(r, Read) for r in self.reads):
            raise StepContractError(f"{where}: reads must be a tuple of Read")
        if any(r.kind == "corpus" for r in self.reads) and self.scope != "document":
            raise StepContractError(f"{where}: only a document step reads the corpus file")
        if (not isinstance(self.writes, tuple) or not self.writes
                or not all(isinstance(k, str) and k for k in self.writes)):
            raise StepContractError(f"{where}: writes must be a non-empty tuple of artifact kinds")
        if len(set(self.writes)) != len(self.writes) or WARNINGS in self.writes or "corpus" in self.writes:
            raise StepContractError(f"{where}: writes {self.writes!r} repeats a kind or uses a reserved name")
        for name in ("run", "prepare", "warm_up"):
            value = getattr(self, name)
            if not callable(value) and not (value is None and name != "run"):
                raise StepContractError(f"{where}: {name} must be callable")

    def check_payloads(self, payloads: Any) -> None:
        """Check what :attr:`run` returned against the declaration.

        Raises
        ------
        StepContractError
            When it is not a dict, misses a declared kind, holds an undeclared one, or a
            payload is neither a dict nor :data:`KEEP`.
        """
        if not isinstance(payloads, dict):
            raise StepContractError(f"step {self.name!r} returned {type(payloads).__name__}, not a dict of payloads")
        returned = set(payloads) - {WARNINGS}
        if returned != set(self.writes):
            missing = sorted(set(self.writes) - returned)
            extra = sorted(returned - set(self.writes))
            raise StepContractError(f"step {self.name!r} declared {list(self.writes)} but returned "
                                    f"{sorted(returned)} (missing {missing}, undeclared {extra})")
        for kind in self.writes:
            if payloads[kind] is not KEEP and not isinstance(payloads[kind], dict):
                raise StepContractError(f"step {self.name!r}: the {kind} payload is "
                                        f"{type(payloads[kind]).__name__}, not a dict or KEEP")

    def warm(self, params: dict[str, Any], store: Any) -> None:
        """Load what every document to come needs (:attr:`warm_up`, else :attr:`prepare`)."""
        load = self.warm_up or self.prepare
        if load is not None:
            load(params, store)


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
    options : RunOptions, optional
        What the run tells steps beyond their parameters.
    """

    def __init__(self, store: ArtifactStore, documents: list[Document], key: str,
                 cache: ArtifactCache | dict | None = None, options: RunOptions | None = None,
                 hashes: dict[str, str] | None = None):
        self.store = store
        self.documents = documents
        self.key = key
        self.options = options if options is not None else RunOptions()
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
            cached, sha = self.store.load_with_sha(ref)
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
