"""Config files: defaults, overrides, and refusals that list the allowed values."""

from __future__ import annotations

import pytest

from pipeline.config import load
from pipeline.errors import PipelineError
from pipeline.runner import PARAM_SPECS


def test_defaults_cover_every_stage():
    params = load(PARAM_SPECS, None)
    assert set(params) == {"ingest", "separate", "normalize", "keywords", "topics", "report"}
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
    ("[keywords]\ntopn = 3\n", "unknown key 'topn' in \\[keywords\\]; allowed keys are top_n"),
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
