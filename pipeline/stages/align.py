"""Align: each bilingual document's Indonesian and English terms paired, and the corpus glossary.

Steps
    ``glossary`` (once for the corpus) reads ``normalize/*.json`` and
    ``keywords/*.json`` and writes ``glossary/corpus.json``: concepts named in both
    languages, learnt from every document with text in both (see
    :mod:`pipeline.text.bilingual.glossary`), with the documents holding either
    side.  Refit rule (:mod:`pipeline.stages.refit`): the saved glossary is kept while
    its parameters are unchanged, no document it was fitted on changed or left, and
    the documents added since are at most ``refit_new_fraction`` of those; new
    documents are then aligned against it as it is.

    ``align`` (per document) reads ``normalize/<doc_id>.json``,
    ``keywords/<doc_id>.json`` and the glossary, and writes ``align/<doc_id>.json``:
    ``pairs`` (``{"id", "en", "score", "evidence", ...}`` best first) of the author
    keywords of both lines and the document's keyphrases, ``id_only`` and
    ``en_only`` for what has no counterpart (see :mod:`pipeline.text.bilingual.align`).
    A document with text in one language gets an artifact with ``bilingual`` false
    and no pairs.
"""

from __future__ import annotations

from functools import lru_cache

from ..config import Param
from ..stage import KEEP, Read, Step
from ..store import ArtifactRef
from ..errors import ArtifactError
from ..text.bilingual import Glossary, align_terms, load_dictionary, merge_terms
from ..text.stopwords import load_stopwords
from .refit import added_since_fit

NAME = "align"
PARAMS = {
    "keyphrases": Param(10, "keyphrases per document and language paired beside the author keywords",
                        minimum=0, maximum=200),
    "dictionary": Param(True, "use the shipped Indonesian-English dictionary (FreeDict) as evidence"),
    "refit_new_fraction": Param(0.1, "refit the glossary when documents added since its fit exceed this "
                                "share of the bilingual documents it was fitted on", minimum=0.0, maximum=10.0),
}


@lru_cache(maxsize=2)
def _stopwords(lang: str) -> frozenset:
    # function words only: "hasil" (result) and "study" are words of keywords
    return frozenset(w.lower() for w in load_stopwords(lang, include_academic=False, content_exceptions=True))


def _dictionary(params: dict):
    return load_dictionary() if params["dictionary"] else None


def document_terms(normalized: dict, keywords: dict | None, n_keyphrases: int) -> dict:
    """``{lang: [Term, ...]}`` of one document: its author keywords and top keyphrases."""
    author = normalized.get("author_keywords", {})
    ranked = (keywords or {}).get("keywords", {})
    return {lang: merge_terms(author.get(lang, []), ranked.get(lang, [])[:n_keyphrases])
            for lang in ("id", "en")}


def is_bilingual(normalized: dict) -> bool:
    """Whether a document has text or an author keyword line in both languages."""
    langs = {s["lang"] for s in normalized.get("sections", ())}
    langs |= {lang for lang, items in normalized.get("author_keywords", {}).items() if items}
    return {"id", "en"} <= langs


def _align(doc_id: str, terms: dict, params: dict, glossary=None) -> dict:
    return align_terms(terms["id"], terms["en"], id_stopwords=_stopwords("id"), en_stopwords=_stopwords("en"),
                       dictionary=_dictionary(params), glossary=glossary, doc_id=doc_id)


def fit_glossary(key: str, inputs, params: dict) -> dict:
    normalized = inputs.all("normalize", cached=False)
    keywords = inputs.all("keywords", cached=False)
    current = {doc: inputs.payload_hash("keywords", doc) for doc in keywords}
    previous_ref = ArtifactRef("glossary", "corpus")
    if not inputs.options.refit and inputs.store.exists(previous_ref):
        try:
            previous = inputs.store.read_fields(previous_ref, ("fitted_on",))
        except (ArtifactError, ValueError):
            previous = None
        if previous is not None and added_since_fit(previous.get("fitted_on"), previous["header"]["params_hash"],
                                                    params, current) is not None:
            return {"glossary": KEEP}

    def documents():
        for doc in sorted(keywords):
            artifact = normalized[doc] if doc in normalized else None
            if artifact is None or not is_bilingual(artifact):
                continue
            terms = document_terms(artifact, keywords[doc], params["keyphrases"])
            yield doc, terms["id"], terms["en"]

    glossary = Glossary().fit(documents(), id_stopwords=_stopwords("id"), en_stopwords=_stopwords("en"),
                              dictionary=_dictionary(params))
    return {"glossary": {"fitted_on": dict(sorted(current.items())), **glossary.to_dict()}}


@lru_cache(maxsize=4)
def _load_glossary(store, sha: str) -> Glossary:
    # one parse per saved glossary (keyed on its payload hash), not one per document
    return Glossary.from_dict(store.read(ArtifactRef("glossary", "corpus")))


def prepare_align(params: dict, store) -> None:
    """Warm the dictionary and the saved glossary for the documents to come."""
    _dictionary(params)
    ref = ArtifactRef("glossary", "corpus")
    try:
        if store.exists(ref):
            _load_glossary(store, store.content_sha256(ref))
    except ArtifactError:
        pass


def align_document(doc_id: str, inputs, params: dict) -> dict:
    normalized = inputs.one("normalize")
    if not is_bilingual(normalized):
        return {"align": {"bilingual": False, "pairs": [], "id_only": [], "en_only": []}}
    keywords = inputs.one("keywords")
    glossary = None
    if inputs.store.exists(ArtifactRef("glossary", "corpus")):
        glossary = _load_glossary(inputs.store, inputs.payload_hash("glossary", "corpus"))
    terms = document_terms(normalized, keywords, params["keyphrases"])
    return {"align": {"bilingual": True, **_align(doc_id, terms, params, glossary)}}


STEPS = (
    Step("glossary", NAME, "corpus", (Read("normalize", "all"), Read("keywords", "all")), ("glossary",),
         fit_glossary, fits_model=True),
    Step("align", NAME, "document", (Read("normalize"), Read("keywords"), Read("glossary", "corpus")),
         ("align",), align_document, prepare=prepare_align),
)
