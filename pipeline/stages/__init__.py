"""The stages in pipeline order, and the registry of their steps and parameters.

Each stage is one module with ``NAME``, ``PARAMS`` and ``STEPS`` (see
:mod:`pipeline.stage`). The registry is checked when it is built: every kind a step
writes has a schema and is written by one step only, and every kind a step reads is
written by a step before it (or is the corpus file), so the order below is a valid
topological order and a misdeclared step fails at import.
"""

from __future__ import annotations

from ..config import Param
from ..stage import Step, StepContractError
from ..store.schema import SCHEMA_VERSIONS
from . import align, ingest, keymap, keywords, normalize, report, separate, topics, trends

#: The stage modules, in the order data flows through them.
STAGE_MODULES = (ingest, separate, normalize, keywords, align, keymap, trends, topics, report)
#: Stage names in order (also the config sections).
STAGES: tuple[str, ...] = tuple(m.NAME for m in STAGE_MODULES)
#: Each stage's parameter declarations, by stage name.
PARAM_SPECS: dict[str, dict[str, Param]] = {m.NAME: m.PARAMS for m in STAGE_MODULES}
#: Every step, in run order.
STEPS: tuple[Step, ...] = tuple(step for m in STAGE_MODULES for step in m.STEPS)
#: Steps by name (a worker gets a step's name, not the step).
STEP_BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}


def _check_registry(steps: tuple[Step, ...]) -> None:
    """Raise :class:`StepContractError` when the steps do not form a valid pipeline."""
    names = [step.name for step in steps]
    if len(set(names)) != len(names):
        raise StepContractError(f"step names repeat: {names}")
    written: dict[str, str] = {}
    for step in steps:
        if step.stage not in STAGES:
            raise StepContractError(f"step {step.name!r}: unknown stage {step.stage!r}")
        for read in step.reads:
            if read.kind != "corpus" and read.kind not in written:
                raise StepContractError(f"step {step.name!r} reads {read.kind!r}, which no earlier step writes")
        for kind in step.writes:
            if kind in written:
                raise StepContractError(f"{kind!r} is written by both {written[kind]!r} and {step.name!r}")
            if kind not in SCHEMA_VERSIONS:
                raise StepContractError(f"step {step.name!r} writes {kind!r}, which has no schema")
            written[kind] = step.name


_check_registry(STEPS)
