"""The cleanup log: every change made to a document, a per-rule summary, and their text form.

A change is ``{"rule", "before", "after", "line", "block"}``: the rule that
made it (one of :data:`RULE_ORDER`), the text before and after (``after``
empty when text was removed), the 1-based line of the source text and the id
of the block the changed text ended up in. The summary counts each rule and
keeps a few examples. Both go into the ingest artifact (``changes``, ``log``)
and are printed by ``run_pipeline.py clean FILE --changes``.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter

#: Order in which repair rules are reported in the log.
RULE_ORDER = (
    "unicode",
    "strip_markup",
    "whitespace",
    "page_furniture",
    "stray_chars",
    "dehyphenate",
    "join_lines",
    "table",
    "bridge",
    "misread_letters",
    "split_words",
    "sentence_spacing",
    # cleanup failed on an internal error: the text was kept as one paragraph
    "degraded",
)

_MAX_EXAMPLES = 5


class RepairLog:
    """Collects the repairs of one document: a per-rule summary and every single change.

    ``counts``/``examples`` feed the summary (``log`` of the artifact);
    ``changes`` holds one record per change, ``{"rule", "before", "after",
    "line", "block"}`` (``line`` is 1-based in the source text, ``block`` the
    id of the block the change ended up in, filled in at the end).
    """

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.examples: dict[str, list[str]] = {}
        self.changes: list[dict] = []

    def add(self, rule: str, example: str = "", n: int = 1) -> None:
        if n <= 0:
            return
        self.counts[rule] += n
        ex = self.examples.setdefault(rule, [])
        example = example.strip()
        if example and len(ex) < _MAX_EXAMPLES and example not in ex:
            ex.append(example[:120])

    def change(self, rule: str, before: str, after: str, line: int | None, block: int | None = None,
               example: str | None = None) -> None:
        """Record one change (and count it in the summary)."""
        if before == after:
            return
        self.add(rule, example if example is not None else (f"{before} -> {after}" if after else before))
        self.changes.append({"rule": rule, "before": before, "after": after,
                             "line": None if line is None else int(line), "block": block})

    def as_list(self) -> list[dict]:
        out = []
        for rule in RULE_ORDER:
            if self.counts.get(rule, 0) > 0:
                out.append({"rule": rule, "count": int(self.counts[rule]), "examples": list(self.examples.get(rule, []))})
        return out


def char_changes(before: str, after: str) -> list[tuple[str, str]]:
    """Changed spans between two versions of a line, widened to whole words."""
    spans: list[list[int]] = []
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        # widen to word boundaries in both strings (the equal context is identical)
        while i1 > 0 and j1 > 0 and not before[i1 - 1].isspace() and before[i1 - 1] == after[j1 - 1]:
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(before) and j2 < len(after) and not before[i2].isspace() and before[i2] == after[j2]:
            i2, j2 = i2 + 1, j2 + 1
        if spans and i1 <= spans[-1][1]:
            spans[-1][1], spans[-1][3] = max(spans[-1][1], i2), max(spans[-1][3], j2)
        else:
            spans.append([i1, i2, j1, j2])
    return [(before[i1:i2], after[j1:j2]) for i1, i2, j1, j2 in spans]


def token_changes(before: str, after: str) -> list[tuple[str, str]]:
    """Changed whitespace-separated tokens between two versions of a line."""
    a, b = before.split(), after.split()
    out = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            out.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return out


def _show(text: str) -> str:
    """A change's text for one terminal line: line breaks and odd spaces made visible."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("⏎")
        elif ch != " " and (ch.isspace() or unicodedata.category(ch)[0] == "C"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def format_changes(changes: list[dict], width: int = 60) -> str:
    """Format a change list as text, one change per line.

    Each line reads ``line N  block B  rule  'before' -> 'after'`` (line
    breaks shown as ``⏎``, invisible characters as ``<U+XXXX>``, removed text
    as ``-> (removed)``), followed by a count per rule.

    Parameters
    ----------
    changes : list of dict
        :attr:`~.document.CleanResult.changes` (or the ``changes`` of an ingest artifact).
    width : int
        Longest before/after text shown; longer ones are cut with ``…``.

    Returns
    -------
    str
    """
    def cut(t: str) -> str:
        t = _show(t)
        return t if len(t) <= width else t[: width - 1] + "…"

    lines = []
    counts: Counter = Counter()
    for c in changes or []:
        try:
            rule = str(c.get("rule", "?"))
            counts[rule] += 1
            line = c.get("line")
            block = c.get("block")
            after = c.get("after", "")
            shown_after = f"'{cut(after)}'" if after else "(removed)"
            lines.append(
                f"line {line if line is not None else '-':>5}  block {block if block is not None else '-':>4}  "
                f"{rule:<16} '{cut(str(c.get('before', '')))}' -> {shown_after}"
            )
        except (AttributeError, TypeError):  # not a change record (no dict, odd values): skipped
            continue
    order = [r for r in RULE_ORDER if r in counts] + sorted(r for r in counts if r not in RULE_ORDER)
    summary = ", ".join(f"{r}: {counts[r]}" for r in order)
    lines.append(f"{sum(counts.values())} changes" + (f" ({summary})" if summary else ""))
    return "\n".join(lines)
