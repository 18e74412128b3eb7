"""Tests of pipeline.text.keyphrases.surface: shouted titles and capitalised terms keyed like the text."""

from __future__ import annotations

from pipeline.text.keyphrases import extract_candidates

from .rows import normalizer, sinta_rows


def test_shouted_title_meets_the_abstract():
    """An all-capitals title keys like the lower-case abstract it heads."""
    norm = normalizer("id")
    title = norm.normalize("ANALISIS KORESPONDENSI HASIL BELAJAR SISWA PADA MATA PELAJARAN MATEMATIKA")
    abstract = norm.normalize("Penelitian ini memakai analisis korespondensi untuk melihat hasil belajar siswa. "
                              "Analisis korespondensi dilakukan pada nilai matematika siswa kelas XII.")
    cands = {c.key: c for c in extract_candidates([("title", title), ("abstract", abstract)], "id")}
    pair = cands[("analisis", "korespondensi")]
    assert pair.section_counts["title"] == 1 and pair.section_counts["abstract"] == 2
    assert pair.surface == "analisis korespondensi"
    assert not any(any(w.isupper() and len(w) > 4 for w in c.key_string.split()) for c in cands.values())


def test_shouted_title_keys_like_author_keywords_when_the_text_capitalises_the_words():
    """A shouted title's word takes the norm of the word written in lower case elsewhere,
    never that of a capitalised one (read as a name, so left unstemmed): SINTA's
    "ANALISIS KINERJA PENYULUH PERTANIAN LAPANGAN" over an abstract that writes
    "Penyuluh Pertanian Lapangan" keys as the author keyword does, in the title too."""
    row = next(r for r in sinta_rows(100) if r["id"] == "sinta-33a439e4af")
    norm = normalizer("id")
    sections = [("title", norm.normalize(row["title"])), ("abstract", norm.normalize(row["id_abstract"]))]
    gold = norm.normalize_tokens(["penyuluh pertanian lapangan"])[0]
    cands = {" ".join(c.key): c for c in extract_candidates(sections, "id")}
    assert gold == "suluh tani lapang" and gold in cands
    assert cands[gold].section_counts.get("title") == 1
    assert not any(k.split()[-1] in ("pertanian", "lapangan") for k in cands), \
        sorted(k for k in cands if "pertanian" in k or "lapangan" in k)


def test_capitalised_terms_key_like_author_keywords():
    norm = normalizer("id")
    doc = norm.normalize("Metode yang digunakan adalah Jaringan Syaraf Tiruan dengan algoritma Backpropagation. "
                         "Pelatihan Jaringan Syaraf Tiruan memakai 3 neuron.")
    gold = norm.normalize_tokens(["jaringan syaraf tiruan"])[0]
    keys = {" ".join(c.key) for c in extract_candidates(doc, "id")}
    assert gold in keys
