"""The artifact kinds, their JSON Schemas and the validation of an artifact against them.

A JSON Schema of each kind ships in ``pipeline/store/schemas/<kind>.schema.json``; every
artifact is validated against its kind's schema before it is written, and again on
read when its bytes are not known valid (see :mod:`pipeline.store.index`).
Validation runs a fast check compiled from the schema first (:func:`fast_check`) and
asks jsonschema only when that check cannot tell, or fails, so that errors are
always explained by jsonschema.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ArtifactError

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

# Bumped whenever the layout of an artifact kind changes: an artifact written with
# another version is never misread, it is rebuilt.
SCHEMA_VERSIONS = {
    "ingest": 3,
    "separate": 1,
    "normalize": 3,
    "keyphrase_model": 2,
    "keywords": 2,
    "corpus_keywords": 2,
    "glossary": 1,
    "align": 1,
    "map": 1,
    "related": 1,
    "trends": 1,
    "topic_model": 1,
    "topics": 1,
    "report": 1,
    "report_section": 2,
}

# Kinds stored under the models folder rather than the output folder.
MODEL_KINDS = frozenset({"keyphrase_model", "topic_model"})


def is_current(kind: str, header) -> bool:
    """Whether a header (of a file known valid) is one of ``kind`` at the schema version
    this pipeline reads."""
    return (isinstance(header, dict) and header.get("schema") == kind
            and header.get("schema_version") == SCHEMA_VERSIONS.get(kind))


# jsonschema is imported when first needed: a warm run, which validates nothing, does
# not pay for it.
@lru_cache(maxsize=None)
def _registry():
    from referencing import Registry, Resource

    resources = []
    for schema_file in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        resources.append((schema_file.name, Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def validator(kind: str):
    """The JSON Schema validator of an artifact kind (schemas ship in ``pipeline/store/schemas``)."""
    import jsonschema

    schema_file = SCHEMA_DIR / f"{kind}.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=_registry())


# -- a fast check for the JSON Schema subset the artifact schemas use -------------
# jsonschema walks an artifact node by node through generic machinery (slower than
# tokenising a document); the checks below are compiled once into plain closures.
# They are conservative: True only when every keyword holds with the same meaning as
# in jsonschema; anything else (an unknown keyword, a value of doubtful type) answers
# False, and jsonschema then decides and explains.

class _Unsupported(Exception):
    pass


_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "default", "examples"})
_TYPE_CHECKS = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in (int, float),
}
_SCALARS = (str, int, float, bool, type(None))


def _is_number(value) -> bool:
    return type(value) in (int, float)


def _compile(schema, schema_file: str):
    """A function ``check(value) -> bool`` for one (sub)schema; raises _Unsupported."""
    if schema is True:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, dict):
        raise _Unsupported(repr(schema))
    checks = []
    for keyword, arg in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if keyword == "type":
            names = [arg] if isinstance(arg, str) else list(arg)
            if any(n not in _TYPE_CHECKS for n in names):
                raise _Unsupported(f"type {arg}")
            tests = tuple(_TYPE_CHECKS[n] for n in names)
            checks.append(lambda v, tests=tests: any(t(v) for t in tests))
        elif keyword == "enum" or keyword == "const":
            values = list(arg) if keyword == "enum" else [arg]
            if not all(isinstance(x, _SCALARS) for x in values):
                raise _Unsupported(keyword)
            # jsonschema tells 1 from True: compare types as well as values.
            allowed = tuple((type(x), x) for x in values)
            checks.append(lambda v, allowed=allowed: any(type(v) is t and v == x for t, x in allowed))
        elif keyword == "required":
            names = tuple(arg)
            checks.append(lambda v, names=names: type(v) is not dict or all(n in v for n in names))
        elif keyword == "properties":
            props = tuple((name, _compile(sub, schema_file)) for name, sub in arg.items())

            def check_props(v, props=props):
                if type(v) is not dict:
                    return True
                for name, check in props:
                    if name in v and not check(v[name]):
                        return False
                return True
            checks.append(check_props)
        elif keyword == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported(keyword)
            known = frozenset(schema.get("properties", {}))
            extra = _compile(arg, schema_file)

            def check_extra(v, known=known, extra=extra):
                if type(v) is not dict:
                    return True
                return all(extra(x) for k, x in v.items() if k not in known)
            checks.append(check_extra)
        elif keyword == "items":
            item = _compile(arg, schema_file)
            skip = len(schema.get("prefixItems", ()))
            checks.append(lambda v, item=item, skip=skip:
                          type(v) is not list or all(item(x) for x in (v[skip:] if skip else v)))
        elif keyword == "prefixItems":
            firsts = tuple(_compile(sub, schema_file) for sub in arg)
            checks.append(lambda v, firsts=firsts:
                          type(v) is not list or all(c(x) for c, x in zip(firsts, v)))
        elif keyword in ("minItems", "maxItems"):
            bound = int(arg)
            if keyword == "minItems":
                checks.append(lambda v, b=bound: type(v) is not list or len(v) >= b)
            else:
                checks.append(lambda v, b=bound: type(v) is not list or len(v) <= b)
        elif keyword in ("minimum", "maximum"):
            bound = arg
            if keyword == "minimum":
                checks.append(lambda v, b=bound: not _is_number(v) or v >= b)
            else:
                checks.append(lambda v, b=bound: not _is_number(v) or v <= b)
        elif keyword == "pattern":
            regex = re.compile(arg)
            checks.append(lambda v, r=regex: type(v) is not str or r.search(v) is not None)
        elif keyword == "allOf":
            subs = tuple(_compile(sub, schema_file) for sub in arg)
            checks.append(lambda v, subs=subs: all(c(v) for c in subs))
        elif keyword == "oneOf":
            # Exactly one must hold; a conservative check of the others cannot prove
            # they fail, so this is left to jsonschema.
            reference = {**schema, "$id": schema_file}
            import jsonschema

            exact = jsonschema.validators.validator_for(reference)(
                {"oneOf": arg}, registry=_registry())
            checks.append(exact.is_valid)
        elif keyword == "$ref":
            if not isinstance(arg, str) or "#" in arg:
                raise _Unsupported(f"$ref {arg}")
            target = _compile_file(arg)
            checks.append(lambda v, target=target: target(v))
        else:
            raise _Unsupported(keyword)
    checks = tuple(checks)
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)


@lru_cache(maxsize=None)
def _compile_file(schema_file: str):
    schema = json.loads((SCHEMA_DIR / schema_file).read_text(encoding="utf-8"))
    return _compile(schema, schema_file)


@lru_cache(maxsize=None)
def fast_check(kind: str):
    """A fast ``check(obj) -> bool`` for an artifact kind, or None when its schema uses
    keywords outside the supported subset (then only jsonschema validates it)."""
    try:
        return _compile_file(f"{kind}.schema.json")
    except _Unsupported:
        return None


def validate(kind: str, obj: Any, where: str = "artifact") -> None:
    """Raise :class:`ArtifactError` unless ``obj`` is a valid artifact of ``kind``."""
    check = fast_check(kind)
    if check is None or not check(obj):
        errors = sorted(validator(kind).iter_errors(obj), key=lambda e: list(e.absolute_path))
        if errors:
            first = errors[0]
            at = "/".join(str(p) for p in first.absolute_path) or "(top)"
            raise ArtifactError(
                f"{where}: not a valid '{kind}' artifact ({first.message[:160]} at {at}); "
                "delete it or re-run the stage to rebuild it"
            )
    header = obj["header"]
    expected = SCHEMA_VERSIONS[kind]
    if header["schema_version"] != expected:
        raise ArtifactError(
            f"{where}: written with schema version {header['schema_version']} of '{kind}', "
            f"this pipeline reads version {expected}; re-run the stage to rebuild it"
        )
