"""The corpus: a folder of text documents, their metadata sidecars, and adding to it.

- :mod:`~pipeline.corpus.documents`: :class:`Corpus` (listing, ids, adding,
  removing) and :class:`Document`;
- :mod:`~pipeline.corpus.importers`: what can be added (txt, md, pdf, jsonl,
  csv/tsv) and how each input becomes documents;
- :mod:`~pipeline.corpus.sidecars`: the ``<id>.meta.json`` metadata of a document;
- :mod:`~pipeline.corpus.duplicates`: exact and near-duplicate detection.
"""

from .documents import Corpus, Document, slugify
from .duplicates import (DUPLICATE_CACHE_NAME, NEAR_DUPLICATE_JACCARD, SHINGLE_SIZE, DuplicateIndex, DuplicateMatch,
                         content_key, content_words, guess_title, normalized_title, shingles)
from .importers import (ADDABLE_SUFFIXES, BULK_SUFFIXES, DOCUMENT_SUFFIXES, AddResult, BulkFields, NewDocument,
                        expand_paths, read_bulk, read_file)
from .sidecars import METADATA_FIELDS, METADATA_FORMAT, METADATA_SUFFIX, clean_metadata, format_metadata, parse_metadata

__all__ = [
    "ADDABLE_SUFFIXES", "BULK_SUFFIXES", "DOCUMENT_SUFFIXES", "DUPLICATE_CACHE_NAME", "METADATA_FIELDS",
    "METADATA_FORMAT", "METADATA_SUFFIX", "NEAR_DUPLICATE_JACCARD", "SHINGLE_SIZE",
    "AddResult", "BulkFields", "Corpus", "Document", "DuplicateIndex", "DuplicateMatch", "NewDocument",
    "clean_metadata", "content_key", "content_words", "expand_paths", "format_metadata", "guess_title",
    "normalized_title", "parse_metadata", "read_bulk", "read_file", "shingles", "slugify",
]
