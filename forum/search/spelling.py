"""Choosing a "did you mean" word among an engine's candidates."""

from __future__ import annotations

from collections.abc import Callable, Iterable

MAX_DISTANCE = 2


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count as one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def rank_corrections(
    word: str, candidates: Iterable[str], frequency: Callable[[str], int]
) -> list[str]:
    """Candidates within two edits, the closest first, then the most frequent."""
    scored = []
    for candidate in set(candidates):
        if candidate == word or not candidate.isalpha():
            continue
        distance = edit_distance(word, candidate)
        if distance <= MAX_DISTANCE:
            scored.append((distance, -frequency(candidate), candidate))
    return [candidate for _, _, candidate in sorted(scored)]
