"""The keyphrase scorers by method name: the keywords stage's ``[keywords] method``.

:func:`make_scorer` builds one from a name and a shared set of parameters;
:func:`scorer_from_dict` reloads any saved one (``models/<lang>/keyphrase_model.json``).
"""

from __future__ import annotations

from .baselines import TfidfScorer, YakeScorer
from .extractor import KeyphraseExtractor

__all__ = ["METHODS", "make_scorer", "scorer_from_dict"]


#: Method name -> scorer class (the ``[keywords] method`` setting).
METHODS = {"ours": KeyphraseExtractor, "yake": YakeScorer, "tfidf": TfidfScorer}


def make_scorer(method: str, lang: str, **params):
    """A scorer for ``method`` ("ours", "yake", "tfidf"); unknown params are ignored.

    Parameters
    ----------
    method : str
        Key of :data:`METHODS`.
    lang : str
        "id" or "en".
    **params
        Constructor parameters; those the method does not take are dropped
        (so one config can feed every method).
    """
    cls = METHODS.get(method)
    if cls is None:
        raise ValueError(f"unknown keyword method {method!r}; choose from {sorted(METHODS)}")
    names = cls._PARAM_NAMES
    return cls(lang=lang, **{k: v for k, v in params.items() if k in names and k != "lang"})


def scorer_from_dict(d: dict):
    """Reload any scorer saved with ``to_dict`` (dispatch on its ``"model"`` name)."""
    name = (d or {}).get("model", "KeyphraseExtractor")
    for cls in METHODS.values():
        if cls.__name__ == name:
            return cls.from_dict(d)
    raise ValueError(f"unknown keyphrase model {name!r}")
