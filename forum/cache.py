"""Shared, expensive reads kept a short while in each process (FORUM_CACHE_SECONDS).

Only what every viewer who may see the same communities sees is cached, and the key always
carries that set (visibility_key). A commit that changed anything clears this process's
cache at once; other processes (the other gunicorn workers) see the change when their copy
expires. FORUM_CACHE_SECONDS=0 turns caching off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from forum import policies
from forum.models import MemberStatus

T = TypeVar("T")
EXTENSION = "forum_cache"
CHANGED = "forum_cache_changed"
MAX_ENTRIES = 2048


class PageCache:
    """A small LRU of values that expire after `seconds`."""

    def __init__(self, seconds: float, max_entries: int = MAX_ENTRIES) -> None:
        self.seconds, self.max_entries = seconds, max_entries
        self.entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self.lock:
            found = self.entries.get(key)
            if found is not None and found[0] > now:
                self.entries.move_to_end(key)
                value: T = found[1]
                return value
        value = compute()
        with self.lock:
            self.entries[key] = (now + self.seconds, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def _cache(app: Flask) -> PageCache | None:
    seconds = float(app.config.get("CACHE_SECONDS", 0) or 0)
    if seconds <= 0:
        return None
    found: PageCache | None = app.extensions.get(EXTENSION)
    if found is None:
        _install_listeners()
        found = app.extensions.setdefault(EXTENSION, PageCache(seconds))
    return found


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """The value for key: from this process's cache, or computed (and kept) now."""
    cache = _cache(current_app._get_current_object())  # type: ignore[attr-defined]
    return compute() if cache is None else cache.get(key, compute)


def clear(app: Flask) -> None:
    cache: PageCache | None = app.extensions.get(EXTENSION)
    if cache is not None:
        cache.clear()


def visibility_key(viewer: Any) -> tuple[Any, ...]:
    """What decides which communities a viewer sees: admin, or their private memberships."""
    if policies.is_admin(viewer):
        return ("admin",)
    memberships = policies.memberships_of(viewer)
    return tuple(sorted(cid for cid, m in memberships.items() if m.status == MemberStatus.APPROVED))


def _flushed(session: Session, _context: UOWTransaction) -> None:
    session.info[CHANGED] = True


def _statement(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info[CHANGED] = True


def _committed(session: Session) -> None:
    if session.info.pop(CHANGED, False) and has_app_context():
        clear(current_app._get_current_object())  # type: ignore[attr-defined]


def _rolled_back(session: Session, _transaction: Any) -> None:
    session.info.pop(CHANGED, None)


def _install_listeners() -> None:
    """Clear the cache after every commit that changed something (once per process)."""
    if event.contains(Session, "after_commit", _committed):
        return
    event.listen(Session, "after_flush", _flushed)
    event.listen(Session, "do_orm_execute", _statement)
    event.listen(Session, "after_commit", _committed)
    event.listen(Session, "after_soft_rollback", _rolled_back)
