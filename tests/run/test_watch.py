"""Watching an inbox: dropped files are added once they stop changing, then everything is updated."""

from __future__ import annotations

import json
import threading

import pytest

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.run.watch import InboxWatcher

from tests.paths import DATA, SEEDS


def _sinta_text(n: int) -> str:
    record = json.loads((DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[n])
    return record["title"] + "\n\n" + record["abstract"]


def test_dropped_files_are_added_when_settled_and_the_results_follow(seed_copy, tmp_path):
    root, pipeline = seed_copy
    inbox = tmp_path / "inbox"
    watcher = InboxWatcher(pipeline, inbox)
    (inbox / "Tesis Baru.txt").write_text(_sinta_text(3), encoding="utf-8")
    (inbox / "again.txt").write_bytes((root / "corpus" / f"{SEEDS['002']}.txt").read_bytes())
    (inbox / "notes.docx").write_bytes(b"not an addable type")
    growing = inbox / "still_copying.txt"
    growing.write_text(_sinta_text(4)[:200], encoding="utf-8")

    assert watcher.poll() is None  # first sight: nothing is taken before it has settled
    growing.write_text(_sinta_text(4), encoding="utf-8")  # still being written
    event = watcher.poll()
    assert [p.name for p in event.files] == ["Tesis Baru.txt", "again.txt"]
    assert event.added == 1
    assert {r.status for r in event.results} == {"added", "duplicate"}
    assert not event.summary.errors
    assert (inbox / "added" / "Tesis Baru.txt").is_file() and (inbox / "skipped" / "again.txt").is_file()
    assert (inbox / "notes.docx").is_file() and growing.is_file()  # not taken
    new_id = next(r.doc_id for r in event.results if r.added)
    assert (root / "output" / "keywords" / f"{new_id}.json").is_file()
    assert new_id in (root / "output" / "keywords.csv").read_text(encoding="utf-8")

    event = watcher.poll()  # the copied file has settled now
    assert [p.name for p in event.files] == ["still_copying.txt"] and event.added == 1
    assert watcher.poll() is None
    # a name taken in added/ is never overwritten
    (inbox / "Tesis Baru.txt").write_bytes(b"%PDF-1.4 \x00\x01 a PDF renamed .txt")
    watcher.poll()
    event = watcher.poll()
    assert event.added == 0 and event.summary is None
    assert (inbox / "added" / "Tesis Baru.txt").is_file() and len(list((inbox / "skipped").iterdir())) == 2


def test_warm_up_loads_the_normalizers_and_keyword_models_before_any_file(seed_copy, tmp_path):
    from pipeline.stages import keywords, normalize

    root, pipeline = seed_copy
    normalize.normalizer_for.cache_clear()
    keywords._load_extractor.cache_clear()
    InboxWatcher(pipeline, tmp_path / "inbox").warm_up()
    assert normalize.normalizer_for.cache_info().currsize == 2  # Indonesian and English
    assert keywords._load_extractor.cache_info().currsize >= 1


def test_the_inbox_cannot_be_the_corpus(seed_copy):
    root, pipeline = seed_copy
    with pytest.raises(PipelineError, match="must not be the corpus folder"):
        InboxWatcher(pipeline, root / "corpus")


def test_watching_in_the_background_until_stopped(seed_copy, tmp_path):
    root, pipeline = seed_copy
    inbox = tmp_path / "inbox"
    watcher = InboxWatcher(pipeline, inbox, interval=0.05)
    events, stop = [], threading.Event()

    def on_event(event):
        events.append(event)
        stop.set()

    thread = threading.Thread(target=watcher.watch, args=(on_event, stop))
    thread.start()
    (inbox / "baru.md").write_text(_sinta_text(5), encoding="utf-8")
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert len(events) == 1 and events[0].added == 1


def test_watch_once_on_the_command_line(seed_copy, tmp_path, capsys):
    root, _ = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    inbox = tmp_path / "in"
    assert main(["watch", "--once", "--inbox", str(inbox), *common]) == 0
    assert "nothing to add" in capsys.readouterr().out
    (inbox / "x.txt").write_text(_sinta_text(6), encoding="utf-8")
    assert main(["watch", "--once", "--inbox", str(inbox), *common]) == 0
    out = capsys.readouterr().out
    assert "added as x" in out and "results updated in" in out
    assert main(["watch", "--once", "--interval", "0", *common]) == 2
