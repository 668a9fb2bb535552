"""Whoosh's side of search: the schema, the scoring, and plans turned into Whoosh queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import BOOLEAN, DATETIME, ID, NUMERIC, TEXT, Schema
from whoosh.lang.porter2 import stem
from whoosh.query import And, AndNot, Or, Phrase, Prefix, Query, Term
from whoosh.scoring import BM25F

from forum.search.backend import (
    ANSWERED_BOOST,
    ENDORSED_BOOST,
    SYNONYM_WEIGHT,
    Alternative,
    SearchQuery,
    Unit,
)
from forum.search.documents import SearchDoc
from forum.search.query import MAX_WORD, STOP_WORDS

FIELDS = (("title", 3.0), ("body", 1.0), ("tags", 2.0), ("community", 0.5))
PHRASE_FIELDS = (("title", 3.0), ("body", 1.0))


def make_schema() -> Schema:
    # Porter2 (Snowball English), the stemmer PostgreSQL's english configuration uses.
    analyzer = StemmingAnalyzer(stemfn=stem, stoplist=STOP_WORDS, minsize=1, maxsize=MAX_WORD)
    return Schema(
        key=ID(stored=True, unique=True, sortable=True),
        version=ID(sortable=True),
        doc_type=ID,
        community_id=ID,
        topic_id=ID,
        title=TEXT(analyzer=analyzer, spelling=True),
        body=TEXT(analyzer=analyzer, stored=True, spelling=True),
        tags=TEXT(analyzer=analyzer),
        community=TEXT(analyzer=analyzer),
        answered=BOOLEAN,
        endorsed=BOOLEAN,
        created_at=DATETIME(sortable=True),
        # Percent: 100, more for answered and expert-endorsed threads (see BoostedBM25F).
        rank_boost=NUMERIC(int, bits=32, sortable=True, default=100),
    )


def doc_fields(doc: SearchDoc) -> dict[str, Any]:
    boost = round(100 * (1 + ANSWERED_BOOST * doc.is_answered + ENDORSED_BOOST * doc.is_endorsed))
    return {
        "key": doc.key,
        "version": doc.version,
        "doc_type": doc.doc_type,
        "community_id": str(doc.community_id),
        "topic_id": str(doc.topic_id),
        "title": doc.title,
        "body": doc.body,
        "tags": doc.tags,
        "community": doc.community_name,
        "answered": doc.is_answered,
        "endorsed": doc.is_endorsed,
        "created_at": doc.created_at,
        "rank_boost": boost,
    }


class BoostedBM25F(BM25F):
    """BM25F times each document's boost (answered, expert-endorsed)."""

    use_final = True

    def final(self, searcher: Any, docnum: int, score: float) -> float:
        boosts = getattr(searcher, "_forum_boosts", None)
        if boosts is None:
            boosts = searcher.reader().column_reader("rank_boost")
            searcher._forum_boosts = boosts
        return score * (boosts[docnum] or 100) / 100


class QueryBuilder:
    """Turns a search plan into a Whoosh query, analyzing words as the index did."""

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer

    def tokens(self, text: str) -> list[str]:
        return [token.text for token in self.analyzer(text)]

    def match(self, query: SearchQuery) -> Query | None:
        positive = [q for q in map(self._unit, query.positive) if q is not None]
        if not positive:
            return None
        main: Query = And(positive) if query.match_all else Or(positive)
        negative = [q for q in map(self._unit, query.negative) if q is not None]
        return AndNot(main, Or(negative)) if negative else main

    def _unit(self, unit: Unit) -> Query | None:
        # The words typed count fully; synonyms added to them count less (see backend).
        weights = [1.0] + [SYNONYM_WEIGHT] * (len(unit.alternatives) - 1)
        queries = [q for q in map(self._alternative, unit.alternatives, weights) if q is not None]
        if not queries:
            return None
        return queries[0] if len(queries) == 1 else Or(queries)

    def _alternative(self, alternative: Alternative, weight: float = 1.0) -> Query | None:
        if alternative.prefix:
            stems = self.tokens(alternative.words[0])
            start = stems[0] if stems else alternative.words[0]
            return Or([Prefix(name, start, boost=boost * weight) for name, boost in FIELDS])
        tokens = self.tokens(" ".join(alternative.words))
        if not tokens:
            return None
        if len(tokens) == 1:
            return _term(tokens[0], weight)
        if alternative.phrase:
            fields = PHRASE_FIELDS
            return Or([Phrase(name, tokens, boost=boost * weight) for name, boost in fields])
        return And([_term(token, weight) for token in tokens])

    def highlight_terms(self, units: Iterable[Unit]) -> frozenset[str]:
        words = {" ".join(a.words) for unit in units for a in unit.alternatives if not a.prefix}
        return frozenset(token for text in words for token in self.tokens(text))


def _term(token: str, weight: float = 1.0) -> Query:
    return Or([Term(name, token, boost=boost * weight) for name, boost in FIELDS])


PUBLIC_COMMUNITY_ID = "0"  # documents outside any community (articles) are public


def chosen_filters(query: SearchQuery) -> Query | None:
    """The filters the viewer chose but dates (visibility and dates: see WhooshBackend)."""
    parts: list[Query] = []
    if query.community_id is not None:
        parts.append(Term("community_id", str(query.community_id)))
    if query.topic_id is not None:
        parts.append(Term("topic_id", str(query.topic_id)))
    if query.doc_types:
        parts.append(Or([Term("doc_type", name) for name in sorted(query.doc_types)]))
    if query.answered_only:
        parts.append(Term("answered", True))
    if query.endorsed_only:
        parts.append(Term("endorsed", True))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)
