"""The labelled abstracts the keyphrase tests share (tests/data only), normalized once.

Not a test module: the ``test_*`` modules of this folder import these helpers.
"""

from __future__ import annotations

import json
from functools import lru_cache

from tests.paths import DATA

N_SAMPLE = 40


@lru_cache(maxsize=None)
def normalizer(lang: str):
    """The project's normalizer (the keywords stage feeds its output)."""
    from pipeline.text.tokens import Normalizer

    return Normalizer(lang)


def labelled_rows(name: str, text_field: str, keys_field: str, n: int) -> list[dict]:
    """The first ``n`` records of a tests/data JSON lines file having both a text and keywords."""
    rows = []
    with open(DATA / name, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get(text_field) and row.get(keys_field):
                rows.append(row)
            if len(rows) >= n:
                break
    return rows


def sinta_rows(n: int) -> list[dict]:
    """The first ``n`` SINTA dev records with an Indonesian abstract and author keywords."""
    return labelled_rows("sinta_dev.jsonl", "id_abstract", "id_keywords", n)


@lru_cache(maxsize=None)
def sinta_sample():
    rows = sinta_rows(N_SAMPLE)
    norm = normalizer("id")
    docs = [norm.normalize(r["id_abstract"]) for r in rows]
    gold = [{k for k in norm.normalize_tokens(r["id_keywords"]) if k} for r in rows]
    titles = [norm.normalize(r.get("title") or "") for r in rows]
    return docs, gold, titles


@lru_cache(maxsize=None)
def sinta_sections(n: int):
    """The first ``n`` SINTA dev records as the pipeline ranks them: ``(ids, [(title,
    abstract) sections], [author keys])``, normalized once."""
    rows = sinta_rows(n)
    norm = normalizer("id")
    sections = [[("title", norm.normalize(r.get("title") or "")), ("abstract", norm.normalize(r["id_abstract"]))]
                for r in rows]
    gold = [{k for k in norm.normalize_tokens(r["id_keywords"]) if k} for r in rows]
    return [r["id"] for r in rows], sections, gold


@lru_cache(maxsize=None)
def inspec_sample():
    rows = []
    with open(DATA / "inspec_dev_200.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) >= 30:
                break
    norm = normalizer("en")
    return [norm.normalize(r["text"]) for r in rows]


def f1_at(predicted: list, gold: set) -> float:
    pred = list(dict.fromkeys(predicted))
    hits = sum(1 for p in pred if p in gold)
    if not hits:
        return 0.0
    p, r = hits / len(pred), hits / len(gold)
    return 2 * p * r / (p + r)


@lru_cache(maxsize=None)
def inspec_labelled():
    rows = labelled_rows("inspec_dev_200.jsonl", "text", "keyphrases", 60)
    norm = normalizer("en")
    docs = [norm.normalize(r["text"]) for r in rows]
    labels = [sorted({k.lower() for k in norm.normalize_tokens(r["keyphrases"]) if k}) for r in rows]
    return docs, labels


@lru_cache(maxsize=None)
def sinta_bilingual():
    """The SINTA dev records with an English abstract and English author keywords:
    ``(rows, English sections, Indonesian title + abstract sections, English gold keys)``."""
    rows = labelled_rows("sinta_dev.jsonl", "en_abstract", "en_keywords", 100)
    en, idn = normalizer("en"), normalizer("id")
    docs = [[("abstract", en.normalize(r["en_abstract"]))] for r in rows]
    others = [[("title", idn.normalize(r["title"])), ("abstract", idn.normalize(r["id_abstract"]))]
              for r in rows]
    gold = [{k.lower() for k in en.normalize_tokens(r["en_keywords"]) if k} for r in rows]
    return rows, docs, others, gold
