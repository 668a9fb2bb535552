"""Search outside HTTP: engine latency per backend, SQLite FTS5 as the baseline, index writes.

Every backend answers the same SearchQuery objects, built from the 200 fixed queries the way
the search page builds them (parsed, planned with synonyms, filtered to what a visitor sees).
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_start
from pathlib import Path
from typing import Any

from flask import Flask
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index

from forum.extensions import db
from forum.models import Community, HealthTopic
from forum.search import engine
from forum.search.backend import Alternative, SearchDoc, SearchQuery, Unit, plan
from forum.search.documents import DOC_TYPES, all_documents
from forum.search.forms import read_params
from forum.search.query import parse
from forum.search.services import allowed_community_ids
from forum.search.whoosh_query import doc_fields, make_schema

# Title, body, tags, community: the title three times the body, as in both engines.
FTS_WEIGHTS = "3.0, 1.0, 2.0, 0.5"


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    mean_ms: float
    queries: int
    with_hits: int

    def as_dict(self) -> dict[str, float | int]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in vars(self).items()}


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(search: Callable[[SearchQuery], int], queries: Sequence[SearchQuery]) -> Latency:
    """One warm-up pass, then two timed passes over every query."""
    for query in queries:
        search(query)
    samples, with_hits = [], 0
    for _ in range(2):
        for query in queries:
            started = time.perf_counter()
            total = search(query)
            samples.append((time.perf_counter() - started) * 1000)
            with_hits += bool(total)
    return Latency(
        percentile(samples, 0.5),
        percentile(samples, 0.95),
        statistics.fmean(samples) if samples else 0.0,
        len(queries),
        with_hits // 2,
    )


def build_queries(app: Flask, args: list[dict[str, str]]) -> list[SearchQuery]:
    """The search page's engine queries for an anonymous visitor (first page, AND of words)."""
    with app.test_request_context():
        slugs = {
            slug: id_ for slug, id_ in db.session.execute(select(Community.slug, Community.id))
        }
        topics = {
            slug: id_ for slug, id_ in db.session.execute(select(HealthTopic.slug, HealthTopic.id))
        }
        allowed = allowed_community_ids(AnonymousUserMixin())
        synonyms = engine.synonyms()
        queries = []
        for arg in args:
            params = read_params(arg, DOC_TYPES)
            start = datetime.combine(params.date_from, day_start()) if params.date_from else None
            end = _day_after(params.date_to)
            queries.append(
                SearchQuery(
                    units=plan(parse(params.q), synonyms),
                    allowed_community_ids=allowed,
                    sort=params.sort,
                    community_id=slugs.get(params.community),
                    topic_id=topics.get(params.topic),
                    doc_types=frozenset({params.doc_type} if params.doc_type else ()),
                    answered_only=params.answered,
                    endorsed_only=params.endorsed,
                    created_from=start,
                    created_before=end,
                )
            )
        db.session.remove()
    return queries


def _day_after(value: date | None) -> datetime | None:
    return datetime.combine(value, day_start()) + timedelta(days=1) if value else None


def engine_latency(app: Flask, queries: Sequence[SearchQuery], hot_cache: bool = False) -> Latency:
    """The app's configured backend (Whoosh or PostgreSQL), called as the search page does.

    Whoosh keeps recent result pages (its hot-query cache); the timed passes repeat the same
    queries, so without `hot_cache` the cache is turned off and every query is computed.
    """
    with app.app_context():
        # Only the Whoosh backend keeps result pages.
        backend: Any = engine.backend()
        saved = getattr(backend, "result_cache_size", None)
        if saved is not None:
            backend.result_cache_size = saved if hot_cache else 0
        try:
            latency = measure(lambda query: backend.search(query).total, queries)
        finally:
            if saved is not None:
                backend.result_cache_size = saved
        db.session.remove()
        close = getattr(backend, "close", None)
        if close is not None:
            close()
    return latency


def collect_documents(app: Flask) -> list[SearchDoc]:
    """Every indexable document, built from the database as a rebuild builds them."""
    with app.app_context(), Session(db.engine) as session:
        return list(all_documents(session))


