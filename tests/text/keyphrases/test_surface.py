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


def _seed_lines(seed: str, first: int, last: int) -> str:
    """Lines ``first``..``last`` (1-based) of a bundled seed document, joined into one paragraph."""
    from tests.paths import CORPUS, SEEDS

    lines = (CORPUS / f"{SEEDS[seed]}.txt").read_text(encoding="utf-8").splitlines()
    return " ".join(lines[first - 1:last])


def test_names_keep_their_written_case_and_common_words_their_lower_case():
    """Seed 003's abstract: "Tiongkok" (a name, also at a sentence's start) is shown as
    written, "ACFTA" as an acronym, "Upgrading Protocol" as the running text writes the
    name, "strategi diplomasi" in lower case."""
    abstract = normalizer("id").normalize(_seed_lines("003", 3, 14))
    cands = {c.key: c for c in extract_candidates(abstract, "id")}
    assert cands[("tiongkok",)].surface == "Tiongkok"
    assert cands[("acfta",)].surface == "ACFTA"
    upgrading = next(c for key, c in cands.items() if [w.lower() for w in key] == ["upgrading", "protocol"])
    assert upgrading.surface == "Upgrading Protocol"
    strategy = next(c for key, c in cands.items() if key[0] == "strategi" and len(key) == 2)
    assert strategy.surface == "strategi diplomasi"


def test_words_of_a_title_cased_title_are_shown_as_the_text_writes_them():
    """Seed 001's title "Diplomasi ASEAN: Pilar Keberhasilan Kerjasama Antar Negara di
    Asia Tenggara": its words are capitalised by the title's style, so a phrase shows
    each word as the abstract writes it ("diplomasi ASEAN", "Asia Tenggara"), and a
    phrase seen only in the title too ("pilar keberhasilan": the text never writes
    "Pilar" in running text)."""
    from tests.paths import CORPUS, SEEDS

    text = (CORPUS / f"{SEEDS['001']}.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    norm = normalizer("id")
    sections = [("title", norm.normalize(title)), ("abstract", norm.normalize(body))]
    cands = {c.key: c for c in extract_candidates(sections, "id")}
    shown = {" ".join(key): c.surface for key, c in cands.items()}
    assert shown["diplomasi asean"] == "diplomasi ASEAN"
    assert shown["asia tenggara"] == "Asia Tenggara"
    pillar = next(c for key, c in cands.items() if key[0] == "pilar" and len(key) == 2)
    assert pillar.section_counts["title"] == pillar.count
    assert pillar.surface == "pilar keberhasilan"


def test_hyphen_left_on_one_half_of_a_word_joins_it():
    """Real SINTA dev text spaces a hyphen on one side ("hidroksiapatit -kitosan", "K-Means
    clustering -based"): the halves make one word, and no candidate starts or ends with "-"."""
    rows = {r["id"]: r for r in sinta_rows(100)}
    texts = [(lang, row[f"{lang}_abstract"]) for row in rows.values() for lang in ("id", "en")
             if row.get(f"{lang}_abstract") and (" -" in row[f"{lang}_abstract"] or "- " in row[f"{lang}_abstract"])]
    assert len(texts) >= 3
    joined = 0
    for lang, text in texts:
        for cand in extract_candidates(normalizer(lang).normalize(text), lang):
            for surface in cand.surfaces:
                assert not any(w.startswith("-") or w.endswith("-") for w in surface.split(" ")), surface
            joined += any("-kitosan" in s or "clustering-based" in s for s in cand.surfaces)
    assert joined >= 2
    made = normalizer("en").normalize("We use K -means and K- means clustering.")
    keys = {c.key: c for c in extract_candidates(made, "en")}
    assert any(key[0].startswith("k-mean") for key in keys) and not any(k[0].startswith("-") for k in keys)
