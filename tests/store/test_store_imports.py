"""The store's modules import one another in one direction only (no import cycle), and
nothing of the pipeline above the store."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

from tests.paths import REPO

STORE = REPO / "pipeline" / "store"
#: What the store may use of the rest of the package: its errors and its version.
OUTSIDE_ALLOWED = {"pipeline.version", "pipeline.errors"}


def _imports(path) -> set[str]:
    """Absolute names of the pipeline modules a module of pipeline.store imports."""
    package = ["pipeline", "store"]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if node.module is None or module == "pipeline.store":
                # "from . import x" / "from .. import x": x may be a module or a name
                out.update(f"{module}.{a.name}" if f"{module}.{a.name}".startswith("pipeline.store.")
                           else module for a in node.names)
            else:
                out.add(module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m == "pipeline" or m.startswith("pipeline.")}


def _graph() -> dict[str, set[str]]:
    return {f"pipeline.store.{p.stem}" if p.stem != "__init__" else "pipeline.store": _imports(p)
            for p in sorted(STORE.glob("*.py"))}


def test_store_modules_form_no_import_cycle():
    graph = {name: {m for m in deps if m.startswith("pipeline.store.")}
             for name, deps in _graph().items() if name != "pipeline.store"}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message
        raise AssertionError(f"import cycle in pipeline.store: {exc.args[1]}") from None
    assert order.index("pipeline.store.files") < order.index("pipeline.store.artifacts")


def test_files_imports_nothing_else_of_the_store():
    assert not {m for m in _graph()["pipeline.store.files"] if m.startswith("pipeline.store")}


def test_the_store_uses_nothing_of_the_pipeline_above_it():
    for name, deps in _graph().items():
        outside = {m for m in deps if not m.startswith("pipeline.store")}
        assert outside <= OUTSIDE_ALLOWED, (name, outside - OUTSIDE_ALLOWED)
