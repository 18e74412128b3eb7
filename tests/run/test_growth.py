"""Growing a corpus: adding a document re-runs its own steps only, and leaves every other
document's artifacts and the saved models byte-identical (issue: corpus growth)."""

from __future__ import annotations

import shutil

import pytest

from pipeline.corpus import BulkFields, read_file
from pipeline.config import load as load_config
from pipeline import Pipeline
from pipeline.stages import PARAM_SPECS
from pipeline.store import ArtifactRef

from tests.paths import CORPUS, DATA, SEEDS
from tests.paths import all_artifacts

FIELDS = BulkFields(text="abstract", title="title", id="id")


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """The first 40 SINTA abstracts of tests/data run once, then seed 002 added and run."""
    root = tmp_path_factory.mktemp("growth")
    subset = root / "sinta_40.jsonl"
    lines = (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A model fitted on 40 abstracts knows few of a new abstract's words: a lenient unknown-word
    # threshold keeps the saved topic model, so that placing with it is what is tested.
    params = load_config(PARAM_SPECS, None)
    params["topics"]["refit_unknown_share"] = 0.9
    pipeline = Pipeline(root / "corpus", root / "output", root / "models", params=params)
    pipeline.corpus.add(read_file(subset, fields=FIELDS))
    first = pipeline.run()
    assert not first.errors, first.errors
    before = all_artifacts(root)
    shutil.copytree(root, root.parent / "before", ignore=shutil.ignore_patterns("corpus"))
    [added] = pipeline.corpus.add(read_file(CORPUS / f"{SEEDS['002']}.txt"))
    assert added.added
    summary = pipeline.run()
    assert not summary.errors, summary.errors
    return root, pipeline, before, all_artifacts(root), summary


def test_only_the_new_document_goes_through_the_document_steps(grown):
    _, pipeline, _, _, summary = grown
    # ... and afterwards everything is fresh, kept models included (their headers are new).
    assert [row for row in pipeline.status() if not row[2]] == []
    ran = {s.name: s.ran for s in summary.steps}
    n = summary.documents
    assert ran["ingest"] == ran["separate"] == ran["normalize"] == ran["keywords"] == 1
    # The models are kept (1 new document of 40 is under both refit thresholds) ...
    skipped = {s.name: s.skipped for s in summary.steps}
    assert skipped["keywords"] == n - 1 and skipped["ingest"] == n - 1


def test_other_documents_and_the_models_are_byte_identical(grown):
    root, _, before, after, _ = grown
    new_id = SEEDS["002"]
    changed = sorted(name for name in after if before.get(name) != after[name])
    per_document = [n for n in changed if n.count("/") == 2 and n.startswith("output/") and n.endswith(".json")
                    and n.rsplit("/", 1)[1] not in ("id.json", "en.json", "corpus.json")]
    assert per_document and all(new_id in name for name in per_document), per_document
    # Model payloads unchanged: only their headers (which list the corpus) are rewritten.
    for lang in ("id", "en"):
        old = before[f"models/{lang}/keyphrase_model.json"]
        new = after[f"models/{lang}/keyphrase_model.json"]
        assert old.split(b'\n"n_documents"', 1)[1] == new.split(b'\n"n_documents"', 1)[1]


def test_the_new_document_is_scored_and_placed_by_the_saved_models(grown):
    _, pipeline, _, _, _ = grown
    new_id = SEEDS["002"]
    keywords = pipeline.store.read(ArtifactRef("keywords", new_id))["keywords"]
    assert "diplomasi kota" in {k["phrase"].lower() for k in keywords["id"][:5]}
    assert "city diplomacy" in {k["phrase"].lower() for k in keywords["en"][:5]}
    topics = pipeline.store.read(ArtifactRef("topics", "id"))
    assert topics["status"] == "placed_with_saved_model"
    assert topics["document_stats"][new_id]["fitted"] is False and topics["documents"][new_id]


def test_updating_corpus_results_equals_rebuilding_them(grown, tmp_path):
    # Topics placed for the new document only, corpus keywords updated from the new
    # document's keywords only: the same bytes as both rebuilt from every document.
    root, _, _, after, _ = grown
    for name in ("corpus", "output", "models"):
        shutil.copytree(root / name, tmp_path / name)
    for lang in ("id", "en"):
        (tmp_path / "output" / "topics" / f"{lang}.json").unlink()
        (tmp_path / "output" / "corpus_keywords" / f"{lang}.json").unlink()
    again = Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models",
                     params=grown[1].params).run()
    ran = {s.name: s.ran for s in again.steps}
    assert ran["topics"] == 2 and ran["corpus_keywords"] == 2 and ran["keywords"] == 0
    assert all_artifacts(tmp_path) == after


def test_refit_on_request_folds_the_new_document_into_the_keyword_model(grown, tmp_path):
    root, pipeline, _, _, _ = grown
    for name in ("corpus", "output", "models"):
        shutil.copytree(root / name, tmp_path / name)
    copy = Pipeline(tmp_path / "corpus", tmp_path / "output", tmp_path / "models", params=pipeline.params)
    assert SEEDS["002"] not in copy.store.read(ArtifactRef("keyphrase_model", "id"))["fitted_on"]
    summary = copy.run(refit=True)
    assert {s.name: s.ran for s in summary.steps}["keyphrase_model"] == 2
    assert SEEDS["002"] in copy.store.read(ArtifactRef("keyphrase_model", "id"))["fitted_on"]
