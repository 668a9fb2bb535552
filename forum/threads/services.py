"""Threads and posts: asking, replying, editing, deleting, voting, accepting, following."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from forum import policies
from forum.errors import NotFound
from forum.experts.services import refresh_endorsements
from forum.extensions import db
from forum.models import (
    Community,
    Post,
    PostRevision,
    Subscription,
    Tag,
    Thread,
    ThreadKind,
    ThreadStatus,
    User,
    Vote,
    utcnow,
)
from forum.notifications import events as notification_events
from forum.notifications import services as notifications
from forum.safety import Assessment
from forum.search import outbox
from forum.threads import screening
from forum.threads.content import check_body, check_title, normalize_tags, render_body

log = logging.getLogger(__name__)


def _tags_for(names: list[str]) -> list[Tag]:
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
        tags.append(tag)
    return tags


def _follow(user: User, thread: Thread) -> None:
    exists = db.session.scalar(
        select(Subscription.id).where(
            Subscription.user_id == user.id, Subscription.thread_id == thread.id
        )
    )
    if not exists:
        db.session.add(Subscription(user_id=user.id, thread_id=thread.id))


def _count_posts(user: User, change: int) -> None:
    db.session.execute(
        update(User).where(User.id == user.id).values(post_count=User.post_count + change)
    )


def _add_post(
    user: User,
    thread: Thread,
    body: str,
    assessment: Assessment,
    must_wait: bool,
    *,
    anonymous: bool,
    now: datetime,
    opening: bool = False,
) -> Post:
    """A new post with its screened text, waiting for approval when it must."""
    post = Post(
        thread_id=thread.id,
        author_id=user.id,
        is_anonymous=anonymous,
        is_opening=opening,
        body_source=body,
        body_html=render_body(body),
        created_at=now,
        is_pending=must_wait,
    )
    db.session.add(post)
    screening.flag(post, thread.community_id, assessment)
    return post


def create_thread(
    user: User,
    community: Community,
    title: str,
    body: str,
    tags: str | Iterable[str] = (),
    *,
    anonymous: bool = False,
    kind: ThreadKind = ThreadKind.QUESTION,
    confirm_personal_info: bool = False,
    announce: bool = True,
) -> Thread:
    """Ask a question or start a discussion in a community.

    announce=False (bulk imports of answered reference questions) tells no expert about it.
    """
    policies.require(
        policies.can_post_in_community(user, community),
        hide=not policies.can_view_community_content(user, community),
        message="Join this community to post in it.",
    )
    if anonymous:
        policies.require(
            policies.can_post_anonymously(user, community),
            message="This community does not allow anonymous posts.",
        )
    title, body, tag_names = check_title(title), check_body(body), normalize_tags(tags)
    assessment, must_wait = screening.screen(user, community, body, confirm_personal_info)
    now = utcnow()
    thread = Thread(
        community_id=community.id,
        author_id=user.id,
        is_anonymous=anonymous,
        kind=kind,
        title=title,
        created_at=now,
        last_activity_at=now,
        tags=_tags_for(tag_names),
        status=ThreadStatus.PENDING if must_wait else ThreadStatus.OPEN,
    )
    db.session.add(thread)
    db.session.flush()
    opening = _add_post(
        user, thread, body, assessment, must_wait, anonymous=anonymous, now=now, opening=True
    )
    db.session.flush()
    thread.opening_post_id = opening.id
    db.session.execute(
        update(Community)
        .where(Community.id == community.id)
        .values(thread_count=Community.thread_count + 1)
    )
    if not anonymous:
        _count_posts(user, 1)
    _follow(user, thread)
    if announce:
        notification_events.question_asked(thread)
    db.session.commit()
    log.info("thread %s created in community %s", thread.id, community.id)
    return thread


def post_reply(
    user: User,
    thread: Thread,
    body: str,
    *,
    anonymous: bool = False,
    confirm_personal_info: bool = False,
) -> Post:
    """Reply to a thread."""
    policies.require(policies.can_view_thread(user, thread), hide=True)
    policies.require(
        policies.can_reply(user, thread),
        message="This thread is locked." if thread.is_locked else "You cannot reply here.",
    )
    if anonymous:
        policies.require(
            policies.can_post_anonymously(user, thread.community),
            message="This community does not allow anonymous posts.",
        )
    body = check_body(body)
    assessment, must_wait = screening.screen(user, thread.community, body, confirm_personal_info)
    now = utcnow()
    post = _add_post(user, thread, body, assessment, must_wait, anonymous=anonymous, now=now)
    if not must_wait:
        # Counters in SQL: two members replying at once both count.
        db.session.execute(
            update(Thread)
            .where(Thread.id == thread.id)
            .values(reply_count=Thread.reply_count + 1, last_activity_at=now)
        )
        # The last activity is in the thread's search document.
        outbox.enqueue_threads([thread.id])
    if not anonymous:
        _count_posts(user, 1)
    _follow(user, thread)
    notifications.reply_posted(post)
    db.session.commit()
    return post


def edit_post(
    user: User,
    post: Post,
    body: str,
    title: str | None = None,
    *,
    confirm_personal_info: bool = False,
) -> Post:
    """Change a post (and, for the opening post, the title); the old text is kept.

    The new text passes the checks of a new post (forum.threads.screening).
    """
    policies.require(policies.can_edit_post(user, post))
    if screening.apply_edit(
        user, post, body, title=title, confirm_personal_info=confirm_personal_info
    ):
        db.session.commit()
    return post


def delete_post(user: User, post: Post) -> None:
    """Soft-delete: the text is gone from pages; a deleted opening post deletes the thread."""
    policies.require(policies.can_delete_post(user, post))
    post.is_deleted = True
    post.body_source = ""
    post.body_html = ""
    thread = post.thread
    if post.is_opening:
        thread.is_deleted = True
        db.session.execute(
            update(Community)
            .where(Community.id == thread.community_id)
            .values(thread_count=Community.thread_count - 1)
        )
    else:
        db.session.execute(
            update(Thread).where(Thread.id == thread.id).values(reply_count=Thread.reply_count - 1)
        )
        if thread.accepted_post_id == post.id:
            thread.accepted_post_id = None
    # Revisions hold the old text: deleting means it is gone everywhere.
    db.session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
    db.session.execute(delete(Vote).where(Vote.post_id == post.id))
    post.helpful_count = 0
    if not post.is_anonymous and post.author is not None:
        _count_posts(post.author, -1)
    # A deleted reply vouches for nothing: its thread may lose the "Expert-endorsed" badge.
    refresh_endorsements(post)
    db.session.commit()


def vote_helpful(user: User, post: Post) -> None:
    """Mark a reply helpful (once per member)."""
    policies.require(policies.can_view_thread(user, post.thread), hide=True)
    policies.require(policies.can_vote(user, post), message="You cannot vote on this post.")
    exists = db.session.scalar(
        select(Vote.id).where(Vote.post_id == post.id, Vote.user_id == user.id)
    )
    if exists:
        return
    db.session.add(Vote(post_id=post.id, user_id=user.id))
    db.session.execute(
        update(Post).where(Post.id == post.id).values(helpful_count=Post.helpful_count + 1)
    )
    db.session.commit()


def withdraw_vote(user: User, post: Post) -> None:
    policies.require(policies.can_view_thread(user, post.thread), hide=True)
    removed = db.session.execute(
        delete(Vote).where(Vote.post_id == post.id, Vote.user_id == user.id)
    ).rowcount  # type: ignore[attr-defined]
    if removed:
        db.session.execute(
            update(Post).where(Post.id == post.id).values(helpful_count=Post.helpful_count - 1)
        )
    db.session.commit()


def accept_answer(user: User, thread: Thread, post: Post | None) -> None:
    """The asker marks the reply that helped (or None to take the mark back)."""
    policies.require(policies.can_view_thread(user, thread), hide=True)
    policies.require(
        policies.can_accept(user, thread, post), message="Only the asker can mark what helped."
    )
    thread.accepted_post_id = post.id if post is not None else None
    notifications.answer_accepted(post)
    db.session.commit()


def follow_thread(user: User, thread: Thread) -> None:
    policies.require(policies.can_follow(user, thread), hide=True)
    _follow(user, thread)
    db.session.commit()


def unfollow_thread(user: User, thread: Thread) -> None:
    db.session.execute(
        delete(Subscription).where(
            Subscription.user_id == user.id, Subscription.thread_id == thread.id
        )
    )
    db.session.commit()


def mark_thread_seen(user: User, thread: Thread) -> None:
    """A follower has read the thread up to now (written only when there was news)."""
    db.session.execute(
        update(Subscription)
        .where(
            Subscription.user_id == user.id,
            Subscription.thread_id == thread.id,
            Subscription.last_seen_at < thread.last_activity_at,
        )
        .values(last_seen_at=func.coalesce(thread.last_activity_at, utcnow()))
    )
    db.session.commit()


def thread_by_id(thread_id: int) -> Thread:
    # The opening post comes in the same query: every thread page shows it.
    thread = db.session.get(Thread, thread_id, options=[joinedload(Thread.opening_post)])
    if thread is None:
        raise NotFound()
    return thread


def post_by_id(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound()
    return post
