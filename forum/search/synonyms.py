"""Synonyms that let lay and clinical words meet: "heart attack" also finds "myocardial infarction".

The shipped list (synonyms.txt) has one group per line, terms separated by "|". Terms are
matched on their stems, so "heart attacks" finds the "heart attack" group too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.lang.porter2 import stem

from forum.search.query import words_of

SHIPPED = Path(__file__).with_name("synonyms.txt")
MAX_GROUP = 12

Phrase = tuple[str, ...]


def stem_key(words: Sequence[str]) -> Phrase:
    """The lookup key of a phrase: its words' stems."""
    return tuple(stem(word) for word in words)


@dataclass
class SynonymTable:
    """Groups of equivalent phrases, looked up by the stems of their words."""

    groups: list[tuple[Phrase, ...]] = field(default_factory=list)
    _by_key: dict[Phrase, list[int]] = field(default_factory=dict)
    longest: int = 0

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> SynonymTable:
        table = cls()
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            group: list[Phrase] = []
            for term in line.split("|"):
                words = tuple(words_of(term))
                if words and words not in group:
                    group.append(words)
            if len(group) > 1:
                table.add(tuple(group[:MAX_GROUP]))
        return table

    def add(self, group: tuple[Phrase, ...]) -> None:
        index = len(self.groups)
        self.groups.append(group)
        for phrase in group:
            keyed = self._by_key.setdefault(stem_key(phrase), [])
            if index not in keyed:
                keyed.append(index)
            self.longest = max(self.longest, len(phrase))

    def alternatives(self, words: Sequence[str]) -> list[Phrase]:
        """Other phrases meaning the same as `words` (not including `words` itself)."""
        key = stem_key(words)
        found: list[Phrase] = []
        for index in self._by_key.get(key, ()):
            for phrase in self.groups[index]:
                if stem_key(phrase) != key and phrase not in found:
                    found.append(phrase)
        return found[:MAX_GROUP]

    def segment(self, words: Sequence[str]) -> list[tuple[Phrase, list[Phrase]]]:
        """Split words into spans, longest synonym match first; each with its alternatives."""
        spans: list[tuple[Phrase, list[Phrase]]] = []
        start = 0
        while start < len(words):
            for size in range(min(self.longest, len(words) - start), 0, -1):
                span = tuple(words[start : start + size])
                others = self.alternatives(span)
                if others or size == 1:
                    spans.append((span, others))
                    start += size
                    break
            else:  # an empty table: every word is its own span
                spans.append(((words[start],), []))
                start += 1
        return spans


@functools.cache
def load(path: str | None = None) -> SynonymTable:
    """The synonym table from a file (the shipped list by default), read once per process."""
    source = Path(path) if path else SHIPPED
    with source.open(encoding="utf-8") as lines:
        return SynonymTable.from_lines(lines)
