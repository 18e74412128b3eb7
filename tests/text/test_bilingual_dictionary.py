"""The shipped Indonesian-English dictionary: its pairs, its keys, its file, its builder."""

from __future__ import annotations

import gzip
import importlib.util

import pytest

from pipeline.text.bilingual import BilingualDictionary, dictionary, load_dictionary, phrase_key, read_dictionary
from pipeline.text.resources import resource_path
from tests.paths import REPO


def _builder():
    """benchmarks/build_dictionary.py (parser, writer, --check)."""
    spec = importlib.util.spec_from_file_location("build_dictionary", REPO / "benchmarks" / "build_dictionary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()
DEBIAN_FILES = BUILDER.DEFAULT_INDEX.exists() and BUILDER.DEFAULT_DICT.exists()


def _data_lines() -> list[str]:
    text = resource_path(dictionary.DICTIONARY_FILE).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if not line.startswith("#")]


@pytest.fixture
def fresh_load():
    """load_dictionary() without what an earlier test cached, and cleared again after."""
    load_dictionary.cache_clear()
    yield
    load_dictionary.cache_clear()


# --- the pairs (entries checked by hand in freedict-eng-ind 2022.11.18) ---

def test_common_words_translate_both_ways():
    d = load_dictionary()
    assert len(d) > 10_000
    assert d.en_for("buku") == ("book",)
    assert "buku" in d.id_for("book") and "kitab" in d.id_for("book")
    assert d.en_for("rumah") == ("home", "house")          # sorted
    assert "rumah" in d.id_for("House")                    # any case
    assert d.en_for("anak") == ("child", "kid")


def test_multi_word_entries_translate_both_ways():
    d = load_dictionary()
    assert d.en_for("  Kata   sandi ") == ("password",)    # case and spacing do not matter
    assert d.id_for("foreign debt") == ("utang luar negeri",)
    # "(tempat) penyeberangan pejalan kaki": the optional word left out and kept
    assert d.en_for("penyeberangan pejalan kaki") == ("pedestrian crossing",)
    assert d.en_for("tempat penyeberangan pejalan kaki") == ("pedestrian crossing",)
    # a headword with commas keeps its translation whole
    assert d.id_for("ready, aim, fire") == ("bersiap, bidik, tembak",)


def test_what_is_left_out_and_cleaned():
    d = load_dictionary()
    assert d.en_for("sentris") == ()                       # only in the suffix entry "centric"
    assert d.id_for("ism") == ()                           # a <suffix> entry
    assert d.id_for("1st") == () and d.en_for("ke-1") == ()  # ordinal abbreviation
    assert d.id_for("mr") == ("tn",)                       # "Mr." / "Tn.": final period dropped
    assert d.en_for("brengsek!") == ()                     # "!" dropped ...
    assert "goddamn" in d.en_for("brengsek")               # ... from "brengsek!"
    for line in _data_lines():
        indonesian, english = line.split("\t")[:2]
        for phrase in (indonesian, english):
            assert not phrase.startswith("-") and not phrase.endswith("-"), line
            assert "..." not in phrase and "[" not in phrase and "(" not in phrase, line


def test_source_names_the_edition():
    assert "FreeDict" in load_dictionary().source and "Edition" in load_dictionary().source


# --- keys ---

def test_an_affixed_indonesian_word_maps_through_its_stem():
    d = load_dictionary()
    assert d.en_for("kebijakannya") == ()                  # not a headword as written
    key = phrase_key("kebijakannya", "id")
    assert key == "bijak"
    assert "policy" in d.en_keys_for(key)
    assert "friendship" in d.en_keys_for(phrase_key("persahabatan", "id"))


def test_an_inflected_english_word_maps_through_its_lemma():
    d = load_dictionary()
    assert d.id_for("policies") == ()
    assert "bijak" in d.id_keys_for(phrase_key("policies", "en"))
    assert "buku" in d.id_keys_for(phrase_key("Books", "en"))
    assert "utang luar negeri" in d.id_keys_for(phrase_key("foreign debts", "en"))


def test_stored_keys_are_what_the_stemmer_and_lemmatizer_give_now():
    # The builder stores the keys; a change to the stemmer or lemmatizer must be
    # followed by a rebuild, or the keys no longer meet the pipeline's.
    stale = [(line, phrase_key(i, "id"), phrase_key(e, "en"))
             for line in _data_lines()
             for i, e, _, id_key, en_key in [line.split("\t")]
             if (id_key, en_key) != (phrase_key(i, "id"), phrase_key(e, "en"))]
    assert not stale, f"{len(stale)} stale keys, e.g. {stale[:3]}: run benchmarks/build_dictionary.py"


# --- the file ---

def test_the_file_is_sorted_deduplicated_and_normalised():
    lines = _data_lines()
    assert lines == sorted(set(lines))
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 5 for row in rows)
    assert len({(row[0], row[1]) for row in rows}) == len(rows)   # one line per pair
    for row in rows:
        for phrase in row[:2]:
            assert phrase == " ".join(phrase.lower().split()), row


