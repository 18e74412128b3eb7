"""Tag lines of text as the pipeline tokenizes them: the library side of ``run_pipeline.py tag``."""

from __future__ import annotations

from collections.abc import Iterable

from ..tagger import load_tagger
from ..tokens import Normalizer

_NORMALIZERS: dict[str, Normalizer] = {}


def tag_lines(lines: Iterable[str], lang: str) -> list[list[tuple[str, str]]]:
    """Tokenize each line as the normalize stage does and tag it.

    Parameters
    ----------
    lines : iterable of str
        One sentence (or several) per item.
    lang : str
        ``"id"`` or ``"en"``.

    Returns
    -------
    list of list of (str, str)
        Per line, its tokens with their UPOS tags, sentence after sentence
        (each sentence tagged on its own); ``[]`` for an empty line. A merged
        variant spelling (``kerja sama``) is one token, as in the pipeline.

    Raises
    ------
    PipelineError
        When ``lang`` has no tagger or its weights are missing.
    """
    tagger = load_tagger(lang)
    normalizer = _NORMALIZERS.get(lang)
    if normalizer is None:
        normalizer = _NORMALIZERS[lang] = Normalizer(lang)
    out = []
    for line in lines:
        tagged: list[tuple[str, str]] = []
        for paragraph in normalizer.normalize(line):
            for sentence in paragraph:
                words = [token[0] for token in sentence]
                tagged.extend(zip(words, tagger.tag(words)))
        out.append(tagged)
    return out
