"""The report in two steps: per-document sections, assembled with the corpus results.

A document's ``report_section`` must depend on that document alone (so adding a
document re-renders one section), and the assembled pages must be what rendering
everything afresh gives.
"""

from __future__ import annotations

import json
import re
from html import escape

from pipeline.render import document_section, glossary_csv, html_report, keywords_csv, keywords_markdown
from pipeline.stages import STEPS
from pipeline.stage import LANGS
from pipeline.stages import report
from pipeline.stage import Read
from pipeline.store import ArtifactRef

from tests.paths import SEEDS

BUILT = re.compile(r"<dt>built</dt><dd>[^<]*</dd>")


def _read(pipeline, kind: str, key: str) -> dict:
    return pipeline.store.read(ArtifactRef(kind, key))


def _section(pipeline, doc_id: str) -> dict:
    return document_section(doc_id, _read(pipeline, "ingest", doc_id), _read(pipeline, "separate", doc_id),
                            _read(pipeline, "keywords", doc_id), _read(pipeline, "align", doc_id))


def test_steps_section_before_assembly_which_reads_no_document_artifact():
    names = [s.name for s in STEPS]
    assert names.index("report_section") < names.index("report")
    section, assembly = report.STEPS
    assert section.scope == "document" and all(r.which == "self" for r in section.reads)
    assert assembly.scope == "corpus"
    # Per document the assembly reads the rendered sections only: one small file each.
    assert [r.kind for r in assembly.reads if r.which == "all"] == ["report_section"]


def test_sections_are_written_and_carry_no_corpus_result(seed_run):
    root, pipeline, _ = seed_run
    for doc_id in SEEDS.values():
        art = _read(pipeline, "report_section", doc_id)
        assert art["header"]["document"] == doc_id
        assert set(art["header"]["inputs"]) == {f"ingest/{doc_id}", f"separate/{doc_id}", f"keywords/{doc_id}",
                                                f"align/{doc_id}"}
        html = "".join(art["article"])
        assert html.startswith(f'<article class="doc filterable" id="doc-{doc_id}">')
        assert html.endswith("</article>")
        # Topics are a corpus result: rendered at assembly, never in a section.
        assert "Topics:" not in html
        assert art["keywords_md"].startswith(f"## {doc_id}\n")
        assert all(line.startswith(f"document,{doc_id},") for line in art["keywords_csv"].splitlines())
    # 001 is Indonesian only, 002 has both languages.
    assert _read(pipeline, "report_section", SEEDS["001"])["languages"] == ["id"]
    assert _read(pipeline, "report_section", SEEDS["002"])["languages"] == ["en", "id"]


def test_topics_are_put_into_each_article_at_assembly(seed_run):
    root, pipeline, _ = seed_run
    page = (root / "output" / "report.html").read_text(encoding="utf-8")
    topics = {lang: _read(pipeline, "topics", lang) for lang in LANGS}
    shown = 0
    for doc_id in SEEDS.values():
        article = page[page.index(f'<article class="doc filterable" id="doc-{doc_id}">'):]
        article = article[:article.index("</article>")]
        columns = article.split("<h4>Abstract — ")[1:]
        assert len(columns) == len(LANGS)
        for lang, column in zip(LANGS, columns):
            entries = (topics[lang].get("documents") or {}).get(doc_id) or []
            assert ("<b>Topics:</b>" in column) == bool(entries), (doc_id, lang)
            labels = {t["id"]: t["label"] for t in topics[lang].get("topics", [])}
            for entry in entries:
                assert f'{labels[entry["topic"]]} ({entry["weight"]:.2f})' in column
                shown += 1
    assert shown >= 4


def test_assembly_of_made_up_topics_fills_the_right_slot(seed_run):
    _, pipeline, _ = seed_run
    doc_id = SEEDS["002"]
    sections = {doc_id: _section(pipeline, doc_id)}
    topics = {"en": {"k": 1, "n_units": 1, "unit": "documents", "n_documents": 1,
                     "topics": [{"id": 0, "label": "cities <&> diplomacy", "terms": [{"term": "city", "weight": 1.0}],
                                 "documents": [{"doc_id": doc_id, "weight": 0.75}]}],
                     "documents": {doc_id: [{"topic": 0, "weight": 0.75}]}}}
    page = html_report(overview={}, freshness=[], settings={}, sections=sections, corpus_keywords={},
                       topics=topics)
    article = page[page.index("<article"):page.index("</article>")]
    indonesian, english = article.split("<h4>Abstract — ")[1:]
    assert "Topics:" not in indonesian
    # Escaped, in the English column, after its keyword table.
    assert "<p><b>Topics:</b> cities &lt;&amp;&gt; diplomacy (0.75)</p>" in english
    assert english.index("Topics:") > english.index("</tbody></table>")
    assert english.rstrip().endswith("</div>") or "</div>" in english[english.index("Topics:"):]


