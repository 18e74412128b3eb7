"""Build the Indonesian-English dictionary (``pipeline/text/resources/dictionary_id_en.tsv``).

Source: Debian's package ``dict-freedict-eng-ind`` (FreeDict's English-Bahasa
Indonesia FreeDict+WikDict dictionary: translations from Wiktionary, extracted by
DBnary and WikDict; CC BY-SA 3.0), installed as
``/usr/share/dictd/freedict-eng-ind.index`` and ``freedict-eng-ind.dict.dz``
(``apt-get install dict-freedict-eng-ind``).

The dictd files: each index line is ``headword<TAB>offset<TAB>length``, offset and
length base-64 numbers (:data:`DICTD_ALPHABET`) into the gzip-readable ``.dict.dz``.
An entry's text is a headword line, then its senses::

    centric /sˈɛntɹɪk/ <suffix>          headword, pronunciations, <part of speech>
    sentris 2.                           translations; " 2." opens a second gloss
    having a specified number of centres English gloss
     3.
    having a specified object at the centre

Translations are the first line after the headword and every line that starts
with a sense number (``1. kaku, keras``), with a trailing sense number dropped;
every other line is a gloss or a bare sense number and is not read. Translations
are comma-separated, except in entries whose headword itself holds commas
(proverbs, "Washington, D.C."): their translations are grouped by as many parts.

Left out: the ``00database*`` entries, affixes (``<prefix>``, ``<suffix>``, a
headword or translation beginning or ending with "-"), ordinal abbreviations
("1st"), template phrases ("I need ..."), and translations with no letter or an
alternative written with "/". Wiki markup is reduced to its text
(``[[kemudi|mengemudi(kan)]]`` -> ``mengemudi(kan)``); an optional part in
parentheses gives the phrase with and without it (``kependekan (dari)`` ->
``kependekan``, ``kependekan dari``); final "!" and "?" go, and so does a final
period of a one-period abbreviation (``dll.`` -> ``dll``; ``d.c.`` stays).

Each pair is lowercased, whitespace collapsed, and keyed with
:func:`pipeline.text.bilingual.dictionary.phrase_key` (Indonesian stems, English
lemmas); pairs from several headwords of one spelling list all their parts of
speech. The lines are sorted, so a rebuild from the same package is byte-identical.

Usage::

    python benchmarks/build_dictionary.py [--index PATH] [--dict PATH] [--check]

``--check`` compares the shipped file with a rebuild (exit 1 if they differ; exit 0,
skipped, when the Debian files are absent).
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.text.bilingual.dictionary import DICTIONARY_FILE, phrase_key  # noqa: E402
from pipeline.text.resources import resource_path  # noqa: E402

PACKAGE = "dict-freedict-eng-ind"
DEFAULT_INDEX = Path("/usr/share/dictd/freedict-eng-ind.index")
DEFAULT_DICT = Path("/usr/share/dictd/freedict-eng-ind.dict.dz")
OUTPUT = resource_path(DICTIONARY_FILE)
#: The digits of dictd's base-64 numbers, lowest first.
DICTD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
#: Parts of speech whose entries are affixes, not words.
AFFIX_POS = frozenset({"prefix", "suffix"})

# "headword /pron/ //pron// <pos>": pronunciations may hold spaces, never " /".
_HEADWORD_RE = re.compile(r"^(?P<word>.*?)(?: /.*?)?(?: <(?P<pos>[^<>]*)>)?$")
_SENSE_LINE_RE = re.compile(r"^\d+\. (?P<text>.*)$")
_SENSE_MARK_RE = re.compile(r"^ \d+\.$")
_TRAILING_SENSE_RE = re.compile(r" \d+\.$")
# [[target|shown]] or [[shown]]: a Wiktionary link, of which the text shown is the word.
_WIKI_LINK_RE = re.compile(r"\[\[(?:[^\[\]|]*\|)?([^\[\]|]*)\]\]")
_PARENS_RE = re.compile(r"\(([^()]*)\)")
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th)$")
_LETTER_RE = re.compile(r"[^\W\d_]")


def dictd_number(text: str) -> int:
    """A dictd base-64 number (``"RL"`` -> 1099)."""
    value = 0
    for char in text:
        value = value * 64 + DICTD_ALPHABET.index(char)
    return value


def read_entries(index: Path, dict_path: Path) -> list[tuple[str, str]]:
    """Every ``(index headword, entry text)`` of a dictd dictionary, in index order."""
    data = gzip.open(dict_path).read()
    entries = []
    for line in index.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")
        start = dictd_number(offset)
        entries.append((headword, data[start:start + dictd_number(length)].decode("utf-8")))
    return entries


def edition(entries: list[tuple[str, str]]) -> str:
    """The dictionary's title and its ``Edition:`` line, from the ``00databaseinfo`` entry."""
    info = next((text for headword, text in entries if headword == "00databaseinfo"), "")
    lines = [line.strip() for line in info.splitlines() if line.strip()]
    title = lines[0] if lines else "unknown dictionary"
    found = next((line for line in lines if line.startswith("Edition:")), "Edition: unknown")
    return f"{title}, {found}"


def package_version() -> str:
    """The installed version of the Debian package, or ``"unknown"``."""
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f=${Version}", PACKAGE],
                              capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"


def normal(text: str) -> str:
    """Lowercased, whitespace collapsed to single spaces."""
    return " ".join(text.lower().split())


