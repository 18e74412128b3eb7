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

Scale: a corpus of more than ``search_units`` units chooses k on a seeded sample of
that many (then fits the chosen k once on all), so the cost of the k search does not
grow with the corpus; documents are read once, past the run's artifact cache, and
placed in batches.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from sys import intern

from ..config import Param
from .refit import added_since_fit
from ..stage import KEEP, Read, Step
from ..store import params_hash

NAME = "topics"
PARAMS = {
    "method": Param("nmf", "topic model: NMF on TF-IDF or LDA on counts", choices=("nmf", "lda")),
    "k_min": Param(2, "fewest topics tried", minimum=1, maximum=100),
    "k_max": Param(10, "most topics tried", minimum=1, maximum=200),
    "top_terms": Param(10, "terms shown and scored per topic", minimum=3, maximum=50),
    "relevance_lambda": Param(0.6, "rank topic terms by weight (1.0) or also by exclusivity (lower)", minimum=0.0, maximum=1.0),
    "stability_seeds": Param(2, "extra random fits per k to measure stability", minimum=0, maximum=10),
    "random_state": Param(0, "seed of every random choice", minimum=0),
    "search_units": Param(4000, "choose k on a seeded sample of at most this many units, then fit on all (0: on all)", minimum=0),
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
    # Interned: a corpus repeats the same stems millions of times; one string each
    # keeps the units of a large corpus small.
    return [intern(tok[1]) for sent in paragraph for tok in sent
            if tok[2] == "w" and (len(tok[1]) >= 3 or tok[1].isupper())]


def document_units(artifact: dict, lang: str, kinds: set[str], min_tokens: int, max_tokens: int,
                   surfaces: dict[str, Counter] | None = None) -> list[list[str]]:
    """One document's units of one language (see :func:`collect_units`).

    ``surfaces``, when given, gathers the surface forms of every norm met.
    """
    units, pending = [], []
    for section in artifact["sections"]:
        if section["lang"] != lang or section["kind"] not in kinds:
            continue
        for paragraph in section["paragraphs"]:
            for sent in paragraph:
                if surfaces is not None:
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
    return units


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
        units = document_units(normalized[doc_id], lang, kinds, min_tokens, max_tokens, surfaces)
        if units:
            paragraphs[doc_id] = units
    return paragraphs, surfaces


def readable(norm: str, surfaces: dict[str, Counter]) -> str:
    """The most frequent surface form of a norm (ties: alphabetical)."""
    forms = surfaces.get(norm)
    if not forms:
        return norm
    return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _model_id(model_payload: dict) -> str:
    # Identifies the model that placed the documents of a topics artifact.
    return params_hash({k: model_payload.get(k) for k in ("fitted_on", "model", "topics")})


def _can_reuse(previous: dict | None, params: dict, current: dict[str, str], stats: dict[str, dict],
               unit_kind: str) -> bool:
    """The refit rule (see the module docstring); ``stats`` are the placed documents'."""
    if previous is None or previous.get("model") is None or "topics" not in previous:
        return False
    if previous.get("unit") != unit_kind:
        return False
    added = added_since_fit(previous["fitted_on"], previous["header"]["params_hash"], params, current, stats)
    if added is None:
        return False
    tokens = sum(stats[d]["n_tokens"] for d in added)
    unknown = sum(stats[d]["n_unknown"] for d in added)
    return (unknown / tokens if tokens else 0.0) <= params["refit_unknown_share"]


def _place_all(model, documents: list[tuple[list[list[str]], bool]], vocabulary: set[str],
               batch_units: int = 2048) -> list[dict]:
    """Each document's placement: topic shares (rounded, so that every path agrees) and word counts.

    ``documents`` are (units, fitted on them) pairs; their units are placed in batches.

    The model places every unit on its own (a unit's weights are the same bits alone or
    in any batch), so this equals placing the documents one at a time, without a call
    per document.
    """
    import numpy as np

    placed = []
    start = 0
    while start < len(documents):
        # Whole documents per batch, about ``batch_units`` units each.
        stop, n_units = start, 0
        while stop < len(documents) and (n_units == 0 or n_units + len(documents[stop][0]) <= batch_units):
            n_units += len(documents[stop][0])
            stop += 1
        batch = documents[start:stop]
        rows = np.asarray(model.transform([u for units, _ in batch for u in units]), dtype=float)
        at = 0
        for units, fitted in batch:
            total_row = rows[at:at + len(units)].sum(axis=0)
            at += len(units)
            total = total_row.sum()
            share = total_row / total if total > 0 else total_row
            tokens = [t for unit in units for t in unit]
            n_unknown = sum(1 for t in tokens if t not in vocabulary)
            placed.append({"fitted": fitted, "unknown_share": round(n_unknown / len(tokens), 4) if tokens else 0.0,
                           "n_tokens": len(tokens), "n_unknown": n_unknown, "n_units": len(units),
                           "shares": [round(float(x), 6) for x in share]})
        start = stop
    return placed


def _describe(model, surfaces: dict[str, Counter], keyword_artifacts, lang: str,
              params: dict) -> list[dict]:
    """Each topic's label, readable terms and phrases, fixed when the model is fitted."""
    import numpy as np

    components = np.asarray(model.components_)
    phrases = _corpus_phrases(model.vocabulary_, keyword_artifacts, lang)
    described = []
    for t in range(model.n_components_):
        terms = [{"term": readable(norm, surfaces), "stem": norm, "weight": round(w, 6)}
                 for norm, w in model.top_terms_of(t, params["top_terms"])]
        described.append({
            "id": t,
            "label": " / ".join(term["term"] for term in terms[:3]),
            "terms": terms,
            "phrases": _topic_phrases(components[t], phrases),
        })
    return described


def run(lang: str, inputs, params: dict) -> dict:
    # Imported here: a run with nothing to do for topics does not load numpy.
    from ..text.topicmodel import TopicModel

    # Each document is read once here (the other language runs in another process):
    # not kept in the run's cache.
    normalized = inputs.all("normalize", cached=False)
    kinds = set(params["section_kinds"])
    limits = (params["min_unit_tokens"], params["max_unit_tokens"])
    current = {doc: inputs.payload_hash("normalize", doc) for doc in normalized}
    model_payload = None if inputs.options.refit else inputs.previous("topic_model")
    previous_topics = inputs.previous("topics")
    model_id = _model_id(model_payload) if model_payload and model_payload.get("model") else None

    # Documents placed before by this very model, and unchanged since, keep their placement:
    # only new or changed documents are read, so adding one document costs one document.
    stats: dict[str, dict] = {}
    to_read = sorted(current)
    if (model_id is not None and previous_topics and previous_topics.get("model_id") == model_id
            and previous_topics["header"]["params_hash"] == params_hash(params)):
        seen = previous_topics["header"]["inputs"]
        kept = previous_topics.get("document_stats", {})
        to_read = []
        for doc, sha in current.items():
            if seen.get(f"normalize/{doc}") != sha:
                to_read.append(doc)
            elif doc in kept:
                stats[doc] = kept[doc]
    model = None
    if model_payload and model_payload.get("model"):
        # Without a saved model the refit below reads every document itself: no pass here.
        new_units = {}
        for doc in to_read:
            units = document_units(normalized[doc], lang, kinds, *limits)
            if units:
                new_units[doc] = units
        n_documents = len(stats) + len(new_units)
        unit_kind = "documents" if n_documents >= params["document_units_from"] else "passages"
        model = TopicModel.from_dict(model_payload["model"])
        vocabulary = set(model.vocabulary_)
        fitted_on = model_payload["fitted_on"]
        placed = _place_all(model, [(_as_units(units, unit_kind), doc in fitted_on)
                                    for doc, units in new_units.items()], vocabulary)
        stats.update(zip(new_units, placed))
        del new_units, placed
        if not _can_reuse(model_payload, params, current, stats, unit_kind):
            model = None
    refit = model is None
    if refit:
        paragraphs, surfaces = collect_units(normalized, lang, kinds, *limits)
        unit_kind = "documents" if len(paragraphs) >= params["document_units_from"] else "passages"
        doc_ids = sorted(paragraphs)
        if unit_kind == "documents":
            # One unit per document from here on: the passages need not be kept beside it.
            paragraphs = {doc: _as_units(paragraphs[doc], unit_kind) for doc in doc_ids}
        units = [u for doc in doc_ids for u in paragraphs[doc]]
        base = {"language": lang, "unit": unit_kind, "n_units": len(units), "n_documents": len(paragraphs)}
        if len(units) < params["min_units"]:
            message = (f"too little {lang} text for topics: {len(units)} {unit_kind} "
                       f"(at least {params['min_units']} needed)")
            return {
                "topic_model": {"status": "too_little_text", "message": message, "fitted_on": {}, "model": None},
                "topics": {**base, "status": "too_little_text", "message": message, "k": 0,
                           "candidates": [], "topics": [], "documents": {}},
            }
        model = TopicModel(method=params["method"], k_min=params["k_min"],
                           k_max=max(params["k_max"], params["k_min"]),
                           top_terms=params["top_terms"], relevance_lambda=params["relevance_lambda"],
                           stability_seeds=params["stability_seeds"], random_state=params["random_state"],
                           search_units=params["search_units"],
                           n_jobs=inputs.options.cores).fit(units)
        del units
        fitted_on = {doc: current[doc] for doc in doc_ids}
        model_payload = {"status": "fitted", "message": "", "unit": unit_kind, "fitted_on": fitted_on,
                         "corpus_hash": params_hash(fitted_on), "model": model.to_dict(),
                         "topics": _describe(model, surfaces, inputs.all("keywords", cached=False), lang, params)}
        model_id = _model_id(model_payload)
        # Every document is placed by the saved model, fitted or not, so the two paths agree.
        vocabulary = set(model.vocabulary_)
        stats = dict(zip(doc_ids, _place_all(model, [(_as_units(paragraphs[doc], unit_kind), True)
                                                     for doc in doc_ids], vocabulary)))
        del paragraphs

    stats = dict(sorted(stats.items()))
    documents = {}
    for doc_id, st in stats.items():
        share = st["shares"]
        order = sorted(range(len(share)), key=lambda t: (-share[t], t))
        documents[doc_id] = [{"topic": t, "weight": round(share[t], 4)}
                             for t in order if share[t] >= params["min_topic_weight"]]
    topics = []
    for described in model_payload["topics"]:
        t = described["id"]
        representative = sorted(stats, key=lambda d: (-stats[d]["shares"][t], d))[:5]
        topics.append({**described,
                       "documents": [{"doc_id": d, "weight": round(stats[d]["shares"][t], 4)}
                                     for d in representative if stats[d]["shares"][t] >= 0.01]})
    return {
        # A kept model stays as it is on disk; only its header (the inputs) is rewritten.
        "topic_model": model_payload if refit else KEEP,
        "topics": {"language": lang, "unit": unit_kind, "n_units": sum(st["n_units"] for st in stats.values()),
                   "n_documents": len(stats), "status": "fitted" if refit else "placed_with_saved_model",
                   "message": "", "k": int(model.n_components_), "candidates": model.candidates_,
                   "topics": topics, "documents": documents, "document_stats": stats,
                   "model_id": model_id},
    }


def _as_units(doc_units: list[list[str]], unit_kind: str) -> list[list[str]]:
    # Above ``document_units_from`` documents a document is one unit; below, its passages are.
    return [[tok for unit in doc_units for tok in unit]] if unit_kind == "documents" else doc_units


def _corpus_phrases(vocabulary: list[str], keyword_artifacts, lang: str) -> list[tuple[str, str, list[int], int]]:
    """The corpus's keyphrases of one language that hold a model term, read once for every topic.

    Returns
    -------
    list of (key, phrase, term ids, number of words)
        Each key once, with the phrase of its first occurrence (documents in id order),
        and the vocabulary ids of its words in the model.
    """
    index = {term: i for i, term in enumerate(vocabulary)}
    seen: set[str] = set()
    phrases = []
    for doc_id in sorted(keyword_artifacts):
        for kw in keyword_artifacts[doc_id]["keywords"].get(lang, []):
            key = kw.get("key", "")
            parts = key.split()
            if not parts or key in seen:
                continue
            seen.add(key)
            ids = [index[p] for p in parts if p in index]
            if ids:
                phrases.append((key, kw["phrase"], ids, len(parts)))
    return phrases


def _topic_phrases(row, phrases: list[tuple[str, str, list[int], int]], n: int = 5) -> list[str]:
    """Keyphrases of the corpus that weigh most in a topic (mean weight of their stems)."""
    weights = [float(v) for v in row]
    scores: dict[str, float] = {}
    surface: dict[str, str] = {}
    for key, phrase, ids, n_words in phrases:
        score = sum(weights[i] for i in ids) / n_words
        if score > 0:
            scores[key] = score
            surface[key] = phrase
    best = sorted(scores, key=lambda k: (-scores[k], k))[:n]
    return [surface[k] for k in best]


STEPS = (Step("topics", NAME, "language", (Read("normalize", "all"), Read("keywords", "all")),
              ("topic_model", "topics"), run, fits_model=True),)