def test_section_is_json_round_trip_stable_and_markdown_csv_assemble(seed_run):
    _, pipeline, _ = seed_run
    sections = {d: json.loads(json.dumps(_section(pipeline, d))) for d in sorted(SEEDS.values())}
    for doc_id, section in sections.items():
        stored = _read(pipeline, "report_section", doc_id)
        assert {k: v for k, v in stored.items() if k != "header"} == section
    corpus_keywords = {lang: _read(pipeline, "corpus_keywords", lang) for lang in LANGS}
    markdown = keywords_markdown(sections, corpus_keywords, _read(pipeline, "glossary", "corpus"))
    assert markdown.startswith("# Keywords\n") and markdown.endswith("\n") and not markdown.endswith("\n\n")
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert [h for h in headings if "Corpus" not in h and "Glossary" not in h] == sorted(SEEDS.values())
    # The glossary after the corpus keywords, before the documents.
    assert headings.index("Glossary — Indonesian / English") == len(LANGS)
    table = keywords_csv(sections, corpus_keywords).splitlines()
    assert table[0] == "scope,doc_id,lang,rank,phrase,score,count_or_df"
    scopes = [line.split(",", 1)[0] for line in table[1:]]
    assert scopes == sorted(scopes, key=lambda s: s != "document") and "corpus" in scopes


