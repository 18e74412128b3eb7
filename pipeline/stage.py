"""What a stage is: named steps that declare what they read, what they write, and their parameters.

A stage module (``pipeline/stages/*.py``) exports ``PARAMS`` (its configurable values)
and ``STEPS`` (one or more :class:`Step`). The runner reads these declarations to know
which artifacts a step depends on, whether it is stale, and in what order to run it;
the step's ``run`` function only turns loaded inputs into payloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

LANGS = ("id", "en")


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
        ``"langs"``: that kind's artifact for every language.
    """

    kind: str
    which: str = "self"


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
        from the runner. ``inputs`` is an :class:`pipeline.runner.Inputs`.
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

    def warm(self, params: dict[str, Any], store: Any) -> None:
        """Load what every document to come needs (:attr:`warm_up`, else :attr:`prepare`)."""
        load = self.warm_up or self.prepare
        if load is not None:
            load(params, store)
