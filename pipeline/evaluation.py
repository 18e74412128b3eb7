"""Quality measures shared by the tests and the benchmarks."""

from __future__ import annotations


def word_edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Levenshtein distance between two word sequences (insert, delete, substitute cost 1)."""
    if not ref:
        return len(hyp)
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def word_error_rate(ref: str, hyp: str) -> float:
    """Word error rate of ``hyp`` against ``ref``, whitespace-normalised."""
    words = ref.split()
    return word_edit_distance(words, hyp.split()) / max(len(words), 1)
