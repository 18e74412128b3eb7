"""Config files: defaults, overrides, and refusals that list the allowed values."""

from __future__ import annotations

import pytest

from pipeline.config import load
from pipeline.errors import PipelineError
from pipeline.stages import PARAM_SPECS


def test_defaults_cover_every_stage():
    params = load(PARAM_SPECS, None)
    assert set(params) == {"ingest", "separate", "normalize", "keywords", "align", "map", "trends", "topics", "report"}
    assert params["keywords"]["top_n"] == 10 and params["topics"]["method"] == "nmf"


def test_overrides_apply(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[keywords]\ntop_n = 15\n[topics]\nmethod = "lda"\nmin_topic_weight = 0\n')
    params = load(PARAM_SPECS, cfg)
    assert params["keywords"]["top_n"] == 15
    assert params["topics"]["method"] == "lda"
    assert params["topics"]["min_topic_weight"] == 0.0


@pytest.mark.parametrize("text, message", [
    ("[keyword]\ntop_n = 3\n", r"unknown section \[keyword\]; allowed sections are \[ingest\]"),
    ("[keywords]\ntopn = 3\n", "unknown key 'topn' in \\[keywords\\]; allowed keys are .*top_n"),
    ("[keywords]\ntop_n = 0\n", "must be >= 1"),
    ("[keywords]\ntop_n = 'ten'\n", "expected int"),
    ('[topics]\nmethod = "hdp"\n', "allowed values are 'nmf', 'lda'"),
    ("[keywords\n", "not valid TOML"),
])
def test_bad_config_is_refused_clearly(tmp_path, text, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    with pytest.raises(PipelineError, match=message):
        load(PARAM_SPECS, cfg)


def test_missing_config_file(tmp_path):
    with pytest.raises(PipelineError, match="config file not found"):
        load(PARAM_SPECS, tmp_path / "nope.toml")


def test_stopword_files_are_checked_and_fingerprinted(tmp_path):
    words = tmp_path / "mine.txt"
    words.write_text("diplomasi\n", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[normalize]\nextra_stopwords_id = ["mine.txt"]\n')
    first = load(PARAM_SPECS, cfg)["normalize"]
    assert first["extra_stopwords_id"] == [str(words)]
    words.write_text("diplomasi\nekonomi\n", encoding="utf-8")
    second = load(PARAM_SPECS, cfg)["normalize"]
    assert first["__files__"] != second["__files__"]  # an edited list makes normalize stale
    cfg.write_text('[normalize]\nextra_stopwords_id = ["missing.txt"]\n')
    with pytest.raises(PipelineError, match="missing.txt: file named by \\[normalize\\] extra_stopwords_id"):
        load(PARAM_SPECS, cfg)


def test_user_stopwords_reach_the_tokens(tmp_path):
    from pipeline.store import ArtifactRef
    from pipeline import Pipeline
    from tests.paths import CORPUS, SEEDS
    import shutil

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{SEEDS['001']}.txt", corpus)
    (tmp_path / "stop.txt").write_text("diplomasi\n", encoding="utf-8")
    (tmp_path / "c.toml").write_text('[normalize]\nextra_stopwords_id = ["stop.txt"]\n')
    pipeline = Pipeline(corpus, tmp_path / "out", tmp_path / "models", config=tmp_path / "c.toml")
    pipeline.run(only="ingest"), pipeline.run(only="separate"), pipeline.run(only="normalize")
    art = pipeline.store.read(ArtifactRef("normalize", SEEDS["001"]))
    tags = {tok[2] for s in art["sections"] for p in s["paragraphs"] for sent in p for tok in sent
            if tok[0].lower() == "diplomasi"}
    assert tags == {"s"}


def test_readme_documents_every_setting():
    from tests.paths import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("The defaults:", 1)[1].split("```", 2)[1]
    for stage, params in PARAM_SPECS.items():
        for name, param in params.items():
            assert f"\n{name} = " in block, f"README lacks [{stage}] {name}"
