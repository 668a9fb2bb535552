"""Read helpers for thread pages and the followed-threads page."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forum import policies
from forum.errors import NotFound
from forum.extensions import db
from forum.models import (
    Post,
    PostRevision,
    Subscription,
    Tag,
    Thread,
    User,
    Viewer,
    Vote,
    thread_tag,
)

REPLIES_PER_PAGE = 30


def thread_for_page(thread_id: int) -> Thread:
    """A thread with its opening post and its tags, in one statement.

    The tags are joined flat, not through the nested join joinedload writes for a
    many-to-many: SQLite would build that join from the whole tag table on every view.
    """
    query = (
        select(Thread)
        .outerjoin(thread_tag, thread_tag.c.thread_id == Thread.id)
        .outerjoin(Tag, Tag.id == thread_tag.c.tag_id)
        .where(Thread.id == thread_id)
        .order_by(Tag.name)
        .options(joinedload(Thread.opening_post), contains_eager(Thread.tags))
    )
    thread = db.session.scalars(query).unique().one_or_none()
    if thread is None:
        raise NotFound()
    return thread


def replies_page(viewer: Viewer, thread: Thread, page: int, newest_first: bool) -> Pagination:
    """Replies: endorsed, then accepted, then most helpful, then oldest (or newest first).

    Hidden and waiting replies are left out, except for moderators and their authors.
    """
    query = select(Post).where(Post.thread_id == thread.id, Post.is_opening.is_(False))
    if not policies.can_moderate_community(viewer, thread.community):
        shown = (Post.is_hidden.is_(False)) & (Post.is_pending.is_(False))
        if policies.is_member(viewer) or getattr(viewer, "id", None):
            shown = shown | (Post.author_id == viewer.id)
        query = query.where(shown)
    if newest_first:
        query = query.order_by(Post.created_at.desc(), Post.id.desc())
    else:
        endorsed_first = case((Post.endorsement_count > 0, 0), else_=1)
        accepted_first = case((Post.id == thread.accepted_post_id, 0), else_=1)
        query = query.order_by(
            endorsed_first, accepted_first, Post.helpful_count.desc(), Post.created_at, Post.id
        )
    # A reply shows its author's name only: the rest of the account row stays unread.
    query = query.options(joinedload(Post.author).load_only(User.name, User.is_banned))
    replies = db.paginate(query, page=page, per_page=REPLIES_PER_PAGE, error_out=False, count=False)
    # The thread keeps its reply count in SQL: no COUNT over a long thread on every view.
    replies.total = thread.reply_count
    # Each reply's thread is this one: set it, rather than a lazy load per reply (the page's
    # permission checks read post.thread for every post).
    for post in replies.items:
        set_committed_value(post, "thread", thread)
    return replies


def voted_post_ids(viewer: Viewer, posts: list[Post]) -> set[int]:
    if not policies.is_member(viewer) or not posts:
        return set()
    ids = [post.id for post in posts]
    return set(
        db.session.scalars(
            select(Vote.post_id).where(Vote.user_id == viewer.id, Vote.post_id.in_(ids))
        )
    )


def subscription_of(viewer: Viewer, thread: Thread) -> Subscription | None:
    if not policies.is_member(viewer):
        return None
    return db.session.scalar(
        select(Subscription).where(
            Subscription.user_id == viewer.id, Subscription.thread_id == thread.id
        )
    )


def followed_threads(viewer: User, page: int, per_page: int) -> Pagination:
    """Followed threads the viewer may still see, those with news first."""
    query = (
        policies.visible_threads(viewer, select(Subscription))
        .join(Thread, Subscription.thread_id == Thread.id)
        .where(Subscription.user_id == viewer.id)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .options(contains_eager(Subscription.thread))
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def user_threads(viewer: Viewer, user: User, limit: int = 20) -> list[Thread]:
    """A profile's threads: never anonymous ones, only those the viewer may see."""
    query = (
        policies.visible_threads(viewer, select(Thread))
        .where(Thread.author_id == user.id, Thread.is_anonymous.is_(False))
        .order_by(Thread.created_at.desc())
        .options(selectinload(Thread.tags))
        .limit(limit)
    )
    return list(db.session.scalars(query))


def revisions(post: Post) -> list[PostRevision]:
    query = (
        select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .order_by(PostRevision.created_at.desc(), PostRevision.id.desc())
        .limit(200)
    )
    return list(db.session.scalars(query))
