"""Tests of pipeline.text.langid on real text (seeds, SINTA abstracts)."""

from __future__ import annotations

import json
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect.lang_detect_exception import LangDetectException

from pipeline.text import langid
from pipeline.text.langid import detect_language, heading_role
from pipeline.text.resources import RESOURCES_DIR
from tests.paths import CORPUS, DATA


def _seed_paragraphs() -> dict[str, list[str]]:
    docs = {}
    for path in sorted(CORPUS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        docs[path.name[:3]] = [p for p in re.split(r"\n\s*\n", raw) if p.strip()]
    return docs


def _gold_rows():
    rows = []
    for line in (DATA / "seeds_paragraph_gold.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        doc, para, gold, first = line.split("\t", 3)
        rows.append((doc, int(para), gold, first))
    return rows


def _sinta_items():
    items = []
    for line in (DATA / "sinta_dev.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        items.append((rec["id_abstract"], "id"))
        if rec.get("en_abstract"):
            items.append((rec["en_abstract"], "en"))
    return items


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Abstrak", "id"), ("ABSTRAK", "id"), ("**ABSTRAK **", "id"), ("## Abstrak", "id"),
        ("Intisari", "id"), ("Abstract", "en"), ("ABSTRACT", "en"), ("Kata kunci", "id"),
        ("Keywords", "en"), ("BAB I PENDAHULUAN", "id"), ("Introduction", "en"),
        ("Daftar Pustaka", "id"), ("References", "en"), ("2. Metode Penelitian", "id"),
        ("Kata kunci: ACFTA, Diplomasi Ekonomi, E-commerce", "id"),
        ("Keywords: city diplomacy, foreign policy", "en"),
        ("Tinjauan Pustaka Penelitian Terdahulu", "id"),
    ],
)
def test_headings_and_short_lines(text, lang):
    assert detect_language(text)[0] == lang


@pytest.mark.parametrize("text", ["(3)", "(4)", "---", ".....", "<hr />", "", "   ", "2006 3.4 0.3 2007 4.4 1.0",
                                  "(Agarwal, 1999: 29)", "∑∂ƒ", "12.", "—"])
def test_no_language_is_unknown(text):
    assert detect_language(text) == ("unknown", 0.0)


def test_malay_like_indonesian_is_indonesian():
    # Malay spelling and vocabulary (bahawa, kerajaan, semula): on the
    # Indonesian/English axis this is Indonesian, never anything else.
    text = "Kerajaan telah mengumumkan bahawa sekolah akan dibuka semula minggu hadapan di seluruh negeri."
    assert detect_language(text)[0] == "id"


def test_seed_paragraph_accuracy():
    docs = _seed_paragraphs()
    correct = total = 0
    misses = []
    for doc, para, gold, first in _gold_rows():
        text = docs[doc][para - 1]
        # The gold file's first characters identify the paragraph.
        assert " ".join(text.split())[:15] == " ".join(first.split())[:15]
        if gold not in ("id", "en"):
            continue
        lang, _ = detect_language(" ".join(text.split()))
        total += 1
        correct += lang == gold
        if lang != gold:
            misses.append((doc, para, gold, lang))
    accuracy = correct / total
    print(f"seed paragraphs id/en: {correct}/{total} = {accuracy:.3f}; misses {misses}")
    assert total > 120
    assert accuracy >= 0.97


def test_sinta_abstracts_full_and_short():
    items = _sinta_items()
    assert len(items) > 100
    full = sum(detect_language(t)[0] == g for t, g in items) / len(items)

    def prefix(t, k):
        return " ".join(t.split()[:k])

    def langdetect_only(t):
        p = langid._langdetect_p_id(langid._prepare_for_ngrams(t))
        return "unknown" if p is None else ("id" if p >= 0.5 else "en")

    combined5 = sum(detect_language(prefix(t, 5))[0] == g for t, g in items) / len(items)
    combined3 = sum(detect_language(prefix(t, 3))[0] == g for t, g in items) / len(items)
    ld3 = sum(langdetect_only(prefix(t, 3)) == g for t, g in items) / len(items)
    print(f"sinta_dev: full {full:.3f}; first 5 words {combined5:.3f}; first 3 words {combined3:.3f} "
          f"(langdetect alone {ld3:.3f})")
    assert full >= 0.99
    assert combined5 >= 0.95
    # The function-word signal must not lose to langdetect alone on short input.
    assert combined3 >= ld3


def test_confidence_range_and_determinism():
    texts = [t for t, _ in _sinta_items()[:20]] + ["Abstrak", "(3)", "Diplomacy) mengacu pada negosiasi"]
    first = [detect_language(t) for t in texts]
    langid._detect_cached.cache_clear()
    second = [detect_language(t) for t in texts]
    assert first == second
    for lang, conf in first:
        assert lang in ("id", "en", "unknown")
        assert 0.0 <= conf <= 1.0
        if lang != "unknown":
            assert conf >= 0.5


def test_fast():
    paragraphs = [" ".join(p.split()) for ps in _seed_paragraphs().values() for p in ps]
    langid._detect_cached.cache_clear()
    detect_language("warm up the profiles")
    start = time.perf_counter()
    for p in paragraphs:
        detect_language(p)
    elapsed = time.perf_counter() - start
    assert elapsed / len(paragraphs) < 0.02, elapsed


def test_heading_role():
    assert heading_role("BAB I PENDAHULUAN") == ("id", "body")
    assert heading_role("**ABSTRACT **") == ("en", "abstract")
    assert heading_role("DAFTAR PUSTAKA") == ("id", "references")
    assert heading_role("Diplomasi antar negara anggota ASEAN menjadi kunci") is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises(text):
    lang, conf = detect_language(text)
    assert lang in ("id", "en", "unknown")
    assert 0.0 <= conf <= 1.0


def test_odd_inputs():
    assert detect_language(None) == ("unknown", 0.0)  # type: ignore[arg-type]
    assert detect_language("a" * 200_000)[0] in ("id", "en", "unknown")
    assert detect_language("yang dan " * 50_000)[0] == "id"


# --- speed work (issue #10): fast paths must compute what the plain code computes ---


def _speed_texts() -> list[str]:
    texts = [first for _, _, _, first in _gold_rows()]
    for line in (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[:30]:
        rec = json.loads(line)
        texts += [rec["title"], rec["abstract"], " ".join(rec["abstract"].split()[:9])]
    return texts + ["ASEAN-CHINA FREE TRADE AREA", "Diplomasi ékonomi", "Привет мир", "(3)", "a"]


def test_inlined_langdetect_loop_gives_langdetect_numbers():
    factory = langid._detector_factory()
    compared = 0
    for text in _speed_texts():
        expected = factory.create()
        expected.append(text)
        try:
            want = {lang.lang: lang.prob for lang in expected.get_probabilities()}
        except LangDetectException:
            want = None
        got_detector = factory.create()
        got_detector.append(text)
        try:
            got = langid._two_profile_probabilities(got_detector)
        except LangDetectException:
            got = None
        assert got == want, text[:60]
        compared += want is not None
    assert compared > 50


def test_ascii_letter_counts_match_str_methods():
    for text in _speed_texts() + ["ABC def", "ÀB", "", "123 !!", "A\u00a0B"]:
        letters = [c for c in text if c.isalpha()]
        upper = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.5
        assert langid._mostly_upper(text) == upper, text[:40]
        latin = sum(1 for c in letters if c < "\u0250" or "\u1e00" <= c <= "\u1eff")
        assert langid._latin_share(text) == (len(letters), latin / len(letters) if letters else 0.0)


def test_word_table_holds_every_row_of_the_resource():
    path = RESOURCES_DIR / "langid_wordfreq.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    table = langid.load_word_frequencies()
    assert len(table) == len(rows) > 40000
    for word, z_id, z_en in rows[::97]:
        assert table[word] == (float(z_id), float(z_en))