def clean_phrase(text: str) -> str:
    """A headword or translation without final "!"/"?", nor the final period of a
    one-period abbreviation ("dll."; "d.c." keeps both); "" for a template or an
    alternative with "/" or a phrase with no letter."""
    text = normal(text).rstrip("!?").strip()
    if text.endswith(".") and text.count(".") == 1:
        text = text[:-1].strip()
    if "..." in text or "…" in text or "/" in text or not _LETTER_RE.search(text):
        return ""
    return text


def is_affix(text: str) -> bool:
    """Whether a headword or translation is an affix or clitic ("bio-", "-mu")."""
    return text.startswith("-") or text.endswith("-")


def translation_variants(item: str) -> list[str]:
    """The phrases one translation stands for: wiki links reduced to their text, an
    optional part in parentheses left out and kept; [] when nothing usable remains."""
    item = _WIKI_LINK_RE.sub(r"\1", item)
    if _PARENS_RE.search(item):
        variants = [_PARENS_RE.sub(" ", item), _PARENS_RE.sub(r"\1", item)]
    else:
        variants = [item]
    out = []
    for variant in variants:
        # Left-over brackets or a semicolon are markup this reader does not know: split
        # at a semicolon, drop what still has brackets.
        for part in variant.split(";"):
            part = clean_phrase(part)
            if part and not is_affix(part) and not re.search(r"[\[\]()]", part):
                out.append(part)
    return out


def split_translations(line: str, headword: str) -> list[str]:
    """The comma-separated translations of one line.

    A headword with commas ("ready, aim, fire") has translations with as many
    ("bersiap, bidik, tembak"): the parts are grouped by that number when they
    divide evenly, else the line is one translation.
    """
    parts = [part.strip() for part in line.split(",")]
    size = headword.count(",") + 1
    if size > 1:
        if len(parts) % size:
            return [line.strip()]
        parts = [", ".join(parts[i:i + size]) for i in range(0, len(parts), size)]
    return [part for part in parts if part]


def parse_entry(text: str) -> tuple[str, str, list[str]]:
    """``(headword as written, part of speech, translation lines)`` of one entry."""
    lines = text.rstrip("\n").split("\n")
    match = _HEADWORD_RE.match(lines[0].strip())
    headword, pos = match.group("word").strip(), (match.group("pos") or "").strip()
    translations = []
    for number, line in enumerate(lines[1:]):
        sense = _SENSE_LINE_RE.match(line)
        if sense:
            translations.append(_TRAILING_SENSE_RE.sub("", sense.group("text")))
        elif number == 0 and not _SENSE_MARK_RE.match(line):
            translations.append(_TRAILING_SENSE_RE.sub("", line))
    return headword, pos, translations


def entry_pairs(text: str) -> list[tuple[str, str, str]]:
    """The ``(indonesian, english, pos)`` pairs of one entry; [] for one left out."""
    headword, pos, lines = parse_entry(text)
    english = clean_phrase(headword)
    if (not english or pos in AFFIX_POS or is_affix(english) or _ORDINAL_RE.match(english)
            or re.search(r"[()\[\]]", english)):
        return []
    return [(indonesian, english, pos)
            for line in lines
            for item in split_translations(line, headword)
            for indonesian in translation_variants(item)]


def build_rows(entries: list[tuple[str, str]]) -> list[tuple[str, str, str, str, str]]:
    """The sorted ``(indonesian, english, pos, id_key, en_key)`` rows of all entries."""
    pos_of: dict[tuple[str, str], set[str]] = {}
    for headword, text in entries:
        if headword.startswith("00database"):
            continue
        for indonesian, english, pos in entry_pairs(text):
            pos_of.setdefault((indonesian, english), set()).update([pos] if pos else [])
    return sorted((indonesian, english, ",".join(sorted(tags)),
                   phrase_key(indonesian, "id"), phrase_key(english, "en"))
                  for (indonesian, english), tags in pos_of.items())


def render(rows, edition_line: str, version: str) -> str:
    """The file's text: the header, then one tab-separated line per row."""
    header = [
        "# dictionary_id_en.tsv: Indonesian-English word and phrase pairs (translations of English headwords)",
        f"# source: Debian package {PACKAGE} {version} (freedict-eng-ind.index, freedict-eng-ind.dict.dz)",
        f"# edition: {edition_line}",
        "# licence: CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/), see dictionary_id_en.LICENSE.txt",
        "# attribution: FreeDict / WikDict, from Wiktionary via DBnary",
        "# built by benchmarks/build_dictionary.py",
        "# columns: indonesian, english, pos (of the English headword), id_key (stems), en_key (lemmas)",
    ]
    return "\n".join(header + ["\t".join(row) for row in rows]) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="the dictd index file")
    ap.add_argument("--dict", type=Path, default=DEFAULT_DICT, help="the dictd .dict.dz file")
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 when the file differs")
    args = ap.parse_args(argv)
    if not (args.index.exists() and args.dict.exists()):
        message = f"{args.index} or {args.dict} is missing (apt-get install {PACKAGE})"
        if args.check:
            print(f"skipped: {message}")
            return 0
        raise SystemExit(message)
    entries = read_entries(args.index, args.dict)
    rows = build_rows(entries)
    text = render(rows, edition(entries), package_version())
    print(f"{len(entries)} entries, {len(rows)} pairs "
          f"({len({r[0] for r in rows})} Indonesian, {len({r[1] for r in rows})} English phrases)")
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUTPUT} differs")
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
