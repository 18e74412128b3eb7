"""Turn artifacts into things people read: Markdown, CSV and one self-contained HTML page.

Pure functions from already-loaded artifacts to strings; the report stage writes them.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

from .stage import LANGS

LANG_NAMES = {"id": "Indonesian", "en": "English", "unknown": "unknown"}
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _md_text(value) -> str:
    # Markdown renders raw HTML: document text must never become markup.
    return html.escape(str(value), quote=False)


def _md_cell(value) -> str:
    return _md_text(value).replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _title(doc_id: str, ingest: dict | None) -> str:
    title = ((ingest or {}).get("metadata") or {}).get("title")
    return title or doc_id


def keywords_rows(keywords: dict[str, dict]) -> list[list]:
    """One row per document, language and keyword: doc, lang, rank, phrase, score, count."""
    rows = []
    for doc_id in sorted(keywords):
        for lang in LANGS:
            for rank, kw in enumerate(keywords[doc_id]["keywords"].get(lang, []), 1):
                rows.append([doc_id, lang, rank, kw["phrase"], kw["score"], kw.get("count", "")])
    return rows


def keywords_csv(keywords: dict[str, dict], corpus_keywords: dict[str, dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "doc_id", "lang", "rank", "phrase", "score", "count_or_df"])
    for row in keywords_rows(keywords):
        writer.writerow(["document", *row])
    for lang in LANGS:
        for rank, kw in enumerate((corpus_keywords.get(lang) or {}).get("keywords", []), 1):
            writer.writerow(["corpus", "", lang, rank, kw["phrase"], kw["score"], kw["df"]])
    return out.getvalue()


def keywords_markdown(keywords: dict[str, dict], corpus_keywords: dict[str, dict],
                      ingest: dict[str, dict]) -> str:
    parts = ["# Keywords", ""]
    for lang in LANGS:
        corpus = (corpus_keywords.get(lang) or {}).get("keywords", [])
        parts += [f"## Corpus keywords — {LANG_NAMES[lang]}", ""]
        if corpus:
            parts.append(_md_table(["rank", "phrase", "score", "documents"],
                                   [[i, kw["phrase"], kw["score"], kw["df"]]
                                    for i, kw in enumerate(corpus[:30], 1)]))
        else:
            parts.append(f"_No {LANG_NAMES[lang]} text in the corpus._")
        parts.append("")
    for doc_id in sorted(keywords):
        parts += [f"## {doc_id}", "", f"_{_md_text(_title(doc_id, ingest.get(doc_id)))}_", ""]
        for lang in LANGS:
            ranked = keywords[doc_id]["keywords"].get(lang, [])
            if not ranked:
                continue
            parts += [f"### {LANG_NAMES[lang]}", ""]
            parts.append(_md_table(["rank", "phrase", "score", "count"],
                                   [[i, kw["phrase"], kw["score"], kw.get("count", "")]
                                    for i, kw in enumerate(ranked, 1)]))
            matches = keywords[doc_id].get("author_keywords", {}).get(lang, [])
            if matches:
                found = ", ".join(f"{_md_text(m['phrase'])} ({'rank ' + str(m['rank']) if m['rank'] else 'missed'})"
                                  for m in matches)
                parts += ["", f"Author keywords: {found}"]
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def topics_csv(topics: dict[str, dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lang", "topic", "label", "rank", "term", "weight"])
    for lang in LANGS:
        for topic in (topics.get(lang) or {}).get("topics", []):
            for rank, term in enumerate(topic["terms"], 1):
                writer.writerow([lang, topic["id"], topic["label"], rank, term["term"], term["weight"]])
    writer.writerow([])
    writer.writerow(["lang", "doc_id", "topic", "weight"])
    for lang in LANGS:
        docs = (topics.get(lang) or {}).get("documents", {})
        for doc_id in sorted(docs):
            for entry in docs[doc_id]:
                writer.writerow([lang, doc_id, entry["topic"], entry["weight"]])
    return out.getvalue()


def topics_markdown(topics: dict[str, dict]) -> str:
    parts = ["# Topics", ""]
    for lang in LANGS:
        art = topics.get(lang) or {}
        parts += [f"## {LANG_NAMES[lang]}", ""]
        if art.get("status") == "too_little_text" or not art.get("topics"):
            parts += [f"_{art.get('message') or 'No topics.'}_", ""]
            continue
        parts.append(f"{art['k']} topics over {art['n_units']} {art['unit']} "
                     f"of {art['n_documents']} documents.")
        parts.append("")
        for topic in art["topics"]:
            parts += [f"### Topic {topic['id']}: {_md_text(topic['label'])}", ""]
            parts.append("Terms: " + _md_text(", ".join(t["term"] for t in topic["terms"])))
            if topic.get("phrases"):
                parts.append("")
                parts.append("Phrases: " + _md_text(", ".join(topic["phrases"])))
            parts.append("")
            parts.append("Documents: " + ", ".join(f"{d['doc_id']} ({d['weight']:.2f})"
                                                    for d in topic["documents"]))
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


# -- HTML ------------------------------------------------------------------------------

def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _bars(items: list[tuple[str, float]], width: int = 360) -> str:
    """A horizontal bar chart as inline SVG (no script, no download)."""
    if not items:
        return ""
    top = max(v for _, v in items) or 1.0
    row = 20
    label_w = 200
    svg = [f'<svg class="bars" role="img" width="{label_w + width + 60}" height="{row * len(items) + 4}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(items):
        y = i * row + 2
        w = max(1.0, width * value / top)
        svg.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(label[:32])}</text>')
        svg.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" rx="2"><title>'
                   f'{_e(label)}: {value:.4g}</title></rect>')
        svg.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" class="v">{value:.3g}</text>')
    svg.append("</svg>")
    return "".join(svg)


def _highlight(text: str, phrases: list[str]) -> str:
    """Escape ``text`` and mark the phrases (longest first, case-insensitive, whole words)."""
    escaped = _e(text)
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not phrases:
        return escaped
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(_e(p)) for p in phrases) + r")(?![\w-])",
                         re.IGNORECASE)
    return pattern.sub(r"<mark>\1</mark>", escaped)


def _heat(value: float) -> str:
    alpha = min(1.0, max(0.0, value))
    return f'style="background: rgba(37, 99, 235, {alpha:.2f})"'


def html_report(*, overview: dict, freshness: list, settings: dict, ingest: dict[str, dict], separate: dict[str, dict],
                keywords: dict[str, dict], corpus_keywords: dict[str, dict],
                topics: dict[str, dict]) -> str:
    """The whole report as one HTML page with inline CSS and script."""
    css = (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATE_DIR / "report.js").read_text(encoding="utf-8")
    body = []
    body.append('<header><h1>Keyword and topic report</h1>'
                '<input id="search" type="search" placeholder="Filter documents and keywords…" '
                'aria-label="Filter"></header>')
    # Overview
    body.append('<section id="overview"><h2>Overview</h2><table class="sortable"><thead><tr>'
                '<th>document</th><th>title</th><th>languages</th><th>characters</th>'
                '<th>keywords id</th><th>keywords en</th></tr></thead><tbody>')
    for doc_id in sorted(ingest):
        langs = sorted({s["lang"] for s in separate.get(doc_id, {}).get("sections", [])
                        if s["lang"] in LANGS and s["kind"] in ("abstract", "body")})
        kw = keywords.get(doc_id, {}).get("keywords", {})
        body.append(f'<tr class="filterable"><td><a href="#doc-{_e(doc_id)}">{_e(doc_id)}</a></td>'
                    f'<td>{_e(_title(doc_id, ingest[doc_id]))}</td><td>{_e(", ".join(langs))}</td>'
                    f'<td>{len(ingest[doc_id].get("text", ""))}</td>'
                    f'<td>{len(kw.get("id", []))}</td><td>{len(kw.get("en", []))}</td></tr>')
    body.append("</tbody></table>")
    body.append('<dl class="facts">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>"
                                               for k, v in overview.items()) + "</dl>")
    body.append('<details><summary>Artifacts per step</summary><table><thead><tr><th>step</th>'
                '<th>artifacts</th><th>expected</th></tr></thead><tbody>' + "".join(
                    f'<tr><td>{_e(name)}</td><td>{present}</td><td>{expected}</td></tr>'
                    for name, present, expected in freshness) + "</tbody></table></details>")
    body.append('<details><summary>Settings</summary><table><thead><tr><th>stage</th><th>setting</th>'
                '<th>value</th></tr></thead><tbody>' + "".join(
                    f"<tr><td>{_e(stage)}</td><td>{_e(name)}</td><td>{_e(value)}</td></tr>"
                    for stage, values in settings.items() for name, value in values.items())
                + "</tbody></table></details></section>")
    # Corpus keywords
    body.append('<section id="corpus-keywords"><h2>Corpus keywords</h2><div class="cols">')
    for lang in LANGS:
        ranked = (corpus_keywords.get(lang) or {}).get("keywords", [])
        body.append(f'<div><h3>{LANG_NAMES[lang]}</h3>')
        if not ranked:
            body.append(f"<p>No {LANG_NAMES[lang]} text.</p></div>")
            continue
        body.append(_bars([(kw["phrase"], kw["score"]) for kw in ranked[:15]]))
        body.append('<table class="sortable"><thead><tr><th>rank</th><th>phrase</th><th>score</th>'
                    '<th>docs</th><th>documents</th></tr></thead><tbody>')
        for i, kw in enumerate(ranked, 1):
            body.append(f'<tr class="filterable"><td>{i}</td><td>{_e(kw["phrase"])}</td>'
                        f'<td>{kw["score"]:.4f}</td><td>{kw["df"]}</td>'
                        f'<td>{_e(", ".join(kw["documents"]))}</td></tr>')
        body.append("</tbody></table></div>")
    body.append("</div></section>")
    # Topics
    body.append('<section id="topics"><h2>Topics</h2>')
    for lang in LANGS:
        art = topics.get(lang) or {}
        body.append(f"<h3>{LANG_NAMES[lang]}</h3>")
        if not art.get("topics"):
            body.append(f"<p>{_e(art.get('message') or 'No topics.')}</p>")
            continue
        body.append(f"<p>{art['k']} topics over {art['n_units']} {_e(art['unit'])} of "
                    f"{art['n_documents']} documents (k chosen by coherence and stability).</p>")
        body.append('<div class="cols">')
        for topic in art["topics"]:
            body.append(f'<div class="topic"><h4>Topic {topic["id"]}: {_e(topic["label"])}</h4>')
            body.append(_bars([(t["term"], t["weight"]) for t in topic["terms"]], width=160))
            if topic.get("phrases"):
                body.append("<p><b>Phrases:</b> " + _e(", ".join(topic["phrases"])) + "</p>")
            body.append("<p><b>Documents:</b> " + ", ".join(
                f'<a href="#doc-{_e(d["doc_id"])}">{_e(d["doc_id"])}</a> ({d["weight"]:.2f})'
                for d in topic["documents"]) + "</p></div>")
        body.append("</div>")
        # Document-topic heat map
        docs = art.get("documents", {})
        body.append('<div class="heatwrap"><table class="heat"><thead><tr><th>document</th>' + "".join(
            f'<th title="{_e(t["label"])}">T{t["id"]}</th>' for t in art["topics"]) + "</tr></thead><tbody>")
        for doc_id in sorted(docs):
            weights = {e["topic"]: e["weight"] for e in docs[doc_id]}
            body.append(f"<tr><td>{_e(doc_id)}</td>" + "".join(
                f'<td {_heat(weights.get(t["id"], 0.0))}>{weights.get(t["id"], 0.0):.2f}</td>'
                for t in art["topics"]) + "</tr>")
        body.append("</tbody></table></div>")
    body.append("</section>")
    # Documents
    body.append('<section id="documents"><h2>Documents</h2>')
    for doc_id in sorted(ingest):
        meta = ingest[doc_id].get("metadata", {})
        sep = separate.get(doc_id, {})
        kw = keywords.get(doc_id, {}).get("keywords", {})
        body.append(f'<article class="doc filterable" id="doc-{_e(doc_id)}"><h3>{_e(_title(doc_id, ingest[doc_id]))}</h3>')
        facts = [("id", doc_id), ("authors", ", ".join(meta.get("authors") or []) or "—")]
        body.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{_e(v)}</dd>" for k, v in facts))
        if meta.get("source_url"):
            body.append(f'<dt>source</dt><dd><a href="{_e(meta["source_url"])}">{_e(meta["source_url"])}</a></dd>')
        body.append("</dl>")
        body.append('<div class="cols">')
        for lang in LANGS:
            abstract = (sep.get("abstracts") or {}).get(lang)
            ranked = kw.get(lang, [])
            body.append(f"<div><h4>Abstract — {LANG_NAMES[lang]}</h4>")
            if abstract:
                body.append("<p class=\"abstract\">" + _highlight(abstract, [k["phrase"] for k in ranked[:10]])
                            + "</p>")
            else:
                body.append("<p class=\"none\">none</p>")
            if ranked:
                body.append('<table class="sortable"><thead><tr><th>rank</th><th>keyword</th>'
                            '<th>score</th><th>count</th></tr></thead><tbody>')
                for i, k in enumerate(ranked, 1):
                    body.append(f'<tr><td>{i}</td><td>{_e(k["phrase"])}</td><td>{k["score"]:.4f}</td>'
                                f'<td>{k.get("count", "")}</td></tr>')
                body.append("</tbody></table>")
            matches = keywords.get(doc_id, {}).get("author_keywords", {}).get(lang, [])
            if matches:
                body.append("<p><b>Author keywords:</b> " + ", ".join(
                    f'<span class="{"found" if m["rank"] else "missed"}">{_e(m["phrase"])} '
                    f'({"rank " + str(m["rank"]) if m["rank"] else "missed"})</span>' for m in matches) + "</p>")
            doc_topics = (topics.get(lang) or {}).get("documents", {}).get(doc_id, [])
            if doc_topics:
                labels = {t["id"]: t["label"] for t in (topics.get(lang) or {}).get("topics", [])}
                body.append("<p><b>Topics:</b> " + ", ".join(
                    f'{_e(labels.get(e["topic"], e["topic"]))} ({e["weight"]:.2f})' for e in doc_topics) + "</p>")
            body.append("</div>")
        body.append("</div>")
        log = ingest[doc_id].get("log", [])
        if log:
            body.append("<details><summary>Cleanup log</summary><ul>" + "".join(
                f'<li>{_e(entry["rule"])}: {entry["count"]}'
                + (" — " + _e("; ".join(entry.get("examples", [])[:3])) if entry.get("examples") else "")
                + "</li>" for entry in log) + "</ul></details>")
        body.append("</article>")
    body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Keyword and topic report</title><style>{css}</style></head><body>"
            + "\n".join(body) + f"<script>{script}</script></body></html>\n")
