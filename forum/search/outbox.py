"""Index work is never lost: outbox rows in the content's transaction, drained after commit.

A flush listener adds a SearchOutbox row (keyed by thread or article) for every thread,
post, community or article that changes. SQL-level UPDATE and DELETE statements are not
watched: the services that issue them queue their work themselves with enqueue_threads,
enqueue_community or enqueue_articles. After the commit, the rows are applied to the index
in one batch and deleted; if the index is busy they stay for the next drain, `flask search
sync` or `flask search worker`. The listeners are installed by forum/listeners.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, exists, func, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from forum import background
from forum.extensions import db
from forum.models import Article, Community, Post, SearchOutbox, Thread, utcnow
from forum.search import engine
from forum.search.backend import IndexBusy, IndexWriter
from forum.search.documents import article_key, documents_for_keys, thread_key

log = logging.getLogger(__name__)

BATCH = 500
RETRY_SECONDS = 2.0
PENDING = "search_outbox_pending"
QUEUED = "search_outbox_queued"
SEARCH_MODE_PENDING = "forum_search_rows_pending"
DRAIN_SESSION = "search_drain"
DRAIN_MODES = ("sync", "thread", "search", "off")
DRAIN_THREAD = "search-drain"


def _community_key(community_id: int) -> str:
    return f"community:{community_id}"


def _loaded(obj: Any, name: str) -> Any:
    """An attribute's value, loading it only when it is not in memory already."""
    value = inspect(obj).dict.get(name)
    if value is None and not inspect(obj).deleted:
        value = getattr(obj, name, None)
    return value


def _key_with(name: str, key_of: Callable[[int], str]) -> Callable[[Any], str | None]:
    def key(obj: Any) -> str | None:
        value = _loaded(obj, name)
        return key_of(value) if isinstance(value, int) else None

    return key


# How a changed object names the index work: its thread, a whole community, or an article
# (every change of status or text: publishing, retiring, revising, deleting).
_KEYS: dict[type[Any], Callable[[Any], str | None]] = {
    Thread: _key_with("id", thread_key),
    Post: _key_with("thread_id", thread_key),
    Community: _key_with("id", _community_key),
    Article: _key_with("id", article_key),
}


def _is_indexed_change(names: Iterable[str]) -> bool:
    """Counters (reply_count, helpful_count, ...) are not in any document."""
    return any(not name.endswith("_count") for name in names)


def _changed_attributes(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).attrs if attr.history.has_changes()]


def _keys_of_flush(session: Session) -> set[str]:
    keys: set[str] = set()
    # A new community has no threads yet; a new thread or post is indexed by its thread.
    for obj in [*(o for o in session.new if not isinstance(o, Community)), *session.deleted]:
        key_of = _KEYS.get(type(obj))
        if key_of is not None and (key := key_of(obj)):
            keys.add(key)
    for obj in session.dirty:
        key_of = _KEYS.get(type(obj))
        changed = key_of is not None and _is_indexed_change(_changed_attributes(obj))
        if changed and key_of is not None and (key := key_of(obj)):
            keys.add(key)
    return keys


def _write_rows(session: Session, keys: Iterable[str]) -> None:
    """Add outbox rows for keys not yet queued in this transaction."""
    queued: set[str] = session.info.setdefault(QUEUED, set())
    new = sorted(set(keys) - queued)
    if new:
        now = utcnow()
        session.connection().execute(
            insert(SearchOutbox), [{"key": key, "created_at": now} for key in new]
        )
        queued.update(new)
        session.info[PENDING] = True


def queue_flush(session: Session, _context: UOWTransaction) -> None:
    """after_flush: queue the threads and articles the flush changed."""
    _write_rows(session, _keys_of_flush(session))


def drain_after_commit(session: Session) -> None:
    """after_commit: apply what the transaction queued (see drain_mode)."""
    session.info.pop(QUEUED, None)
    if session.info.pop(PENDING, False) and has_app_context():
        schedule_drain(current_app._get_current_object())  # type: ignore[attr-defined]


