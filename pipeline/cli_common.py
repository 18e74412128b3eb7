"""What every command shares: reading an artifact, printing rows, one-line warnings.

Kept apart from :mod:`pipeline.cli` (the parser and the pipeline commands) and
:mod:`pipeline.cli_collection` (the collection's views and exports) so that both use
the same helpers and neither grows past what a reader takes in.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import TYPE_CHECKING, Any

from .errors import PipelineError
from .run import Pipeline
from .store import ArtifactRef

if TYPE_CHECKING:
    from rich.console import Console


def _table(**kwargs: Any):
    from rich.table import Table

    return Table(**kwargs)


def _warn(line: str) -> None:
    # Plain print, not rich: a message must stay one line, never wrapped to the terminal.
    print(line, file=sys.stderr)


def _pipeline(args) -> Pipeline:
    if getattr(args, "scheduler", None) and getattr(args, "executor", "local") != "dask":
        raise PipelineError("--scheduler needs --executor dask")
    return Pipeline(args.corpus, args.output, args.models, args.config, jobs=getattr(args, "jobs", None),
                    executor=getattr(args, "executor", "local"), scheduler=getattr(args, "scheduler", None))


def _read(pipeline: Pipeline, kind: str, key: str) -> dict:
    ref = ArtifactRef(kind, key)
    if not pipeline.store.exists(ref):
        raise PipelineError(f"{pipeline.store.where(pipeline.store.path(ref))}: not built yet; "
                            "run 'python run_pipeline.py run' first")
    return pipeline.store.load(kind, key)


#: Document ids shown per corpus keyword in the terminal table.
_TABLE_DOCUMENTS = 3


def _emit(rows: list[dict], fmt: str, out: Console, title: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    else:
        table = _table(title=title)
        for col in (rows[0] if rows else {"(none)": ""}):
            table.add_column(col)
        for row in rows:
            table.add_row(*(f"{v:.4f}" if isinstance(v, float) else str(v) for v in row.values()))
        out.print(table)