@pytest.mark.skipif(not DEBIAN_FILES, reason="Debian's dict-freedict-eng-ind is not installed")
def test_the_shipped_file_is_what_the_builder_writes(capsys):
    assert BUILDER.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_fails_on_a_different_source_and_skips_without_one(tmp_path, capsys):
    index, dict_path = tmp_path / "x.index", tmp_path / "x.dict.dz"
    entry = "book /bʊk/ <n>\nbuku\ncollection of sheets of paper\n".encode("utf-8")
    with gzip.open(dict_path, "wb") as out:
        out.write(entry)
    index.write_text(f"book\tA\t{BUILDER.DICTD_ALPHABET[len(entry) // 64]}"
                     f"{BUILDER.DICTD_ALPHABET[len(entry) % 64]}\n", encoding="utf-8")
    assert BUILDER.main(["--index", str(index), "--dict", str(dict_path), "--check"]) == 1
    assert "differs" in capsys.readouterr().out
    assert BUILDER.main(["--index", str(tmp_path / "no.index"), "--dict", str(dict_path), "--check"]) == 0
    assert "skipped" in capsys.readouterr().out


# --- the builder's parser ---

def test_dictd_numbers():
    assert BUILDER.dictd_number("A") == 0
    assert BUILDER.dictd_number("RL") == 17 * 64 + 11
    assert BUILDER.dictd_number("/") == 63


def test_entries_of_every_shape():
    pairs = BUILDER.entry_pairs
    assert pairs("'umra /ˈʌmɹə/ <n>\numrah\na lesser pilgrimage\n") == [("umrah", "'umra", "n")]
    assert pairs("centric /sˈɛntɹɪk/ <suffix>\nsentris 2.\nhaving a specified number of centres\n 3.\n"
                 "having a specified object at the centre\n") == []
    # numbered senses, a trailing sense number, glosses never read
    assert pairs("season //ˈsiː.zən// <n>\n1. musim tayang\na group of episodes\n2. musim 2.\n"
                 "quarter of a year\n 3.\npart of year with something special\n") == [
        ("musim tayang", "season", "n"), ("musim", "season", "n")]
    assert pairs("turmeric //ˈtɜː.m(ə).ɹɪk// <n>\nkunyit 2.\nspice\n 3.\ndye\n") == [("kunyit", "turmeric", "n")]
    # no part of speech, no gloss
    assert pairs("in broad daylight /ɪn bɹˈɔːd dˈeɪlaɪt/\ndi siang bolong\n") == [
        ("di siang bolong", "in broad daylight", "")]
    assert pairs("1st //fɜːst// <adj>\nke-1\nabbreviation of first\n") == []
    assert pairs("I need ... /aɪ nˈiːd/ <phraseologicalUnit>\nsaya perlu ...\n") == []


def test_translations_are_cleaned_and_split():
    variants = BUILDER.translation_variants
    assert variants("[[kemudi|mengemudi(kan)]]") == ["mengemudi", "mengemudikan"]
    assert variants("[[suam-suam]] kuku") == ["suam-suam kuku"]
    assert variants("kependekan (dari)") == ["kependekan", "kependekan dari"]
    assert variants("Apa kabar?") == ["apa kabar"] and variants("dll.") == ["dll"]
    assert variants("D.C.") == ["d.c."]
    assert variants("berdasarkan eksperimen / percobaan") == []
    assert variants("-mu") == [] and variants("123") == [] and variants("a; b") == ["a", "b"]
    split = BUILDER.split_translations
    assert split("bersiap, bidik, tembak", "ready, aim, fire") == ["bersiap, bidik, tembak"]
    assert split("kaum buruh sedunia, bersatulah, kaum proletar, bersatu", "workers of the world, unite") == [
        "kaum buruh sedunia, bersatulah", "kaum proletar, bersatu"]
    assert split("luka, cedera, lecet", "wound") == ["luka", "cedera", "lecet"]


# --- the reader ---

def test_a_missing_file_gives_an_empty_dictionary(tmp_path, monkeypatch, fresh_load):
    monkeypatch.setattr(dictionary, "DICTIONARY_FILE", tmp_path / "absent.tsv")
    d = load_dictionary()
    assert len(d) == 0 and d.source == ""
    assert d.en_for("buku") == () and d.id_for("book") == ()
    assert d.en_keys_for("buku") == frozenset() and d.id_keys_for("book") == frozenset()
    assert len(read_dictionary(tmp_path / "absent.tsv")) == 0


def test_a_small_file_is_read_with_its_edition(tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text("# edition: Test, Edition: 1\nbuku\tbook\tn\tbuku\tbook\n"
                    "bukunya\tthe book\t\tbuku\tthe book\nbroken line\n", encoding="utf-8")
    d = read_dictionary(path)
    assert isinstance(d, BilingualDictionary) and len(d) == 2 and d.source == "Test, Edition: 1"
    assert d.en_keys_for("buku") == frozenset({"book", "the book"})
    assert d.id_keys_for("the book") == frozenset({"buku"})
    assert d.en_for("bukunya") == ("the book",)
