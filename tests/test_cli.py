"""The command line: help with examples, clean one-line errors, readable output."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

import pytest

from pipeline.cli import main

from tests.paths import REPO, SEEDS

COMMANDS = ("run", "add", "watch", "remove", "list", "status", "keywords", "glossary", "map", "context", "trends", "export", "topics", "report", "detect", "stem",
            "clean", "tag")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "example" in capsys.readouterr().out


def test_user_errors_are_one_line_and_exit_2(tmp_path, capsys):
    assert main(["run", "--corpus", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "corpus folder not found" in err and "\n" not in err
    assert main(["run", "--only", "nonsense"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert "Traceback" not in err


def test_no_traceback_from_the_entry_point(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[topics]\nk_max = -1\n")
    proc = subprocess.run([sys.executable, str(REPO / "run_pipeline.py"), "run", "--config", str(bad)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "k_max" in proc.stderr


def test_keywords_and_status_commands(seed_copy, capsys):
    root, _ = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["keywords", SEEDS["003"], "--lang", "id", "--format", "csv", *common]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "doc,lang,rank,phrase,score,count" and len(out) == 11
    assert main(["keywords", "--format", "table", "--top", "5", *common]) == 0
    assert "Corpus keywords" in capsys.readouterr().out
    assert main(["status", *common]) == 0
    assert "0 stale" in capsys.readouterr().out
    assert main(["keywords", "nope", *common]) == 2
    assert "unknown document 'nope'" in capsys.readouterr().err


def test_bad_document_is_reported_and_the_rest_processed(seed_copy, capsys):
    root, pipeline = seed_copy
    (root / "corpus" / "empty.txt").write_text("   \n")
    (root / "corpus" / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    assert main(["run", "--quiet", *common]) == 1
    err = capsys.readouterr().err
    assert "empty.txt: empty document" in err and "scan.txt: this is a PDF file" in err
    assert sorted(pipeline.store.keys("ingest")) == sorted(SEEDS.values())


def test_add_copies_processes_and_skips_duplicates(seed_copy, tmp_path, capsys):
    root, pipeline = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    import json

    from tests.paths import DATA

    record = json.loads((DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[1])
    (incoming / "Tesis Baru (2024).txt").write_text(record["title"] + "\n\n" + record["abstract"], encoding="utf-8")
    (incoming / "copy_of_001.txt").write_bytes((root / "corpus" / f"{SEEDS['001']}.txt").read_bytes())
    assert main(["add", str(incoming), "--quiet", *common]) == 0
    out = capsys.readouterr().out
    assert "added as Tesis_Baru_2024" in out
    assert f"skipped, duplicate of {SEEDS['001']}" in out
    assert (root / "output" / "keywords" / "Tesis_Baru_2024.json").is_file()
    # Only a duplicate: nothing added, no run, and the workers started for it are ended.
    assert main(["add", str(incoming / "copy_of_001.txt"), "--quiet", *common]) == 0
    assert "skipped, duplicate" in capsys.readouterr().out
    assert multiprocessing.active_children() == []
    assert main(["add", str(tmp_path / "nothing_here"), *common]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_empty_corpus_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    assert main(["run", "--corpus", str(tmp_path / "corpus"), "--output", str(tmp_path / "out")]) == 2
    assert "no .txt or .md documents in the corpus" in capsys.readouterr().err


def _cli(args, stdin):
    return subprocess.run([sys.executable, str(REPO / "run_pipeline.py"), *args], input=stdin,
                          capture_output=True, text=True)


def test_detect_reads_lines_from_stdin():
    lines = ["Diplomasi ekonomi merupakan aktivitas yang penting bagi suatu negara.",
             "The relationship between China and ASEAN through ACFTA.", "(3)", "kebijakan luar negeri"]
    proc = _cli(["detect"], "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["id", "en", "unknown", "id"]


def test_stem_reads_words_from_stdin():
    proc = _cli(["stem", "--lang", "id"], "perdagangan\nnegara-negara\nkerja sama\nACFTA-nya\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["dagang", "negara", "kerjasama", "ACFTA"]
    proc = _cli(["stem", "--lang", "en"], "countries\nstudies\n")
    assert proc.stdout.splitlines() == ["country", "study"]
    assert _cli(["stem"], "x\n").returncode == 2


def test_clean_prints_text_and_changes(tmp_path):
    proc = _cli(["clean", str(REPO / "corpus" / f"{SEEDS['003']}.txt"), "--changes"], "")
    assert proc.returncode == 0, proc.stderr
    assert "keterbatasan infrastruktur" in proc.stdout and "Tiongkok" in proc.stdout
    assert "Tlongkok" in proc.stdout  # the change list names the misread word it fixed
    assert not (tmp_path / "output").exists()
    proc = _cli(["clean", str(tmp_path / "missing.txt")], "")
    assert proc.returncode == 2 and "missing.txt: cannot be read" in proc.stderr


def test_add_pdf_and_bulk_list_then_remove(seed_copy, tmp_path, capsys):
    import json

    from pipeline.store import ArtifactRef

    from tests.paths import DATA
    from .corpus.pdfs import make_pdf

    root, pipeline = seed_copy
    common = ["--corpus", str(root / "corpus"), "--output", str(root / "output"), "--models", str(root / "models")]
    records = [json.loads(line) for line in
               (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()[2:5]]
    bulk = tmp_path / "portal.jsonl"
    bulk.write_text("".join(json.dumps(r) + "\n" for r in records[:2]), encoding="utf-8")
    pdf = tmp_path / "Artikel 2023.pdf"
    pdf.write_bytes(make_pdf([records[2]["title"], records[2]["abstract"]]))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([None], image_pages=True))
    before = pipeline.store.read(ArtifactRef("corpus_keywords", "id"))["n_documents"]

    assert main(["add", str(bulk), str(pdf), str(scan), "--text-field", "abstract", "--source", "SINTA",
                 "--quiet", *common]) == 1  # the scan could not be added
    captured = capsys.readouterr()
    assert "scan.pdf: the PDF has no text layer" in captured.err and "ocrmypdf" in captured.err
    assert f"added as {records[0]['id']}" in captured.out and "added as Artikel_2023" in captured.out
    assert pipeline.corpus.metadata("Artikel_2023")["source"] == "SINTA"
    assert pipeline.store.exists(ArtifactRef("keywords", "Artikel_2023"))
    assert pipeline.store.read(ArtifactRef("corpus_keywords", "id"))["n_documents"] == before + 3

    assert main(["add", str(bulk), "--text-field", "abstract", "--quiet", *common]) == 0
    assert f"skipped, duplicate of {records[0]['id']}" in capsys.readouterr().out
    assert main(["add", str(bulk), "--title", "One title", "--text-field", "abstract", *common]) == 2
    assert "--title names one document" in capsys.readouterr().err

    assert main(["list", "--format", "json", *common]) == 0
    listing = {row["doc"]: row for row in json.loads(capsys.readouterr().out)}
    assert len(listing) == 7 and listing["Artikel_2023"]["languages"] == "id"
    assert listing[SEEDS["002"]]["languages"] == "en, id" and listing[records[0]["id"]]["source"] == "SINTA"
    assert main(["list", *common]) == 0
    assert "7 documents" in capsys.readouterr().out

    assert main(["remove", "Artikel_2023", records[0]["id"], "--quiet", *common]) == 0
    assert "removed Artikel_2023" in capsys.readouterr().out
    assert not (root / "corpus" / "Artikel_2023.meta.json").exists()
    assert not pipeline.store.exists(ArtifactRef("keywords", "Artikel_2023"))
    assert pipeline.store.read(ArtifactRef("corpus_keywords", "id"))["n_documents"] == before + 1
    assert main(["remove", "nope", *common]) == 2
    assert "unknown document 'nope'" in capsys.readouterr().err
    assert main(["remove", records[1]["id"], "--no-run", *common]) == 0
    assert not pipeline.store.exists(ArtifactRef("ingest", records[1]["id"]))
    assert "run 'python run_pipeline.py run' to update" in capsys.readouterr().out
