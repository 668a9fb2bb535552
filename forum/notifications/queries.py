"""Reads: a member's notifications (collapsed per thread), the unread count, settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from forum import policies
from forum.extensions import db
from forum.models import (
    Article,
    Community,
    MailOutbox,
    MailPreference,
    MailStatus,
    Notification,
    NotificationKind,
    NotificationSetting,
    Thread,
    User,
)
from forum.notifications.delivery import DEFAULT_CHANNELS, KIND_LABELS
from forum.policies import S

MAX_COLLAPSED = 99
Actor = aliased(User)

SUMMARIES = {
    "reply_mine": ("New reply to your question", "new replies to your question"),
    "reply_followed": ("New reply in", "new replies in"),
    "mention": ("You were mentioned in", "mentions of you in"),
    "endorsed": ("An expert endorsed your answer in", "endorsements of your answers in"),
    "accepted": ("Your answer helped the asker of", "answers of yours that helped in"),
    "moderation": ("A moderator acted on your post in", "moderator actions in"),
    "join_decision": ("Your request to join a group was answered", "join decisions"),
    "join_request": ("New request to join", "new requests to join"),
    "article_review": ("An article is waiting for review", "articles waiting for review"),
    "reconfirmed": ("An expert re-confirmed their endorsement in", "re-confirmations in"),
    "report": ("New report in", "new reports in"),
    "expert_status": ("News about your expert verification", "expert verification news"),
    "question": ("New question for experts:", "new questions for experts in"),
    "safety_notice": ("A safety notice about a medicine in your cabinet", "safety notices"),
}
# Kinds that lead to a page of their own rather than to the post.
KIND_PATHS = {
    "report": "/moderation",
    "expert_status": "/experts/apply",
    "safety_notice": "/my-medicine/alerts",
}


@dataclass
class Entry:
    """One line on the page: a notification, or several in a row about one thread."""

    id: int
    kind: str
    url: str
    is_read: bool
    created_at: datetime
    place: str
    detail: str
    actor: str | None
    count: int = 1

    @property
    def summary(self) -> str:
        one, many = SUMMARIES.get(self.kind, ("Notification", "notifications"))
        return f"{self.count} {many}" if self.count > 1 else one


def _visible(user: User, query: S) -> S:
    """A member's notifications about threads they may still see (not a group they left)."""
    threads = policies.visible_threads(user, select(Thread.id))
    # A moderator's action on the member's own post stays listed when it hid the thread.
    own = and_(
        Notification.kind == NotificationKind.MODERATION.value,
        Notification.thread_id.in_(select(Thread.id).where(Thread.author_id == user.id)),
    )
    return query.where(
        Notification.user_id == user.id,
        or_(Notification.thread_id.is_(None), Notification.thread_id.in_(threads), own),
    )


def target_path(notification: Notification, community_slug: str | None = None) -> str:
    """Where a notification leads: the exact post, the group or the review queue."""
    if notification.kind in KIND_PATHS:
        return KIND_PATHS[notification.kind]
    if notification.thread_id is not None:
        anchor = f"#post-{notification.post_id}" if notification.post_id else ""
        return f"/threads/{notification.thread_id}{anchor}"
    if notification.article_id is not None:
        return "/articles/queue"
    if community_slug:
        suffix = "/members" if notification.kind == "join_request" else ""
        return f"/c/{community_slug}{suffix}"
    return "/notifications"


def page_of(user: User, page: int, per_page: int) -> tuple[list[Entry], bool]:
    """A page of entries (newest first) and whether there are more."""
    query = (
        select(Notification, Thread.title, Community.slug, Community.name, Actor.name)
        .outerjoin(Thread, Thread.id == Notification.thread_id)
        .outerjoin(Community, Community.id == Notification.community_id)
        .outerjoin(Actor, Actor.id == Notification.actor_id)
    )
    rows = db.session.execute(
        _visible(user, query)
        .order_by(Notification.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    entries: list[Entry] = []
    for notification, title, slug, community_name, actor in rows[:per_page]:
        last = entries[-1] if entries else None
        if (
            last is not None
            and notification.thread_id is not None
            and last.kind == notification.kind
            and last.url.split("#")[0] == f"/threads/{notification.thread_id}"
            and last.is_read == notification.is_read
            and last.count < MAX_COLLAPSED
        ):
            last.count += 1
            continue
        entries.append(
            Entry(
                id=notification.id,
                kind=notification.kind,
                url=target_path(notification, slug),
                is_read=notification.is_read,
                created_at=notification.created_at,
                place=title or community_name or "",
                detail=notification.detail,
                actor=actor,
            )
        )
    return entries, len(rows) > per_page


def unread_count(user: User) -> int:
    return int(
        db.session.scalar(
            _visible(user, select(func.count(Notification.id))).where(
                Notification.is_read.is_(False)
            )
        )
        or 0
    )


def listing(user: User, page: int, per_page: int, unread_only: bool = False) -> Pagination:
    """The API's list: a page of notifications, newest first."""
    query = _visible(user, select(Notification))
    if unread_only:
        query = query.where(Notification.is_read.is_(False))
    return db.paginate(
        query.order_by(Notification.id.desc()), page=page, per_page=per_page, error_out=False
    )


def actor_ref(user_id: int) -> dict[str, object] | None:
    """The public name of who acted (already None for anonymous authors)."""
    name = db.session.scalar(select(User.name).where(User.id == user_id))
    return {"id": user_id, "name": name} if name else None


def community_slugs(notifications: list[Notification]) -> dict[int, str]:
    ids = {n.community_id for n in notifications if n.community_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(Community.id, Community.slug).where(Community.id.in_(ids)))
    return {community_id: slug for community_id, slug in rows}


def settings_of(user: User) -> tuple[dict[str, str], bool]:
    """Channel per kind (defaults filled in) and the full-text opt-in."""
    rows = db.session.execute(
        select(NotificationSetting.kind, NotificationSetting.channel).where(
            NotificationSetting.user_id == user.id
        )
    )
    chosen = {kind: channel for kind, channel in rows}
    channels = {kind: chosen.get(kind, default) for kind, default in DEFAULT_CHANNELS.items()}
    preference = db.session.get(MailPreference, user.id)
    return channels, bool(preference and preference.full_text)


def kind_labels() -> dict[str, str]:
    return dict(KIND_LABELS)


def mail_problems(limit: int = 50) -> tuple[dict[str, int], list[MailOutbox]]:
    """Counts per status and the latest messages given up (for admins)."""
    rows = db.session.execute(
        select(MailOutbox.status, func.count(MailOutbox.id)).group_by(MailOutbox.status)
    )
    counts = {status: int(count) for status, count in rows}
    failed = db.session.scalars(
        select(MailOutbox)
        .where(MailOutbox.status == MailStatus.FAILED.value)
        .order_by(MailOutbox.id.desc())
        .limit(limit)
    )
    return counts, list(failed)


def article_title(article_id: int) -> str:
    return db.session.scalar(select(Article.title).where(Article.id == article_id)) or ""
