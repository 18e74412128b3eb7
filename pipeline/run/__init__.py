"""Running the stages: the pipeline object, its planner, workers, pool, executors and the inbox watcher.

Data flow of a run: :class:`Pipeline` asks the :mod:`~pipeline.run.planner` which keys
of each step are stale, the :mod:`~pipeline.run.pool` which executor
(:mod:`~pipeline.run.executors`) runs them, and each :mod:`~pipeline.run.worker` reads
its inputs from the store and writes its artifacts; :mod:`~pipeline.run.summary` holds
what the run did. :mod:`~pipeline.run.watch` feeds a pipeline from an inbox folder.
"""

from .pipeline import Pipeline, run_pipeline
from .summary import Reporter, RunSummary, StepSummary

__all__ = ["Pipeline", "Reporter", "RunSummary", "StepSummary", "run_pipeline"]
