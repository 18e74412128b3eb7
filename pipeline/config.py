"""Parameters: defaults declared by each stage, overridden by a TOML file, validated.

A config file has one table per stage, e.g.::

    [keywords]
    top_n = 15

    [topics]
    method = "lda"
    k_max = 12

Unknown tables or keys and out-of-range values are refused with the allowed values listed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PipelineError


@dataclass(frozen=True)
class Param:
    """One parameter of a stage: its default and what values it accepts.

    Parameters
    ----------
    default : Any
        Value used when the config file is silent. Must serialise to JSON.
    help : str
        One line for users.
    minimum, maximum : float, optional
        Inclusive bounds for numbers.
    choices : tuple, optional
        The allowed values.
    files : bool
        The value is a list of file paths whose content matters: a changed file
        makes the stage stale like a changed setting.
    """

    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple = field(default=())
    files: bool = False

    def check(self, stage: str, name: str, value: Any) -> Any:
        where = f"[{stage}] {name}"
        expected = type(self.default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if expected is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise PipelineError(f"config {where} = {value!r}: expected a list of strings")
            return list(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise PipelineError(
                f"config {where} = {value!r}: expected {expected.__name__} (default {self.default!r})"
            )
        if self.choices and value not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise PipelineError(f"config {where} = {value!r}: allowed values are {allowed}")
        if self.minimum is not None and value < self.minimum:
            raise PipelineError(f"config {where} = {value!r}: must be >= {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise PipelineError(f"config {where} = {value!r}: must be <= {self.maximum}")
        return value


def defaults(specs: dict[str, dict[str, Param]]) -> dict[str, dict[str, Any]]:
    """Default parameters of every stage."""
    return {stage: {name: p.default for name, p in params.items()} for stage, params in specs.items()}


def resolve(specs: dict[str, dict[str, Param]], overrides: dict[str, Any],
            source: str = "config") -> dict[str, dict[str, Any]]:
    """Merge ``overrides`` into the defaults, refusing unknown keys and bad values."""
    resolved = defaults(specs)
    for stage, table in overrides.items():
        if stage not in specs:
            raise PipelineError(
                f"{source}: unknown section [{stage}]; allowed sections are "
                + ", ".join(f"[{s}]" for s in specs)
            )
        if not isinstance(table, dict):
            raise PipelineError(f"{source}: [{stage}] must be a table of settings")
        for name, value in table.items():
            if name not in specs[stage]:
                allowed = ", ".join(specs[stage]) or "(none)"
                raise PipelineError(
                    f"{source}: unknown key '{name}' in [{stage}]; allowed keys are {allowed}"
                )
            resolved[stage][name] = specs[stage][name].check(stage, name, value)
    return resolved


def with_file_fingerprints(specs: dict[str, dict[str, Param]], params: dict[str, dict[str, Any]],
                           base: Path | None = None) -> dict[str, dict[str, Any]]:
    """Resolve file-list settings to absolute paths and add the sha256 of each file.

    The fingerprints live under ``"__files__"`` in the stage's parameters, so editing a
    user's stopword file makes that stage stale exactly as changing a setting does.
    """
    import hashlib

    base = Path(base) if base is not None else Path.cwd()
    out = {}
    for stage, values in params.items():
        values = dict(values)
        prints = {}
        for name, param in specs[stage].items():
            if not param.files:
                continue
            resolved = []
            for entry in values[name]:
                path = Path(entry) if Path(entry).is_absolute() else base / entry
                try:
                    prints[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError:
                    raise PipelineError(
                        f"{path}: file named by [{stage}] {name} cannot be read; fix the path in the config"
                    ) from None
                resolved.append(str(path))
            values[name] = resolved
        if prints:
            values["__files__"] = prints
        out[stage] = values
    return out


def load(specs: dict[str, dict[str, Param]], path: str | Path | None) -> dict[str, dict[str, Any]]:
    """Read a TOML config file (or none) and return every stage's parameters."""
    if path is None:
        return with_file_fingerprints(specs, defaults(specs))
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PipelineError(f"{path}: config file not found; check the path given to --config") from None
    except UnicodeDecodeError:
        raise PipelineError(f"{path}: config file is not UTF-8 text; save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PipelineError(f"{path}: not valid TOML ({exc}); fix the line it names") from None
    # File paths in a config file are relative to the config file's folder.
    return with_file_fingerprints(specs, resolve(specs, data, source=str(path)), base=path.parent)