def bare_whoosh_rate(docs: Sequence[SearchDoc], directory: Path) -> tuple[float, float]:
    """Seconds and docs/s of a bare Whoosh bulk writer (the same schema and documents)."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(directory), make_schema())
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(**doc_fields(doc))
    writer.commit()
    seconds = time.perf_counter() - started
    ix.close()
    shutil.rmtree(directory, ignore_errors=True)
    return seconds, len(docs) / seconds if seconds else 0.0


class Fts5Baseline:
    """The same documents in a SQLite FTS5 table (porter stemmer, bm25 with the same weights)."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.connection = sqlite3.connect(path)

    def close(self) -> None:
        self.connection.close()

    def build(self, docs: Iterable[SearchDoc]) -> float:
        started = time.perf_counter()
        self.connection.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, tags, community, key UNINDEXED, "
            "doc_type UNINDEXED, community_id UNINDEXED, topic_id UNINDEXED, answered UNINDEXED, "
            "endorsed UNINDEXED, created_at UNINDEXED, boost UNINDEXED, "
            "tokenize='porter unicode61')"
        )
        rows = (
            (d.title, d.body, d.tags, d.community_name, d.key, d.doc_type, d.community_id,
             d.topic_id, int(d.is_answered), int(d.is_endorsed), d.created_at.isoformat(" "),
             doc_fields(d)["rank_boost"])
            for d in docs
        )  # fmt: skip
        marks = ", ".join("?" * 12)
        self.connection.executemany(f"INSERT INTO docs VALUES ({marks})", rows)  # noqa: S608
        self.connection.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        self.connection.commit()
        return time.perf_counter() - started

    def search(self, query: SearchQuery) -> int:
        """Ranked first page with snippets, and the total, like the engines."""
        match = fts_match(query)
        if match is None:
            return 0
        where, params = _fts_filters(query)
        params = [match, *params]
        order = "created_at DESC" if query.sort == "new" else "score"
        self.connection.execute(
            f"SELECT key, bm25(docs, {FTS_WEIGHTS}) * boost / 100.0 AS score, "  # noqa: S608
            "snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs "
            f"WHERE docs MATCH ? {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, query.limit, query.offset],
        ).fetchall()
        count = f"SELECT count(*) FROM docs WHERE docs MATCH ? {where}"  # noqa: S608
        total: int = self.connection.execute(count, params).fetchone()[0]
        return total


def _fts_filters(query: SearchQuery) -> tuple[str, list[Any]]:
    allowed = sorted(query.allowed_community_ids)
    # Community 0 holds the documents outside any community (articles): they are public.
    clauses = [f"AND community_id IN (0, {', '.join('?' * len(allowed))})"]
    params: list[Any] = list(allowed)
    checks = (
        ("community_id = ?", query.community_id),
        ("topic_id = ?", query.topic_id),
        ("answered = 1", None if not query.answered_only else True),
        ("endorsed = 1", None if not query.endorsed_only else True),
        ("created_at >= ?", query.created_from and query.created_from.isoformat(" ")),
        ("created_at < ?", query.created_before and query.created_before.isoformat(" ")),
    )
    for clause, value in checks:
        if value is not None:
            clauses.append(f"AND {clause}")
            if "?" in clause:
                params.append(value)
    if query.doc_types:
        clauses.append(f"AND doc_type IN ({', '.join('?' * len(query.doc_types))})")
        params.extend(sorted(query.doc_types))
    return " ".join(clauses), params


def fts_match(query: SearchQuery) -> str | None:
    """The plan's units as an FTS5 MATCH expression (the same logic as the engines)."""
    positive = [m for m in map(_fts_unit, query.positive) if m]
    if not positive:
        return None
    main = f" {'AND' if query.match_all else 'OR'} ".join(positive)
    negative = [m for m in map(_fts_unit, query.negative) if m]
    return f"({main}) NOT ({' OR '.join(negative)})" if negative else main


def _fts_unit(unit: Unit) -> str:
    alternatives = [a for a in map(_fts_alternative, unit.alternatives) if a]
    return f"({' OR '.join(alternatives)})" if alternatives else ""


def _fts_alternative(alternative: Alternative) -> str:
    words = [w.replace('"', '""') for w in alternative.words if w]
    if not words:
        return ""
    if alternative.prefix:
        return f'"{words[0]}"*'
    if alternative.phrase:
        return '"' + " ".join(words) + '"'
    return "(" + " AND ".join(f'"{w}"' for w in words) + ")"
