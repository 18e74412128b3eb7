"""The command line: a thin layer over :class:`pipeline.Pipeline` that parses, prints and exits.

Each command opens the pipeline, makes one call to the library and prints what it got;
library errors (:class:`pipeline.errors.PipelineError`) become one line on stderr with
the fix, and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .version import __version__
from .store import ArtifactRef
from .errors import ArtifactError, PipelineError
from .run import Pipeline, Reporter, RunSummary
from .stages import STAGES
from .text import LANGS
from .cli_common import _TABLE_DOCUMENTS, _emit, _pipeline, _read, _table, _warn
from .cli_collection import _concepts, _facets, cmd_context, cmd_export, cmd_glossary, cmd_map, cmd_trends

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

EXIT_USAGE = 2


class _LazyConsole:
    """A rich ``Console`` made on first use.

    rich takes about 60 ms to import: ``add`` forks the worker that loads spaCy before
    it prints anything, and that worker has no use for rich.
    """

    def __init__(self, **kwargs: Any):
        self._kwargs = kwargs
        self._console = None

    @property
    def real(self) -> "Console":
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._kwargs)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def _real(console) -> "Console":
    return console.real if isinstance(console, _LazyConsole) else console


def _progress(console) -> "Progress":
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[note]}"), TimeElapsedColumn(), console=_real(console),
                    transient=False)


class _ArgumentParser(argparse.ArgumentParser):
    # argparse prints the whole usage on error; one line with the fix is kinder.
    def error(self, message):
        raise PipelineError(f"{self.prog}: {message}; see '{self.prog} --help'")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", default="corpus", metavar="DIR",
                        help="folder of input documents (default: corpus)")
    parser.add_argument("--output", default="output", metavar="DIR",
                        help="folder (or fsspec URL, e.g. s3://bucket/out) of the JSON artifacts and reports "
                             "(default: output)")
    parser.add_argument("--models", default="models", metavar="DIR",
                        help="folder (or fsspec URL) of the fitted models, one subfolder per language "
                             "(default: models)")
    parser.add_argument("--config", default=None, metavar="FILE",
                        help="TOML file overriding stage parameters")


def _processing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes for the per-document stages (default: all cores)")
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="local processes, or tasks on a Dask cluster (see README, 'Running at scale')")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --executor dask)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (e.g. a document with no Indonesian or English prose) as failures")


def _bulk_field_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("bulk files (.jsonl, .csv, .tsv): which field holds what")
    for name, default, what in (("text", "text", "the document's text"), ("title", "title", "its title"),
                                ("id", "id", "its id (a clash with another document is refused)"),
                                ("authors", "authors", "its authors (a list, or ';'-separated)"),
                                ("year", "year", "its year"), ("source", "source", "its source")):
        g.add_argument(f"--{name}-field", default=default, metavar="FIELD", help=f"{what} (default: {default})")


def _bulk_fields(args):
    """The bulk-file field names the options of :func:`_bulk_field_options` gave."""
    from .corpus import BulkFields

    return BulkFields(args.text_field, args.title_field, args.id_field, args.authors_field,
                      args.year_field, args.source_field)


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _ArgumentParser(
        prog="run_pipeline.py", formatter_class=fmt,
        description="Bilingual Indonesian/English keyword and topic pipeline.",
        epilog="example:\n  python run_pipeline.py run\n  python run_pipeline.py keywords 003_f5f628d705a61f74 --lang en")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_ArgumentParser)

    p = sub.add_parser("run", formatter_class=fmt, help="run every stale stage over the corpus",
                       description="Run the stages in order (ingest, separate, normalize, keywords, topics, "
                                   "report), skipping work whose inputs and parameters are unchanged.",
                       epilog="examples:\n  python run_pipeline.py run\n"
                              "  python run_pipeline.py run --corpus my_docs --output my_out --config settings.toml\n"
                              "  python run_pipeline.py run --only topics --force\n"
                              "  python run_pipeline.py run --refit")
    _common(p)
    _processing(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--only", choices=STAGES, metavar="STAGE", help=f"run just this stage ({', '.join(STAGES)})")
    group.add_argument("--from", dest="start", choices=STAGES, metavar="STAGE",
                       help="run this stage and every later one")
    p.add_argument("--force", action="store_true", help="re-run the selected stages even when fresh")
    p.add_argument("--refit", action="store_true",
                   help="refit the keyword and topic models instead of scoring and placing new documents with the saved ones")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary table")

    p = sub.add_parser("add", formatter_class=fmt, help="add documents to the corpus and process them",
                       description="Add .txt/.md files, PDFs (their text layer), bulk JSON lines/CSV files and "
                                   "RIS/BibTeX reference files (one document per record) to the corpus; folders are searched recursively. "
                                   "Every document is stored as a UTF-8 text file with its given metadata in "
                                   "<id>.meta.json beside it. The same text added twice is skipped; "
                                   "near-duplicates (same title, or 80% of 5-word shingles shared) are "
                                   "skipped unless --allow-duplicates. Then runs what the new documents change.",
                       epilog="examples:\n  python run_pipeline.py add new_thesis.txt\n"
                              "  python run_pipeline.py add exports/ --no-run\n"
                              "  python run_pipeline.py add article.pdf --title 'Diplomasi kota' --authors 'A. Basri; B. Sari' --year 2021\n"
                              "  python run_pipeline.py add sinta_abstracts.jsonl --text-field abstract "
                              "--title-field title --id-field id --source-field journal")
    _common(p)
    _processing(p)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to add")
    p.add_argument("--no-run", action="store_true", help="only add the files; process them later with run")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary table")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="add near-duplicates too (exact duplicates are always skipped)")
    p.add_argument("--encoding", default="auto",
                   help="text encoding of the inputs (default: auto: UTF-8/16 by BOM, else detected with a warning)")
    g = p.add_argument_group("metadata of the documents added (stored in <id>.meta.json)")
    g.add_argument("--title", help="title (only when adding one document)")
    g.add_argument("--authors", help="authors, separated by ';'")
    g.add_argument("--year", help="year of publication")
    g.add_argument("--source", help="where the documents come from (journal, URL, collection)")
    _bulk_field_options(p)

    p = sub.add_parser("watch", formatter_class=fmt,
                       help="add the files dropped into an inbox folder and keep the results up to date",
                       description="Watch an inbox folder: files dropped into it (.txt, .md, .pdf, bulk .jsonl/.csv) "
                                   "are added to the corpus as 'add' adds them, then the pipeline runs. The process "
                                   "stays loaded (spaCy, lexicons, models), so results follow within about a second. "
                                   "Handled files are moved to <inbox>/added/ or <inbox>/skipped/. Stop with Ctrl-C.",
                       epilog="examples:\n  python run_pipeline.py watch\n"
                              "  python run_pipeline.py watch --inbox incoming --interval 2\n"
                              "  python run_pipeline.py watch --once   # take what is there now, then exit")
    _common(p)
    _processing(p)
    p.add_argument("--inbox", default="inbox", metavar="DIR", help="folder to watch (default: inbox)")
    p.add_argument("--interval", type=float, default=0.5, metavar="S", help="seconds between checks (default: 0.5)")
    p.add_argument("--once", action="store_true", help="process the files in the inbox now and exit")
    p.add_argument("--allow-duplicates", action="store_true", help="add near-duplicates too")
    p.add_argument("--encoding", default="auto", help="text encoding of the inputs (default: auto)")
    _bulk_field_options(p)

    p = sub.add_parser("remove", formatter_class=fmt, help="remove documents and their artifacts",
                       description="Deletes the documents' files, metadata sidecars and per-document "
                                   "artifacts, then runs the pipeline to update the corpus-level results.",
                       epilog="examples:\n  python run_pipeline.py remove Tesis_Baru_2024\n"
                              "  python run_pipeline.py remove sinta-1d67c6851d sinta-360ead1280 --no-run")
    _common(p)
    _processing(p)
    p.add_argument("docs", nargs="+", metavar="DOC", help="document ids (as 'list' shows them)")
    p.add_argument("--no-run", action="store_true",
                   help="do not update the corpus-level results now (the next run does)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary table")

    p = sub.add_parser("list", formatter_class=fmt, help="the corpus documents with languages and sizes",
                       epilog="examples:\n  python run_pipeline.py list\n"
                              "  python run_pipeline.py list --format csv > documents.csv")
    _common(p)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")

    p = sub.add_parser("status", formatter_class=fmt, help="documents, languages, fresh and stale artifacts",
                       epilog="example:\n  python run_pipeline.py status --verbose")
    _common(p)
    p.add_argument("--verbose", action="store_true", help="list every stale artifact and why")

    p = sub.add_parser("keywords", formatter_class=fmt, help="show keywords of a document or the corpus",
                       epilog="examples:\n  python run_pipeline.py keywords\n"
                              "  python run_pipeline.py keywords 003_f5f628d705a61f74 --lang id --top 5\n"
                              "  python run_pipeline.py keywords --format csv > corpus_keywords.csv\n"
                              "  python run_pipeline.py keywords --by source --lang id   # per journal")
    _common(p)
    p.add_argument("doc", nargs="?", metavar="DOC", help="document id (default: corpus keywords)")
    p.add_argument("--lang", choices=LANGS, help="one language only")
    p.add_argument("--top", type=int, default=10, metavar="N", help="rows per language (default 10)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--by", choices=("source", "year", "author"),
                   help="the corpus keywords per journal/source, year or author (facets)")
    p.add_argument("--concepts", action="store_true",
                   help="corpus keywords of both languages as concepts (kebijakan luar negeri / foreign "
                        "policy), through the glossary; a document's: its term pairs")

    p = sub.add_parser("glossary", formatter_class=fmt,
                       help="the corpus glossary: terms in both languages; look a term up in either",
                       epilog="examples:\n  python run_pipeline.py glossary --top 20\n"
                              "  python run_pipeline.py glossary --lookup \"foreign policy\"\n"
                              "  python run_pipeline.py glossary --format tbx > glossary.tbx")
    _common(p)
    p.add_argument("--lookup", metavar="PHRASE",
                   help="the entry of a term in either language, and the documents of both languages using it")
    p.add_argument("--lang", choices=LANGS, help="language of the --lookup phrase (default: try both)")
    p.add_argument("--top", type=int, default=20, metavar="N",
                   help="entries shown in the table (default 20; csv, json and tbx give all)")
    p.add_argument("--format", choices=("table", "csv", "json", "tbx"), default="table")

    p = sub.add_parser("trends", formatter_class=fmt,
                       help="concepts that rise or fall over the years (documents need a year)",
                       epilog="examples:\n  python run_pipeline.py trends\n"
                              "  python run_pipeline.py trends --view id --format csv > trends.csv\n"
                              "  python run_pipeline.py add sinta.jsonl --text-field abstract --year-field year  # years")
    _common(p)
    p.add_argument("--view", choices=("concepts", "id", "en"), default="concepts",
                   help="concepts of both languages (default), or one language's phrases")
    p.add_argument("--all", action="store_true", help="also the concepts without a trend")
    p.add_argument("--top", type=int, default=20, metavar="N", help="rows shown in the table (default 20)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")

    p = sub.add_parser("map", formatter_class=fmt,
                       help="the collection's keyword map: its clusters, or exported for Gephi and VOSviewer",
                       epilog="examples:\n  python run_pipeline.py map\n"
                              "  python run_pipeline.py map --format gexf --out keywords.gexf\n"
                              "  python run_pipeline.py map --view id --format vosviewer --out map.json\n"
                              "  python run_pipeline.py map --format csv --out nodes.csv   # and nodes_edges.csv")
    _common(p)
    p.add_argument("--view", choices=("concepts", "id", "en"), default="concepts",
                   help="concepts of both languages (default), or one language's phrases")
    p.add_argument("--format", choices=("table", "json", "csv", "gexf", "graphml", "vosviewer"), default="table")
    p.add_argument("--out", metavar="FILE", help="write there (csv: the nodes; the edges beside, FILE_edges.csv)")
    p.add_argument("--top", type=int, default=30, metavar="N", help="nodes shown in the table (default 30)")

    p = sub.add_parser("context", formatter_class=fmt,
                       help="keyword in context: the sentences of both languages where a concept occurs",
                       epilog="examples:\n  python run_pipeline.py context paradiplomacy\n"
                              "  python run_pipeline.py context \"kebijakan luar negeri\" --lang id --top 50\n"
                              "  python run_pipeline.py context ASEAN --format csv > asean.csv")
    _common(p)
    p.add_argument("phrase", metavar="PHRASE", help="a term in either language (its translation is found too)")
    p.add_argument("--lang", choices=LANGS, help="language of the phrase (default: try both)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="rows shown (default 20)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")

    p = sub.add_parser("export", formatter_class=fmt,
                       help="the corpus with its metadata and keywords as RIS, BibTeX or CSV",
                       description="Write every document's title, authors, year, journal and DOI with its "
                                   "keywords (the record's own, then the first N extracted of Indonesian, "
                                   "then of English) for Zotero, Mendeley, JabRef or a spreadsheet.",
                       epilog="examples:\n  python run_pipeline.py export --format ris --out corpus.ris\n"
                              "  python run_pipeline.py export --format bibtex --out corpus.bib\n"
                              "  python run_pipeline.py export --format csv --out corpus.csv --top 5")
    _common(p)
    p.add_argument("--format", choices=("ris", "bibtex", "csv"), required=True)
    p.add_argument("--out", metavar="FILE", required=True, help="the file to write (atomically)")
    p.add_argument("--top", type=int, default=10, metavar="N",
                   help="extracted keywords per language (default 10)")

    p = sub.add_parser("topics", formatter_class=fmt, help="show the topics of each language",
                       epilog="example:\n  python run_pipeline.py topics --lang id")
    _common(p)
    p.add_argument("--lang", choices=LANGS, help="one language only")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")

    p = sub.add_parser("clean", formatter_class=fmt, help="print the cleaned text of one file (no artifacts)",
                       description="Runs ingest's OCR and export cleanup on one file and prints the cleaned text; "
                                   "nothing is written. The tool to reach for when a keyword looks wrong.",
                       epilog="examples:\n  python run_pipeline.py clean corpus/003_f5f628d705a61f74.txt\n"
                              "  python run_pipeline.py clean scan.txt --changes | less")
    p.add_argument("file", metavar="FILE", help="a .txt or .md file")
    p.add_argument("--changes", action="store_true", help="also list every repair (rule, line, before -> after)")
    p.add_argument("--split-words", action="store_true",
                   help="also split run-together words (kesejahteraanmasyarakat)")
    p.add_argument("--encoding", default="auto", help="text encoding (default: auto)")

    p = sub.add_parser("detect", formatter_class=fmt, help="language of each line of standard input",
                       description="Reads text blocks from standard input, one per line, and prints "
                                   "id, en or unknown for each (with --confidence, the confidence too).",
                       epilog="examples:\n  printf 'Kebijakan luar negeri\\nForeign policy\\n' | python run_pipeline.py detect\n"
                              "  python run_pipeline.py detect --confidence < paragraphs.txt")
    p.add_argument("--confidence", action="store_true", help="also print the confidence (0..1)")

    p = sub.add_parser("stem", formatter_class=fmt, help="stem or lemma of each word on standard input",
                       description="Reads one word (or phrase) per line from standard input and prints its "
                                   "Indonesian stem or English lemma, as the normalize stage makes them.",
                       epilog="examples:\n  printf 'perdagangan\\nnegara-negara\\nkerja sama\\n' | python run_pipeline.py stem --lang id\n"
                              "  python run_pipeline.py stem --lang en < words.txt")
    p.add_argument("--lang", choices=LANGS, required=True, help="id: Sastrawi stems; en: lookup lemmas")

    p = sub.add_parser("tag", formatter_class=fmt, help="part-of-speech tag (UPOS) of each token on standard input",
                       description="Reads one sentence per line from standard input, tokenizes it as the normalize "
                                   "stage does and prints each token with its universal part-of-speech tag "
                                   "(word/UPOS, one output line per input line). With --conllu, tags a CoNLL-U "
                                   "file instead (tokens as given) and, if the file has tags, prints the accuracy "
                                   "against them on standard error.",
                       epilog="examples:\n  printf 'Diplomasi ekonomi Indonesia di ASEAN.\\n' | python run_pipeline.py tag --lang id\n"
                              "  python run_pipeline.py tag --lang en < sentences.txt\n"
                              "  python run_pipeline.py tag --lang id --conllu id_gsd-ud-test.conllu --output tagged.conllu")
    p.add_argument("--lang", choices=LANGS, required=True, help="language of the text (chooses the tagger)")
    p.add_argument("--conllu", metavar="FILE", help="tag this CoNLL-U file (UPOS column filled, tokens as given)")
    p.add_argument("--output", metavar="FILE", help="with --conllu: write the tagged file here (default: standard output)")

    p = sub.add_parser("report", formatter_class=fmt,
                       help="bring stale stages up to date and write the reports",
                       description="Writes report.html, keywords.md/.csv and topics.md/.csv in the output folder.",
                       epilog="example:\n  python run_pipeline.py report --output output && open output/report.html")
    _common(p)
    _processing(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


class RichReporter(Reporter):
    """Draws one progress bar per step on stderr."""

    def __init__(self, console: Console):
        self.progress = _progress(console)
        self.tasks = {}

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()

    def start_step(self, step, total):
        self.tasks[step.name] = self.progress.add_task(step.name, total=total, note="")

    def advance(self, step, key, action):
        self.progress.update(self.tasks[step.name], advance=1, note=f"{action} {key}"[:40])

    def waiting(self, message):
        self.progress.console.print(message, highlight=False, soft_wrap=True)

    def end_step(self, step, summary):
        note = f"ran {summary.ran}, skipped {summary.skipped}" + (f", failed {summary.failed}" if summary.failed else "")
        self.progress.update(self.tasks[step.name], note=note)


def _run(pipeline: Pipeline, args, err: Console, **kwargs) -> RunSummary:
    if getattr(args, "quiet", False):
        return pipeline.run(**kwargs)
    with RichReporter(err) as reporter:
        return pipeline.run(reporter=reporter, **kwargs)


def _print_summary(summary: RunSummary, pipeline: Pipeline, out: Console) -> None:
    table = _table(title=f"{summary.documents} documents, {summary.seconds:.1f} s")
    for col in ("step", "ran", "skipped", "failed", "seconds"):
        table.add_column(col, justify="left" if col == "step" else "right")
    for s in summary.steps:
        table.add_row(s.name, str(s.ran), str(s.skipped), str(s.failed), f"{s.seconds:.2f}")
    out.print(table)
    store = pipeline.store
    facts = []
    for lang in LANGS:
        ref = ArtifactRef("corpus_keywords", lang)
        if store.exists(ref):
            art = store.load(ref.kind, ref.key)
            facts.append(f"{lang}: {art['n_documents']} documents, {len(art['keywords'])} corpus keywords")
        ref = ArtifactRef("topics", lang)
        if store.exists(ref):
            art = store.load(ref.kind, ref.key)
            facts.append(f"{lang}: {art['k']} topics" if art["k"] else f"{lang}: {art['message']}")
    for fact in facts:
        out.print(fact)
    if summary.ran == 0:
        out.print("Nothing to do: every artifact is up to date.")


def cmd_run(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    summary = _run(pipeline, args, err, only=args.only, start=args.start, force=args.force, refit=args.refit)
    return _finish(summary, pipeline, args, out, err)


def _finish(summary: RunSummary, pipeline: Pipeline, args, out: Console, err: Console) -> int:
    for warning in summary.warnings:
        _warn(f"warning: {warning}")
    for error in summary.errors:
        _warn(f"error: {error}")
    if not getattr(args, "quiet", False):
        _print_summary(summary, pipeline, out)
    if getattr(args, "strict", False) and summary.warnings:
        _warn(f"strict: {len(summary.warnings)} warning(s) count as failures")
        return 1
    return 1 if summary.errors else 0


# Beyond this many inputs, 'add' prints only what was skipped, and a count of what was added.
_LIST_ADDED_UP_TO = 50


def _read_inputs(files: list[Path], args, err: Console) -> tuple[list, list[str]]:
    """Every document the input files hold, and the files that could not be read."""
    from .corpus import read_file

    fields = _bulk_fields(args)
    given = {"title": args.title, "authors": args.authors, "year": args.year, "source": args.source}
    items: list = []
    failed: list[str] = []
    show = not args.quiet and len(files) > 1
    with _progress(err) if show else _NoProgress() as progress:
        task = progress.add_task("read", total=len(files), note="")
        for path in files:
            try:
                items.extend(read_file(path, args.encoding, given, fields))
            except PipelineError as exc:
                failed.append(str(exc))
            progress.update(task, advance=1, note=path.name[:40])
    return items, failed


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def add_task(self, *args, **kwargs):
        return 0

    def update(self, *args, **kwargs):
        pass


def cmd_add(args, out: Console, err: Console) -> int:
    from .corpus import AddResult, expand_paths

    pipeline = _pipeline(args)
    files = expand_paths(args.paths)
    items, failed = _read_inputs(files, args, err)
    n_docs = sum(1 for i in items if not isinstance(i, AddResult))
    if args.title and n_docs > 1:
        raise PipelineError(f"--title names one document, but the inputs hold {n_docs}; "
                            "add them one by one or give titles in a bulk file's title field")
    list_added = len(items) <= _LIST_ADDED_UP_TO
    if n_docs and not args.no_run:
        # The run that follows needs spaCy and the saved models in its workers: they
        # load them while this process checks and writes the new files.
        pipeline.start_workers(n_docs)
    try:
        return _add(pipeline, args, items, failed, list_added, out, err)
    finally:
        pipeline.stop_workers()  # when no run used them (nothing added, an error)


def _add(pipeline: Pipeline, args, items: list, failed: list, list_added: bool, out: Console,
         err: Console) -> int:
    for message in failed:
        _warn(f"error: {message}")

    def report(result) -> None:
        for warning in result.warnings:
            _warn(f"warning: {warning}")
        if result.added and not list_added:
            return
        if result.status in ("error", "clash"):
            _warn(f"error: {result.describe()}")
        else:
            out.print(result.describe(), highlight=False, soft_wrap=True)

    began = time.perf_counter()
    show = not args.quiet and len(items) > 1
    with _progress(err) if show else _NoProgress() as progress:
        task = progress.add_task("add", total=len(items), note="")

        def on_result(result) -> None:
            progress.update(task, advance=1, note=(result.doc_id or result.source)[:40])
            report(result)

        results = pipeline.add(items, allow_duplicates=args.allow_duplicates, progress=on_result, on_wait=_warn)
    counts: dict[str, int] = {}
    for r in results:
        key = "added" if r.added else r.status
        counts[key] = counts.get(key, 0) + 1
    added = counts.get("added", 0)
    if not args.quiet or not list_added:
        skipped = [f"{counts[k]:,} {label}" for k, label in (("duplicate", "duplicates"),
                   ("near-duplicate", "near-duplicates"), ("clash", "id clashes"), ("error", "unreadable"))
                   if counts.get(k)]
        out.print(f"{added:,} of {len(results):,} added in {time.perf_counter() - began:.1f} s"
                  + (f"; skipped: {', '.join(skipped)}" if skipped else ""), highlight=False, soft_wrap=True)
    status = 1 if failed or counts.get("error") or counts.get("clash") else 0
    if args.no_run or not added:
        return status
    summary = _run(pipeline, args, err)
    return max(status, _finish(summary, pipeline, args, out, err))


def cmd_watch(args, out: Console, err: Console) -> int:
    from .run.watch import InboxWatcher

    if args.interval <= 0:
        raise PipelineError(f"--interval must be positive (got {args.interval})")
    pipeline = _pipeline(args)
    watcher = InboxWatcher(pipeline, args.inbox, interval=args.interval, allow_duplicates=args.allow_duplicates,
                           fields=_bulk_fields(args), encoding=args.encoding)
    status = 0

    def on_event(event) -> None:
        nonlocal status
        for message in event.errors:
            _warn(f"error: {message}")
            status = 1
        for result in event.results:
            for warning in result.warnings:
                _warn(f"warning: {warning}")
            out.print(result.describe(), highlight=False, soft_wrap=True)
        if event.summary is not None:
            for warning in event.summary.warnings:
                _warn(f"warning: {warning}")
            for message in event.summary.errors:
                _warn(f"error: {message}")
            if event.summary.errors or (args.strict and event.summary.warnings):
                status = 1
            ran = sum(s.ran for s in event.summary.steps)
            out.print(f"{event.added} added, {ran} artifacts rebuilt, results updated in {event.seconds:.1f} s",
                      highlight=False, soft_wrap=True)

    if args.once:
        # Files are taken once they are seen unchanged twice: look, then take.
        watcher.ready()
        event = watcher.poll()
        if event is None:
            out.print(f"{args.inbox}: nothing to add", highlight=False, soft_wrap=True)
        else:
            on_event(event)
        return status
    out.print(f"watching {args.inbox} (Ctrl-C to stop)", highlight=False, soft_wrap=True)
    try:
        watcher.watch(on_event)
    except KeyboardInterrupt:
        out.print("stopped", highlight=False, soft_wrap=True)
    return status


def cmd_remove(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    removed, pruned = pipeline.remove(args.docs, on_wait=_warn)
    for doc_id, files in removed:
        out.print(f"removed {doc_id} ({', '.join(p.name for p in files)})", highlight=False, soft_wrap=True)
    documents = pipeline.corpus.documents()
    out.print(f"deleted {len(pruned)} artifacts of the removed documents", highlight=False, soft_wrap=True)
    if args.no_run:
        out.print("corpus-level results still count them; run 'python run_pipeline.py run' to update",
                  highlight=False, soft_wrap=True)
        return 0
    if not documents:
        out.print("the corpus is empty now; nothing to run", highlight=False, soft_wrap=True)
        return 0
    summary = _run(pipeline, args, err)
    return _finish(summary, pipeline, args, out, err)


def _languages(pipeline: Pipeline, doc_id: str) -> str:
    """The languages of a document's abstract and body ('?': not processed yet)."""
    if not pipeline.store.exists(ArtifactRef("separate", doc_id)):
        return "?"
    try:
        sections = pipeline.store.load("separate", doc_id)["sections"]
    except ArtifactError:
        return "(invalid artifact)"
    return ", ".join(sorted({s["lang"] for s in sections
                             if s["lang"] in LANGS and s["kind"] in ("abstract", "body")})) or "-"


