"""The stage contract: a step's declaration is checked when it is built, and what its
``run`` returns is checked against that declaration before anything is written."""

from __future__ import annotations

import shutil

import pytest

from pipeline import Pipeline
from pipeline.run.worker import KeyTask, run_keys
from pipeline.stage import KEEP, Read, RunOptions, Step, StepContractError
from pipeline.stages import STEP_BY_NAME, STEPS

from tests.paths import SEEDS


def _run(key, inputs, params):
    return {"separate": {"sections": []}}


@pytest.mark.parametrize("changes, message", [
    ({"scope": "paragraph"}, "scope must be one of"),
    ({"reads": [Read("ingest")]}, "reads must be a tuple of Read"),
    ({"writes": ()}, "non-empty tuple"),
    ({"writes": ("separate", "separate")}, "repeats a kind"),
    ({"writes": ("warnings",)}, "reserved name"),
    ({"run": None}, "run must be callable"),
    ({"scope": "language", "reads": (Read("corpus"),)}, "only a document step reads the corpus file"),
])
def test_a_malformed_declaration_fails_when_the_step_is_built(changes, message):
    fields = dict(name="separate", stage="separate", scope="document", reads=(Read("ingest"),),
                  writes=("separate",), run=_run)
    fields.update(changes)
    with pytest.raises(StepContractError, match=message):
        Step(**fields)


def test_a_read_with_an_unknown_which_fails():
    with pytest.raises(StepContractError, match="which must be one of"):
        Read("normalize", "every")
    with pytest.raises(StepContractError, match="must be 'self'"):
        Read("corpus", "all")


def test_every_registered_step_checks_its_own_payloads():
    step = STEP_BY_NAME["separate"]
    step.check_payloads({"separate": {"sections": []}, "warnings": ["a warning"]})
    step.check_payloads({"separate": KEEP})
    with pytest.raises(StepContractError, match="missing"):
        step.check_payloads({"warnings": []})
    with pytest.raises(StepContractError, match="undeclared"):
        step.check_payloads({"separate": {}, "normalize": {}})
    with pytest.raises(StepContractError, match="not a dict or KEEP"):
        step.check_payloads({"separate": ["not", "a", "payload"]})
    with pytest.raises(StepContractError, match="not a dict of payloads"):
        step.check_payloads(None)


def test_the_registry_orders_steps_so_each_reads_what_an_earlier_one_wrote():
    written = set()
    for step in STEPS:
        assert all(read.kind == "corpus" or read.kind in written for read in step.reads), step.name
        written.update(step.writes)


def test_the_runner_refuses_a_step_that_returns_an_undeclared_kind(seed_run, tmp_path):
    # The real separate step, made to also return a kind it never declared: nothing is
    # written, and the error names the step (a programming error, not a document's).
    root, _, _ = seed_run
    for name in ("corpus", "output", "models"):
        shutil.copytree(root / name, tmp_path / name)
    pipeline = Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models", jobs=1)
    real = STEP_BY_NAME["separate"]

    def run_with_extra(key, inputs, params):
        return {**real.run(key, inputs, params), "normalize": {}}

    leaky = Step(real.name, real.stage, real.scope, real.reads, real.writes, run_with_extra)
    doc = pipeline.corpus.document(SEEDS["003"])
    before = (tmp_path / "output" / "separate" / f"{doc.doc_id}.json").read_bytes()
    hashes = pipeline.input_hashes(leaky, doc.doc_id, [doc])
    with pytest.raises(StepContractError, match="step 'separate' declared"):
        run_keys(pipeline.store, leaky, [KeyTask(doc.doc_id, hashes, [doc])], {}, RunOptions())
    assert (tmp_path / "output" / "separate" / f"{doc.doc_id}.json").read_bytes() == before
