"""The house's shape: no import cycle anywhere in ``pipeline/``, no module too long to
read, and the lower layers (text functions, the store) import nothing above them."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from tests.paths import REPO

PACKAGE = REPO / "pipeline"
#: About the most a reader takes in as one module (the issue's limit).
MAX_LINES = 1000


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The pipeline modules ``name`` imports, anywhere in its body (lazy imports too)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                # "from . import x" names a submodule when there is one, else a name
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in modules else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_no_import_cycle_in_the_package():
    # A package's __init__ that re-exports its modules depends on them; a module that
    # imports a sibling by name does not depend on the package's __init__.
    graph = {name: {m for m in deps if not (name.startswith(m + ".") and _modules()[m].name == "__init__.py")}
             for name, deps in _graph().items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_no_module_is_longer_than_a_reader_takes_in():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_text_functions_import_nothing_above_them():
    # pipeline/text/ is pure functions on strings and tokens: it may use the errors,
    # nothing of the store, the runner, the stages or the CLI.
    for name, deps in _graph().items():
        if name.startswith("pipeline.text"):
            above = {m for m in deps if not m.startswith("pipeline.text")} - {"pipeline.errors", "pipeline.version"}
            assert not above, (name, above)


def test_stages_reach_no_other_stage_module():
    for name, deps in _graph().items():
        if name.startswith("pipeline.stages.") and name != "pipeline.stages.refit":
            others = {m for m in deps if m.startswith("pipeline.stages.") and m != "pipeline.stages.refit"}
            assert not others, (name, others)
