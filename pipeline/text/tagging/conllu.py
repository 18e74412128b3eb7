"""CoNLL-U sentences as the tagger reads and writes them.

A CoNLL-U file (Universal Dependencies) holds sentences separated by blank
lines; each word is a line of ten tab-separated columns (ID, FORM, LEMMA, UPOS,
...). A *multiword token* line (ID ``3-4``) gives the surface form of several
syntactic words: UD Indonesian splits ``bukunya`` into ``buku`` + ``nya``, UD
English ``didn't`` into ``did`` + ``n't``. The tagger is trained and run on
*units* (:func:`units`): the tokens the pipeline's tokenizer would produce for
the sentence, each carrying the UPOS of the syntactic word it is headed by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The value of an empty CoNLL-U column.
EMPTY = "_"
_ALNUM_RE = re.compile(r"[^\W_]")
_DIGITS_RE = re.compile(r"^[\d.,]+$")


@dataclass(frozen=True)
class Word:
    """One syntactic word of a sentence (a line whose ID is an integer)."""

    line: int  # index of its line in Sentence.lines
    id: int
    form: str
    upos: str  # EMPTY when the file has no tag
    head: int | None  # None when the HEAD column is empty
    space_after: bool


@dataclass(frozen=True)
class Token:
    """One surface token: a single word, or a multiword token over ``words[start:end]``."""

    form: str
    start: int
    end: int
    space_after: bool


@dataclass
class Sentence:
    """A sentence's lines as read (comments, multiword-token lines, words), its words and tokens."""

    lines: list[str]
    words: list[Word]
    tokens: list[Token]


@dataclass(frozen=True)
class Unit:
    """A token as the tagger sees it: its form, the word indices it covers, and its head word's index."""

    form: str
    words: tuple[int, ...]
    head: int


def _space_after(misc: str) -> bool:
    return "SpaceAfter=No" not in misc.split("|")


def parse_conllu(text: str) -> list[Sentence]:
    """Read the sentences of a CoNLL-U text.

    Parameters
    ----------
    text : str
        The file's content.

    Returns
    -------
    list of Sentence
        In file order; empty nodes (IDs such as ``5.1``) are kept among the
        lines but are not words.

    Raises
    ------
    ValueError
        ``"line N: ..."`` for a line that is neither a comment nor ten
        tab-separated columns, or an ID that is not a number or a range.
    """
    sentences: list[Sentence] = []
    lines: list[str] = []
    start_line = 0

    def close() -> None:
        if lines:
            sentences.append(_sentence(lines, start_line))

    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            close()
            lines = []
            continue
        if not lines:
            start_line = number
        lines.append(line)
    close()
    return sentences


def _sentence(lines: list[str], first_line: int) -> Sentence:
    words: list[Word] = []
    ranges: list[tuple[int, int, str, bool]] = []
    for offset, line in enumerate(lines):
        if line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 10:
            raise ValueError(f"line {first_line + offset}: {len(columns)} columns where CoNLL-U has 10")
        ident = columns[0]
        if "." in ident:
            continue
        if "-" in ident:
            low, _, high = ident.partition("-")
            if not (low.isdigit() and high.isdigit()):
                raise ValueError(f"line {first_line + offset}: ID {ident!r} is not a number or a range")
            ranges.append((int(low), int(high), columns[1], _space_after(columns[9])))
            continue
        if not ident.isdigit():
            raise ValueError(f"line {first_line + offset}: ID {ident!r} is not a number or a range")
        head = int(columns[6]) if columns[6].isdigit() else None
        words.append(Word(offset, int(ident), columns[1], columns[3], head, _space_after(columns[9])))
    position = {word.id: index for index, word in enumerate(words)}
    covered: dict[int, tuple[int, int, str, bool]] = {}
    for low, high, form, space in ranges:
        if low in position and high in position:
            covered[position[low]] = (position[low], position[high] + 1, form, space)
    tokens: list[Token] = []
    index = 0
    while index < len(words):
        if index in covered:
            start, end, form, space = covered[index]
            tokens.append(Token(form, start, end, space))
            index = end
        else:
            tokens.append(Token(words[index].form, index, index + 1, words[index].space_after))
            index += 1
    return Sentence(lines, words, tokens)


def _head_of(sentence: Sentence, indices: range | tuple[int, ...]) -> int:
    """The word of ``indices`` whose HEAD lies outside them (the first word when none does)."""
    ids = {sentence.words[i].id for i in indices}
    for i in indices:
        if sentence.words[i].head not in ids:
            return i
    return indices[0]


def _joinable(left: str, right: str) -> bool:
    """Whether ``left-right`` is one token for the pipeline: letters or digits on both sides, not a number range."""
    if not (_ALNUM_RE.search(left[-1:]) and _ALNUM_RE.search(right[:1])):
        return False
    return not (_DIGITS_RE.match(left) and _DIGITS_RE.match(right))


def units(sentence: Sentence, keep_multiword: bool, join_hyphens: bool) -> list[Unit]:
    """The sentence as tokens of the pipeline's tokenizer, each with the word that heads it.

    Parameters
    ----------
    sentence : Sentence
        A parsed sentence.
    keep_multiword : bool
        True: a multiword token is one unit (the pipeline keeps Indonesian
        ``bukunya`` whole); False: its syntactic words are units (the English
        tokenizer splits ``didn't`` as UD does).
    join_hyphens : bool
        True: ``wheel`` ``-`` ``chair`` written without spaces is one unit
        ``wheel-chair`` (the pipeline keeps a hyphenated word whole); number
        ranges such as ``100-150`` stay split, as the pipeline splits them.

    Returns
    -------
    list of Unit
        Covering every word once, in order.
    """
    pieces: list[tuple[str, tuple[int, ...], bool]] = []
    for token in sentence.tokens:
        span = tuple(range(token.start, token.end))
        if keep_multiword or len(span) == 1:
            pieces.append((token.form, span, token.space_after))
        else:
            pieces.extend((sentence.words[i].form, (i,), sentence.words[i].space_after) for i in span)
    if join_hyphens:
        joined: list[tuple[str, tuple[int, ...], bool]] = []
        index = 0
        while index < len(pieces):
            form, span, space = pieces[index]
            while (index + 2 < len(pieces) and not space and pieces[index + 1][0] == "-" and not pieces[index + 1][2]
                   and _joinable(form, pieces[index + 2][0])):
                hyphen, right = pieces[index + 1], pieces[index + 2]
                form, span, space = form + "-" + right[0], span + hyphen[1] + right[1], right[2]
                index += 2
            joined.append((form, span, space))
            index += 1
        pieces = joined
    return [Unit(form, span, _head_of(sentence, span)) for form, span, _ in pieces]


def fill_upos(sentence: Sentence, tags: list[str]) -> list[str]:
    """The sentence's lines with the UPOS column of word ``i`` set to ``tags[i]``.

    Comment lines, multiword-token lines and empty nodes are kept as they are.
    """
    out = list(sentence.lines)
    for word, tag in zip(sentence.words, tags):
        columns = out[word.line].split("\t")
        columns[3] = tag
        out[word.line] = "\t".join(columns)
    return out
