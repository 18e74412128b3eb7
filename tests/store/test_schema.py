"""Artifact kinds and their validation."""

from __future__ import annotations

import pytest

from pipeline.errors import ArtifactError
from pipeline.store import MODEL_KINDS, SCHEMA_DIR, SCHEMA_VERSIONS, validate
from pipeline.store.schema import fast_check


def _report(**header):
    return {"header": {"schema": "report", "schema_version": SCHEMA_VERSIONS["report"], "stage": "report",
                       "document": None, "language": None, "pipeline_version": "0",
                       "inputs": {}, "params_hash": "0" * 64, **header},
            "files": {}}


def test_every_kind_has_a_schema_and_a_fast_check():
    assert MODEL_KINDS <= set(SCHEMA_VERSIONS)
    for kind in SCHEMA_VERSIONS:
        assert (SCHEMA_DIR / f"{kind}.schema.json").is_file()
        assert fast_check(kind) is not None, kind


def test_validate_explains_what_is_wrong_and_the_fix():
    validate("report", _report())
    with pytest.raises(ArtifactError, match=r"^here: not a valid 'report' artifact \(.* at files\); delete it"):
        validate("report", dict(_report(), files=[]), where="here")
    with pytest.raises(ArtifactError, match="schema version 99 of 'report'.*re-run the stage"):
        validate("report", _report(schema_version=99))
