"""Keywords: ranked keyphrases per document and language, and across the corpus.

Steps
    ``keyphrase_model`` (per language) reads ``normalize/*.json`` and writes
    ``models/<lang>/keyphrase_model.json``: the corpus document frequencies the
    scoring needs, saved so a new document can be scored without refitting.

    ``keywords`` (per document) reads ``normalize/<doc_id>.json`` and the models and
    writes ``keywords/<doc_id>.json``: ``keywords`` as ``{lang: [{phrase, key, score,
    count, first, occurrences}]}`` best first, and where the author gave keywords,
    the rank at which each was found.

    ``corpus_keywords`` (per language) reads ``keywords/*.json`` and writes
    ``corpus_keywords/<lang>.json``: keywords with their document frequency and documents.
"""

from __future__ import annotations

from functools import lru_cache

from ..artifacts import ArtifactRef
from ..config import Param
from ..stage import LANGS, Read, Step
from ..text.phrases import KeyphraseExtractor, corpus_keywords

NAME = "keywords"
PARAMS = {
    "top_n": Param(10, "keyphrases kept per document and language", minimum=1, maximum=200),
    "max_words": Param(3, "longest keyphrase in words", minimum=1, maximum=6),
    "redundancy": Param("dependent", "how overlapping phrases are kept out of the top N",
                        choices=("none", "duplicate", "subphrase", "dependent")),
    "corpus_top_n": Param(100, "corpus keywords kept per language", minimum=1, maximum=10000),
}


def document_sections(normalized: dict, lang: str) -> list[tuple[str, list]]:
    """A document's sections of one language as ``(kind, paragraphs)`` pairs, in order."""
    return [(s["kind"], s["paragraphs"]) for s in normalized["sections"] if s["lang"] == lang]


def make_extractor(lang: str, params: dict) -> KeyphraseExtractor:
    return KeyphraseExtractor(lang=lang, max_words=params["max_words"], top_n=params["top_n"],
                              redundancy=params["redundancy"])


def fit_model(lang: str, inputs, params: dict) -> dict:
    docs = [document_sections(art, lang) for _, art in sorted(inputs.all("normalize").items())]
    docs = [d for d in docs if d]
    extractor = make_extractor(lang, params).fit(docs)
    return {"keyphrase_model": {"n_documents": len(docs), "model": extractor.to_dict()}}


@lru_cache(maxsize=4)
def _load_extractor(store, lang: str, model_sha: str) -> KeyphraseExtractor:
    # Rebuilt once per saved model, not once per document (the df table is large);
    # keyed on the file's sha256, so a refitted model is never served from the cache.
    return KeyphraseExtractor.from_dict(store.read(ArtifactRef("keyphrase_model", lang))["model"])


def extract(doc_id: str, inputs, params: dict) -> dict:
    normalized = inputs.one("normalize")
    keywords, author = {}, {}
    for lang in LANGS:
        sections = document_sections(normalized, lang)
        ranked = []
        ref = ArtifactRef("keyphrase_model", lang)
        if sections and inputs.store.exists(ref):
            extractor = _load_extractor(inputs.store, lang, inputs.store.sha256(ref))
            ranked = extractor.extract(None, sections=sections)
        keywords[lang] = ranked
        ranks = {kw["key"]: i for i, kw in enumerate(ranked, 1)}
        author[lang] = [{"phrase": ak["phrase"], "key": ak["key"], "rank": ranks.get(ak["key"])}
                        for ak in normalized.get("author_keywords", {}).get(lang, [])]
    return {"keywords": {"keywords": keywords, "author_keywords": author}}


def aggregate(lang: str, inputs, params: dict) -> dict:
    per_doc = {doc_id: art["keywords"].get(lang, []) for doc_id, art in inputs.all("keywords").items()}
    ranked = corpus_keywords({d: k for d, k in per_doc.items() if k}, top_n=params["corpus_top_n"])
    return {"corpus_keywords": {"n_documents": sum(1 for k in per_doc.values() if k), "keywords": ranked}}


STEPS = (
    Step("keyphrase_model", NAME, "language", (Read("normalize", "all"),), ("keyphrase_model",), fit_model),
    Step("keywords", NAME, "document", (Read("normalize"), Read("keyphrase_model", "langs")),
         ("keywords",), extract),
    Step("corpus_keywords", NAME, "language", (Read("keywords", "all"),), ("corpus_keywords",), aggregate),
)
