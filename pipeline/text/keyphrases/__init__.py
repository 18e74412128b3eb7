"""Keyphrase extraction from normalized text: the keywords stage's scorers.

The package follows the usual shape of a keyphrase extractor (pke's, say): a
document is prepared, candidates are selected, candidates are weighted, the best
are kept.

========================  ===============================================================
module                    what it holds
========================  ===============================================================
:mod:`.base`              :class:`Candidate`, word tests, the parameter contract and saved
                          form, the top N (redundancy, output records): shared by all
                          scorers
:mod:`.surface`           :func:`prepare_sections`: the document shapes accepted, hyphens
                          rejoined, shouted headings and capitalised words keyed like the
                          rest, the tokens whose case is evidence marked;
                          :func:`phrase_key`, :func:`echo_phrases`
:mod:`.candidates`        candidate selection: the phrase rules per language, the word
                          lists (frame nouns, cue words), :func:`extract_candidates`
:mod:`.weighting`         candidate weighting: the features and priors, the reference
                          counts of the priors (:data:`NEST_REFERENCE_PATH`)
:mod:`.extractor`         :class:`KeyphraseExtractor` ("ours"): fit, extract, save, load
:mod:`.baselines`         :class:`YakeScorer`, :class:`TfidfScorer`
:mod:`.methods`           :data:`METHODS`, :func:`make_scorer`, :func:`scorer_from_dict`
========================  ===============================================================

Imports go one way: surface on base; candidates on surface; weighting on
candidates; extractor on all four; baselines on base and surface only; methods on
extractor and baselines.
"""

from .base import (
    SECTION_KINDS,
    Candidate,
    EstimatorParams,
    dependent_keys,
    keyphrase_record,
    nested_keys,
    pack_counts,
    redundant,
    select_top,
    unpack_counts,
)
from .baselines import TfidfScorer, YakeScorer
from .candidates import extract_candidates, load_cue_words, load_phrase_words
from .extractor import KeyphraseExtractor
from .methods import METHODS, make_scorer, scorer_from_dict
from .surface import echo_phrases, phrase_key, prepare_sections
from .weighting import NEST_REFERENCE_PATH, graph_scores, load_cue_reference, load_nest_reference

__all__ = [
    "SECTION_KINDS",
    "Candidate",
    "EstimatorParams",
    "dependent_keys",
    "keyphrase_record",
    "nested_keys",
    "pack_counts",
    "redundant",
    "select_top",
    "unpack_counts",
    "prepare_sections",
    "phrase_key",
    "echo_phrases",
    "extract_candidates",
    "load_phrase_words",
    "load_cue_words",
    "NEST_REFERENCE_PATH",
    "load_nest_reference",
    "load_cue_reference",
    "graph_scores",
    "KeyphraseExtractor",
    "YakeScorer",
    "TfidfScorer",
    "METHODS",
    "make_scorer",
    "scorer_from_dict",
]
