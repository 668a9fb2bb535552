"""Read helpers for public profiles: a member's public activity in a fixed few statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, case, false, func, select
from sqlalchemy.orm import contains_eager

from forum import policies
from forum.extensions import db
from forum.models import Post, Thread, User, Viewer
from forum.policies import S

LIST_LIMIT = 10


@dataclass(frozen=True)
class ActivityCounts:
    """What a profile counts: a calm reputation, no points."""

    questions: int = 0
    replies: int = 0
    helped: int = 0
    helpful_votes: int = 0
    endorsements: int = 0


def _signed_published(user: User) -> ColumnElement[bool]:
    """The member's own signed posts that are published: never anonymous (whoever asks),
    never hidden, pending or deleted (even for moderators, who see those elsewhere)."""
    return and_(
        Post.author_id == user.id,
        Post.is_anonymous == false(),
        Post.is_hidden == false(),
        Post.is_pending == false(),
        Post.is_deleted == false(),
    )


def _shown_posts(viewer: Viewer, user: User, query: S) -> S:
    """`query` (on Post) narrowed to the member's posts this viewer may read under their name."""
    joined = query.join(Thread, Thread.id == Post.thread_id)
    return policies.visible_posts(viewer, policies.visible_threads(viewer, joined)).where(
        _signed_published(user)
    )


def shown_post_count(viewer: Viewer, user: User) -> int:
    """The member's posts this viewer could read under their name: published, signed posts
    in threads the viewer may see (never private groups the viewer is not in, never
    anonymous posts, whoever asks)."""
    return db.session.scalar(_shown_posts(viewer, user, select(func.count(Post.id)))) or 0


def activity_counts(viewer: Viewer, user: User) -> ActivityCounts:
    """All the profile's counts in one statement, over the posts the viewer may see."""
    reply = Post.is_opening == false()
    # "Helped" is the asker's mark on someone else's reply, never a mark on one's own.
    helped = and_(
        reply, Thread.accepted_post_id == Post.id, Thread.author_id.is_distinct_from(user.id)
    )
    # One row of five numbers; the policies' filters are typed for one-entity selects.
    columns = cast(
        Select[Any],
        select(
            func.count(case((Post.is_opening, Post.id))),
            func.count(case((reply, Post.id))),
            func.count(case((helped, Post.id))),
            func.coalesce(func.sum(Post.helpful_count), 0),
            func.coalesce(func.sum(Post.endorsement_count), 0),
        ),
    )
    row = db.session.execute(_shown_posts(viewer, user, columns)).one()
    return ActivityCounts(*(int(value or 0) for value in row))


def _recent_replies(viewer: Viewer, user: User, endorsed_only: bool) -> list[Post]:
    query = _shown_posts(viewer, user, select(Post)).where(Post.is_opening == false())
    if endorsed_only:
        # endorsement_count holds current endorsements only (refresh_endorsements).
        query = query.where(Post.endorsement_count > 0)
    query = (
        query.options(contains_eager(Post.thread).lazyload(Thread.tags))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(LIST_LIMIT)
    )
    return list(db.session.scalars(query).unique())


def recent_replies(viewer: Viewer, user: User) -> list[Post]:
    """The member's latest signed replies the viewer may read, each with its thread."""
    return _recent_replies(viewer, user, endorsed_only=False)


def endorsed_replies(viewer: Viewer, user: User) -> list[Post]:
    """The member's signed replies that an expert vouches for (and has not been edited since)."""
    return _recent_replies(viewer, user, endorsed_only=True)
