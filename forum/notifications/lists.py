"""What thread lists show besides the thread: new replies since the member's last visit,
the last reply and its author, helpful votes, and relative times.

`list_marks(viewer, threads)` is called once per list page (two statements at most, never
one per row); `ago(moment)` renders "3 hours ago" with the exact time on hover.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape
from sqlalchemy import func, or_, select

from forum import policies
from forum.extensions import db
from forum.models import Post, Subscription, Thread, User, Viewer
from forum.templating import relative


@dataclass
class LastPost:
    """The newest visible post of a thread: when, and its author's public name."""

    at: datetime
    author: str | None
    is_anonymous: bool


@dataclass
class ListMarks:
    viewer: Viewer | None = None
    new_replies: dict[int, int] = field(default_factory=dict)
    last_post: dict[int, LastPost] = field(default_factory=dict)
    asker: dict[int, LastPost] = field(default_factory=dict)
    helpful: dict[int, int] = field(default_factory=dict)


def ago(moment: datetime | None) -> Markup:
    """`<time>` reading "3 hours ago", with the exact UTC time as its title."""
    if moment is None:
        return Markup("")
    iso = moment.strftime("%Y-%m-%dT%H:%MZ")
    exact = moment.strftime("%d %b %Y, %H:%M UTC")
    text = relative(moment)
    return Markup(  # noqa: S704 - every value escaped
        f'<time datetime="{escape(iso)}" title="{escape(exact)}">{escape(text)}</time>'
    )


def _new_replies(viewer: User, ids: list[int]) -> dict[int, int]:
    """Visible replies by others since the member last opened each followed thread."""
    rows = db.session.execute(
        select(Subscription.thread_id, func.count(Post.id))
        .join(Post, Post.thread_id == Subscription.thread_id)
        .where(
            Subscription.user_id == viewer.id,
            Subscription.thread_id.in_(ids),
            Post.created_at > Subscription.last_seen_at,
            Post.is_opening.is_(False),
            Post.is_hidden.is_(False),
            Post.is_pending.is_(False),
            Post.is_deleted.is_(False),
            Post.author_id.is_distinct_from(viewer.id),
        )
        .group_by(Subscription.thread_id)
    )
    return {thread_id: int(count) for thread_id, count in rows}


def _last_posts(ids: list[int], marks: ListMarks) -> None:
    """Per thread: the asker, the newest visible post with its author, the helpful votes."""
    ranked = (
        select(
            Post.thread_id,
            Post.is_opening,
            Post.created_at,
            Post.is_anonymous,
            User.name,
            func.sum(Post.helpful_count).over(partition_by=Post.thread_id).label("helpful"),
            func.row_number()
            .over(partition_by=Post.thread_id, order_by=(Post.created_at.desc(), Post.id.desc()))
            .label("rank"),
        )
        .outerjoin(User, User.id == Post.author_id)
        .where(
            Post.thread_id.in_(ids),
            Post.is_hidden.is_(False),
            Post.is_pending.is_(False),
            Post.is_deleted.is_(False),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked).where(or_(ranked.c.rank == 1, ranked.c.is_opening.is_(True)))
    )
    for thread_id, is_opening, at, is_anonymous, name, votes, rank in rows:
        post = LastPost(at, None if is_anonymous else name, bool(is_anonymous))
        if rank == 1:
            marks.last_post[thread_id] = post
        if is_opening:
            marks.asker[thread_id] = post
        marks.helpful[thread_id] = int(votes or 0)


def list_marks(viewer: Viewer, threads: Sequence[Thread]) -> ListMarks:
    """Everything a page of thread rows needs beyond the threads, in two statements."""
    ids = [thread.id for thread in threads]
    marks = ListMarks(viewer=viewer)
    if not ids:
        return marks
    if policies.is_member(viewer):
        marks.new_replies = _new_replies(viewer, ids)
    _last_posts(ids, marks)
    return marks


def split_new(posts: Sequence[Post], seen_before: datetime | None, viewer: Viewer) -> list[Post]:
    """The posts of a page that are new to the member: others' posts since their last visit."""
    if seen_before is None:
        return []
    viewer_id = getattr(viewer, "id", None)
    return [p for p in posts if p.created_at > seen_before and p.author_id != viewer_id]
