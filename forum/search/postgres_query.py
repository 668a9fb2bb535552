"""PostgreSQL full-text search queries: a plan's units as tsqueries, ranked with BM25's idf
and the answered/endorsed/subject boosts, filtered to what the viewer may see."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, func, literal, literal_column, select

from forum.models import SearchDocument
from forum.search.backend import (
    ANSWERED_BOOST,
    BOTH_MATCH,
    ENDORSED_BOOST,
    FOCUS_MATCH,
    SYNONYM_WEIGHT,
    Alternative,
    SearchQuery,
    SubjectMatch,
    Unit,
)
from forum.search.documents import PUBLIC_COMMUNITY_ID
from forum.search.query import STOP_WORDS

CONFIG: ColumnElement[Any] = literal_column("'english'::regconfig")
D = SearchDocument

# ts_rank's weights of parts D, C, B, A (community, text, tags, title) for a long question's
# units; None keeps PostgreSQL's {0.1, 0.2, 0.4, 1.0}.
LONG_QUESTION_WEIGHTS: str | None = "{0.05, 0.1, 0.4, 1.0}"


def ranked_page(query: SearchQuery, where: ColumnElement[bool]) -> Any:
    """One page of hits (key, score, position, and the total of matches), as a subquery.

    A document's score adds up, over the query's units, how well it matches the unit
    (ts_rank) times how rare the unit is among the matching documents (BM25's idf, from
    a window count), times the answered/endorsed boost. Without the idf a long question's
    common words ("help", "information") weighed as much as the condition it names.
    """
    if query.sort == "new":
        total = func.count().over().label("total")
        rows = select(D.key, literal(0.0).label("score"), total).where(where)
        return _numbered(rows, [D.created_at.desc(), D.key], query)
    boost = (
        literal(1.0)
        + case((D.is_answered, ANSWERED_BOOST), else_=0.0)
        + case((D.is_endorsed, ENDORSED_BOOST), else_=0.0)
    )
    if query.subject.focus:
        boost = boost * _subject_factor(query.subject)
    units = [_unit_rank(unit) for unit in query.positive]
    matched = (
        select(
            D.key,
            boost.label("boost"),
            func.count().over().label("total"),
            *[D.search_vector.op("@@")(hit).cast(Integer).label(f"has_{i}")
              for i, (hit, _) in enumerate(units)],
            *[rank.label(f"rank_{i}") for i, (_, rank) in enumerate(units)],
        )
        .where(where)
        .subquery("matched")
    )  # fmt: skip
    score: ColumnElement[Any] = literal(0.0)
    for i in range(len(units)):
        found = func.sum(matched.c[f"has_{i}"]).over()
        idf = func.ln(1.0 + (matched.c.total - found + 0.5) / (found + 0.5))
        score = score + idf * matched.c[f"rank_{i}"]
    scored = select(
        matched.c.key, (score * matched.c.boost).label("score"), matched.c.total
    ).subquery("scored")
    rows = select(scored.c.key, scored.c.score, scored.c.total)
    return _numbered(rows, [scored.c.score.desc(), scored.c.key], query)


def _subject_factor(subject: SubjectMatch) -> ColumnElement[Any]:
    """A long question's reward for documents about its focus (see SubjectMatch.factor)."""
    about = D.focus.in_(sorted(subject.focus))
    return literal(1.0) + case(
        (and_(about, D.qtype.in_(sorted(subject.qtypes))), BOTH_MATCH),
        (about, FOCUS_MATCH),
        else_=0.0,
    )


def _numbered(rows: Any, order: list[Any], query: SearchQuery) -> Any:
    """The query's page of the rows in that order, numbered (the outer query keeps it)."""
    numbered = rows.add_columns(func.row_number().over(order_by=order).label("position"))
    inner = numbered.subquery("numbered")
    return (
        select(inner.c.key, inner.c.score, inner.c.position, inner.c.total)
        .order_by(inner.c.position)
        .offset(query.offset)
        .limit(query.limit)
        .subquery("page")
    )


def _unit_rank(unit: Unit) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """What a unit matches, and how well a document matches it: the words typed, plus
    their synonyms at a lower weight."""
    typed = _alternative(unit.alternatives[0])
    added = [q for q in map(_alternative, unit.alternatives[1:]) if q is not None]
    parts = [q for q in (typed, *added) if q is not None]
    # A long question's weighted units (see understanding) weigh a title match more.
    weights = LONG_QUESTION_WEIGHTS if unit.weight != 1.0 else None
    rank: ColumnElement[Any] = literal(0.0)
    if typed is not None:
        rank = rank + _rank(typed, weights)
    if added:
        rank = rank + _rank(combine_queries(func.tsquery_or, added), weights) * SYNONYM_WEIGHT
    if unit.weight != 1.0:
        rank = rank * unit.weight
    return combine_queries(func.tsquery_or, parts), rank


def _rank(tsquery: ColumnElement[Any], weights: str | None = None) -> ColumnElement[Any]:
    # ts_rank (term frequency, title weighing most): ts_rank_cd and length normalization
    # ranked worse on the MedQuAD evaluation (bench/search_eval.py).
    if weights:
        return func.ts_rank(literal_column(f"'{weights}'::float4[]"), D.search_vector, tsquery)
    return func.ts_rank(D.search_vector, tsquery)


def unit_query(unit: Unit) -> ColumnElement[Any] | None:
    queries = [q for q in map(_alternative, unit.alternatives) if q is not None]
    return combine_queries(func.tsquery_or, queries) if queries else None


def _alternative(alternative: Alternative) -> ColumnElement[Any] | None:
    words = [w for w in alternative.words if alternative.prefix or w not in STOP_WORDS]
    if not words:
        return None
    if alternative.prefix:
        return func.to_tsquery(CONFIG, f"{words[0]}:*")
    if alternative.phrase:
        return func.websearch_to_tsquery(CONFIG, '"' + " ".join(words) + '"')
    if len(words) == 1:
        return func.websearch_to_tsquery(CONFIG, words[0])
    return func.plainto_tsquery(CONFIG, " ".join(words))


def combine_queries(function: Any, queries: list[ColumnElement[Any]]) -> ColumnElement[Any]:
    return functools.reduce(lambda left, right: function(left, right), queries)


def visible_documents(allowed_community_ids: frozenset[int]) -> ColumnElement[bool]:
    """Public documents (articles, in no community) and those of the viewer's communities."""
    return D.community_id.in_(sorted({PUBLIC_COMMUNITY_ID, *allowed_community_ids}))


def search_filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = [visible_documents(query.allowed_community_ids)]
    if query.community_id is not None:
        filters.append(D.community_id == query.community_id)
    if query.topic_id is not None:
        filters.append(D.topic_id == query.topic_id)
    if query.doc_types:
        filters.append(D.doc_type.in_(sorted(query.doc_types)))
    if query.answered_only:
        filters.append(D.is_answered.is_(True))
    if query.endorsed_only:
        filters.append(D.is_endorsed.is_(True))
    if query.created_from is not None:
        filters.append(D.created_at >= query.created_from)
    if query.created_before is not None:
        filters.append(D.created_at < query.created_before)
    if query.exclude_keys:
        filters.append(D.key.not_in(sorted(query.exclude_keys)))
    return filters
