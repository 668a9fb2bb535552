"""The indexable document of each searchable thing, built from the database (the truth).

A thread's document holds what its readers see: the title, the question's text and the text
of its visible replies, its tags and community. Never e-mail addresses, author names (so no
anonymous poster can be named), deleted, hidden or pending text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from forum import policies
from forum.models import Community, Post, Thread
from forum.text import plain_text

# Document types and their labels; articles add theirs when they become searchable.
DOC_TYPES = {"question": "Questions", "discussion": "Discussions"}
MAX_BODY = 100_000
BATCH = 500


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
    version: str = field(default="", compare=False)

    def with_version(self) -> SearchDoc:
        """The same document stamped with a hash of its content (how verify spots drift)."""
        content = {k: v for k, v in asdict(self).items() if k != "version"}
        digest = hashlib.sha1(  # noqa: S324 - a change detector, not a security hash
            json.dumps(content, default=str, sort_keys=True).encode()
        ).hexdigest()
        return SearchDoc(**{**content, "version": digest})


def thread_key(thread_id: int) -> str:
    return f"thread:{thread_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    kind, _, raw_id = key.partition(":")
    return (kind, int(raw_id)) if raw_id.isdigit() else None


def indexable_threads() -> Select[int]:
    """Threads that belong in the index: published (not pending or hidden), not deleted."""
    return select(Thread.id).where(
        Thread.is_deleted == false(), Thread.status.in_(policies.PUBLISHED_STATUSES)
    )


def thread_ids_for_keys(session: Session, keys: Iterable[str]) -> set[int]:
    """The threads that outbox keys name ("thread:N", or "community:N" for all its threads)."""
    thread_ids: set[int] = set()
    community_ids: set[int] = set()
    for key in keys:
        parsed = parse_key(key)
        if parsed is None:
            continue
        kind, object_id = parsed
        if kind == "thread":
            thread_ids.add(object_id)
        elif kind == "community":
            community_ids.add(object_id)
    if community_ids:
        query = select(Thread.id).where(Thread.community_id.in_(community_ids))
        thread_ids.update(session.scalars(query))
    return thread_ids


def thread_documents(session: Session, thread_ids: Sequence[int]) -> dict[int, SearchDoc]:
    """The documents of the given threads that are indexable (the others are absent)."""
    wanted = session.scalars(indexable_threads().where(Thread.id.in_(thread_ids))).all()
    if not wanted:
        return {}
    threads = session.scalars(select(Thread).where(Thread.id.in_(wanted))).unique().all()
    texts: dict[int, list[str]] = {thread_id: [] for thread_id in wanted}
    posts = session.execute(
        select(Post.thread_id, Post.body_html)
        .where(Post.thread_id.in_(wanted), Post.is_deleted == false())
        .where(Post.is_hidden == false(), Post.is_pending == false())
        .order_by(Post.thread_id, Post.is_opening.desc(), Post.created_at, Post.id)
    )
    for thread_id, body_html in posts:
        texts[thread_id].append(plain_text(body_html))
    return {thread.id: _thread_doc(thread, texts[thread.id]) for thread in threads}


def _thread_doc(thread: Thread, texts: list[str]) -> SearchDoc:
    community: Community = thread.community
    return SearchDoc(
        key=thread_key(thread.id),
        doc_type=thread.kind.value,
        object_id=thread.id,
        title=thread.title,
        body=" ".join(text for text in texts if text)[:MAX_BODY],
        tags=" ".join(tag.name for tag in thread.tags),
        community_name=community.name,
        community_id=community.id,
        topic_id=community.topic_id,
        is_private=community.is_private,
        is_answered=thread.is_answered,
        is_endorsed=thread.has_expert_answer,
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
    ).with_version()


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(indexable_threads().subquery())) or 0


def all_documents(session: Session, batch: int = BATCH) -> Iterator[SearchDoc]:
    """Every indexable document, built in batches (for rebuild and verify)."""
    last_id = 0
    while True:
        ids = session.scalars(
            indexable_threads().where(Thread.id > last_id).order_by(Thread.id).limit(batch)
        ).all()
        if not ids:
            return
        docs = thread_documents(session, ids)
        for thread_id in ids:
            if thread_id in docs:
                yield docs[thread_id]
        last_id = ids[-1]
        session.expunge_all()
