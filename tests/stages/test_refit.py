"""The refit rule both corpus models follow (pipeline/stages/refit.py)."""

from __future__ import annotations

from pipeline.stages.refit import added_since_fit
from pipeline.store.format import params_hash

PARAMS = {"refit_new_fraction": 0.25, "other": 1}
FITTED = {f"doc{i}": f"sha{i}" for i in range(8)}


def test_a_few_added_documents_keep_the_model():
    current = {**FITTED, "new1": "x", "new2": "y"}
    assert added_since_fit(FITTED, params_hash(PARAMS), PARAMS, current) == ["new1", "new2"]


def test_more_added_documents_than_the_fraction_refit():
    current = {**FITTED, "new1": "x", "new2": "y", "new3": "z"}  # 3 > 0.25 * 8
    assert added_since_fit(FITTED, params_hash(PARAMS), PARAMS, current) is None


def test_a_changed_or_removed_document_refits():
    changed = {**FITTED, "doc3": "edited"}
    assert added_since_fit(FITTED, params_hash(PARAMS), PARAMS, changed) is None
    removed = {k: v for k, v in FITTED.items() if k != "doc3"}
    assert added_since_fit(FITTED, params_hash(PARAMS), PARAMS, removed) is None


def test_other_parameters_or_no_record_of_the_fit_refit():
    assert added_since_fit(FITTED, params_hash({**PARAMS, "other": 2}), PARAMS, dict(FITTED)) is None
    assert added_since_fit(None, params_hash(PARAMS), PARAMS, dict(FITTED)) is None


def test_the_documents_counted_can_be_given():
    # The topic model counts the documents it placed, not every document it could read.
    current = {**FITTED, "new1": "x", "new2": "y", "new3": "z"}
    assert added_since_fit(FITTED, params_hash(PARAMS), PARAMS, current, ["new1"]) == ["new1"]
