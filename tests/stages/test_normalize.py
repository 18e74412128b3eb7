"""Tests for the normalize stage (pipeline.stages.normalize.run) on seed text."""


import jsonschema
import pytest

from pipeline.stages import normalize as stage

from tests.paths import REPO as ROOT


def seed(prefix: str) -> str:
    return next((ROOT / "corpus").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


class FakeInputs:
    """The one method of the runner's inputs that the stage uses."""

    def __init__(self, separated: dict):
        self.separated = separated

    def one(self, kind: str, key=None) -> dict:
        assert kind == "separate"
        return self.separated


def default_params() -> dict:
    return {name: param.default for name, param in stage.PARAMS.items()}


@pytest.fixture(scope="module")
def separated():
    text = seed("001")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return {
        "sections": [
            {"lang": "id", "kind": "title", "text": paragraphs[0], "blocks": [0], "confidence": 1.0},
            {"lang": "id", "kind": "abstract", "text": "\n\n".join(paragraphs[1:3]), "blocks": [1, 2], "confidence": 0.9},
            {"lang": "id", "kind": "references", "text": "Nama, A. (2019). Judul.", "blocks": [3], "confidence": 0.9},
            {"lang": "unknown", "kind": "body", "text": "1234 5678", "blocks": [4], "confidence": 0.2},
            {"lang": "en", "kind": "abstract", "text": "Free trade areas were studied by NGOs in ASEAN countries.",
             "blocks": [5], "confidence": 0.9},
        ],
        "keywords": {"id": ["Kerja Sama", "Perdagangan Bebas", "ASEAN"], "en": ["Free Trade Areas", "NGOs"]},
    }


@pytest.fixture(scope="module")
def artifact(separated):
    return stage.run("001", FakeInputs(separated), default_params())["normalize"]


def test_only_configured_kinds_and_known_languages_are_tokenised(artifact):
    assert [(s["section"], s["lang"], s["kind"]) for s in artifact["sections"]] == [
        (0, "id", "title"),
        (1, "id", "abstract"),
        (4, "en", "abstract"),
    ]


def test_tokens_follow_the_contract_and_validate_against_the_schema(artifact):
    import json

    schema = json.loads((ROOT / "pipeline" / "store" / "schemas" / "normalize.schema.json").read_text(encoding="utf-8"))
    sections_schema = schema["properties"]["sections"]
    jsonschema.validate(artifact["sections"], sections_schema)
    for section in artifact["sections"]:
        for paragraph in section["paragraphs"]:
            for sentence in paragraph:
                for token in sentence:
                    assert len(token) == 6 and token[2] in {"w", "s", "p", "n"}
                    assert set(token[4]) <= set("APRV")


def test_indonesian_norms_on_seed_abstract(artifact):
    tokens = [t for p in artifact["sections"][1]["paragraphs"] for s in p for t in s]
    norms = {t[0]: t[1] for t in tokens}
    assert norms["negara-negara"] == "negara"
    assert norms["ASEAN"] == "ASEAN"
    assert norms["kerja sama"] == "kerjasama"
    # the appended fields: readable form before stemming, and flags
    extra = {t[0]: (t[3], t[4]) for t in tokens}
    assert extra["negara-negara"] == ("negara-negara", "R")
    assert extra["ASEAN"] == ("ASEAN", "A")
    assert extra["kerja sama"] == ("kerjasama", "V")


def test_schema_rejects_the_old_three_item_tokens(artifact):
    import json

    schema = json.loads((ROOT / "pipeline" / "store" / "schemas" / "normalize.schema.json").read_text(encoding="utf-8"))
    sections_schema = schema["properties"]["sections"]
    old = [dict(s, paragraphs=[[[t[:3] for t in x] for x in p] for p in s["paragraphs"]]) for s in artifact["sections"]]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(old, sections_schema)


def test_author_keywords_are_normalised_as_whole_phrases(artifact):
    keys = {k["phrase"]: k["key"] for k in artifact["author_keywords"]["id"]}
    # the two-token spelling reaches the variant table as one phrase
    assert keys == {"Kerja Sama": "kerjasama", "Perdagangan Bebas": "dagang bebas", "ASEAN": "ASEAN"}
    en_keys = {k["phrase"]: k["key"] for k in artifact["author_keywords"]["en"]}
    assert en_keys == {"Free Trade Areas": "free trade area", "NGOs": "NGO"}


def test_academic_stopwords_follow_the_config(separated):
    params = default_params()
    with_academic = stage.run("001", FakeInputs(separated), params)["normalize"]
    params["academic_stopwords"] = False
    without = stage.run("001", FakeInputs(separated), params)["normalize"]

    def tag_of(artifact, word):
        tags = {t[2] for s in artifact["sections"] for p in s["paragraphs"] for x in p for t in x if t[0].lower() == word}
        return tags

    assert tag_of(with_academic, "studied") == {"s"}
    assert tag_of(without, "studied") == {"w"}


def test_no_normalizer_is_built_for_a_language_the_document_does_not_use():
    # A fresh process adding one Indonesian document must not pay for the English
    # normalizer (stopwords, spaCy tokenizer), and vice versa.
    separated = {
        "sections": [{"lang": "id", "kind": "abstract", "text": seed("001").split("\n\n")[1], "blocks": [0], "confidence": 1.0}],
        "keywords": {"id": ["Kerja Sama"], "en": []},
    }
    stage.normalizer_for.cache_clear()
    artifact = stage.run("001", FakeInputs(separated), default_params())["normalize"]
    assert artifact["author_keywords"] == {"id": [{"phrase": "Kerja Sama", "key": "kerjasama"}], "en": []}
    assert stage.normalizer_for.cache_info().currsize == 1
