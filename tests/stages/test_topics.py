"""The topic stage on the seeds: recognisable topics, honest small-corpus answers, refits."""

from __future__ import annotations

import json

from pipeline import Pipeline
from pipeline.store import ArtifactRef

from tests.paths import DATA, SEEDS


def topic_terms(pipeline, lang):
    art = pipeline.store.read(ArtifactRef("topics", lang))
    return art, [{t["term"].lower() for t in topic["terms"]} for topic in art["topics"]]


def test_seed_topics_are_the_themes_a_reader_knows(seed_run):
    _, pipeline, _ = seed_run
    art, topics = topic_terms(pipeline, "id")
    assert art["status"] == "fitted" and art["unit"] == "passages"
    assert 2 <= art["k"] <= 10 and len(art["candidates"]) >= 2
    themes = {
        "ACFTA and e-commerce": {"acfta", "e-commerce", "protocol", "upgrading"},
        "city diplomacy and paradiplomacy": {"kota", "paradiplomasi", "lokal", "daerah"},
        "ASEAN diplomacy": {"asean", "kawasan", "anggota", "regional", "tenggara"},
    }
    for theme, words in themes.items():
        assert any(len(words & terms) >= 2 for terms in topics), f"no topic on {theme}: {topics}"
    # Each abstract document's main topic is a different theme from 003's article.
    # 002 (city diplomacy) and 004 (paradiplomacy of sister cities) lead with a topic of
    # that theme (one topic, or the two halves of it when k splits them); 001 does not.
    main = {doc: art["documents"][SEEDS[doc]][0]["topic"] for doc in ("001", "002", "004")}
    terms_of = {topic["id"]: {t["term"].lower() for t in topic["terms"]} for topic in art["topics"]}
    city = themes["city diplomacy and paradiplomacy"]
    assert len(city & terms_of[main["002"]]) >= 2 and len(city & terms_of[main["004"]]) >= 2
    assert main["001"] not in (main["002"], main["004"])
    for topic in art["topics"]:
        assert topic["label"] and topic["phrases"] and topic["documents"]
        assert all(not t["term"].endswith("kan") or t["term"] != t["stem"] for t in topic["terms"])


def test_too_little_text_is_said_plainly(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("Diplomasi ekonomi Indonesia di kawasan ASEAN.\n", encoding="utf-8")
    pipeline = Pipeline(corpus, tmp_path / "out", tmp_path / "models")
    assert not pipeline.run().errors
    for lang in ("id", "en"):
        art = pipeline.store.read(ArtifactRef("topics", lang))
        assert art["status"] == "too_little_text" and art["topics"] == [] and art["k"] == 0
        assert "too little" in art["message"]


def test_saved_model_places_new_document_and_refit_on_request(seed_copy, tmp_path):
    root, pipeline = seed_copy
    # An abstract on government investment policy: close enough to the seeds' themes.
    record = json.loads((DATA / "sinta_dev.jsonl").read_text(encoding="utf-8").splitlines()[57])
    new = tmp_path / "baru.txt"
    new.write_text(record["title"] + "\n\n" + record["id_abstract"] + "\n", encoding="utf-8")
    pipeline.corpus.add_file(new)
    before = pipeline.store.read(ArtifactRef("topic_model", "id"))
    pipeline.run()
    art = pipeline.store.read(ArtifactRef("topics", "id"))
    model = pipeline.store.read(ArtifactRef("topic_model", "id"))
    assert art["status"] == "placed_with_saved_model"
    assert model["model"] == before["model"] and model["corpus_hash"] == before["corpus_hash"]
    stats = art["document_stats"]["baru"]
    assert stats["fitted"] is False and 0.0 < stats["unknown_share"] <= 1.0
    assert art["document_stats"][SEEDS["003"]]["fitted"] is True
    # A refit on request folds the new document into the model.
    summary = pipeline.run(refit=True)
    assert {s.name: s.ran for s in summary.steps}["topics"] == 2
    art = pipeline.store.read(ArtifactRef("topics", "id"))
    assert art["status"] == "fitted" and art["document_stats"]["baru"]["fitted"] is True


def test_new_document_unlike_the_corpus_triggers_a_refit(seed_copy, tmp_path):
    root, pipeline = seed_copy
    # An informatics abstract: most of its words are unknown to the diplomacy model.
    record = json.loads((DATA / "sinta_dev.jsonl").read_text(encoding="utf-8").splitlines()[0])
    new = tmp_path / "informatika.txt"
    new.write_text(record["title"] + "\n\n" + record["id_abstract"] + "\n", encoding="utf-8")
    pipeline.corpus.add_file(new)
    pipeline.run()
    art = pipeline.store.read(ArtifactRef("topics", "id"))
    assert art["status"] == "fitted"
    assert art["document_stats"]["informatika"]["fitted"] is True


def test_documents_placed_in_batches_as_one_at_a_time(seed_run):
    from pipeline.stages.topics import _as_units, _place_all, document_units
    from pipeline.text.topicmodel import TopicModel

    _, pipeline, _ = seed_run
    art = pipeline.store.read(ArtifactRef("topics", "id"))
    model = TopicModel.from_dict(pipeline.store.read(ArtifactRef("topic_model", "id"))["model"])
    params = pipeline.params["topics"]
    docs = sorted(art["document_stats"])
    units = [_as_units(document_units(pipeline.store.read(ArtifactRef("normalize", d)), "id",
                                      set(params["section_kinds"]), params["min_unit_tokens"],
                                      params["max_unit_tokens"]), art["unit"]) for d in docs]
    vocabulary = set(model.vocabulary_)
    batched = _place_all(model, [(u, True) for u in units], vocabulary)
    alone = [_place_all(model, [(u, True)], vocabulary, batch_units=1)[0] for u in units]
    assert batched == alone == [art["document_stats"][d] for d in docs]
    assert sum(st["n_units"] for st in batched) > len(docs)  # passages: several units a document