def _extracted_title(pipeline: Pipeline, doc_id: str) -> str:
    # Without a given title, the one ingest found (empty when not processed yet).
    if not pipeline.store.exists(ArtifactRef("ingest", doc_id)):
        return ""
    try:
        return pipeline.store.load("ingest", doc_id)["metadata"]["title"] or ""
    except ArtifactError:
        return ""


def cmd_list(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    rows = []
    for doc in pipeline.corpus.documents():
        try:
            meta = pipeline.corpus.metadata(doc.doc_id)
        except PipelineError as exc:
            _warn(f"warning: {exc}")
            meta = {}
        # Languages come from the separate artifacts; '?' = not processed yet.
        title = meta.get("title") or _extracted_title(pipeline, doc.doc_id)
        rows.append({"doc": doc.doc_id, "file": doc.path.name, "bytes": doc.path.stat().st_size,
                     "languages": _languages(pipeline, doc.doc_id), "title": title,
                     "year": meta.get("year", ""), "source": meta.get("source", "")})
    if args.format == "table":
        table = _table(title=f"{len(rows)} documents in {pipeline.corpus.root}",
                      caption="languages '?': not processed yet (python run_pipeline.py run)"
                      if any(r["languages"] == "?" for r in rows) else None)
        for col in ("document", "languages", "bytes", "title", "year"):
            table.add_column(col, justify="right" if col == "bytes" else "left",
                             overflow="fold" if col == "document" else "ellipsis",
                             max_width=60 if col == "title" else None)
        for row in rows:
            table.add_row(row["doc"], row["languages"], f"{row['bytes']:,}", row["title"], str(row["year"]))
        out.print(table)
        out.print(f"{sum(r['bytes'] for r in rows):,} bytes in all", highlight=False)
    else:
        _emit(rows, args.format, out, title="Documents")
    return 0


def cmd_status(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    rows = pipeline.status()
    documents = pipeline.corpus.documents()
    table = _table(title=f"{len(documents)} documents in {pipeline.corpus.root}")
    for col in ("document", "characters", "languages", "fresh", "stale"):
        table.add_column(col)
    by_key: dict[str, list] = {}
    for step, key, fresh, reason in rows:
        by_key.setdefault(key, []).append((step, fresh, reason))
    for doc in documents:
        langs = _languages(pipeline, doc.doc_id)
        entries = by_key.get(doc.doc_id, [])
        stale = [step for step, fresh, _ in entries if not fresh]
        table.add_row(doc.doc_id, f"{doc.path.stat().st_size:,}", langs,
                      str(sum(1 for _, f, _ in entries if f)), ", ".join(stale) or "-")
    for key in (*LANGS, "corpus"):
        entries = by_key.get(key, [])
        stale = [step for step, fresh, _ in entries if not fresh]
        table.add_row(f"({key})", "", "", str(sum(1 for _, f, _ in entries if f)), ", ".join(stale) or "-")
    out.print(table)
    stale_rows = [(s, k, r) for s, k, f, r in rows if not f]
    if args.verbose:
        for step, key, reason in stale_rows:
            out.print(f"stale: {step} {key}: {reason}", highlight=False)
    out.print(f"{len(rows) - len(stale_rows)} fresh, {len(stale_rows)} stale"
              + ("; run 'python run_pipeline.py run' to update" if stale_rows else ""))
    return 0


def cmd_keywords(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    langs = [args.lang] if args.lang else list(LANGS)
    if args.top < 1:
        raise PipelineError("--top must be at least 1")
    rows = []
    if args.doc:
        ids = [d.doc_id for d in pipeline.corpus.documents()]
        if args.doc not in ids:
            raise PipelineError(f"unknown document '{args.doc}'; known ids: {', '.join(ids[:10])}"
                                + (" ..." if len(ids) > 10 else ""))
    if args.by:
        if args.doc or args.concepts:
            raise PipelineError("--by shows the corpus keywords per facet: give no document and no --concepts")
        rows, title = _facets(pipeline, args, langs)
        if args.format == "table" and not rows:
            out.print(f"{title}.", highlight=False)
            return 0
        _emit(rows, args.format, out, title=title)
        return 0
    if args.concepts:
        _emit(_concepts(pipeline, args), args.format, out,
              title=f"Terms in both languages of {args.doc}" if args.doc else "Corpus concepts")
        return 0
    if args.doc:
        art = _read(pipeline, "keywords", args.doc)
        for lang in langs:
            for rank, kw in enumerate(art["keywords"][lang][: args.top], 1):
                rows.append({"doc": args.doc, "lang": lang, "rank": rank, "phrase": kw["phrase"],
                             "score": kw["score"], "count": kw.get("count")})
    else:
        # The corpus's themes: how many documents carry each and which (the most central
        # first): the first few in the table, all of them in CSV (";"-separated) and JSON.
        for lang in langs:
            art = _read(pipeline, "corpus_keywords", lang)
            for rank, kw in enumerate(art["keywords"][: args.top], 1):
                documents = kw["documents"]
                row = {"lang": lang, "rank": rank, "phrase": kw["phrase"], "documents": kw["df"],
                       "score": kw["score"]}
                if args.format == "table":
                    shown = " ".join(documents[:_TABLE_DOCUMENTS])
                    row["first documents"] = shown + (f" (+{len(documents) - _TABLE_DOCUMENTS})"
                                                      if len(documents) > _TABLE_DOCUMENTS else "")
                else:
                    others = [f["phrase"] for f in kw.get("forms", []) if f["phrase"] != kw["phrase"]]
                    as_cell = ";".join if args.format == "csv" else list
                    row.update(document_ids=as_cell(documents), also_written=as_cell(others))
                rows.append(row)
    _emit(rows, args.format, out, title=f"Keywords of {args.doc}" if args.doc else "Corpus keywords")
    return 0


def cmd_topics(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    rows = []
    for lang in [args.lang] if args.lang else list(LANGS):
        art = _read(pipeline, "topics", lang)
        if not art["topics"]:
            _warn(f"{lang}: {art['message']}")
        for topic in art["topics"]:
            rows.append({"lang": lang, "topic": topic["id"], "label": topic["label"],
                         "terms": ", ".join(t["term"] for t in topic["terms"]),
                         "documents": ", ".join(d["doc_id"] for d in topic["documents"])})
    _emit(rows, args.format, out, title="Topics")
    return 0


def cmd_report(args, out: Console, err: Console) -> int:
    pipeline = _pipeline(args)
    if getattr(args, "quiet", False):
        summary = pipeline.write_report()
    else:
        with RichReporter(err) as reporter:
            summary = pipeline.write_report(reporter)
    for error in summary.errors:
        _warn(f"error: {error}")
    for path in pipeline.report_files():
        out.print(path, highlight=False)
    return 1 if summary.errors else 0


def _stdin_lines() -> list[str]:
    if sys.stdin is None or sys.stdin.isatty():
        raise PipelineError("reads lines from standard input; pipe text into it (see --help)")
    return [line.rstrip("\r\n") for line in sys.stdin]


def cmd_clean(args, out: Console, err: Console) -> int:
    from .text.cleanup import clean_document, format_changes
    from .text.encoding import read_document

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"{path}: cannot be read ({exc.strerror}); check the path") from None
    # Decoded as 'add' decodes a file it stores (a cp1252 guess comes with a warning).
    decoded = read_document(data, str(path), args.encoding)
    if decoded.warning:
        _warn(f"warning: {decoded.warning}")
    result = clean_document(decoded.text, split_words=args.split_words)
    print(result.text)
    if args.changes:
        print()
        print(format_changes(result.changes))
    return 0


def cmd_detect(args, out: Console, err: Console) -> int:
    from .text.langid import detect_lines

    for lang, confidence in detect_lines(_stdin_lines()):
        print(f"{lang}\t{confidence:.3f}" if args.confidence else lang)
    return 0


def cmd_stem(args, out: Console, err: Console) -> int:
    from .text.tokens import stem_words

    for stem in stem_words(_stdin_lines(), args.lang):
        print(stem)
    return 0


def cmd_tag(args, out: Console, err: Console) -> int:
    from .text.tagger import load_tagger, tag_conllu

    if args.output and not args.conllu:
        raise PipelineError("--output: only with --conllu FILE; tagged lines go to standard output")
    if not args.conllu:
        from .text.tagging.lines import tag_lines

        for tagged in tag_lines(_stdin_lines(), args.lang):
            print(" ".join(f"{word}/{tag}" for word, tag in tagged))
        return 0
    path = Path(args.conllu)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PipelineError(f"{path}: cannot be read ({exc.strerror}); check the path") from None
    except UnicodeDecodeError:
        raise PipelineError(f"{path}: not UTF-8 text; CoNLL-U files are UTF-8") from None
    try:
        tagged, correct, total = tag_conllu(text, load_tagger(args.lang))
    except ValueError as exc:
        raise PipelineError(f"{path}: {exc}; give a CoNLL-U file (10 tab-separated columns per word)") from None
    if args.output:
        try:
            Path(args.output).write_text(tagged, encoding="utf-8")
        except OSError as exc:
            raise PipelineError(f"{args.output}: cannot be written ({exc.strerror}); check the folder") from None
    else:
        sys.stdout.write(tagged)
    if total:
        _warn(f"UPOS accuracy against {path.name}: {100 * correct / total:.2f} % ({correct} of {total} words)")
    return 0


COMMANDS = {"run": cmd_run, "clean": cmd_clean, "detect": cmd_detect, "stem": cmd_stem, "tag": cmd_tag, "add": cmd_add, "watch": cmd_watch, "remove": cmd_remove, "list": cmd_list, "status": cmd_status, "keywords": cmd_keywords, "glossary": cmd_glossary, "map": cmd_map, "context": cmd_context, "trends": cmd_trends, "export": cmd_export,
            "topics": cmd_topics, "report": cmd_report}


def main(argv: list[str] | None = None) -> int:
    out = _LazyConsole()
    err = _LazyConsole(stderr=True)
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            build_parser().print_help()
            return EXIT_USAGE
        return COMMANDS[args.command](args, out, err)
    except PipelineError as exc:
        _warn(f"error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _warn("interrupted: finished artifacts are kept; run the same command again to complete the work")
        return 130
