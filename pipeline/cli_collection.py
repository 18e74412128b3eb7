"""Commands that show the collection beyond one document's keywords: the glossary and
concepts of both languages, the keyword map, trends, keywords in context, and exports
for reference managers.  Each opens the pipeline, reads artifacts, makes one library
call and prints (see :mod:`pipeline.cli`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_common import _TABLE_DOCUMENTS, _emit, _pipeline, _read, _warn
from .errors import PipelineError
from .run import Pipeline
from .store import ArtifactRef
from .store.files import atomic_write_bytes
from .text import LANGS

if TYPE_CHECKING:
    from rich.console import Console


def _concepts(pipeline: Pipeline, args) -> list[dict]:
    """Rows of ``keywords --concepts``: a document's term pairs, or the corpus's concepts."""
    from .text.bilingual import Glossary, merge_themes

    if args.doc:
        art = _read(pipeline, "align", args.doc)
        if not art["bilingual"]:
            _warn(f"{args.doc}: text in one language only; no term pairs")
        return [{"doc": args.doc, "rank": rank, "id": p["id"], "en": p["en"], "score": p["score"],
                 "evidence": ", ".join(p["evidence"])} for rank, p in enumerate(art["pairs"][: args.top], 1)]
    glossary = Glossary.from_dict(_read(pipeline, "glossary", "corpus"))
    themes = {lang: _read(pipeline, "corpus_keywords", lang) for lang in LANGS}
    rows = []
    for rank, c in enumerate(merge_themes(themes, glossary, args.top), 1):
        documents = c["documents"]
        row = {"rank": rank, "id": c["id"] or "", "en": c["en"] or "", "documents": c["df"], "score": c["score"]}
        if args.format == "table":
            row["first documents"] = " ".join(documents[:_TABLE_DOCUMENTS]) + (
                f" (+{len(documents) - _TABLE_DOCUMENTS})" if len(documents) > _TABLE_DOCUMENTS else "")
        else:
            row["document_ids"] = ";".join(documents) if args.format == "csv" else documents
        rows.append(row)
    return rows


def _facets(pipeline: Pipeline, args, langs: list) -> tuple[list[dict], str]:
    """Rows of ``keywords --by``: per facet value, its documents and its themes."""
    from .text.facets import facet_groups, facet_themes

    store = pipeline.store
    metadata = {}
    for doc_id in store.keys("ingest"):
        metadata[doc_id] = store.read_fields(ArtifactRef("ingest", doc_id), ("metadata",)).get("metadata", {})
    groups = facet_groups(metadata, args.by)
    if not groups:
        _warn(f"no document has a {args.by}: give it on 'add' (--{args.by if args.by != 'author' else 'authors'}, "
              f"or a bulk --{args.by if args.by != 'author' else 'authors'}-field)")
    rows = []
    ordered = sorted(groups, key=lambda v: (-len(groups[v]), v))
    for lang in langs:
        contributions = _read(pipeline, "corpus_keywords", lang).get("contributions", {})
        themes = facet_themes(contributions, {v: groups[v] for v in ordered}, args.top)
        for value in ordered[: args.top] if args.format == "table" else ordered:
            ranked = themes[value]
            if args.format == "table":
                rows.append({args.by: value, "lang": lang, "documents": len(groups[value]),
                             "themes": ", ".join(f"{t['phrase']} ({t['df']})" for t in ranked[:5])})
            else:
                for rank, t in enumerate(ranked, 1):
                    rows.append({args.by: value, "lang": lang, "documents": len(groups[value]), "rank": rank,
                                 "phrase": t["phrase"], "df": t["df"], "score": t["score"]})
    return rows, f"Corpus keywords by {args.by}: {len(groups)} values"


def cmd_glossary(args, out: Console, err: Console) -> int:
    from .text.bilingual import Glossary, documents_holding, glossary_rows, glossary_tbx
    from .text.tokens import Normalizer

    pipeline = _pipeline(args)
    if args.top < 1:
        raise PipelineError("--top must be at least 1")
    art = _read(pipeline, "glossary", "corpus")
    entries = art["entries"]
    if args.lookup:
        phrase = args.lookup.strip()
        if not phrase:
            raise PipelineError("--lookup needs a phrase, e.g. --lookup \"foreign policy\"")
        glossary = Glossary.from_dict(art)
        keys, entry = {}, None
        for lang in [args.lang] if args.lang else list(LANGS):
            key = (Normalizer(lang).normalize_tokens([phrase]) or [""])[0].lower()
            found = glossary.lookup(key, lang)
            if found is not None and entry is None:
                entry = found
            keys.setdefault(lang, key)
        if entry is not None:
            keys = {"id": entry["id_key"], "en": entry["en_key"]}
        else:
            _warn(f"'{phrase}' is no glossary entry; documents using it as written are listed")
        store = pipeline.store
        keywords = {doc: store.load("keywords", doc) for doc in store.keys("keywords")}
        holding = documents_holding(keywords, keys)
        rows = [{"lang": lang, "term": (entry[lang][0] if entry is not None else phrase),
                 "documents": len(docs), "document_ids": " ".join(docs) if args.format == "table" else docs}
                for lang, docs in holding.items() if entry is not None or docs]
        _emit(rows, "json" if args.format == "tbx" else args.format, out, title=f"Glossary: {phrase}")
        return 0
    if args.format == "tbx":
        sys.stdout.write(glossary_tbx(entries, title=f"Glossary of {pipeline.corpus.root}",
                                      source=f"{art['n_documents']} bilingual documents"))
        return 0
    rows = glossary_rows(entries, args.top if args.format == "table" else None)
    for row in rows:
        if args.format == "table":  # the other forms and the documents: in csv and json
            del row["also_id"], row["also_en"], row["document_ids"]
        elif args.format == "csv":
            for name in ("also_id", "also_en", "document_ids"):
                row[name] = ";".join(row[name])
    _emit(rows, args.format, out,
          title=f"Glossary: {len(entries)} entries from {art['n_documents']} bilingual documents")
    return 0


def cmd_trends(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    if args.top < 1:
        raise PipelineError("--top must be at least 1")
    view = _read(pipeline, "trends", "corpus")["views"][args.view]
    if not view["years"]:
        _warn(f"no document has a year ({view['undated']} undated): give them with 'add --year' or "
              "'--year-field', or let ingest find them in the journal's issue line")
    concepts = [c for c in view["concepts"] if args.all or c["trend"] != "flat"]
    if args.format == "table":
        concepts = concepts[: args.top]
    rows = []
    for c in concepts:
        by_year = c["by_year"]
        row = {"concept": c["label"], "trend": c["trend"], "z": c["z"], "documents": c["documents"],
               "since": c["since"] or ""}
        if args.format == "table":
            row["per year"] = " ".join(f"{y}:{n}" for y, n in by_year.items())
        else:
            row["by_year"] = (";".join(f"{y}:{n}" for y, n in by_year.items()) if args.format == "csv" else by_year)
        rows.append(row)
    years = ", ".join(f"{y}: {n}" for y, n in view["years"].items()) or "none"
    undated = f"; {view['undated']} undated" if view["undated"] else ""
    if args.format == "table" and not rows:
        out.print(f"Trends ({args.view}): no concept rises or falls. Documents per year: {years}{undated}.",
                  highlight=False)
        return 0
    _emit(rows, args.format, out, title=f"Trends ({args.view}); documents per year {years}{undated}")
    return 0


def cmd_context(args, out: Console, err: Console) -> int:
    from .text.bilingual import Glossary
    from .text.contexts import context_keys, find_contexts, marked

    pipeline = _pipeline(args)
    if args.top < 1 or not args.phrase.strip():
        raise PipelineError("context needs a phrase and --top of at least 1, e.g. context paradiplomacy --top 20")
    store = pipeline.store
    glossary = (Glossary.from_dict(_read(pipeline, "glossary", "corpus"))
                if store.exists(ArtifactRef("glossary", "corpus")) else None)
    keys = context_keys(args.phrase.strip(), [args.lang] if args.lang else list(LANGS), glossary)
    found = find_contexts({doc: store.load("normalize", doc) for doc in store.keys("normalize")}, keys)
    if not found:
        _warn(f"'{args.phrase}' occurs in no sentence of the corpus (searched as {keys})")
    titles = {doc: store.load("ingest", doc)["metadata"].get("title") or "" for doc in {r["doc_id"] for r in found}}
    rows = [{"doc": r["doc_id"], "title": titles[r["doc_id"]], "lang": r["lang"], "kind": r["kind"],
             **({"left": r["left"], "match": r["match"], "right": r["right"]} if args.format == "json"
                else {"context": marked(r)})} for r in found[: args.top]]
    if args.format == "table":  # a short title; [[ ]] is no rich markup
        from rich.markup import escape

        for row in rows:
            row.update(title=row["title"][:40] + ("…" if len(row["title"]) > 40 else ""),
                       context=escape(row["context"]))
    _emit(rows, args.format, out, title=f"'{args.phrase}' in context: {len(found)} sentences in "
                                        f"{len({r['doc_id'] for r in found})} documents, {len(rows)} shown")
    return 0


def cmd_map(args, out: Console, err: Console) -> int:
    from .text.keymap import to_csv, to_gexf, to_graphml, to_vosviewer_json

    pipeline = _pipeline(args)
    if args.top < 1:
        raise PipelineError("--top must be at least 1")
    keymap = _read(pipeline, "map", "corpus")["views"][args.view]
    if args.format == "table":
        rows = [{"rank": rank, "node": n["label"], "documents": n["documents"], "cluster": n["cluster"],
                 "links": sum(1 for e in keymap["edges"] if n["key"] in (e["source"], e["target"]))}
                for rank, n in enumerate(keymap["nodes"][: args.top], 1)]
        _emit(rows, "table", out, title=f"Keyword map ({args.view}): {len(keymap['nodes'])} nodes, "
                                        f"{len(keymap['edges'])} links, {keymap['clusters']} clusters")
        return 0
    if args.format == "csv":
        nodes, edges = to_csv(keymap)
        if not args.out:
            sys.stdout.write(nodes)
            return 0
        target = Path(args.out)
        edges_path = target.with_name(f"{target.stem}_edges{target.suffix or '.csv'}")
        _write_out(target, nodes.encode("utf-8"))
        _write_out(edges_path, edges.encode("utf-8"))
        out.print(f"{target}\n{edges_path}", highlight=False)
        return 0
    data = {"json": lambda m: (json.dumps(m, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
            "gexf": to_gexf, "graphml": to_graphml,
            "vosviewer": lambda m: to_vosviewer_json(m).encode("utf-8")}[args.format](keymap)
    if args.out:
        _write_out(Path(args.out), data)
        out.print(args.out, highlight=False)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def _write_out(path: Path, data: bytes) -> None:
    """Write an export atomically; a folder that does not exist is a one-line error."""
    if not path.parent.is_dir():
        raise PipelineError(f"{path}: its folder does not exist; create it or choose another --out")
    atomic_write_bytes(path, data, fsync=False)  # an export can be written again


def cmd_export(args, out: Console, err: Console) -> int:
    from .corpus.references import export_corpus, export_record

    pipeline = _pipeline(args)
    if args.top < 0:
        raise PipelineError("--top must be 0 or more")
    target = Path(args.out)
    if not target.parent.is_dir():
        raise PipelineError(f"{target}: its folder does not exist; create it or choose another --out")
    records = []
    for doc in pipeline.corpus.documents():
        ingest = _read(pipeline, "ingest", doc.doc_id)
        ref = ArtifactRef("keywords", doc.doc_id)
        keywords = pipeline.store.load("keywords", doc.doc_id) if pipeline.store.exists(ref) else None
        if keywords is None:
            _warn(f"warning: {doc.doc_id}: no keywords yet (run 'python run_pipeline.py run'); exported without them")
        records.append(export_record(doc.doc_id, ingest, keywords, args.top))
    _write_out(target, export_corpus(records, args.format).encode("utf-8"))
    out.print(f"{target}: {len(records)} documents", highlight=False)
    return 0
