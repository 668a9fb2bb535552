"""Shared, expensive reads kept a short while (FORUM_CACHE_SECONDS), and the content version.

Only what every viewer who may see the same communities sees is cached, and the key always
carries that set (visibility_key). FORUM_CACHE_SECONDS=0 turns this cache off.

Every commit that changed something bumps the content version (a "generation") and clears
the committing process's cache at once (Session listeners, installed by forum/listeners.py).
Where the version lives decides who else notices:

- Without FORUM_REDIS_URL the version is a counter in each process: the other processes
  (gunicorn workers, hosts) keep their copy until it expires (FORUM_CACHE_SECONDS), and the
  visitors' page cache (forum/page_cache.py) is per process too.
- With FORUM_REDIS_URL the version is a Redis counter (one INCR per changing commit). Each
  request reads it first (one GET, or one MGET with the cached page); a process that sees
  a new version clears its own cache, so a commit anywhere reaches every process by its
  next request. If Redis cannot be reached, each process falls back to its own counter,
  tries Redis again after RETRY_SECONDS, and clears its cache when Redis is back (commits
  made elsewhere meanwhile were not counted); requests never fail because of it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import redis
from flask import Flask, current_app, has_app_context, request
from sqlalchemy import inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from forum import policies
from forum.models import MemberStatus, User, Viewer

T = TypeVar("T")
EXTENSION = "forum_cache"
VERSION = "forum_cache_version"
CHANGED = "forum_cache_changed"
MAX_ENTRIES = 2048
CLEAR_HOOKS = "forum_cache_clear_hooks"
RETRY_SECONDS = 5.0
REDIS_TIMEOUT = 0.25
REDIS_ERRORS = (redis.RedisError, OSError)
# Rows no shared page shows: the outboxes (their drains change them after every write) and
# each member's own bookkeeping (notifications, last-seen marks, settings, medicine lists).
# A commit that changes only these leaves cached pages alone.
BOOKKEEPING_TABLES = frozenset(
    {
        "search_outbox", "mail_outbox", "notification", "notification_setting",
        "mail_preference", "newsletter_subscription", "subscription", "notice_delivery",
        "api_token", "cabinet_profile", "cabinet_entry", "cabinet_settings",
    }
)  # fmt: skip
# Account columns no page shows (a login writes last_seen_at).
PRIVATE_USER_COLUMNS = frozenset(
    {"last_seen_at", "session_version", "password_hash", "email", "health_consent_at",
     "health_consent_version"}
)  # fmt: skip
log = logging.getLogger(__name__)


class PageCache:
    """A small LRU of values that expire after `seconds`."""

    def __init__(self, seconds: float, max_entries: int = MAX_ENTRIES) -> None:
        self.seconds, self.max_entries = seconds, max_entries
        self.entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        found = self.peek(key)
        if found is not None:
            value: T = found
            return value
        value = compute()
        self.put(key, value)
        return value

    def peek(self, key: Hashable) -> Any:
        """The value kept for key, or None."""
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] <= time.monotonic():
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + self.seconds, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class ContentVersion:
    """The number of changing commits: in this process, and in Redis when configured."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.local = 0
        self.seen: int | None = None
        self.down_until = 0.0
        self.key = f"{app.config['CACHE_KEY_PREFIX']}:version"
        url = app.config.get("REDIS_URL")
        self.redis: redis.Redis | None = None
        if url:
            self.redis = redis.Redis.from_url(
                url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
            )
        self.lock = threading.Lock()

    @property
    def is_shared(self) -> bool:
        """Redis is configured and was reachable the last time it was asked."""
        return self.redis is not None and self.down_until <= time.monotonic()

    def client(self) -> redis.Redis | None:
        return self.redis if self.is_shared else None

    def failed(self, error: Exception) -> None:
        if self.down_until == 0.0:
            log.warning("redis unreachable (%s): caches are per process", type(error).__name__)
        self.down_until = time.monotonic() + RETRY_SECONDS
        self.seen = None

    def read(self, keys: Sequence[str] = ()) -> tuple[int | None, list[bytes | None]]:
        """The shared version (None without Redis) and the values of keys, in one round trip.

        A version this process has not seen yet clears its caches.
        """
        client = self.client()
        if client is None:
            return None, [None] * len(keys)
        try:
            values: list[Any] = client.mget([self.key, *keys])
        except REDIS_ERRORS as error:
            self.failed(error)
            return None, [None] * len(keys)
        version = int(values[0] or 0)
        if self.down_until:
            self.down_until = 0.0
            log.warning("redis reachable again: caches are shared")
            version = self.bump_shared(client) or version
        if version != self.seen:
            clear(self.app)
            self.seen = version
        return version, values[1:]

    def bump(self) -> None:
        """A commit changed something: clear this process's caches, tell the others."""
        with self.lock:
            self.local += 1
        clear(self.app)
        client = self.client()
        if client is not None:
            version = self.bump_shared(client)
            if version is not None:
                self.seen = version

    def bump_shared(self, client: redis.Redis) -> int | None:
        try:
            return int(client.incr(self.key))
        except REDIS_ERRORS as error:
            self.failed(error)
            return None


