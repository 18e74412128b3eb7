"""Report: the pages and tables a person reads.

Reads
    ``ingest/*.json``, ``separate/*.json``, ``keywords/*.json`` (with author keywords), ``corpus_keywords/<lang>.json``, ``topics/<lang>.json``.
Writes
    ``report.html`` (one self-contained page), ``keywords.md``, ``keywords.csv``,
    ``topics.md``, ``topics.csv`` in the output folder, and ``report/corpus.json``
    listing them with their sha256.
"""

from __future__ import annotations

from datetime import datetime, timezone

from .. import __version__
from ..artifacts import ArtifactRef, atomic_write_bytes, sha256_bytes
from ..config import Param
from ..render import html_report, keywords_csv, keywords_markdown, topics_csv, topics_markdown
from ..stage import LANGS, Read, Step

NAME = "report"
PARAMS = {
    "html": Param(True, "write report.html besides the Markdown and CSV files"),
}


def _artifact_counts(inputs) -> list[tuple[str, int, int]]:
    """Per step before the report: artifacts on disk and artifacts expected."""
    n_docs = inputs.options.get("n_documents", len(inputs.documents))
    rows = []
    for name, scope, writes in inputs.options.get("steps", []):
        if name == NAME:
            continue
        keys = [d.doc_id for d in inputs.documents] if scope == "document" else list(LANGS)
        present = sum(1 for kind in writes for k in keys if inputs.store.exists(ArtifactRef(kind, k)))
        rows.append((name, present, len(writes) * (n_docs if scope == "document" else len(LANGS))))
    return rows


def run(key: str, inputs, params: dict) -> dict:
    ingest = inputs.all("ingest")
    separate = inputs.all("separate")
    keywords = inputs.all("keywords")
    corpus_keywords = inputs.langs("corpus_keywords")
    topics = inputs.langs("topics")
    files = {
        "keywords.md": keywords_markdown(keywords, corpus_keywords, ingest),
        "keywords.csv": keywords_csv(keywords, corpus_keywords),
        "topics.md": topics_markdown(topics),
        "topics.csv": topics_csv(topics),
    }
    if params["html"]:
        languages = {lang: sum(1 for s in separate.values()
                               if any(x["lang"] == lang and x["kind"] in ("abstract", "body")
                                      for x in s["sections"])) for lang in LANGS}
        overview = {
            "documents": len(ingest),
            "documents with Indonesian text": languages["id"],
            "documents with English text": languages["en"],
            "characters of cleaned text": f"{sum(len(a.get('text', '')) for a in ingest.values()):,}",
            "topics (id / en)": " / ".join(str((topics.get(lang) or {}).get("k", 0)) for lang in LANGS),
            "pipeline version": __version__,
            # The page says when it was built; the JSON artifacts carry no clock and stay
            # byte-identical from run to run.
            "built": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        }
        files["report.html"] = html_report(
            overview=overview, freshness=_artifact_counts(inputs), settings=inputs.options.get("params", {}),
            ingest=ingest, separate=separate, keywords=keywords, corpus_keywords=corpus_keywords, topics=topics)
    written = {}
    for name in sorted(files):
        data = files[name].encode("utf-8")
        atomic_write_bytes(inputs.store.output_dir / name, data)
        # The page carries its build time, so only its presence is recorded: this
        # artifact stays byte-identical from run to run.
        written[name] = None if name == "report.html" else sha256_bytes(data)
    return {"report": {"files": written}}


STEPS = (Step("report", NAME, "corpus",
              (Read("ingest", "all"), Read("separate", "all"),
               Read("keywords", "all"), Read("corpus_keywords", "langs"), Read("topics", "langs")),
              ("report",), run),)
