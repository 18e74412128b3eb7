"""Bilingual Indonesian/English text-mining pipeline.

Stages run in one direction, each reading the JSON artifacts of the one before:
corpus file -> ingest -> separate -> normalize -> keywords -> topics -> report.
"""

__version__ = "0.3.5"