def init_app(app: Flask) -> None:
    """Keep the content version; with Redis, check it at the start of every request."""
    version = ContentVersion(app)
    app.extensions[VERSION] = version
    if is_enabled(app) and version.redis is not None:
        app.before_request(_check_version)


def is_enabled(app: Flask) -> bool:
    """This cache or the visitors' page cache is on: commits bump the content version."""
    return bool(_cache_seconds(app) or app.config.get("PAGE_CACHE_SECONDS"))


def content_version(app: Flask) -> ContentVersion | None:
    found: ContentVersion | None = app.extensions.get(VERSION)
    return found


def _check_version() -> None:
    if request.endpoint == "static" or request.environ.get(VERSION):
        return
    version = content_version(current_app._get_current_object())  # type: ignore[attr-defined]
    if version is not None:
        version.read()


def mark_version_checked() -> None:
    """This request read the version already (with the cached page): skip the second read."""
    request.environ[VERSION] = True


def _cache_seconds(app: Flask) -> float:
    return float(app.config.get("CACHE_SECONDS", 0) or 0)


def _cache(app: Flask) -> PageCache | None:
    seconds = _cache_seconds(app)
    if seconds <= 0:
        return None
    found: PageCache | None = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions.setdefault(EXTENSION, PageCache(seconds))
    return found


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """The value for key: from this process's cache, or computed (and kept) now."""
    cache = _cache(current_app._get_current_object())  # type: ignore[attr-defined]
    return compute() if cache is None else cache.get(key, compute)


def on_clear(app: Flask, hook: Callable[[], None]) -> None:
    """Call hook whenever this process's caches are cleared (the page cache's own store)."""
    app.extensions.setdefault(CLEAR_HOOKS, []).append(hook)


def clear(app: Flask) -> None:
    cache: PageCache | None = app.extensions.get(EXTENSION)
    if cache is not None:
        cache.clear()
    for hook in app.extensions.get(CLEAR_HOOKS, ()):
        hook()


def visibility_key(viewer: Viewer) -> tuple[Any, ...]:
    """What decides which communities a viewer sees: admin, or their private memberships."""
    if policies.is_admin(viewer):
        return ("admin",)
    memberships = policies.memberships_of(viewer)
    return tuple(sorted(cid for cid, m in memberships.items() if m.status == MemberStatus.APPROVED))


def _is_bookkeeping(obj: Any) -> bool:
    return getattr(obj, "__tablename__", None) in BOOKKEEPING_TABLES


def _changes_nothing_shown(obj: Any, session: Session) -> bool:
    """A flushed object that no shared page shows: bookkeeping rows, or an existing account
    whose only changes are private columns (a login's last_seen_at)."""
    if _is_bookkeeping(obj):
        return True
    if not isinstance(obj, User) or obj in session.new or obj in session.deleted:
        return False
    state: Any = inspect(obj)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return changed <= PRIVATE_USER_COLUMNS


def note_flush(session: Session, _context: UOWTransaction) -> None:
    """after_flush: the transaction changed content (not only outbox rows)."""
    changed = [*session.new, *session.dirty, *session.deleted]
    if not changed or not all(_changes_nothing_shown(obj, session) for obj in changed):
        session.info[CHANGED] = True


def note_statement(state: ORMExecuteState) -> None:
    """do_orm_execute: an INSERT, UPDATE or DELETE statement changes content too."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is None or not _is_bookkeeping(mapper.class_):
        state.session.info[CHANGED] = True


def bump_after_commit(session: Session) -> None:
    """after_commit: a commit that changed content bumps the version (clearing the caches)."""
    if not (session.info.pop(CHANGED, False) and has_app_context()):
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    version = content_version(app)
    if version is None:
        clear(app)
    else:
        version.bump()


def forget_change(session: Session, _transaction: Any) -> None:
    """after_soft_rollback: the change is undone."""
    session.info.pop(CHANGED, None)
