"""The side effects of writing (outboxes, caches), as SQLAlchemy listeners declared here.

Session-class listeners see every session of the process (requests, CLI commands, the
outboxes' own drains), so each is added once per process, however many apps are built.

Search outbox (forum/search/outbox.py), so the index never misses a change:
- after_flush: a SearchOutbox row for each thread, post, community or article the flush
  wrote, in the same transaction. SQL-level UPDATE and DELETE statements are not watched:
  the services that issue them call outbox.enqueue_threads or enqueue_articles themselves.
- after_commit: apply the transaction's rows to the index (SEARCH_DRAIN).
- after_soft_rollback: forget what the transaction queued; its rows are gone.

Mail outbox (forum/mail.py), so a message is sent only once its cause is committed:
- after_flush: the transaction wrote something (send_mail then joins it).
- after_commit: send the MailOutbox rows it queued (MAIL_DRAIN).
- after_soft_rollback: forget them.

Content version (forum/cache.py), when a cache is on (FORUM_CACHE_SECONDS or
FORUM_PAGE_CACHE_SECONDS), so no cache serves what a commit changed:
- after_flush and do_orm_execute: the transaction changed content (outbox rows do not count).
- after_commit: bump the content version, which clears the caches.
- after_soft_rollback: forget the change.

Visitors' page cache (forum/page_cache.py), when it is on:
- Community load and refresh: a page that loaded a private group is never shared.

Declared elsewhere, being rules rather than side effects: the audit log's guard, with its
model (forum/models/expert.py refuses any change to a moderation action, bulk statements
included), and the SQLite connection settings, where create_app binds the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum import cache, mail, page_cache
from forum.models import Community
from forum.search import outbox

SEARCH_OUTBOX, MAIL_OUTBOX = "search outbox", "mail outbox"
CONTENT_VERSION, PAGE_CACHE = "content version", "page cache"
# (group, target, event, function), in the order they run: after a commit, the index drain
# first, then mail, then the caches.
LISTENERS: tuple[tuple[str, Any, str, Callable[..., Any]], ...] = (
    (SEARCH_OUTBOX, Session, "after_flush", outbox.queue_flush),
    (SEARCH_OUTBOX, Session, "after_commit", outbox.drain_after_commit),
    (SEARCH_OUTBOX, Session, "after_soft_rollback", outbox.forget_queue),
    (MAIL_OUTBOX, Session, "after_flush", mail.note_writes),
    (MAIL_OUTBOX, Session, "after_commit", mail.send_after_commit),
    (MAIL_OUTBOX, Session, "after_soft_rollback", mail.forget_writes),
    (CONTENT_VERSION, Session, "after_flush", cache.note_flush),
    (CONTENT_VERSION, Session, "do_orm_execute", cache.note_statement),
    (CONTENT_VERSION, Session, "after_commit", cache.bump_after_commit),
    (CONTENT_VERSION, Session, "after_soft_rollback", cache.forget_change),
    (PAGE_CACHE, Community, "load", page_cache.note_private_community),
    (PAGE_CACHE, Community, "refresh", page_cache.note_private_community),
)


def install(app: Flask) -> None:
    """Add the listeners the app's settings need."""
    groups = {SEARCH_OUTBOX, MAIL_OUTBOX}
    if cache.is_enabled(app):
        groups.add(CONTENT_VERSION)
    if page_cache.seconds(app):
        groups.add(PAGE_CACHE)
    listen(groups)


def listen(groups: Collection[str]) -> None:
    """Add the listeners of these groups that this process does not have yet."""
    for group, target, name, function in LISTENERS:
        if group in groups and not event.contains(target, name, function):
            event.listen(target, name, function)
