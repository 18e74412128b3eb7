"""Normalize: tokens, stopwords and stems (Indonesian) or lemmas (English) per section.

Reads
    ``separate/<doc_id>.json`` — sections with their language.
Writes
    ``normalize/<doc_id>.json`` — for every Indonesian or English section of the kinds
    configured: its paragraphs → sentences → tokens ``[surface, norm, tag, normalized,
    flags, upos]`` (tag ``w`` content word, ``s`` stopword, ``p`` punctuation, ``n`` number;
    ``normalized`` the lowercased, variant-merged word before stemming; ``flags`` a string
    of ``A`` acronym, ``P`` proper noun, ``R`` reduced reduplication, ``V`` variant
    spelling; ``upos`` the universal part of speech from the shipped tagger — see
    :mod:`pipeline.text.tokens`); and the author keywords of each language as
    normalised keys.
"""

from __future__ import annotations

from functools import lru_cache

from ..config import Param
from ..stage import LANGS, Read, Step
from ..text.stopwords import load_stopwords
from ..text.tokens import Normalizer

NAME = "normalize"
PARAMS = {
    "section_kinds": Param(["title", "abstract", "body"], "section kinds that are tokenised"),
    "academic_stopwords": Param(True, "also drop the academic-abstract words (penelitian, study, ...)"),
    "extra_stopwords_id": Param([], "extra Indonesian stopword files (one word a line)", files=True),
    "extra_stopwords_en": Param([], "extra English stopword files (one word a line)", files=True),
}


@lru_cache(maxsize=8)
def normalizer_for(lang: str, extra_files: tuple[str, ...], academic: bool) -> Normalizer:
    # One normalizer per language and setting for the whole run: spaCy and the stem
    # cache are built once, not per document.
    stopwords = load_stopwords(lang, extra_files=extra_files, include_academic=academic)
    return Normalizer(lang, stopwords=stopwords)


def run(doc_id: str, inputs, params: dict) -> dict:
    separated = inputs.one("separate")
    kinds = set(params["section_kinds"])
    sections = []
    for index, section in enumerate(separated["sections"]):
        lang = section["lang"]
        if lang not in LANGS or section["kind"] not in kinds:
            continue
        normalizer = normalizer_for(lang, tuple(params[f"extra_stopwords_{lang}"]),
                                    params["academic_stopwords"])
        sections.append({
            "section": index,
            "lang": lang,
            "kind": section["kind"],
            "paragraphs": normalizer.normalize(section["text"]),
        })
    author_keywords = {}
    for lang in LANGS:
        phrases = separated["keywords"].get(lang, [])
        if not phrases:
            # No normalizer (stopwords, spaCy) is built for a language the
            # document does not use: a fresh process pays only for what it needs.
            author_keywords[lang] = []
            continue
        normalizer = normalizer_for(lang, tuple(params[f"extra_stopwords_{lang}"]),
                                    params["academic_stopwords"])
        author_keywords[lang] = [
            # The phrase goes in whole: "kerja sama" must reach the variant merge as
            # two adjacent tokens (-> "kerjasama"), not as two separate items.
            {"phrase": phrase, "key": normalizer.normalize_tokens([phrase])[0]}
            for phrase in phrases
        ]
    return {"normalize": {"sections": sections, "author_keywords": author_keywords}}


# A short text in each language runs every part of a normalizer once: the spaCy
# tokenizer (building it imports spaCy, most of a fresh process's start-up), the
# stemmer or lemmatizer and the lexicons.
_PROBES = {"id": "Diplomasi ekonomi Indonesia di kawasan ASEAN.",
           "en": "Indonesia's economic diplomacy in the ASEAN region."}
# What ``prepare`` builds: spaCy and the Indonesian normalizer, which nearly every
# document of the corpora this pipeline is for needs. The English one (a tenth of a
# second more) is built by the first document that has English text, so a worker
# started for one Indonesian document does not wait for it.
PREPARED_LANGUAGES = ("id",)


def prepare(params: dict, store=None, languages: tuple[str, ...] = PREPARED_LANGUAGES) -> None:
    """Build the normalizers of :data:`PREPARED_LANGUAGES` (see :attr:`pipeline.stage.Step.prepare`)."""
    for lang in languages:
        normalizer_for(lang, tuple(params[f"extra_stopwords_{lang}"]),
                       params["academic_stopwords"]).normalize(_PROBES[lang])


def warm_up(params: dict, store=None) -> None:
    """Build every language's normalizer (see :attr:`pipeline.stage.Step.warm_up`)."""
    prepare(params, store, LANGS)


STEPS = (Step("normalize", NAME, "document", (Read("separate"),), ("normalize",), run, prepare=prepare,
              warm_up=warm_up),)
