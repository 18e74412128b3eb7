"""What the corpus tests add: seed texts, SINTA records, and adding one file."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.corpus import AddResult, Corpus, read_file
from tests.paths import SEEDS
from tests.paths import CORPUS, DATA


def seed_text(key: str) -> str:
    return (CORPUS / f"{SEEDS[key]}.txt").read_text(encoding="utf-8")


def sinta_records(n: int = 60) -> list[dict]:
    lines = (DATA / "sinta_abstracts_60.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:n]]


def add_path(corpus: Corpus, path: Path, allow_duplicates: bool = False, **kwargs) -> list[AddResult]:
    return corpus.add(read_file(path, **kwargs), allow_duplicates=allow_duplicates)
