"""Choosing a "did you mean" word among an engine's candidates.

The engines' word lists hold every indexed word, private groups' included. A candidate is
offered only if documents the viewer may see hold it (its `frequencies` count only those),
and a typed word that such a document holds gets no correction: whether a word occurs in a
private group never changes what an outsider is offered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

MAX_DISTANCE = 2
# The corrections an engine returns per word (services try the first few).
LIMIT = 5
# Visible documents counted per candidate: enough to rank, without counting every match.
FREQUENCY_CAP = 20

# Visible-document counts of some words (0: no visible document holds the word).
Frequencies = Callable[[list[str]], Mapping[str, int]]


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
    word: str, candidates: Iterable[str], frequencies: Frequencies, limit: int | None = None
) -> list[str]:
    """Candidates within two edits that visible documents hold: the closest first, then the
    most frequent. Counts are asked for one distance at a time, until `limit` are found."""
    by_distance: dict[int, list[str]] = defaultdict(list)
    for candidate in set(candidates):
        if candidate == word or not candidate.isalpha():
            continue
        distance = edit_distance(word, candidate)
        if distance <= MAX_DISTANCE:
            by_distance[distance].append(candidate)
    ranked: list[str] = []
    for distance in sorted(by_distance):
        counts = frequencies(sorted(by_distance[distance]))
        found = [(-counts.get(c, 0), c) for c in by_distance[distance] if counts.get(c, 0) > 0]
        ranked.extend(candidate for _, candidate in sorted(found))
        if limit is not None and len(ranked) >= limit:
            return ranked[:limit]
    return ranked
