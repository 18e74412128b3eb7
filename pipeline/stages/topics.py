"""Topics: one topic model per language, and the topics of every document.

Reads
    ``normalize/*.json`` — the tokens of every document's sections in this language;
    ``keywords/*.json`` — per-document keyphrases, to describe topics by phrases too.
Writes
    ``models/<lang>/topic_model.json`` — the fitted model (vocabulary, idf, topic-term
    matrix), reloaded to place new documents without refitting;
    ``topics/<lang>.json`` — ``topics`` (id, label, terms in readable form, top phrases,
    representative documents), ``documents`` (doc id → topics and weights), the chosen
    k and the scores of every k tried.

Refit rule: the saved model is reused (new documents are only placed) when its
parameters are unchanged, no document it was fitted on changed or left, the documents
added since make up at most ``refit_new_fraction`` of those it was fitted on, and at
most ``refit_unknown_share`` of their words are unknown to the model. Otherwise, or
with ``run --refit``, it is refitted.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from ..artifacts import ArtifactRef, params_hash
from ..config import Param
from ..errors import ArtifactError
from ..stage import Read, Step
from ..topicmodel import TopicModel

NAME = "topics"
PARAMS = {
    "method": Param("nmf", "topic model: NMF on TF-IDF or LDA on counts", choices=("nmf", "lda")),
    "k_min": Param(2, "fewest topics tried", minimum=1, maximum=100),
    "k_max": Param(10, "most topics tried", minimum=1, maximum=200),
    "top_terms": Param(10, "terms shown and scored per topic", minimum=3, maximum=50),
    "relevance_lambda": Param(0.6, "rank topic terms by weight (1.0) or also by exclusivity (lower)", minimum=0.0, maximum=1.0),
    "stability_seeds": Param(2, "extra random fits per k to measure stability", minimum=0, maximum=10),
    "random_state": Param(0, "seed of every random choice", minimum=0),
    "section_kinds": Param(["abstract", "body"], "section kinds a document's topics are drawn from"),
    "document_units_from": Param(30, "with at least this many documents, units are documents; below, paragraphs", minimum=1),
    "min_units": Param(8, "below this many units there is too little text for topics", minimum=2),
    "min_unit_tokens": Param(8, "paragraph units shorter than this many content tokens are merged with the next", minimum=1),
    "max_unit_tokens": Param(40, "paragraphs longer than this many content tokens are cut into several units at sentence ends", minimum=5),
    "min_topic_weight": Param(0.1, "topics below this share of a document are not listed for it", minimum=0.0, maximum=1.0),
    "refit_new_fraction": Param(0.25, "refit when documents added since the last fit exceed this share", minimum=0.0, maximum=10.0),
    "refit_unknown_share": Param(0.5, "refit when the words of the added documents unknown to the model exceed this share", minimum=0.0, maximum=1.0),
}


def _content_tokens(paragraph: list) -> list[str]:
    # Content words only, and no one- or two-letter debris unless an acronym.
    return [tok[1] for sent in paragraph for tok in sent
            if tok[2] == "w" and (len(tok[1]) >= 3 or tok[1].isupper())]


def collect_units(normalized: dict[str, dict], lang: str, kinds: set[str], min_tokens: int,
                  max_tokens: int):
    """Small units of one language per document, and readable forms of every norm.

    A unit is a run of consecutive sentences of one paragraph holding ``min_tokens``
    to about ``max_tokens`` content tokens: a long abstract paragraph gives several
    units, a short paragraph is merged into the next one of the same document.

    Returns
    -------
    units : dict doc_id -> list of token lists
    surfaces : dict norm -> Counter of surface forms
    """
    paragraphs: dict[str, list[list[str]]] = {}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for doc_id in sorted(normalized):
        units, pending = [], []
        for section in normalized[doc_id]["sections"]:
            if section["lang"] != lang or section["kind"] not in kinds:
                continue
            for paragraph in section["paragraphs"]:
                for sent in paragraph:
                    # Tokens are [surface, norm, tag, normalized, flags]; older artifacts stop at tag.
                    for surface, norm, tag, *_ in sent:
                        if tag == "w":
                            surfaces[norm][surface if surface.isupper() else surface.lower()] += 1
                    pending.extend(_content_tokens([sent]))
                    if len(pending) >= max_tokens:
                        units.append(pending)
                        pending = []
                if len(pending) >= min_tokens:
                    units.append(pending)
                    pending = []
        if pending:
            if units:
                units[-1].extend(pending)
            else:
                units.append(pending)
        if units:
            paragraphs[doc_id] = units
    return paragraphs, surfaces


def readable(norm: str, surfaces: dict[str, Counter]) -> str:
    """The most frequent surface form of a norm (ties: alphabetical)."""
    forms = surfaces.get(norm)
    if not forms:
        return norm
    return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _previous_model(inputs, lang: str) -> dict | None:
    ref = ArtifactRef("topic_model", lang)
    if not inputs.store.exists(ref):
        return None
    try:
        return inputs.store.read(ref)
    except ArtifactError:
        return None


def unknown_share(tokens: list[str], vocabulary: set[str]) -> float:
    """Share of a document's content tokens that a fitted model does not know."""
    return sum(1 for t in tokens if t not in vocabulary) / len(tokens) if tokens else 0.0


def _can_reuse(previous: dict | None, params: dict, fitted_hashes: dict[str, str],
               units_by_doc: dict) -> bool:
    if previous is None or previous.get("model") is None:
        return False
    if previous["header"]["params_hash"] != params_hash(params):
        return False
    old = previous["fitted_on"]
    if any(fitted_hashes.get(doc) != sha for doc, sha in old.items()):
        return False
    added = [d for d in units_by_doc if d not in old]
    if len(added) > params["refit_new_fraction"] * max(len(old), 1):
        return False
    vocabulary = set(previous["model"]["vocabulary"])
    new_tokens = [tok for d in added for unit in units_by_doc[d] for tok in unit]
    return unknown_share(new_tokens, vocabulary) <= params["refit_unknown_share"]


