"""Tests for pipeline.text.stopwords."""

import pytest

from pipeline.text.resources import RESOURCES_DIR, read_word_list
from pipeline.text.stopwords import load_stopwords
from pipeline.text.tokens import Normalizer
from tests.paths import CORPUS


def test_indonesian_merges_sastrawi_spacy_and_academic():
    words = load_stopwords("id")
    # Sastrawi's list
    assert {"yang", "dan", "adalah", "bagaimanapun", "diperlukannya"} <= words
    # in spaCy's Indonesian list but not in Sastrawi's
    assert {"tahun", "waktu"} <= words
    # academic abstract frame words
    assert {"penelitian", "hasil", "menunjukkan", "metode", "data"} <= words
    assert "diplomasi" not in words and "negara" not in words


def test_academic_list_is_optional():
    core = load_stopwords("id", include_academic=False)
    assert "penelitian" not in core and "yang" in core
    assert core < load_stopwords("id")


def test_english_list():
    words = load_stopwords("en")
    assert {"the", "of", "which", "study", "paper", "result", "research", "method"} <= words
    assert "diplomacy" not in words
    assert "study" not in load_stopwords("en", include_academic=False)


def test_lists_are_lowercase_frozensets_and_unknown_language_is_empty():
    for lang in ("id", "en"):
        words = load_stopwords(lang)
        assert isinstance(words, frozenset)
        assert all(w == w.lower() and w.strip() == w and w for w in words)
    assert load_stopwords("fr") == frozenset()
    assert load_stopwords("") == frozenset()


def test_extra_files(tmp_path):
    extra = tmp_path / "extra.txt"
    extra.write_text("# source: test\nDiplomasi\n\n", encoding="utf-8")
    words = load_stopwords("id", extra_files=(str(extra),))
    assert "diplomasi" in words
    # a missing extra file is ignored, not an error
    assert load_stopwords("id", extra_files=("no_such_file.txt",)) == load_stopwords("id")


@pytest.mark.parametrize(
    "name",
    ["stopwords_id.txt", "stopwords_en.txt", "academic_stopwords_id.txt", "academic_stopwords_en.txt"],
)
def test_resource_files_declare_their_source(name):
    first_line = (RESOURCES_DIR / name).read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# source:")


def test_stopword_share_on_seed_text_is_plausible():
    text = next(CORPUS.glob("001_*.txt")).read_text(encoding="utf-8")
    tokens = [t for p in Normalizer("id").normalize(text) for s in p for t in s if t[2] in "ws"]
    share = sum(t[2] == "s" for t in tokens) / len(tokens)
    # Indonesian prose: function words are roughly a third to a half of the words.
    assert 0.25 < share < 0.6
    stop_surfaces = {t[0].lower() for t in tokens if t[2] == "s"}
    assert {"yang", "dan", "di", "untuk"} <= stop_surfaces
    assert "diplomasi" not in stop_surfaces


def test_indonesian_list_drops_quoted_english_function_words_only():
    words = load_stopwords("id")
    assert {"the", "of", "and", "with", "this"} <= words
    # Indonesian words spelled like English ones stay content words.
    for word in ("via", "program", "sistem", "internet", "online"):
        assert word not in words


def test_content_word_exceptions_are_optional_and_keep_function_words():

    default = load_stopwords("id")
    relaxed = load_stopwords("id", content_exceptions=True)
    exceptions = set(read_word_list(RESOURCES_DIR / "not_stopwords_id.txt"))
    # off by default (it did not raise keyword F1 on the held-out half)
    assert {"tinggi", "masalah", "kerja"} <= default
    assert relaxed == default - exceptions
    assert {"tinggi", "masalah", "penting", "kerja"} <= exceptions
    # closed-class words never enter the exception list
    for word in ("yang", "dan", "atas", "saat", "kedua", "pertama", "sebagian", "lainnya"):
        assert word not in exceptions and word in relaxed
    # the academic list is added after the removal
    assert "hasil" in load_stopwords("id", content_exceptions=True)
    assert (RESOURCES_DIR / "not_stopwords_id.txt").read_text(encoding="utf-8").startswith("# source:")


def test_zipf_frequency_is_wordfreqs_on_seed_words_and_lexicons():
    # The direct read of wordfreq's lists (no wordfreq import) must give exactly
    # wordfreq.zipf_frequency: plain words via the table, any other via wordfreq.
    import re

    import wordfreq

    from pipeline.text.stopwords import zipf_frequency

    words = set()
    for path in sorted(CORPUS.glob("*.txt")):
        words.update(re.findall(r"\S+", path.read_text(encoding="utf-8").lower()))
        words.update(re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")))
    words.update(read_word_list(RESOURCES_DIR / "stopwords_en.txt"))
    words.update(read_word_list(RESOURCES_DIR / "stopwords_id.txt"))
    words.update(["", "xqzvk", "café", "naïve", "don't", "covid-19", "ASEAN", "Kerja"])
    assert len(words) > 3000
    mismatches = [(w, lang) for w in sorted(words) for lang in ("id", "en")
                  if zipf_frequency(w, lang) != wordfreq.zipf_frequency(w, lang)]
    assert not mismatches, mismatches[:10]
    assert zipf_frequency("the", "en") > 7 and zipf_frequency("yang", "id") > 7


def test_frequency_table_holds_wordfreqs_whole_list():
    import math

    import wordfreq

    from pipeline.text.stopwords import frequency_table

    for lang in ("id", "en"):
        table = frequency_table(lang)
        frequencies = wordfreq.get_frequency_dict(lang)
        assert table.keys() == frequencies.keys()
        assert all(table[w] == round(math.log10(f) + 9, 2) for w, f in frequencies.items())
    assert frequency_table("no-such-language") is None
