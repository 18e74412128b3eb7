"""Keywords: ranked keyphrases per document and language, and across the corpus.

Steps
    ``keyphrase_model`` (per language) reads ``normalize/*.json`` and writes
    ``models/<lang>/keyphrase_model.json``: the scorer chosen by ``method`` with
    the corpus statistics it needs (document frequencies), saved so a new
    document can be scored without refitting. Refit rule: the saved model is
    kept as it is (same payload, so no document's keywords go stale) while its
    parameters are unchanged, no document it was fitted on changed or left, and
    the documents added since make up at most ``refit_new_fraction`` of those it
    was fitted on; otherwise, or with ``run --refit``, it is refitted.

    ``keywords`` (per document) reads ``normalize/<doc_id>.json``,
    ``separate/<doc_id>.json`` (to map paragraphs to ingest block ids) and the
    models, and writes ``keywords/<doc_id>.json``: ``keywords`` as ``{lang:
    [{phrase, key, score, count, first, occurrences, blocks}]}`` best first, and
    where the author gave keywords, the rank at which each was found. Author
    keyword sections are never scored (normalize does not tokenise them). Each
    language is ranked with the document's text in the other language beside it:
    a term written the same way in both was kept untranslated (the extractor's
    ``echo_weight``).

    ``corpus_keywords`` (per language) reads ``keywords/*.json`` and writes
    ``corpus_keywords/<lang>.json``: the collection's themes (concepts with their
    variants and nested forms merged, ranked by how many documents carry them and
    how central they are there; see :mod:`pipeline.text.themes`) with their
    documents, and what each document contributed, so that adding a document
    reads only its own keywords.

Methods (``[keywords] method``): ``"ours"`` (:class:`pipeline.text.keyphrases.KeyphraseExtractor`),
and the baselines ``"yake"`` and ``"tfidf"`` (:mod:`pipeline.text.keyphrases.baselines`).
"""

from __future__ import annotations

from functools import lru_cache

from ..config import Param
from ..errors import ArtifactError
from .refit import added_since_fit
from ..stage import KEEP, LANGS, Read, Step
from ..store import ArtifactRef
from ..text.keyphrases import METHODS, make_scorer, scorer_from_dict
from ..text.themes import document_contributions, rank_corpus_keywords

NAME = "keywords"
PARAMS = {
    "method": Param("ours", "keyphrase scorer: ours, or the baselines yake / tfidf",
                    choices=tuple(METHODS)),
    "top_n": Param(10, "keyphrases kept per document and language", minimum=1, maximum=200),
    "max_words": Param(4, "longest keyphrase in words", minimum=1, maximum=6),
    "redundancy": Param("concept", "how overlapping phrases are kept out of the top N (method ours): "
                        "concept keeps one entry per concept",
                        choices=("none", "duplicate", "subphrase", "dependent", "overlap", "concept")),
    "corpus_top_n": Param(100, "corpus keywords kept per language", minimum=1, maximum=10000),
    "refit_new_fraction": Param(0.1, "refit the keyword model when documents added since its fit exceed "
                                "this share of those it was fitted on", minimum=0.0, maximum=10.0),
}


def document_sections(normalized: dict, lang: str) -> list[tuple[str, list]]:
    """A document's sections of one language as ``(kind, paragraphs)`` pairs, in order."""
    return [(s["kind"], s["paragraphs"]) for s in normalized["sections"] if s["lang"] == lang]


def paragraph_blocks(normalized: dict, separated: dict, lang: str) -> list[int | None]:
    """Ingest block id of each paragraph of ``document_sections(normalized, lang)``, in order.

    A normalized section carries ``section`` (index into the separate artifact's
    sections), whose ``blocks`` are the block ids of its paragraphs in order.
    """
    sep_sections = (separated or {}).get("sections", [])
    out: list[int | None] = []
    for section in normalized["sections"]:
        if section["lang"] != lang:
            continue
        index = section.get("section")
        blocks = sep_sections[index].get("blocks", []) if isinstance(index, int) and 0 <= index < len(sep_sections) else []
        for p_index in range(len(section["paragraphs"])):
            out.append(blocks[p_index] if p_index < len(blocks) else None)
    return out


def make_extractor(lang: str, params: dict):
    return make_scorer(params["method"], lang, max_words=params["max_words"], top_n=params["top_n"],
                       redundancy=params["redundancy"])


def _model_is_kept(inputs, lang: str, params: dict, current: dict[str, str]) -> bool:
    """Whether the refit rule keeps the saved model (see the module docstring)."""
    ref = ArtifactRef("keyphrase_model", lang)
    if inputs.options.refit or not inputs.store.exists(ref):
        return False
    try:
        # Only the bookkeeping written before the model's tables is parsed.
        previous = inputs.store.read_fields(ref, ("fitted_on",))
    except (ArtifactError, ValueError):
        return False
    return added_since_fit(previous.get("fitted_on"), previous["header"]["params_hash"], params,
                           current) is not None


