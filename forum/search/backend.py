"""What every search engine offers the forum (Whoosh or PostgreSQL), and the query plan they share.

A plan is a list of units. Each unit is one part of what the user typed, with the
alternatives that satisfy it (the words themselves, or a synonym phrase). Units are all
required (AND) or, as a fallback, any of them (OR); excluded units must not match.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Protocol

from markupsafe import Markup
from sqlalchemy.orm import Session

from forum.search.query import STOP_WORDS, Clause, ParsedQuery
from forum.search.synonyms import SynonymTable

SORTS = ("relevance", "new")
# Final score = text score x (1 + these) for documents with the mark.
ANSWERED_BOOST = 0.3
ENDORSED_BOOST = 0.6
# A synonym added to the query scores this much of the word typed: it finds more, but the
# threads that use the user's own word come first (many list entries are near-synonyms).
SYNONYM_WEIGHT = 0.5


# The document one engine indexes for a thread or an article (built by documents.py).
@dataclass(frozen=True)
class SearchDoc:
    key: str
    doc_type: str
    object_id: int
    title: str
    body: str
    tags: str
    community_name: str
    community_id: int
    topic_id: int
    is_private: bool
    is_answered: bool
    is_endorsed: bool
    created_at: datetime
    last_activity_at: datetime
    # What the title asks (see understanding.title_subject): a focus key and a question type.
    focus: str = ""
    qtype: str = ""
    version: str = field(default="", compare=False)

    def with_version(self) -> SearchDoc:
        """The same document stamped with a hash of its content (how verify spots drift)."""
        content = {k: v for k, v in asdict(self).items() if k != "version"}
        digest = hashlib.sha1(  # noqa: S324 - a change detector, not a security hash
            json.dumps(content, default=str, sort_keys=True).encode()
        ).hexdigest()
        return SearchDoc(**{**content, "version": digest})


class IndexBusy(Exception):
    """Another writer holds the index; the outbox keeps the work for the next drain."""


@dataclass(frozen=True)
class Alternative:
    """Words that satisfy a unit: all of them (anywhere), in order (a phrase), or a prefix."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Unit:
    alternatives: tuple[Alternative, ...]
    negated: bool = False
    # How much a match counts (a long question's focus more than its story, see understanding).
    weight: float = 1.0


# A long question's score for a document about its focus is multiplied by 1 + FOCUS_MATCH,
# and by 1 + BOTH_MATCH when the document is of the question type asked too.
FOCUS_MATCH = 0.5
BOTH_MATCH = 0.75


@dataclass(frozen=True)
class SubjectMatch:
    """What a long question rewards: documents of these focus keys (and question types)."""

    focus: frozenset[str] = frozenset()
    qtypes: frozenset[str] = frozenset()

    def factor(self, focus: str, qtype: str) -> float:
        """The score multiplier of a document with this focus and question type."""
        if not focus or focus not in self.focus:
            return 1.0
        return 1.0 + (BOTH_MATCH if qtype in self.qtypes else FOCUS_MATCH)


@dataclass(frozen=True)
class SearchQuery:
    """One engine call: what to match, what the viewer may see, filters, order and page."""

    units: tuple[Unit, ...]
    allowed_community_ids: frozenset[int]
    match_all: bool = True
    community_id: int | None = None
    topic_id: int | None = None
    doc_types: frozenset[str] = frozenset()
    answered_only: bool = False
    endorsed_only: bool = False
    created_from: datetime | None = None
    created_before: datetime | None = None
    exclude_keys: frozenset[str] = frozenset()
    sort: str = "relevance"
    offset: int = 0
    limit: int = 10
    highlight: bool = True
    # A long question's subject: its documents rank higher (see understanding).
    subject: SubjectMatch = SubjectMatch()

    @property
    def positive(self) -> list[Unit]:
        return [unit for unit in self.units if not unit.negated]

    @property
    def negative(self) -> list[Unit]:
        return [unit for unit in self.units if unit.negated]


@dataclass(frozen=True)
class Hit:
    key: str
    score: float
    snippet: Markup = field(default_factory=Markup)
    # The start of the document's text (to fold near-identical hits, see collapse).
    text: str = ""


@dataclass(frozen=True)
class HitPage:
    hits: tuple[Hit, ...]
    total: int
    # Hits standing for near-identical others folded into them: key -> how many (services).
    similar: dict[str, int] = field(default_factory=dict, compare=False)


class IndexWriter(Protocol):
    def upsert(self, docs: Sequence[SearchDoc]) -> None: ...

    def delete(self, keys: Sequence[str]) -> None: ...


class IndexRebuild(IndexWriter, Protocol):
    def bulk(self, docs: Iterable[SearchDoc]) -> int:
        """Add documents to the new, empty index; returns how many."""
        ...


class SearchBackend(Protocol):
    name: str

    def search(self, query: SearchQuery) -> HitPage: ...

    def corrections(self, word: str, allowed_community_ids: frozenset[int]) -> list[str]:
        """Words close to a word, best first, that documents the viewer may see hold (public
        ones and those of `allowed_community_ids`); empty if such a document holds the word.
        See spelling: a private group's words never change what an outsider is offered."""
        ...

    def writer(self, session: Session) -> AbstractContextManager[IndexWriter]:
        """Exclusive write access for one batch, or IndexBusy within the lock timeout.

        The batch is durable once the session commits (PostgreSQL) or the block ends (Whoosh).
        """
        ...

    def rebuilding(self, session: Session) -> AbstractContextManager[IndexRebuild]:
        """A new, empty index that replaces the current one atomically when the block ends."""
        ...

    def versions(self, session: Session) -> dict[str, str]:
        """Every indexed key and its document version (for verify)."""
        ...

    def needs_rebuild(self) -> bool:
        """Whether the index was built in a format this version cannot use (see rebuild)."""
        ...


def plan(parsed: ParsedQuery, synonyms: SynonymTable) -> tuple[Unit, ...]:
    """Turn parsed clauses into units, expanding runs of plain words with synonyms."""
    units: list[Unit] = []
    run: list[str] = []
    for clause in parsed.clauses:
        if not (clause.phrase or clause.prefix or clause.negated):
            run.extend(clause.words)
            continue
        units.extend(_expand_words(run, synonyms))
        run = []
        units.extend(_clause_unit(clause, synonyms))
    units.extend(_expand_words(run, synonyms))
    return tuple(units)


def _expand_words(words: list[str], synonyms: SynonymTable) -> Iterator[Unit]:
    for span, others in synonyms.segment(words):
        if len(span) == 1 and span[0] in STOP_WORDS and not others:
            continue
        alternatives = [Alternative(span)]
        alternatives += [Alternative(other, phrase=len(other) > 1) for other in others]
        yield Unit(tuple(alternatives))


def _clause_unit(clause: Clause, synonyms: SynonymTable) -> Iterator[Unit]:
    if clause.prefix:
        yield Unit((Alternative(clause.words, prefix=True),), negated=clause.negated)
        return
    if all(word in STOP_WORDS for word in clause.words):
        return
    alternatives = [Alternative(clause.words, phrase=clause.phrase)]
    if not clause.negated:
        others = synonyms.alternatives(clause.words)
        alternatives += [Alternative(other, phrase=len(other) > 1) for other in others]
    yield Unit(tuple(alternatives), negated=clause.negated)


def plain_words(units: Sequence[Unit]) -> list[str]:
    """The user's own single words (the first alternative of positive one-word units)."""
    words = []
    for unit in units:
        first = unit.alternatives[0]
        if not unit.negated and len(first.words) == 1 and not (first.prefix or first.phrase):
            words.append(first.words[0])
    return words
