"""Metadata sidecars: what the user said about a document, beside it as ``<id>.meta.json``.

A sidecar holds what the user (or the bulk file a document came from) said about
the document, as opposed to what ingest extracts from its text. Format (version 1)::

    {
      "format": "corpus-metadata/1",
      "title": "Kinerja dan Fungsi Intermediasi Perbankan ...",   # optional, str
      "authors": ["Ivan Satria Basri"],                            # optional, list of str
      "year": 2019,                                                # optional, int 1000..2999
      "source": "Buletin Ekonomi Moneter dan Perbankan",           # optional, str (journal, URL, ...)
      "doi": "10.21098/bemp.v22i1.1",                              # optional, str (RIS/BibTeX imports)
      "keywords": ["intermediasi", "perbankan"],                   # optional, list of str (RIS/BibTeX)
      "imported_from": {                                           # how the text got here
        "file": "sinta_abstracts.jsonl", "format": "jsonl",        # txt | md | pdf | jsonl | csv
        "record": 17, "record_id": "sinta-1d67c6851d",             # bulk files: line/row, id field
        "pages": 12, "empty_pages": [3], "encoding": "cp1252"      # when they apply
      }
    }

Only ``format`` is required; absent fields were not given. Sidecars are written
before their document (so a document never exists without its sidecar), never
count as documents, and are deleted with their document.
"""

from __future__ import annotations

import json
import re

from ..errors import PipelineError

METADATA_SUFFIX = ".meta.json"
METADATA_FORMAT = "corpus-metadata/1"
METADATA_FIELDS = ("title", "authors", "year", "source")


def clean_metadata(given: dict, where: str) -> tuple[dict, list[str]]:
    """Validate and tidy user-given metadata; return it and warnings about dropped values.

    ``authors`` may be a list or a ``;``-separated string; ``year`` an int or a
    string holding a four-digit year.
    """
    out: dict = {}
    notes: list[str] = []
    title = given.get("title")
    if isinstance(title, str) and " ".join(title.split()):
        out["title"] = " ".join(title.split())
    authors = given.get("authors")
    if isinstance(authors, str):
        authors = re.split(r"\s*[;|]\s*", authors)
    if isinstance(authors, list):
        names = [" ".join(str(a).split()) for a in authors if isinstance(a, (str, int)) and str(a).strip()]
        if names:
            out["authors"] = list(dict.fromkeys(names))
    year = given.get("year")
    if year not in (None, ""):
        m = re.search(r"(?<!\d)(1\d{3}|2\d{3})(?!\d)", str(year))
        if m and not isinstance(year, bool):
            out["year"] = int(m.group(1))
        else:
            notes.append(f"{where}: year '{year}' is not a four-digit year; left out")
    src = given.get("source")
    if isinstance(src, str) and src.strip():
        out["source"] = " ".join(src.split())
    doi = given.get("doi")  # reference files (RIS, BibTeX): bare DOI, not its URL
    if isinstance(doi, str) and doi.strip():
        out["doi"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)
    keywords = given.get("keywords")
    if isinstance(keywords, list):
        words = [" ".join(str(k).split()) for k in keywords if isinstance(k, str) and k.strip()]
        if words:
            out["keywords"] = list(dict.fromkeys(words))
    return out, notes


def format_metadata(metadata: dict) -> bytes:
    """A sidecar's bytes: ``format`` first, then the fields, sorted keys, UTF-8, newline-terminated."""
    body = {"format": METADATA_FORMAT, **{k: v for k, v in sorted(metadata.items()) if k != "format"}}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def parse_metadata(raw: bytes, name: str) -> dict:
    """A sidecar's fields (without ``format``), checked.

    Raises
    ------
    PipelineError
        When it is not JSON, not version 1, or a field has the wrong type.
    """
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PipelineError(f"{name}: not a valid metadata sidecar ({exc.__class__.__name__}); "
                            "fix the JSON or delete the file") from None
    if not isinstance(data, dict) or data.get("format") != METADATA_FORMAT:
        raise PipelineError(f"{name}: not a metadata sidecar of format {METADATA_FORMAT}; fix or delete it")
    checks = {"title": str, "source": str, "authors": list, "year": int, "imported_from": dict,
              "doi": str, "keywords": list}
    for key, kind in checks.items():
        if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
            raise PipelineError(f"{name}: '{key}' must be a {kind.__name__}; fix or delete the file")
    if "authors" in data and not all(isinstance(a, str) for a in data["authors"]):
        raise PipelineError(f"{name}: 'authors' must be a list of strings; fix or delete the file")
    if "keywords" in data and not all(isinstance(k, str) for k in data["keywords"]):
        raise PipelineError(f"{name}: 'keywords' must be a list of strings; fix or delete the file")
    return {k: v for k, v in data.items() if k != "format"}

