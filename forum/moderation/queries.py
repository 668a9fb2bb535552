"""Read helpers for the moderation queue and the moderators' audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from forum import policies
from forum.crisis_rules import CrisisKind
from forum.extensions import db
from forum.models import (
    ModerationAction,
    Post,
    Report,
    ReportReason,
    ReportStatus,
    Thread,
    User,
)
from forum.policies import S

HISTORY_PER_AUTHOR = 5


@dataclass
class QueueItem:
    post: Post
    priority: int
    reports: list[Report] = field(default_factory=list)
    history: list[Post] = field(default_factory=list)

    @property
    def is_urgent(self) -> bool:
        return self.priority <= 0

    @property
    def crisis_kind(self) -> str | None:
        """What the open reports say: self-harm (a member's or the forum's), then the forum's
        own medical emergency flag; None for ordinary reports."""
        if any(report.reason == ReportReason.SELF_HARM for report in self.reports):
            return CrisisKind.SELF_HARM.value
        emergency = CrisisKind.MEDICAL_EMERGENCY.value
        raised = any(report.reporter_id is None for report in self.reports)
        return emergency if raised and self.post.crisis_kind == emergency else None


def _in_moderated(viewer: User, query: S, column: Any) -> S:
    ids = policies.moderated_community_ids(viewer)
    return query if ids is None else query.where(column.in_(ids))


def report_queue(viewer: User, limit: int = 50) -> list[QueueItem]:
    """Reported posts: self-harm first, then medical emergencies, then the oldest."""
    per_post = (
        select(
            Report.post_id,
            func.min(Report.priority).label("priority"),
            # A medical emergency shares self-harm's priority and comes after it.
            func.max(case((Report.reason == ReportReason.SELF_HARM, 1), else_=0)).label(
                "self_harm"
            ),
            func.min(Report.created_at).label("first"),
        )
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.post_id)
    )
    grouped = per_post.subquery()
    # The post's community now (a merge moves posts), not the one it was reported in.
    query = (
        select(Post, grouped.c.priority)
        .join(grouped, grouped.c.post_id == Post.id)
        .join(Thread, Thread.id == Post.thread_id)
        .options(contains_eager(Post.thread))
        .order_by(grouped.c.priority, grouped.c.self_harm.desc(), grouped.c.first)
        .limit(limit)
    )
    rows = db.session.execute(_in_moderated(viewer, query, Thread.community_id)).all()
    items = [QueueItem(post=post, priority=priority) for post, priority in rows]
    _attach(items, viewer)
    return items


def pending_queue(viewer: User, limit: int = 50) -> list[QueueItem]:
    """Posts from new accounts waiting for approval, oldest first."""
    query = (
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.is_pending.is_(True), Post.is_deleted.is_(False))
        .options(contains_eager(Post.thread))
        .order_by(Post.created_at)
        .limit(limit)
    )
    posts = db.session.scalars(_in_moderated(viewer, query, Thread.community_id)).all()
    items = [QueueItem(post=post, priority=10) for post in posts]
    _attach(items, viewer)
    return items


def _attach(items: list[QueueItem], viewer: User) -> None:
    """Open reports and the authors' recent posts, in a bounded number of queries."""
    post_ids = [item.post.id for item in items]
    if not post_ids:
        return
    reports = db.session.scalars(
        select(Report)
        .where(Report.post_id.in_(post_ids), Report.status == ReportStatus.OPEN)
        .options(joinedload(Report.reporter))
        .order_by(Report.priority, Report.created_at)
    ).all()
    by_post: dict[int, list[Report]] = {}
    for report in reports:
        by_post.setdefault(report.post_id, []).append(report)
    by_author = _recent_posts(
        viewer, {item.post.author_id for item in items if item.post.author_id}
    )
    for item in items:
        item.reports = by_post.get(item.post.id, [])
        if item.post.author_id is not None:
            others = [p for p in by_author.get(item.post.author_id, []) if p.id != item.post.id]
            item.history = others[:HISTORY_PER_AUTHOR]


def _recent_posts(viewer: User, author_ids: set[int]) -> dict[int, list[Post]]:
    """Each author's latest posts that the viewer may see under the author's name: never in
    a private group the viewer is not in, never anonymous unless the viewer may see who
    wrote it (one query, however many authors)."""
    if not author_ids:
        return {}
    newest_first = (Post.created_at.desc(), Post.id.desc())
    ranked = policies.visible_named_posts(
        viewer,
        select(
            Post.id,
            func.row_number()
            .over(partition_by=Post.author_id, order_by=newest_first)
            .label("rank"),
        )
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id.in_(author_ids)),
    ).subquery()
    recent = db.session.scalars(
        select(Post)
        .join(ranked, ranked.c.id == Post.id)
        # One more than shown: the reported post itself may be among them.
        .where(ranked.c.rank <= HISTORY_PER_AUTHOR + 1)
        .options(joinedload(Post.thread))
        .order_by(*newest_first)
    ).all()
    by_author: dict[int, list[Post]] = {}
    for post in recent:
        if post.author_id is not None:
            by_author.setdefault(post.author_id, []).append(post)
    return by_author


def audit_page(viewer: User, page: int, per_page: int = 50) -> Pagination:
    """Audit entries the viewer may read: all for admins, their communities' for moderators."""
    query = select(ModerationAction).order_by(
        ModerationAction.created_at.desc(), ModerationAction.id.desc()
    )
    if not policies.is_admin(viewer):
        query = _in_moderated(viewer, query, ModerationAction.community_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# Audit entries a member is shown about themselves, with the moderators' words.
NOTICE_ACTIONS = ("user.warn", "user.suspend", "user.ban", "user.reinstate")


def member_notices(user: User, limit: int = 100) -> list[ModerationAction]:
    """The warnings and sanctions the member received, newest first."""
    query = (
        select(ModerationAction)
        .where(
            ModerationAction.target_type == "user",
            ModerationAction.target_id == user.id,
            ModerationAction.action.in_(NOTICE_ACTIONS),
        )
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
