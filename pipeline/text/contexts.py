"""Keyword in context: the sentences where a concept occurs, in both languages.

Recipe (``run_pipeline.py context PHRASE``):

1. **Keys** (:func:`context_keys`): the phrase is keyed as the pipeline keys phrases
   (``Normalizer(lang).normalize_tokens``, lowercased), in each language asked for.
   When the glossary holds it, the keys of its entry in *both* languages are searched
   (``paradiplomacy`` also finds ``paradiplomasi``), with the keys of every form the
   entry lists; and the words as written, lowercased, since the text keeps a
   capitalised or upper-case word unstemmed (a name or an acronym to the tokenizer).
2. **Occurrences** (:func:`find_contexts`): in each document's normalize artifact, a key
   of a section's language occurs where a contiguous run of tokens (skipping nothing,
   punctuation included) has lowercased norms equal to the key's words; at one place
   the longest key wins, and an occurrence never overlaps the one before it.  Sections
   whose language is ``unknown`` are searched with the keys of every language.
3. **Rows**: the sentence's surface text cut into ``left``, ``match`` and ``right``,
   with the document, its title, the section's language and kind, sorted by document
   id then position; :func:`marked` writes the match as ``[[...]]``.

Pure functions on parsed artifacts: no file I/O.
"""

from __future__ import annotations

import re

__all__ = ["context_keys", "find_contexts", "marked", "detokenize"]

_WORD_RE = re.compile(r"\w(?:[\w'’-]*\w)?")

#: Tokens written without a space before them, and after them.
_NO_SPACE_BEFORE = frozenset(".,;:!?%)]}»”’…")
_NO_SPACE_AFTER = frozenset("([{«“‘")


def context_keys(phrase: str, langs=("id", "en"), glossary=None, normalizers=None) -> dict:
    """``{lang: [key, ...]}``: the keys to search for ``phrase`` in each language.

    ``glossary`` is a :class:`pipeline.text.bilingual.Glossary` (or None); ``normalizers``
    maps a language to a :class:`pipeline.text.tokens.Normalizer` (made when missing).
    With a glossary entry for the phrase (the first language of ``langs`` that has one),
    both languages are searched whatever ``langs`` says: the entry's keys and the keys
    of its forms.  Without one, the phrase's own key in each language of ``langs``.
    """
    normalizers = dict(normalizers or {})

    def key_of(text: str, lang: str) -> str:
        if lang not in normalizers:
            from .tokens import Normalizer

            normalizers[lang] = Normalizer(lang)
        return (normalizers[lang].normalize_tokens([text]) or [""])[0].lower()

    def keys_of(text: str, lang: str) -> set:
        # the key, and the words as written: a capitalised or upper-case word of a text
        # is kept unstemmed as a name or acronym ("Kebijakan", "KEBIJAKAN": not "bijak")
        return {key_of(text, lang), " ".join(_WORD_RE.findall(text.lower()))}

    own = {lang: key_of(phrase, lang) for lang in langs}
    entry, found_in = None, None
    if glossary is not None:
        for lang in langs:
            if own[lang] and (entry := glossary.lookup(own[lang], lang)) is not None:
                found_in = lang
                break
    if entry is None:
        keys = {lang: sorted(k for k in keys_of(phrase, lang) if k) for lang in langs if own[lang]}
        return {lang: ks for lang, ks in keys.items() if ks}
    keys = {}
    for lang in ("id", "en"):
        found = {str(entry[f"{lang}_key"]).lower()}
        for form in entry.get(lang, []):
            found |= keys_of(form, lang)
        if lang == found_in:
            found |= keys_of(phrase, lang)
        keys[lang] = sorted(k for k in found if k)
    return {lang: ks for lang, ks in keys.items() if ks}


def _token_words(sentence: list) -> list:
    """Each token's lowercased norm as a list of words (a norm may hold a space)."""
    return [str(token[1]).lower().split() or [""] for token in sentence]


def _match_at(words: list, start: int, key_words: list) -> int:
    """The number of tokens from ``start`` whose words are exactly ``key_words``, else 0."""
    i, position = start, 0
    while position < len(key_words):
        if i >= len(words):
            return 0
        token = words[i]
        if key_words[position:position + len(token)] != token:
            return 0
        position += len(token)
        i += 1
    return i - start


def find_contexts(normalized: dict, keys: dict, titles: dict | None = None) -> list:
    """Every occurrence of the keys in the documents, sorted by document id then position.

    Parameters
    ----------
    normalized : dict
        ``{doc_id: normalize artifact}`` (``sections`` of ``{"lang", "kind",
        "paragraphs": [[token, ...], ...]}``, tokens ``[surface, norm, ...]``).
    keys : dict
        ``{lang: [key, ...]}`` (:func:`context_keys`).
    titles : dict, optional
        ``{doc_id: title or None}``.

    Returns
    -------
    list of dict
        ``{"doc_id", "title", "lang", "kind", "section", "paragraph", "sentence",
        "token", "left", "match", "right"}``.
    """
    titles = titles or {}
    by_lang = {lang: sorted({tuple(k.split()) for k in ks if k.split()}, key=lambda k: (-len(k), k))
               for lang, ks in keys.items()}
    every = sorted({k for ks in by_lang.values() for k in ks}, key=lambda k: (-len(k), k))
    rows = []
    for doc_id in sorted(normalized):
        for s_index, section in enumerate(normalized[doc_id].get("sections", [])):
            lang = section.get("lang")
            wanted = every if lang not in ("id", "en") else by_lang.get(lang, [])
            if not wanted:
                continue
            for p_index, paragraph in enumerate(section.get("paragraphs", [])):
                for t_index, sentence in enumerate(paragraph):
                    rows.extend(_sentence_rows(sentence, wanted, {
                        "doc_id": doc_id, "title": titles.get(doc_id), "lang": lang,
                        "kind": section.get("kind"), "section": s_index, "paragraph": p_index,
                        "sentence": t_index}))
    return rows


def _sentence_rows(sentence: list, wanted: list, where: dict) -> list:
    words = _token_words(sentence)
    surfaces = [str(token[0]) for token in sentence]
    rows, start = [], 0
    while start < len(sentence):
        length = next((n for key in wanted if (n := _match_at(words, start, list(key)))), 0)
        if not length:
            start += 1
            continue
        end = start + length
        left, match, right = (detokenize(surfaces[:start]), detokenize(surfaces[start:end]),
                              detokenize(surfaces[end:]))
        rows.append({**where, "token": start, "left": left, "match": match, "right": right})
        start = end
    return rows


def detokenize(surfaces: list) -> str:
    """Surface tokens as text: spaces between them, none before closing punctuation or
    after an opening bracket or quote."""
    out = ""
    for surface in surfaces:
        clitic = surface[:1] in "'’" and surface[1:].isalpha() or surface.lower() == "n't"  # Jakarta's
        if out and not (surface[:1] in _NO_SPACE_BEFORE or out[-1] in _NO_SPACE_AFTER or clitic):
            out += " "
        out += surface
    return out


def marked(row: dict, before: str = "[[", after: str = "]]") -> str:
    """A context row's sentence with the match marked: ``left [[match]] right``."""
    text = before + row["match"] + after
    if row["left"]:
        text = row["left"] + ("" if row["left"][-1] in _NO_SPACE_AFTER else " ") + text
    if row["right"]:
        text += ("" if row["right"][:1] in _NO_SPACE_BEFORE else " ") + row["right"]
    return text
