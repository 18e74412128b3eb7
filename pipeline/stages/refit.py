"""The refit rule shared by the corpus models (keyphrase model, topic model).

A saved model is kept, instead of fitted again, while the corpus has only grown a
little since the fit: refitting rewrites the model's payload, which makes every
document's keywords or topic placement stale at once, so for a few new documents the
old model (which places them without refitting) serves better. The rule: the model
was fitted with the current parameters, none of the documents it was fitted on has
changed or left, and the documents added since are at most ``refit_new_fraction`` of
those it was fitted on. ``run --refit`` (``options.refit``) always refits.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from ..store.format import params_hash


def added_since_fit(fitted_on: object, saved_params_hash: str, params: dict, current: Mapping[str, str],
                    documents: Iterable[str] | None = None) -> list[str] | None:
    """The documents added since the fit when the rule keeps the model; None when it must refit.

    Parameters
    ----------
    fitted_on : dict or object
        The saved model's ``{doc_id: payload sha256}`` of the documents it was fitted
        on (anything else means the model cannot be kept).
    saved_params_hash : str
        The parameter hash in the saved model's header.
    params : dict
        The stage's current parameters (with ``refit_new_fraction``).
    current : mapping
        ``{doc_id: payload sha256}`` of the documents the model would be fitted on now.
    documents : iterable of str, optional
        The documents to count as added when not in ``fitted_on``; default ``current``.

    Returns
    -------
    list of str or None
    """
    if not isinstance(fitted_on, dict) or saved_params_hash != params_hash(params):
        return None
    if any(current.get(doc) != sha for doc, sha in fitted_on.items()):
        return None
    added = [doc for doc in (current if documents is None else documents) if doc not in fitted_on]
    if len(added) > params["refit_new_fraction"] * max(len(fitted_on), 1):
        return None
    return added
