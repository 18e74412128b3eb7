"""What a run did, and the progress events it sends while it runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..stage import Step


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
