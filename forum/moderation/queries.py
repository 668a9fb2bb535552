"""Read helpers for the moderation queue and the moderators' audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from forum import policies
from forum.extensions import db
from forum.models import ModerationAction, Post, Report, ReportStatus, Thread

HISTORY_PER_AUTHOR = 5
S = TypeVar("S", bound=Select[*tuple[Any, ...]])


@dataclass
class QueueItem:
    post: Post
    priority: int
    reports: list[Report] = field(default_factory=list)
    history: list[Post] = field(default_factory=list)

    @property
    def is_urgent(self) -> bool:
        return self.priority <= 0


def _in_moderated(viewer: Any, query: S, column: Any) -> S:
    ids = policies.moderated_community_ids(viewer)
    return query if ids is None else query.where(column.in_(ids))


def report_queue(viewer: Any, limit: int = 50) -> list[QueueItem]:
    """Reported posts, self-harm and crisis first, then the oldest."""
    per_post = (
        select(
            Report.post_id,
            func.min(Report.priority).label("priority"),
            func.min(Report.created_at).label("first"),
        )
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.post_id)
    )
    grouped = _in_moderated(viewer, per_post, Report.community_id).subquery()
    rows = db.session.execute(
        select(Post, grouped.c.priority)
        .join(grouped, grouped.c.post_id == Post.id)
        .order_by(grouped.c.priority, grouped.c.first)
        .limit(limit)
    ).all()
    items = [QueueItem(post=post, priority=priority) for post, priority in rows]
    _attach(items)
    return items


def pending_queue(viewer: Any, limit: int = 50) -> list[QueueItem]:
    """Posts from new accounts waiting for approval, oldest first."""
    query = (
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.is_pending.is_(True), Post.is_deleted.is_(False))
        .order_by(Post.created_at)
        .limit(limit)
    )
    posts = db.session.scalars(_in_moderated(viewer, query, Thread.community_id)).all()
    items = [QueueItem(post=post, priority=10) for post in posts]
    _attach(items)
    return items


def _attach(items: list[QueueItem]) -> None:
    """Open reports and the authors' recent posts, in two queries for the whole page."""
    post_ids = [item.post.id for item in items]
    author_ids = {item.post.author_id for item in items if item.post.author_id}
    if not post_ids:
        return
    reports = db.session.scalars(
        select(Report)
        .where(Report.post_id.in_(post_ids), Report.status == ReportStatus.OPEN)
        .order_by(Report.priority, Report.created_at)
    ).all()
    by_post: dict[int, list[Report]] = {}
    for report in reports:
        by_post.setdefault(report.post_id, []).append(report)
    recent = db.session.scalars(
        select(Post)
        .where(Post.author_id.in_(author_ids), Post.is_deleted.is_(False))
        .order_by(Post.created_at.desc())
        .limit(HISTORY_PER_AUTHOR * max(len(author_ids), 1) * 4)
    ).all()
    by_author: dict[int, list[Post]] = {}
    for post in recent:
        if post.author_id is not None:
            history = by_author.setdefault(post.author_id, [])
            if len(history) < HISTORY_PER_AUTHOR:
                history.append(post)
    for item in items:
        item.reports = by_post.get(item.post.id, [])
        if item.post.author_id is not None:
            item.history = [
                p for p in by_author.get(item.post.author_id, []) if p.id != item.post.id
            ]


def audit_page(viewer: Any, page: int, per_page: int = 50) -> Pagination:
    """Audit entries the viewer may read: all for admins, their communities' for moderators."""
    query = select(ModerationAction).order_by(
        ModerationAction.created_at.desc(), ModerationAction.id.desc()
    )
    if not policies.is_admin(viewer):
        query = _in_moderated(viewer, query, ModerationAction.community_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