def forget_queue(session: Session, _transaction: Any) -> None:
    """after_soft_rollback: even a savepoint's rollback may have undone rows, so queue
    everything afresh."""
    session.info.pop(QUEUED, None)
    session.info.pop(PENDING, None)


def enqueue_threads(thread_ids: Iterable[int]) -> None:
    """Re-index these threads after the commit (their SQL-level UPDATE or DELETE)."""
    _write_rows(db.session(), [thread_key(thread_id) for thread_id in thread_ids])


def enqueue_articles(article_ids: Iterable[int]) -> None:
    """Re-index these articles after the commit (their SQL-level UPDATE or DELETE)."""
    _write_rows(db.session(), [article_key(article_id) for article_id in article_ids])


# Draining


@dataclass(frozen=True)
class DrainResult:
    applied: int = 0
    removed: int = 0
    rows: int = 0
    busy: bool = False


def drain_mode(app: Flask) -> str:
    """When pending rows are applied: see SEARCH_DRAIN in forum/config.py."""
    mode = str(app.config["SEARCH_DRAIN"])
    if mode == "auto":
        return "search" if app.testing else "thread"
    return mode if mode in DRAIN_MODES else "thread"


def drain_before_search() -> None:
    """In "search" mode (tests), apply pending rows before a search reads the index."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if drain_mode(app) == "search" and app.extensions.get(SEARCH_MODE_PENDING, True):
        app.extensions[SEARCH_MODE_PENDING] = False
        if _drain_logged().busy:
            app.extensions[SEARCH_MODE_PENDING] = True


def schedule_drain(app: Flask) -> None:
    mode = drain_mode(app)
    app.extensions[SEARCH_MODE_PENDING] = True
    if mode == "sync":
        _drain_logged()
    elif mode == "thread":
        background.worker(app, DRAIN_THREAD, _drain_in_background).wake()


def apply_keys(session: Session, writer: IndexWriter, keys: Iterable[str]) -> DrainResult:
    """Write the current documents of the keys' threads and articles; remove those no longer
    indexable."""
    docs, removed = documents_for_keys(session, keys)
    writer.upsert(docs)
    writer.delete(removed)
    return DrainResult(applied=len(docs), removed=len(removed))


def drain(batch: int = BATCH) -> DrainResult:
    """Apply one batch of outbox rows to the index and delete them."""
    with Session(db.engine, info={DRAIN_SESSION: True}) as session:
        if not session.scalar(select(exists().where(SearchOutbox.id.is_not(None)))):
            return DrainResult()
        try:
            # Under the writer lock, so a later drain never overwrites newer documents.
            with engine.backend().writer(session) as writer:
                rows = session.execute(
                    select(SearchOutbox.id, SearchOutbox.key).order_by(SearchOutbox.id).limit(batch)
                ).all()
                result = apply_keys(session, writer, {key for _, key in rows})
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
            session.commit()
        except IndexBusy:
            session.rollback()
            return DrainResult(busy=True)
    return DrainResult(result.applied, result.removed, len(rows))


def drain_all(max_batches: int = 1000) -> DrainResult:
    """Drain until the outbox is empty (or the index is busy)."""
    applied = removed = rows = 0
    for _ in range(max_batches):
        result = drain()
        applied, removed, rows = (
            applied + result.applied,
            removed + result.removed,
            rows + result.rows,
        )
        if result.busy or result.rows == 0:
            return DrainResult(applied, removed, rows, result.busy)
    return DrainResult(applied, removed, rows)


def pending_count() -> int:
    with Session(db.engine) as session:
        return session.scalar(select(func.count(SearchOutbox.id))) or 0


def _drain_logged() -> DrainResult:
    """drain_all; a failure is logged and taken as a busy index (the outbox keeps the work)."""
    try:
        return drain_all()
    except Exception:
        log.exception("search drain failed; the outbox keeps the work")
        return DrainResult(busy=True)


def _drain_in_background() -> float | None:
    return RETRY_SECONDS if _drain_logged().busy else None


def stop_drainer(app: Flask) -> None:
    """Stop the app's background drain thread (tests, shutdown)."""
    background.stop_worker(app, DRAIN_THREAD)