def test_adding_a_document_renders_one_section_and_equals_a_fresh_assembly(seed_copy):
    root, pipeline = seed_copy
    out = root / "output"
    before = {p.name: p.read_bytes() for p in (out / "report_section").glob("*.json")}
    inputs_before = {d: {k: pipeline.store.sha256(ArtifactRef(k, d))
                         for k in ("ingest", "separate", "keywords", "align")}
                     for d in SEEDS.values()}
    (root / "corpus" / "newdoc.txt").write_text(
        "Diplomasi Ekonomi Kota Pelabuhan\n\nAbstrak\n\nPenelitian ini membahas diplomasi ekonomi kota "
        "pelabuhan di Indonesia. Kerja sama perdagangan antar kota pelabuhan meningkatkan investasi daerah "
        "dan memperkuat hubungan internasional pemerintah daerah.\n\nKata kunci: diplomasi ekonomi, kota "
        "pelabuhan, kerja sama\n", encoding="utf-8")
    summary = pipeline.run(jobs=1)
    assert not summary.errors, summary.errors
    step = next(s for s in summary.steps if s.name == "report_section")
    unchanged = [d for d in SEEDS.values()
                 if all(pipeline.store.sha256(ArtifactRef(k, d)) == inputs_before[d][k] for k in inputs_before[d])]
    assert step.ran == 1 + len(SEEDS) - len(unchanged)
    for doc_id in unchanged:
        assert (out / "report_section" / f"{doc_id}.json").read_bytes() == before[f"{doc_id}.json"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="doc-newdoc"' in page and page.count("<article ") == 5
    files = {name: (out / name).read_bytes()
             for name in ("keywords.md", "keywords.csv", "glossary.csv", "topics.md", "topics.csv")}
    assert b"## newdoc" in files["keywords.md"]
    # Re-rendering every section and the pages gives the same bytes (page: but its build time).
    forced = pipeline.run(only="report", force=True, jobs=1)
    assert [s.ran for s in forced.steps] == [5, 1]
    for name, data in files.items():
        assert (out / name).read_bytes() == data, name
    assert BUILT.sub("", (out / "report.html").read_text(encoding="utf-8")) == BUILT.sub("", page)


def test_artifact_counts_cover_every_step_but_the_report(seed_run):
    root, pipeline, _ = seed_run
    page = (root / "output" / "report.html").read_text(encoding="utf-8")
    rows = {name: (int(present), int(expected)) for name, present, expected
            in re.findall(r"<tr><td>(\w+)</td><td>(\d+)</td><td>(\d+)</td></tr>", page)}
    assert set(rows) == {s.name for s in STEPS} - {"report"}
    # A complete run: everything expected is there.
    assert all(present == expected for present, expected in rows.values()), rows
    assert rows["report_section"] == (4, 4) and rows["ingest"] == (4, 4)


def _pages(out) -> dict[str, bytes]:
    files = {name: (out / name).read_bytes()
             for name in ("keywords.md", "keywords.csv", "glossary.csv", "topics.md", "topics.csv")}
    files["report.html"] = BUILT.sub("", (out / "report.html").read_text(encoding="utf-8")).encode("utf-8")
    return files


def test_section_cache_is_only_an_accelerator(seed_copy):
    root, pipeline = seed_copy
    out = root / "output"
    cache = out / "report" / "sections.cache"
    good = cache.read_bytes()
    cached = report.read_cache(cache.read_bytes())
    assert sorted(cached) == sorted(SEEDS.values())
    for doc_id, entry in cached.items():
        stored = _read(pipeline, "report_section", doc_id)
        # Keyed on the section's payload: a section rebuilt with a new header only is reused.
        assert entry.sha == pipeline.store.content_sha256(ArtifactRef("report_section", doc_id))
        assert entry.section() == {k: v for k, v in stored.items() if k not in ("header", "title")}
        # What the assembly reads: the pieces as bytes, never decoded.
        assert bytes(entry["overview_row"]) == stored["overview_row"].encode("utf-8")
        assert [bytes(p) for p in entry["article"]] == [p.encode("utf-8") for p in stored["article"]]
    pages = _pages(out)
    corpus_json = pipeline.store.path(ArtifactRef("report", "corpus"))

    def reassemble() -> None:
        corpus_json.unlink()  # only the assembly is stale; the sections stay
        summary = pipeline.run(jobs=1)
        assert {s.name: s.ran for s in summary.steps if s.ran} == {"report": 1}

    # Damaged (a flipped byte in a section's text, in the index, then cut short): ignored,
    # the pages are the same, and the cache is written again, byte for byte.
    index_at = good.index(b"\n") + 10
    for damaged in (good[:-50] + bytes([good[-50] ^ 1]) + good[-49:],
                    good[:index_at] + bytes([good[index_at] ^ 1]) + good[index_at + 1:],
                    good[: len(good) // 2]):
        cache.write_bytes(damaged)
        assert report.read_cache(cache.read_bytes()) == {}
        reassemble()
        assert _pages(out) == pages and cache.read_bytes() == good
    # An entry whose section file has changed since (another sha256) is not used.
    doc_id = SEEDS["003"]
    entries = [(d, report._entry("0" * 64 if d == doc_id else e.sha, dict(e.section(), overview_row="<tr>stale</tr>")))
               for d, e in sorted(cached.items())]
    written = report.cache_bytes(entries)
    cache.write_bytes(written)
    reassemble()
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<tr>stale</tr>") == len(SEEDS) - 1  # the trusted entries were used
    # one section read past the cache: not worth writing megabytes again for
    assert cache.read_bytes() == written != good
    cache.unlink()
    reassemble()
    assert _pages(out) == pages and cache.read_bytes() == good
    # Nothing changed: the cache is not written again.
    stamp = cache.stat().st_mtime_ns
    reassemble()
    assert cache.stat().st_mtime_ns == stamp and _pages(out) == pages
    # Entries of removed documents: a few are left in the cache, many make it written again.
    for removed, rewritten in ((3, False), (report._CACHE_MISSES_KEPT + 1, True)):
        some = next(iter(cached.values()))
        written = report.cache_bytes(sorted(cached.items()) + [(f"zz-removed-{i}", some) for i in range(removed)])
        cache.write_bytes(written)
        reassemble()
        assert _pages(out) == pages and (cache.read_bytes() == good) == rewritten


def test_pages_from_cached_bytes_equal_pages_from_the_artifacts(seed_copy):
    """The step reads only some fields of the corpus artifacts and assembles from bytes;
    rendering the full artifacts, as text, gives the same files."""
    from html import unescape

    from pipeline.render import topics_csv, topics_markdown

    root, pipeline = seed_copy
    out = root / "output"
    sections = {d: {k: v for k, v in _read(pipeline, "report_section", d).items() if k != "header"}
                for d in SEEDS.values()}
    corpus_keywords = {lang: _read(pipeline, "corpus_keywords", lang) for lang in LANGS}
    topics = {lang: _read(pipeline, "topics", lang) for lang in LANGS}
    glossary = _read(pipeline, "glossary", "corpus")
    assert any(corpus_keywords[lang].get("contributions") for lang in LANGS)  # a field not read
    assert glossary["fitted_on"]  # a field not read
    assert (out / "keywords.md").read_text(encoding="utf-8") == keywords_markdown(sections, corpus_keywords,
                                                                                  glossary)
    assert (out / "keywords.csv").read_text(encoding="utf-8") == keywords_csv(sections, corpus_keywords)
    assert (out / "glossary.csv").read_text(encoding="utf-8") == glossary_csv(sections, glossary)
    assert (out / "topics.md").read_text(encoding="utf-8") == topics_markdown(topics)
    assert (out / "topics.csv").read_text(encoding="utf-8") == topics_csv(topics)
    # The page, given the facts it shows (build time, settings, counts) as they are.
    page = (out / "report.html").read_text(encoding="utf-8")
    facts = page[page.index('<dl class="facts">'):]
    overview = {unescape(k): unescape(v) for k, v in
                re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", facts[:facts.index("</dl>")])}
    freshness = [(n, int(p), int(e)) for n, p, e in
                 re.findall(r"<tr><td>(\w+)</td><td>(\d+)</td><td>(\d+)</td></tr>", page)]
    settings: dict = {}
    table = page[page.index("<summary>Settings</summary>"):]
    for stage, name, value in re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>",
                                         table[:table.index("</table>")]):
        settings.setdefault(unescape(stage), {})[unescape(name)] = unescape(value)
    assert len(overview) >= 6 and freshness and settings
    collection = {"keymap": _read(pipeline, "map", "corpus"), "related": _read(pipeline, "related", "corpus"),
                  "trends": _read(pipeline, "trends", "corpus")}
    assert page == html_report(overview=overview, freshness=freshness, settings=settings, sections=sections,
                               corpus_keywords=corpus_keywords, topics=topics, glossary=glossary, **collection)


def test_chunked_assembly_equals_joined_text():
    """The helpers that keep the pages in chunks give what joining the text gives."""
    from pipeline.render import _lines, _rstrip_chunks

    items = ["a", (b"b", "\u00e9".encode()), *[f"row {i}" for i in range(1100)], (memoryview(b"c"),), "d", "e"]
    expected = "\n".join(x if isinstance(x, str) else b"".join(x).decode("utf-8") for x in items)
    assert b"".join(_lines(items)).decode("utf-8") == expected
    assert b"".join(_lines([(b"x",), "y"])) == b"x\ny"
    # str.rstrip strips Unicode whitespace too, across chunks that are whitespace only.
    for chunks in ([b"ab \n", b"\n", "\u00a0\u2003".encode()], [b"  ", b"\n"], [b"x"], [],
                   ["caf\u00e9 \u00a0x\u00a0".encode(), b" \t"]):
        text = b"".join(chunks).decode("utf-8")
        assert b"".join(_rstrip_chunks(list(chunks))).decode("utf-8") == text.rstrip()


def _regex_highlight(text: str, phrases: list[str]) -> str:
    """The reference: one regular expression of the escaped phrases, longest first."""
    from html import escape

    escaped = escape(text)
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not phrases:
        return escaped
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(escape(p)) for p in phrases) + r")(?![\w-])",
                         re.IGNORECASE)
    return pattern.sub(r"<mark>\1</mark>", escaped)


def test_highlight_marks_what_the_regular_expression_marks(seed_run):
    from pipeline.render import _highlight

    _, pipeline, _ = seed_run
    cases = [
        ("Kota-kota dan kota, KOTA_x, kota.", ["kota"]),
        ("Diplomasi kota adalah diplomasi kota-kota.", ["diplomasi kota", "kota", "diplomasi"]),
        ("R&D <b>and</b> r&d", ["r&d", "<b>"]),
        ("aaa aa a", ["aa", "a"]),
        # Characters re.IGNORECASE folds to ASCII letters: the regular expression decides.
        ("\u212aota \u0130stanbul \u0131lmu \u017fains", ["kota", "istanbul", "ilmu", "sains"]),
        ("caf\u00e9 CAF\u00c9 cafe", ["caf\u00e9", "cafe"]),
        ("", ["x"]),
        ("x", []),
    ]
    for doc_id in SEEDS.values():
        abstracts = _read(pipeline, "separate", doc_id)["abstracts"]
        ranked = _read(pipeline, "keywords", doc_id)["keywords"]
        for lang in LANGS:
            if abstracts.get(lang):
                cases.append((abstracts[lang], [k["phrase"] for k in ranked[lang][:10]]))
    marked = 0
    for text, phrases in cases:
        assert _highlight(text, phrases) == _regex_highlight(text, phrases), (text[:60], phrases)
        marked += _highlight(text, phrases).count("<mark>")
    assert marked >= 20


def test_a_junk_phrase_as_long_as_the_text_is_not_marked():
    # A file of one character repeated (tests/test_reliability.py's longline.txt) once
    # made a 100,000-character "keyphrase" whose every overlapping occurrence was searched.
    from pipeline.render import _highlight

    text = "x" * 200_000 + " diplomasi ekonomi"
    marked = _highlight(text, ["x" * 100_000, "diplomasi ekonomi"])
    assert marked == "x" * 200_000 + " <mark>diplomasi ekonomi</mark>"


def test_a_degraded_cleanup_shows_in_the_ingest_log_and_the_report(seed_copy, monkeypatch):
    # A cleanup bug must not lose the document, and must not go unseen either: the
    # fallback is a "degraded" entry in the ingest artifact and in the document's section.
    from pipeline.text.cleanup import PASSES, document

    def broken(doc):
        raise ZeroDivisionError("forced by the test")

    root, pipeline = seed_copy
    monkeypatch.setattr(document, "PASSES", tuple((n, broken if n == "tables" else f) for n, f in PASSES))
    doc = root / "corpus" / f"{SEEDS['002']}.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # ingest must run again
    summary = pipeline.run(jobs=1)  # in this process, where the pass is broken
    assert not summary.errors
    ingest = pipeline.store.load("ingest", SEEDS["002"])
    assert [c["rule"] for c in ingest["changes"]] == ["degraded"]
    assert "ZeroDivisionError" in ingest["changes"][0]["before"]
    section = pipeline.store.load("report_section", SEEDS["002"])
    assert "<li>degraded: 1 — ZeroDivisionError: forced by the test</li>" in "".join(section["article"])
    assert pipeline.store.load("keywords", SEEDS["002"])["keywords"]["id"], "the text is still used"


def test_corpus_keywords_are_shown_with_their_documents(seed_run):
    """The themes table of the page links each theme's documents (by title) to their
    articles; keywords.md names the first ones, keywords.csv every one."""
    import csv
    import html as html_lib
    import io

    root, pipeline, _ = seed_run
    out = root / "output"
    page = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "keywords.md").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO((out / "keywords.csv").read_text(encoding="utf-8"))))
    titles = {d: _read(pipeline, "ingest", d)["metadata"].get("title") or d for d in SEEDS.values()}
    for lang in LANGS:
        entries = _read(pipeline, "corpus_keywords", lang)["keywords"]
        table = page[page.index(f'<table class="sortable themes" id="themes-{lang}">'):]
        table = table[:table.index("</table>")]
        body_rows = table.split('<tr class="filterable">')[1:]
        assert len(body_rows) == len(entries)
        for entry, row in zip(entries, body_rows):
            assert f"<td>{html_lib.escape(entry['phrase'])}" in row and f"<td>{entry['df']}</td>" in row
            links = re.findall(r'<a href="#doc-([^"]+)">([^<]*)</a>', row)
            assert [d for d, _ in links] == entry["documents"]
            assert all(html_lib.unescape(t) == titles[d] for d, t in links)
            assert all(f'id="doc-{d}"' in page for d, _ in links)  # the article each link goes to
            others = [f["phrase"] for f in entry["forms"] if f["phrase"] != entry["phrase"]]
            assert ("also written: " in row) == bool(others)
        # keywords.csv: one corpus_document row per theme and document, in the artifact's order.
        listed = [(int(r[3]), r[1]) for r in rows if r[0] == "corpus_document" and r[2] == lang]
        assert listed == [(i, d) for i, e in enumerate(entries, 1) for d in e["documents"]]
        # keywords.md: the first documents of each theme.
        section = markdown[markdown.index(f"## Corpus keywords — {'Indonesian' if lang == 'id' else 'English'}"):]
        first = section.split("\n")[4]
        assert first.startswith(f"| 1 | {entries[0]['phrase']} | {entries[0]['df']} |")
        assert entries[0]["documents"][0] in first


