"""spaCy, imported without its command-line package.

``import spacy`` also imports ``spacy.cli`` (for the one name ``spacy.info``), which
brings typer, weasel, requests, httpx and jinja2: a good part of spaCy's import time,
paid by every process that only tokenizes, such as the worker ``add`` starts for a new
document. :func:`import_spacy` imports spaCy with a stand-in for that package that lives
only while spaCy's own ``__init__`` runs: afterwards ``import spacy.cli`` imports the
real package as usual, and ``spacy.info`` imports it on its first call. If the stand-in
is not enough for the installed spaCy (a later version importing more of its CLI at
import time), spaCy is imported the ordinary way.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType


def _info(*args, **kwargs):
    from spacy.cli.info import info  # the real one, on first use

    return info(*args, **kwargs)


# Threads (a Dask worker's, a resident process's) may ask at once: one imports, the
# others wait for it, so none sees a half-imported spaCy or the stand-ins.
_LOCK = threading.Lock()


def import_spacy() -> ModuleType:
    """The ``spacy`` module, imported (once) without ``spacy.cli``; see the module docstring."""
    module = sys.modules.get("spacy")
    if module is not None and not _LOCK.locked():
        return module
    with _LOCK:
        module = sys.modules.get("spacy")
        return module if module is not None else _import_without_cli()


def _import_without_cli() -> ModuleType:
    before = set(sys.modules)
    cli = ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so that "spacy.cli.info" resolves under it
    info = ModuleType("spacy.cli.info")
    info.info = _info
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except (ImportError, AttributeError):
        # Something else of the CLI was needed: forget what this attempt imported of
        # spaCy, and import it plainly.
        for name in [n for n in sys.modules if n not in before and (n == "spacy" or n.startswith("spacy."))]:
            del sys.modules[name]
        import spacy
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli
    return spacy
