"""Keyword in context on real normalized tokens (issue 25)."""

from __future__ import annotations

from pipeline.text.contexts import context_keys, detokenize, find_contexts, marked
from pipeline.text.tokens import Normalizer


def _artifact(lang: str, text: str, kind: str = "abstract") -> dict:
    return {"sections": [{"lang": lang, "kind": kind, "paragraphs": Normalizer(lang).normalize(text)}]}


def test_a_phrase_matches_across_case_and_inflection():
    docs = {"b": _artifact("id", "KEBIJAKAN LUAR NEGERI Indonesia berubah. Tidak ada yang lain."),
            "a": _artifact("id", "Kajian ini membahas kebijakan luar negeri. Negeri itu jauh dari luar kebijakan."),
            "c": _artifact("id", "Dalam Kebijakan luar negeri kita, ada kebijakan-kebijakan luar negeri.")}
    keys = context_keys("Kebijakan Luar Negeri", ["id"])
    assert keys == {"id": ["bijak luar negeri", "kebijakan luar negeri"]}
    rows = find_contexts(docs, keys, {"a": "Judul A"})
    assert [(r["doc_id"], r["match"]) for r in rows] == [("a", "kebijakan luar negeri"),
                                                         ("b", "KEBIJAKAN LUAR NEGERI"),
                                                         ("c", "Kebijakan luar negeri"),
                                                         ("c", "kebijakan-kebijakan luar negeri")]
    assert rows[0]["title"] == "Judul A" and rows[1]["title"] is None
    assert (rows[0]["left"], rows[0]["right"]) == ("Kajian ini membahas", ".")
    assert marked(rows[0]) == "Kajian ini membahas [[kebijakan luar negeri]]."
    assert marked(rows[1]) == "[[KEBIJAKAN LUAR NEGERI]] Indonesia berubah."
    # English: the plural is the same key
    english = {"e": _artifact("en", "The foreign policies of ASEAN members (as stated) differ.")}
    [row] = find_contexts(english, context_keys("foreign policy", ["en"]))
    assert (row["match"], row["lang"], row["kind"]) == ("foreign policies", "en", "abstract")
    assert marked(row) == "The [[foreign policies]] of ASEAN members (as stated) differ."


def test_every_occurrence_in_document_then_position_order_and_nothing_else():
    docs = {"d": _artifact("id", "Diplomasi kota dan diplomasi kota lain. Diplomasi saja.\n\nKota diplomasi.")}
    rows = find_contexts(docs, {"id": ["diplomasi kota"]})
    assert [(r["paragraph"], r["sentence"], r["token"]) for r in rows] == [(0, 0, 0), (0, 0, 3)]
    assert marked(rows[1]) == "Diplomasi kota dan [[diplomasi kota]] lain."
    # a key of another language is not searched in this one; an unknown phrase finds nothing
    assert find_contexts(docs, {"en": ["diplomasi kota"]}) == []
    assert find_contexts(docs, context_keys("paradiplomacy", ["en"])) == []
    # a run is contiguous: punctuation between the words breaks it
    assert find_contexts(_artifact_dict("Diplomasi, kota."), {"id": ["diplomasi kota"]}) == []


def _artifact_dict(text: str) -> dict:
    return {"x": _artifact("id", text)}


def test_detokenize_spaces_words_not_punctuation():
    assert detokenize(["Jakarta", "'s", "role", "(", "2019", ")", ":", "done", "."]) == "Jakarta's role (2019): done."