# -- terms in both languages and the glossary (issue 24) ----------------------------------

def _article(page: str, doc_id: str) -> str:
    article = page[page.index(f'<article class="doc filterable" id="doc-{doc_id}">'):]
    return article[:article.index("</article>")]


def _pairs_rows(article: str) -> list[tuple[str, str, str, str]]:
    """The rows of a document's "Terms in both languages" table, tags stripped."""
    table = article[article.index('<table class="sortable pairs">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [tuple(re.sub(r"<[^>]+>", "", cell) for cell in row) for row in rows]


def test_steps_read_the_align_artifact_and_the_glossary():
    section, assembly = report.STEPS
    assert Read("align") in section.reads
    assert Read("glossary", "corpus") in assembly.reads


def test_a_bilingual_document_shows_its_terms_in_both_languages(seed_run):
    root, pipeline, _ = seed_run
    page = (root / "output" / "report.html").read_text(encoding="utf-8")
    doc_id = SEEDS["003"]
    align = _read(pipeline, "align", doc_id)
    assert align["bilingual"] and align["pairs"]
    article = _article(page, doc_id)
    # Under the two abstracts and their keyword tables, before the cleanup log.
    english = article.index("<h4>Abstract — English</h4>")
    block = article.index('<div class="bilingual"><h4>Terms in both languages</h4>')
    assert english < article.rindex("</tbody></table>", 0, block) < block
    assert "Cleanup log" not in article[:block]
    rows = _pairs_rows(article[block:])
    assert ("ACFTA", "ACFTA", "identical", "1.00") in rows
    assert ("E-commerce", "e-commerce", "identical", "1.00") in rows
    # Every pair of the artifact, best first, with its evidence and score.
    assert rows == [(p["id"], p["en"], ", ".join(k.replace("_", " ") for k in p["evidence"]), f'{p["score"]:.2f}')
                    for p in align["pairs"]]
    # The author's keywords are marked; what has no counterpart is listed.
    assert '<span class="author" title="an author keyword">ACFTA</span>' in article
    assert f'<b>Only in Indonesian:</b> {", ".join(align["id_only"])}' in article
    assert f'<b>Only in English:</b> {", ".join(align["en_only"])}' in article
    # The same in keywords.md (the document's chunk) and glossary.csv (its rows).
    markdown = (root / "output" / "keywords.md").read_text(encoding="utf-8")
    chunk = markdown[markdown.index(f"## {doc_id}\n"):]
    chunk = chunk[:chunk.index("\n## ", 1)]
    assert "### Terms in both languages" in chunk and "| ACFTA | ACFTA | identical | 1.00 |" in chunk
    assert "| E-commerce | e-commerce | identical | 1.00 |" in chunk
    rows_csv = [line for line in (root / "output" / "glossary.csv").read_text(encoding="utf-8").splitlines()
                if line.startswith(f"document,{doc_id},")]
    assert len(rows_csv) == len(align["pairs"])
    assert f"document,{doc_id},1,ACFTA,ACFTA,1.0,identical,,," in rows_csv


def test_a_document_without_english_text_shows_no_pairs(seed_run):
    root, pipeline, _ = seed_run
    page = (root / "output" / "report.html").read_text(encoding="utf-8")
    doc_id = SEEDS["001"]
    assert _read(pipeline, "report_section", doc_id)["languages"] == ["id"]
    assert not _read(pipeline, "align", doc_id)["bilingual"]
    article = _article(page, doc_id)
    assert article.count("<table") == 1  # its Indonesian keywords only
    assert "Terms in both languages" not in article and "Only in" not in article
    section = _read(pipeline, "report_section", doc_id)
    assert "Terms in both languages" not in section["keywords_md"] and section["glossary_csv"] == ""
    # Every bilingual seed shows its pairs.
    shown = [d for d in SEEDS.values() if "Terms in both languages" in _article(page, d)]
    assert shown == [SEEDS["002"], SEEDS["003"], SEEDS["004"]]


def test_a_document_without_align_artifact_renders_as_before(seed_run):
    from pipeline.render_bilingual import pairs_html, pairs_markdown

    _, pipeline, _ = seed_run
    doc_id = SEEDS["003"]
    align = _read(pipeline, "align", doc_id)
    with_pairs = _section(pipeline, doc_id)
    without = document_section(doc_id, _read(pipeline, "ingest", doc_id), _read(pipeline, "separate", doc_id),
                               _read(pipeline, "keywords", doc_id))
    assert without["article"][:-1] == with_pairs["article"][:-1]
    assert without["article"][-1] == with_pairs["article"][-1].replace("\n" + pairs_html(align), "")
    assert "Terms in both languages" not in "".join(without["article"])
    assert without["keywords_md"] + "\n" + pairs_markdown(align) == with_pairs["keywords_md"]
    assert without["glossary_csv"] == "" != with_pairs["glossary_csv"]
    assert without["keywords_csv"] == with_pairs["keywords_csv"]


def test_glossary_table_is_sortable_searchable_and_links_to_documents(seed_run):
    import html as html_lib

    root, pipeline, _ = seed_run
    out = root / "output"
    page = (out / "report.html").read_text(encoding="utf-8")
    glossary = _read(pipeline, "glossary", "corpus")
    entries = glossary["entries"]
    assert entries
    assert set(_read(pipeline, "report", "corpus")["header"]["inputs"]) >= {"glossary/corpus"}
    section = page[page.index('<section id="glossary"><h2>Glossary</h2>'):]
    section = section[:section.index("</section>")]
    # Between the corpus keywords and the topics.
    assert page.index('<section id="corpus-keywords">') < page.index('<section id="glossary">') \
        < page.index('<section id="topics">')
    # Its own search box, wired to the table by the page's script; sortable headers.
    assert ('<input type="search" class="table-filter" data-table="glossary-table"' in section)
    assert 'querySelectorAll("input.table-filter")' in page
    table = section[section.index('<table class="sortable glossary" id="glossary-table">'):]
    assert re.findall(r"<th>([^<]*)</th>", table[:table.index("</thead>")]) \
        == ["rank", "Indonesian", "English", "documents", "score", "in"]
    assert f"{len(entries)} entries" in section
    rows = table.split('<tr class="filterable">')[1:]
    assert len(rows) == len(entries)
    for rank, (entry, row) in enumerate(zip(entries, rows), 1):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        assert cells[0] == str(rank) and cells[3] == str(entry["documents"]) and cells[4] == f"{entry['score']:.4f}"
        assert cells[1].startswith(html_lib.escape(entry["id"][0])) and cells[2].startswith(
            html_lib.escape(entry["en"][0]))
        links = re.findall(r'<a href="#doc-([^"]+)"', row)
        assert sorted(links) == sorted(entry["doc_ids"]) and links[:len(entry["linked_ids"])] == entry["linked_ids"]
        assert all(f'<article class="doc filterable" id="doc-{d}">' in page for d in links)
    acfta = next(row for entry, row in zip(entries, rows) if entry["id"] == ["ACFTA"])
    assert f'<a href="#doc-{SEEDS["003"]}"' in acfta
    # glossary.csv lists every entry; keywords.md the best ones.
    corpus_rows = [line for line in (out / "glossary.csv").read_text(encoding="utf-8").splitlines()
                   if line.startswith("corpus,")]
    assert [line.split(",")[3] for line in corpus_rows] == ["; ".join(e["id"]) for e in entries]
    markdown = (out / "keywords.md").read_text(encoding="utf-8")
    first = entries[0]
    assert (f"| 1 | {', '.join(first['id'])} | {', '.join(first['en'])} | {first['documents']} | "
            f"{first['score']:.4f} |") in markdown


def test_glossary_table_is_capped_escaped_and_counts_further_documents(seed_run):
    from pipeline.render_bilingual import GLOSSARY_LINKS, GLOSSARY_SHOWN

    _, pipeline, _ = seed_run
    sections = {d: _section(pipeline, d) for d in SEEDS.values()}
    many = [f"doc{i:02d}" for i in range(GLOSSARY_LINKS + 3)]
    entries = [{"id": [f"istilah <{i}>", "istilah&"], "en": [f"term {i}"], "id_key": f"k{i}", "en_key": f"t{i}",
                "linked": 1, "documents": 2, "g2": 1.0, "score": 2.0 - i / 1000, "doc_ids": many,
                "linked_ids": [many[-1]]} for i in range(GLOSSARY_SHOWN + 20)]
    glossary = {"n_documents": 7, "entries": entries}
    page = html_report(overview={}, freshness=[], settings={}, sections=sections, corpus_keywords={}, topics={},
                       glossary=glossary)
    section = page[page.index('<section id="glossary">'):]
    section = section[:section.index("</section>")]
    assert section.count('<tr class="filterable">') == GLOSSARY_SHOWN
    assert f"the best {GLOSSARY_SHOWN} of {GLOSSARY_SHOWN + 20} entries" in section
    assert "istilah &lt;0&gt;" in section and "also written: istilah&amp;" in section and "<0>" not in section
    row = section.split('<tr class="filterable">')[1]
    links = re.findall(r'<a href="#doc-([^"]+)"', row)
    # At most GLOSSARY_LINKS links, the linking document first, and how many more.
    assert links == [many[-1], *many[:GLOSSARY_LINKS - 1]]
    assert f"and {len(many) - GLOSSARY_LINKS} more" in row
    # No glossary artifact: said, and no table.
    empty = html_report(overview={}, freshness=[], settings={}, sections=sections, corpus_keywords={}, topics={})
    assert "No glossary" in empty and "glossary-table" not in empty
    markdown = keywords_markdown(sections, {}, glossary)
    assert f"_The best 30 of {GLOSSARY_SHOWN + 20} entries; glossary.csv lists them all._" in markdown
    assert "| 1 | istilah &lt;0&gt;, istilah&amp; | term 0 |" in markdown


# -- the collection: keyword map, related documents, trends (issue 25) -------------------

def _page(root) -> str:
    return (root / "output" / "report.html").read_text(encoding="utf-8")


def _between(page: str, start: str, end: str) -> str:
    at = page.index(start)
    return page[at:page.index(end, at)]


def test_steps_read_the_map_related_and_trends_of_the_corpus():
    assembly = report.STEPS[1]
    for kind in ("map", "related", "trends"):
        assert Read(kind, "corpus") in assembly.reads
    # Related documents are put in at assembly: a section reads nothing of the corpus.
    assert all(r.which == "self" for r in report.STEPS[0].reads)


def test_keyword_map_has_a_circle_and_a_title_per_node_and_carries_their_documents(seed_run):
    root, pipeline, _ = seed_run
    page = _page(root)
    view = _read(pipeline, "map", "corpus")["views"]["concepts"]
    assert view["nodes"]
    # After the corpus keywords and the glossary, before the documents.
    assert page.index('id="corpus-keywords"') < page.index('id="glossary"') < page.index('id="keymap"') \
        < page.index('id="documents"')
    section = _between(page, '<section id="keymap">', "</section>")
    assert section.count("<circle ") == len(view["nodes"])
    assert section.count("<line ") == min(len(view["edges"]), 500)
    nodes = dict(re.findall(r'<g class="node" [^>]*data-key="([^"]*)"[^>]*>(.*?)</g>', section))
    assert len(nodes) == len(view["nodes"])
    for node in view["nodes"]:
        key = escape(node["key"])
        assert key in nodes
        title = re.search(r"<title>(.*?)</title>", nodes[key]).group(1)
        assert title.startswith(escape(node["label"]) + " — ") and f"cluster {node['cluster']}" in title
        assert f"{node['documents']} document" in title
        target = re.search(rf'<g class="node" [^>]*data-key="{re.escape(key)}"[^>]*>', section).group(0)
        assert f'data-docs="{" ".join(node["doc_ids"])}"' in target
    # Only the biggest are labelled (the biggest of all first), where labels do not overlap.
    assert 1 <= section.count("<text ") <= 40
    biggest = min(view["nodes"], key=lambda n: (-n["documents"], n["key"]))
    assert f">{escape(biggest['label'])}</text>" in section


def test_keyword_map_is_deterministic_and_capped_for_a_large_map():
    from pipeline.render_collection import MAP_EDGES, MAP_LABELS, keyword_map_html

    nodes = [{"key": f"c:{i:03d}", "label": f"concept <{i}>", "documents": 1 + i % 17, "cluster": i % 13,
              "x": ((i * 37) % 200 - 100) / 100, "y": ((i * 53) % 200 - 100) / 100, "doc_ids": [f"d{i}", "d0"]}
             for i in range(300)]
    edges = [{"source": f"c:{i % 300:03d}", "target": f"c:{(i * 7 + i // 300 + 1) % 300:03d}", "cooccurrences": 1,
              "strength": (i % 10) / 10 + 0.01} for i in range(900)]
    keymap = {"views": {"concepts": {"nodes": nodes, "edges": edges, "clusters": 13}}}
    first = keyword_map_html(keymap)
    assert first == keyword_map_html({"views": {"concepts": {"nodes": nodes[::-1], "edges": edges[::-1]}}})
    assert first.count("<circle ") == 300
    assert first.count("<line ") == MAP_EDGES
    assert 10 <= first.count("<text ") <= MAP_LABELS
    assert "concept &lt;7&gt;" in first and "<7>" not in first
    assert "the 500 strongest of 900 links" in first
    # Twelve clusters and more: the ten colours repeat.
    assert 'fill="#4e79a7"' in first and "colours repeat" in first
    assert "No keyword map" in keyword_map_html(None)
    assert "No keyword map" in keyword_map_html({"views": {"concepts": {"nodes": [], "edges": []}}})


def test_no_related_line_when_the_related_lists_are_empty(seed_run):
    root, pipeline, _ = seed_run
    related = _read(pipeline, "related", "corpus")["documents"]
    assert related and not any(related.values())
    page = _page(root)
    assert page.count("<article ") == len(SEEDS)
    assert "Related:" not in page and 'class="related"' not in page


def test_a_copy_of_004_is_related_to_it_and_linked_in_its_article(seed_copy):
    from pipeline.render_collection import related_html

    root, pipeline = seed_copy
    out = root / "output"
    doc = SEEDS["004"]
    text = (root / "corpus" / f"{doc}.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[heading] = "# Kota kembar Jakarta-Beijing: studi lanjutan = Jakarta-Beijing sister city: a sequel"
    (root / "corpus" / "copy004.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = pipeline.run(jobs=1)
    assert not summary.errors, summary.errors
    related = _read(pipeline, "related", "corpus")["documents"]
    assert "copy004" in [r["doc_id"] for r in related[doc]]
    page = _page(root)
    article = _between(page, f'<article class="doc filterable" id="doc-{doc}">', "</article>")
    line = re.search(r'<p class="related"><b>Related:</b> (.*?)</p>', article)
    assert line, "004 links to its copy"
    assert '<a href="#doc-copy004"' in line.group(1)
    title = _read(pipeline, "ingest", "copy004")["metadata"]["title"]
    assert escape(title) in line.group(1)
    assert line.group(0).count("<a ") == min(len(related[doc]), 5)
    # Its section holds nothing of it: the related documents are put in at assembly (its
    # section changes only when its own inputs do, here through the corpus statistics).
    section = (out / "report_section" / f"{doc}.json").read_text(encoding="utf-8")
    assert "copy004" not in section and "Related:" not in section
    # The line is what related_html renders, the last thing of the article.
    assert article.rstrip().endswith(line.group(0))
    assert related_html([], str) == ""


def test_trends_without_years_say_how_to_give_them(seed_run):
    root, pipeline, _ = seed_run
    trends = _read(pipeline, "trends", "corpus")["views"]["concepts"]
    assert trends["years"] == {}
    section = _between(_page(root), '<section id="trends">', "</section>")
    assert "No document has a year" in section
    assert "<code>add --year</code>" in section and "<code>--year-field</code>" in section
    assert "<figure" not in section


def test_trends_with_years_are_small_multiples_of_the_moving_concepts():
    from pipeline.render_collection import TRENDS_SHOWN, trends_html

    years = {"2018": 4, "2019": 5, "2020": 6, "2021": 5}
    concepts = ([{"key": f"r{i}", "label": f"rising {i}", "documents": 6, "by_year": {"2020": 2, "2021": 4},
                  "z": 2.5 + i, "trend": "rising", "since": "2020"} for i in range(8)]
                + [{"key": f"f{i}", "label": f"falling {i}", "documents": 6, "by_year": {"2018": 4, "2019": 2},
                    "z": -2.2 - i, "trend": "falling", "since": None} for i in range(8)]
                + [{"key": "flat", "label": "flat one", "documents": 9, "by_year": {"2018": 2, "2021": 2},
                    "z": 0.1, "trend": "flat", "since": None}])
    section = trends_html({"views": {"concepts": {"years": years, "undated": 2, "concepts": concepts}}})
    assert section.count("<figure") == TRENDS_SHOWN == 12
    assert "flat one" not in section
    assert "rising 0" in section and "▲ rising since 2020" in section and "▼ falling" in section
    # One bar per year of the corpus in each chart.
    assert section.count("<rect ") == 12 * len(years)
    assert "2018: 4, 2019: 5, 2020: 6, 2021: 5; 2 documents without a year" in section
    still = trends_html({"views": {"concepts": {"years": years, "undated": 0, "concepts": concepts[-1:]}}})
    assert "No concept rises or falls" in still and "<figure" not in still


def test_a_collection_larger_than_a_screenful_folds_its_table_of_documents(seed_run):
    """Issue 25: on the 2,867 SINTA abstracts the page opened on a 2,867-row table before
    any keyword. Over OVERVIEW_ROWS documents the table is folded; the seeds' is open."""
    from pipeline.render import OVERVIEW_ROWS

    _, pipeline, _ = seed_run
    section = _section(pipeline, SEEDS["003"])
    few = {SEEDS["003"]: section}
    page = html_report(overview={}, freshness=[], settings={}, sections=few, corpus_keywords={}, topics={})
    overview = page[page.index('<section id="overview">'):page.index("</section>")]
    assert "<details" not in overview.split("<table")[0]
    many = {f"doc{i:03d}": section for i in range(OVERVIEW_ROWS + 1)}
    page = html_report(overview={}, freshness=[], settings={}, sections=many, corpus_keywords={}, topics={})
    overview = page[page.index('<section id="overview">'):page.index("</section>")]
    assert f"<summary>Table of the {OVERVIEW_ROWS + 1:,} documents</summary>" in overview
    assert overview.index("<details") < overview.index("<table") < overview.index("</details>")