def run(lang: str, inputs, params: dict) -> dict:
    normalized = inputs.all("normalize")
    paragraphs, surfaces = collect_units(normalized, lang, set(params["section_kinds"]),
                                         params["min_unit_tokens"], params["max_unit_tokens"])
    use_documents = len(paragraphs) >= params["document_units_from"]
    unit_docs, units = [], []
    for doc_id, doc_units in paragraphs.items():
        if use_documents:
            unit_docs.append(doc_id)
            units.append([tok for unit in doc_units for tok in unit])
        else:
            for unit in doc_units:
                unit_docs.append(doc_id)
                units.append(unit)
    unit_kind = "documents" if use_documents else "passages"
    base = {"language": lang, "unit": unit_kind, "n_units": len(units), "n_documents": len(paragraphs)}

    if len(units) < params["min_units"]:
        message = (f"too little {lang} text for topics: {len(units)} {unit_kind} "
                   f"(at least {params['min_units']} needed)")
        return {
            "topic_model": {"status": "too_little_text", "message": message, "fitted_on": {}, "model": None},
            "topics": {**base, "status": "too_little_text", "message": message, "k": 0,
                       "candidates": [], "topics": [], "documents": {}},
        }

    hashes = {doc: inputs.store.sha256(ArtifactRef("normalize", doc)) for doc in paragraphs}
    previous = None if inputs.options.get("refit") else _previous_model(inputs, lang)
    if _can_reuse(previous, params, hashes, paragraphs):
        model = TopicModel.from_dict(previous["model"])
        fitted_on = previous["fitted_on"]
        refit = False
    else:
        model = TopicModel(method=params["method"], k_min=params["k_min"],
                           k_max=max(params["k_max"], params["k_min"]),
                           top_terms=params["top_terms"], relevance_lambda=params["relevance_lambda"],
                           stability_seeds=params["stability_seeds"],
                           random_state=params["random_state"]).fit(units)
        fitted_on = hashes
        refit = True

    # Every document is placed by the saved model, fitted or not, so the two paths agree.
    weights = model.transform(units)
    per_doc: dict[str, np.ndarray] = {}
    for doc_id, row in zip(unit_docs, weights):
        per_doc[doc_id] = per_doc.get(doc_id, 0) + row
    documents = {}
    doc_topic = {}
    vocabulary = set(model.vocabulary_)
    document_stats = {
        doc_id: {"fitted": doc_id in fitted_on,
                 "unknown_share": round(unknown_share([t for u in paragraphs[doc_id] for t in u], vocabulary), 4)}
        for doc_id in sorted(paragraphs)}
    for doc_id in sorted(per_doc):
        row = np.asarray(per_doc[doc_id], dtype=float)
        total = row.sum()
        share = row / total if total > 0 else row
        doc_topic[doc_id] = share
        order = np.argsort(-share, kind="stable")
        documents[doc_id] = [{"topic": int(t), "weight": round(float(share[t]), 4)}
                             for t in order if share[t] >= params["min_topic_weight"]]

    keyword_artifacts = inputs.all("keywords")
    topics = []
    components = np.asarray(model.components_)
    for t in range(model.n_components_):
        terms = [{"term": readable(norm, surfaces), "stem": norm, "weight": round(w, 6)}
                 for norm, w in model.top_terms_of(t, params["top_terms"])]
        representative = sorted(doc_topic, key=lambda d: (-doc_topic[d][t], d))[:5]
        topics.append({
            "id": t,
            "label": " / ".join(term["term"] for term in terms[:3]),
            "terms": terms,
            "phrases": _topic_phrases(components[t], model.vocabulary_, keyword_artifacts, lang),
            "documents": [{"doc_id": d, "weight": round(float(doc_topic[d][t]), 4)}
                          for d in representative if doc_topic[d][t] >= 0.01],
        })
    fitted_on = dict(sorted(fitted_on.items()))
    model_payload = {"status": "fitted", "message": "", "fitted_on": fitted_on,
                     "corpus_hash": params_hash(fitted_on), "model": model.to_dict()}
    return {
        "topic_model": model_payload,
        "topics": {**base, "status": "fitted" if refit else "placed_with_saved_model",
                   "message": "", "k": int(model.n_components_), "candidates": model.candidates_,
                   "topics": topics, "documents": documents, "document_stats": document_stats},
    }


def _topic_phrases(row: np.ndarray, vocabulary: list[str], keyword_artifacts: dict, lang: str,
                   n: int = 5) -> list[str]:
    """Keyphrases of the corpus that weigh most in a topic (mean weight of their stems)."""
    index = {term: i for i, term in enumerate(vocabulary)}
    scores: dict[str, float] = {}
    surface: dict[str, str] = {}
    for doc_id in sorted(keyword_artifacts):
        for kw in keyword_artifacts[doc_id]["keywords"].get(lang, []):
            parts = kw.get("key", "").split()
            if not parts or kw["key"] in scores:
                continue
            score = sum(row[index[p]] for p in parts if p in index) / len(parts)
            if score > 0:
                scores[kw["key"]] = score
                surface[kw["key"]] = kw["phrase"]
    best = sorted(scores, key=lambda k: (-scores[k], k))[:n]
    return [surface[k] for k in best]


STEPS = (Step("topics", NAME, "language", (Read("normalize", "all"), Read("keywords", "all")),
              ("topic_model", "topics"), run),)