def fit_model(lang: str, inputs, params: dict) -> dict:
    normalized = inputs.all("normalize", cached=False)  # streamed once: not kept
    # Payload hashes of the documents the model is fitted on, to tell later which changed.
    current = {doc: inputs.payload_hash("normalize", doc) for doc in normalized}
    if _model_is_kept(inputs, lang, params, current):
        return {"keyphrase_model": KEEP}
    # Each document's author keywords teach the scorer which phrases authors choose
    # ("keyphraseness"); a document's own are left out when it is ranked. Documents are
    # streamed to the fit (one parsed artifact at a time), with their keywords beside.
    labels: list = []

    def documents():
        for doc in sorted(normalized):
            artifact = normalized[doc]
            sections = document_sections(artifact, lang)
            if sections:
                labels.append(artifact.get("author_keywords", {}).get(lang, []))
                yield sections

    extractor = make_extractor(lang, params).fit(documents(), labels)
    return {"keyphrase_model": {"n_documents": len(labels), "method": params["method"],
                                "fitted_on": dict(sorted(current.items())), "model": extractor.to_dict()}}


@lru_cache(maxsize=4)
def _load_extractor(store, lang: str, model_sha: str):
    # Rebuilt once per saved model, not once per document (the df table is large);
    # keyed on the payload's sha256, so a refitted model is never served from the cache.
    return scorer_from_dict(store.read(ArtifactRef("keyphrase_model", lang))["model"])


def prepare_extract(params: dict, store) -> None:
    """Load the saved keyphrase models (see :attr:`pipeline.stage.Step.prepare`): kept
    unless refitted, they are what the documents to come are scored with."""
    for lang in LANGS:
        ref = ArtifactRef("keyphrase_model", lang)
        try:
            if store.exists(ref):
                _load_extractor(store, lang, store.content_sha256(ref))
        except ArtifactError:
            pass  # damaged: the keyphrase step refits it, and the step reads that


def extract(doc_id: str, inputs, params: dict) -> dict:
    normalized = inputs.one("normalize")
    separated = inputs.one("separate")
    keywords, author = {}, {}
    for lang in LANGS:
        sections = document_sections(normalized, lang)
        ranked = []
        ref = ArtifactRef("keyphrase_model", lang)
        if sections and inputs.store.exists(ref):
            extractor = _load_extractor(inputs.store, lang, inputs.payload_hash("keyphrase_model", lang))
            # the document in its other language: a term written the same way in both is
            # one the author kept untranslated (the extractor's echo)
            other = [s for other_lang in LANGS if other_lang != lang
                     for s in document_sections(normalized, other_lang)]
            ranked = extractor.extract(None, sections=sections, other=other or None)
        blocks_of = paragraph_blocks(normalized, separated, lang)
        for kw in ranked:
            paragraphs = kw.pop("paragraphs", [])
            kw["blocks"] = sorted({blocks_of[p] for p in paragraphs
                                   if 0 <= p < len(blocks_of) and blocks_of[p] is not None})
        keywords[lang] = ranked
        # keys compared case-folded: extracted keys are case-folded for identity
        ranks: dict[str, int] = {}
        for i, kw in enumerate(ranked, 1):
            ranks.setdefault(kw["key"].lower(), i)
        author[lang] = [{"phrase": ak["phrase"], "key": ak["key"], "rank": ranks.get(ak["key"].lower())}
                        for ak in normalized.get("author_keywords", {}).get(lang, [])]
    return {"keywords": {"keywords": keywords, "author_keywords": author}}


def aggregate(lang: str, inputs, params: dict) -> dict:
    # Documents whose keywords are unchanged since the last aggregate give what they gave
    # then (kept in the artifact): adding one document reads one keywords artifact.
    previous = inputs.previous("corpus_keywords")
    seen = previous["header"]["inputs"] if previous and "contributions" in previous else {}
    kept = previous.get("contributions", {}) if seen else {}
    keyword_artifacts = inputs.all("keywords")
    contributions = {}
    for doc_id in keyword_artifacts:
        name = ArtifactRef("keywords", doc_id).name
        if name in seen and seen[name] == inputs.payload_hash("keywords", doc_id):
            # Unchanged: what it gave then (nothing, if it had no keywords in this language).
            if doc_id in kept:
                contributions[doc_id] = kept[doc_id]
            continue
        items = keyword_artifacts[doc_id]["keywords"].get(lang, [])
        if items:
            contributions[doc_id] = document_contributions(items, lang)
    contributions = {d: c for d, c in sorted(contributions.items()) if c}
    return {"corpus_keywords": {"n_documents": len(contributions),
                                "keywords": rank_corpus_keywords(contributions, params["corpus_top_n"]),
                                "contributions": contributions}}


STEPS = (
    Step("keyphrase_model", NAME, "language", (Read("normalize", "all"),), ("keyphrase_model",), fit_model,
         fits_model=True),
    Step("keywords", NAME, "document", (Read("normalize"), Read("separate"), Read("keyphrase_model", "langs")),
         ("keywords",), extract, prepare=prepare_extract),
    Step("corpus_keywords", NAME, "language", (Read("keywords", "all"),), ("corpus_keywords",), aggregate),
)
