"""Near-identical results, collapsed: the same answer never shows twice on a page.

Imports bring the same answer in under several ids ("-dup" copies, one reference answer for
two questions). Two hits are the same answer when the start of their texts share most of their
word shingles; the lower-ranked one is folded into the first, which counts it ("and 1 similar").
Short texts are never folded: two brief questions alike in wording are still two questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from forum.search.backend import Hit
from forum.search.query import words_of

# The start of a text compared (the backends hand over this much of each hit).
COMPARED_CHARS = 3_000
SHINGLE = 4
MIN_WORDS = 40
SAME = 0.8
# Extra hits a first page asks for, to fill the places of folded ones.
SLACK = 5


@dataclass(frozen=True)
class Collapsed:
    hit: Hit
    similar: int = 0


def shingles(text: str) -> frozenset[int] | None:
    """Hashes of the text's word 4-grams, or None for a text too short to compare."""
    words = words_of(text[:COMPARED_CHARS])
    if len(words) < MIN_WORDS:
        return None
    return frozenset(hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1))


def collapse(hits: Sequence[Hit], limit: int) -> list[Collapsed]:
    """The first `limit` distinct hits in rank order, each with how many copies it stands for."""
    kept: list[tuple[Hit, frozenset[int] | None, int]] = []
    for hit in hits:
        mine = shingles(hit.text)
        for index, (first, theirs, count) in enumerate(kept):
            if mine is not None and theirs is not None and _similar(mine, theirs):
                kept[index] = (first, theirs, count + 1)
                break
        else:
            kept.append((hit, mine, 0))
    return [Collapsed(hit, count) for hit, _, count in kept[:limit]]


def _similar(a: frozenset[int], b: frozenset[int]) -> bool:
    return len(a & b) >= SAME * len(a | b)
