"""Bilingual Indonesian/English text-mining pipeline.

Stages run in one direction, each reading the JSON artifacts of the one before:
corpus file -> ingest -> separate -> normalize -> keywords -> topics -> report.

``from pipeline import Pipeline`` is the library's entry point (see
:class:`pipeline.run.Pipeline`); it is imported on first use, so that a process that
only needs a text function does not load the runner and every stage.
"""

from .version import __version__

__all__ = ["Pipeline", "RunSummary", "__version__"]


def __getattr__(name: str):
    if name in ("Pipeline", "RunSummary"):
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
