"""PostgreSQL full-text search: the search_document table, a weighted tsvector and a GIN index.

Every app server queries the database directly; writes are serialized by an advisory lock
held for one transaction, and become visible with the commit that deletes their outbox rows.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from markupsafe import Markup
from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    func,
    literal,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import SearchWord
from forum.search.backend import (
    Hit,
    HitPage,
    IndexBusy,
    SearchDoc,
    SearchQuery,
)
from forum.search.collapse import COMPARED_CHARS
from forum.search.highlight import SNIPPET_SCAN_CHARS, plain_snippet, unmark_common_words
from forum.search.postgres_query import (
    CONFIG,
    D,
    combine_queries,
    ranked_page,
    search_filters,
    unit_query,
)
from forum.search.query import MAX_WORD, words_of

SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
LOCK_ID = 0x5EA2C4  # the advisory lock that serializes index writes
REBUILD_LOCK_TIMEOUT = 60.0
BATCH = 500
HEADLINE_OPTIONS = (
    "StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


class PostgresBackend:
    name = "postgres"

    def __init__(self, lock_timeout: float = 0.5) -> None:
        self.lock_timeout = lock_timeout

    # Reading

    def search(self, query: SearchQuery) -> HitPage:
        match = self._match(query)
        if match is None:
            return HitPage((), 0)
        where = and_(D.search_vector.op("@@")(match), *search_filters(query))
        session = db.session
        page = ranked_page(query, where)
        # ts_headline over a whole long thread cost more than the search (see highlight).
        scanned = func.left(D.body, SNIPPET_SCAN_CHARS)
        headline: Any = literal("")
        if query.highlight:
            headline = func.ts_headline(CONFIG, _escaped(scanned), match, HEADLINE_OPTIONS)
        # The total comes with the page (a window count): one pass over the matches, not two.
        rows = session.execute(
            select(page.c.key, page.c.score, page.c.total, headline, scanned)
            .join(D, D.key == page.c.key)
            .order_by(page.c.position)
        ).all()
        if not rows:  # past the last page, or nothing matched
            total = 0
            if query.offset:
                total = session.scalar(select(func.count()).select_from(D).where(where)) or 0
            return HitPage((), total)
        hits = tuple(
            Hit(
                key,
                float(score or 0.0),
                _snippet(marked, body) if query.highlight else plain_snippet(""),
                (body or "")[:COMPARED_CHARS],
            )
            for key, score, _total, marked, body in rows
        )
        return HitPage(hits, rows[0].total)

    def _match(self, query: SearchQuery) -> ColumnElement[Any] | None:
        positive = [q for q in map(unit_query, query.positive) if q is not None]
        if not positive:
            return None
        main = combine_queries(func.tsquery_and if query.match_all else func.tsquery_or, positive)
        negative = [q for q in map(unit_query, query.negative) if q is not None]
        if negative:
            main = func.tsquery_and(
                main, func.tsquery_not(combine_queries(func.tsquery_or, negative))
            )
        return main

    def corrections(self, word: str, allowed_community_ids: frozenset[int]) -> list[str]:
        from forum.search.postgres_spelling import corrections

        return corrections(word, allowed_community_ids)

    # Writing

    @contextmanager
    def writer(self, session: Session) -> Iterator[_Writer]:
        _lock(session, self.lock_timeout)
        yield _Writer(session)

    @contextmanager
    def rebuilding(self, session: Session) -> Iterator[_Rebuild]:
        _lock(session, REBUILD_LOCK_TIMEOUT)
        # Other transactions keep seeing the old rows until this one commits.
        session.execute(delete(D))
        session.execute(delete(SearchWord))
        yield _Rebuild(session)

    def needs_rebuild(self) -> bool:
        return False  # the columns and indexes come with the migrations

    def versions(self, session: Session) -> dict[str, str]:
        return {key: version for key, version in session.execute(select(D.key, D.version))}


class _Writer:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, docs: Sequence[SearchDoc]) -> None:
        for chunk in _chunks(docs, BATCH):
            rows = [_row(doc) for doc in chunk]
            statement = insert(D).values(rows)
            columns = {name: statement.excluded[name] for name in rows[0] if name != "key"}
            self.session.execute(
                statement.on_conflict_do_update(index_elements=["key"], set_=columns)
            )
            self.session.execute(
                update(D)
                .where(D.key.in_([doc.key for doc in chunk]))
                .values(search_vector=_vector())
            )
            _count_words(self.session, chunk)

    def delete(self, keys: Sequence[str]) -> None:
        for chunk in _chunks(keys, BATCH):
            self.session.execute(delete(D).where(D.key.in_(chunk)))


class _Rebuild(_Writer):
    def bulk(self, docs: Iterable[SearchDoc]) -> int:
        count = 0
        for chunk in _chunks(docs, BATCH):
            self.upsert(chunk)
            count += len(chunk)
        # Fresh planner statistics for the new rows, committed with them. Before autovacuum
        # got to a rebuilt table, the planner guessed a few matches per query and read every
        # document in the date range instead of the text index.
        self.session.execute(text(f"ANALYZE {D.__tablename__}"))
        return count


def _lock(session: Session, timeout: float) -> None:
    """Take the index write lock for this transaction, or raise IndexBusy after timeout."""
    deadline = time.monotonic() + timeout
    while not session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_ID))):
        if time.monotonic() >= deadline:
            raise IndexBusy("another transaction is writing the search index")
        time.sleep(0.05)


def _row(doc: SearchDoc) -> dict[str, Any]:
    return {
        "key": doc.key,
        "doc_type": doc.doc_type,
        "object_id": doc.object_id,
        "community_id": doc.community_id,
        "topic_id": doc.topic_id,
        "is_private": doc.is_private,
        "is_answered": doc.is_answered,
        "is_endorsed": doc.is_endorsed,
        "created_at": doc.created_at,
        "last_activity_at": doc.last_activity_at,
        "title": doc.title,
        "body": doc.body,
        "tags": doc.tags,
        "community_name": doc.community_name,
        "focus": doc.focus[:200],  # the column's length
        "qtype": doc.qtype,
        "version": doc.version,
        "search_vector": func.to_tsvector(SIMPLE, ""),
    }


# Starts every part after the title: a stop word is not indexed but takes a position, so a
# phrase never matches the last word of one part and the first of the next ("... blood" and
# "Sugar ...": tsvector || puts them next to each other).
PART_GAP = "the "


def _vector() -> Any:
    """Title weighs most (A), then tags (B), the text (C) and the community name (D)."""
    parts = [(D.title, "A"), (D.tags, "B"), (D.body, "C"), (D.community_name, "D")]
    vector: Any = None
    for column, weight in parts:
        part = column if vector is None else func.concat(PART_GAP, column)
        weighted = func.setweight(func.to_tsvector(CONFIG, part), literal_column(f"'{weight}'"))
        vector = weighted if vector is None else vector.op("||")(weighted)
    return vector


def _count_words(session: Session, docs: Sequence[SearchDoc]) -> None:
    """Remember the words seen (the "did you mean" vocabulary), with how many documents."""
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(
            {
                w
                for w in words_of(f"{doc.title} {doc.body}")
                if w.isalpha() and 3 <= len(w) <= MAX_WORD
            }
        )
    for chunk in _chunks(sorted(counts), 1000):
        statement = insert(SearchWord).values([{"word": w, "count": counts[w]} for w in chunk])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["word"],
                set_={"count": SearchWord.count + statement.excluded["count"]},
            )
        )


def _escaped(column: Any) -> Any:
    """HTML-escape text in SQL, before ts_headline adds its <mark> tags."""
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        column = func.replace(column, raw, entity)
    return column


def _snippet(marked: str | None, body: str) -> Markup:
    if not marked or "<mark>" not in marked:
        return plain_snippet(body)
    if "<" in marked.replace("<mark>", "").replace("</mark>", ""):
        return plain_snippet(body)  # never trust anything but our own tags
    # ts_headline ran on escaped text; stop-words and question words lose their marks.
    return Markup(unmark_common_words(marked))  # noqa: S704


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
