"""Writing one event for many members: notification rows and e-mail rows in two statements.

Both are INSERT ... SELECT into the caller's transaction (never a loop, never a commit): the
recipients, their channel for the kind (their setting, else the default) and whether they
may see the content are all decided in SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    Text,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    select,
)

from forum import mail
from forum.extensions import db
from forum.models import (
    Channel,
    MailOutbox,
    MailPreference,
    MailStatus,
    Membership,
    MemberStatus,
    Notification,
    NotificationKind,
    NotificationSetting,
    User,
    utcnow,
)

K = NotificationKind
DEFAULT_CHANNELS: dict[str, str] = {kind.value: Channel.FORUM.value for kind in K} | {
    K.REPLY_MINE.value: Channel.EMAIL.value,
    K.JOIN_DECISION.value: Channel.EMAIL.value,
}
KIND_LABELS: dict[str, str] = {
    K.REPLY_MINE.value: "Replies to your questions",
    K.REPLY_FOLLOWED.value: "Replies in threads you follow",
    K.MENTION.value: "Someone mentions you",
    K.ENDORSED.value: "An expert endorses your answer",
    K.ACCEPTED.value: "Your answer helped the asker",
    K.MODERATION.value: "Moderators act on your posts",
    K.JOIN_DECISION.value: "Your requests to join a private group",
    K.JOIN_REQUEST.value: "New join requests in groups you moderate",
    K.ARTICLE_REVIEW.value: "Articles submitted for review (editors)",
    K.RECONFIRMED.value: "An expert re-confirms an endorsement after your edit",
    K.REPORT.value: "New reports in groups you moderate",
    K.EXPERT_STATUS.value: "Your expert verification is decided or about to lapse",
    K.QUESTION.value: "New unanswered questions in your expert topics",
    K.SAFETY_NOTICE.value: "Safety notices about medicines in your cabinet",
}
# Subjects without health details or group content: the default for every member.
PRIVATE_SUBJECTS: dict[str, str] = {
    K.REPLY_MINE.value: "New reply to your question",
    K.REPLY_FOLLOWED.value: "New reply in a thread you follow",
    K.MENTION.value: "You were mentioned in a post",
    K.ENDORSED.value: "An expert endorsed your answer",
    K.ACCEPTED.value: "Your answer was marked as helpful",
    K.MODERATION.value: "A moderator acted on your post",
    K.JOIN_DECISION.value: "Your request to join a group was answered",
    K.JOIN_REQUEST.value: "A new request to join a group you moderate",
    K.ARTICLE_REVIEW.value: "An article is waiting for review",
    K.RECONFIRMED.value: "An expert re-confirmed an endorsement of your answer",
    K.REPORT.value: "A new report in a group you moderate",
    K.EXPERT_STATUS.value: "News about your expert verification",
    K.QUESTION.value: "A new question in your expert topics",
    K.SAFETY_NOTICE.value: "A safety notice about a medicine in your cabinet",
}


@dataclass(frozen=True)
class Event:
    """What happened, where, and the words for an e-mail (full text only on opt-in)."""

    kind: NotificationKind
    path: str
    actor_id: int | None = None
    community_id: int | None = None
    thread_id: int | None = None
    post_id: int | None = None
    article_id: int | None = None
    detail: str = ""
    full_subject: str = ""
    private_community_id: int | None = None


def _recipients(event: Event, user_ids: Select[int]) -> Select[int, str]:
    kind = event.kind.value
    channel = func.coalesce(NotificationSetting.channel, DEFAULT_CHANNELS[kind])
    query = (
        select(User.id, channel.label("channel"))
        .outerjoin(
            NotificationSetting,
            and_(NotificationSetting.user_id == User.id, NotificationSetting.kind == kind),
        )
        .where(User.id.in_(user_ids), User.is_banned.is_(False), channel != Channel.OFF.value)
    )
    if event.actor_id is not None:
        query = query.where(User.id != event.actor_id)
    if event.private_community_id is not None:
        # Private group content reaches its approved members only (not those who left).
        query = query.where(
            exists().where(
                Membership.user_id == User.id,
                Membership.community_id == event.private_community_id,
                Membership.status == MemberStatus.APPROVED,
            )
        )
    return query


def _mail_text(event: Event, url: str, full: bool) -> str:
    lead = PRIVATE_SUBJECTS[event.kind.value]
    if full and event.full_subject:
        lead = event.full_subject
    return f"{lead}.\n\nRead it on the forum: {url}\n"


def _int(value: int | None) -> ColumnElement[int]:
    return literal(value, Integer)


def _text(value: str) -> ColumnElement[str]:
    return literal(value, Text if len(value) > 200 else String)


def write_event(event: Event, user_ids: Select[int]) -> None:
    """Notify the members `user_ids` selects (if they may see it) by their channels."""
    now = utcnow()
    recipients = _recipients(event, user_ids).subquery()
    kind = event.kind.value
    db.session.execute(
        insert(Notification).from_select(
            [
                "user_id", "kind", "actor_id", "community_id", "thread_id", "post_id",
                "article_id", "detail", "channel", "is_read", "created_at",
            ],
            select(
                recipients.c.id, _text(kind), _int(event.actor_id), _int(event.community_id),
                _int(event.thread_id), _int(event.post_id), _int(event.article_id),
                _text(event.detail[:300]), recipients.c.channel, literal(False, Boolean),
                literal(now, DateTime),
            ),
        )
    )  # fmt: skip
    if DEFAULT_CHANNELS[kind] != Channel.EMAIL.value:
        # Only members who chose e-mail for this kind can get one: start from their settings
        # (a handful) rather than from every recipient again.
        user_ids = select(NotificationSetting.user_id).where(
            NotificationSetting.kind == kind,
            NotificationSetting.channel == Channel.EMAIL.value,
            NotificationSetting.user_id.in_(user_ids),
        )
        recipients = _recipients(event, user_ids).subquery()
    url = f"{mail.base_url()}{event.path}"
    full = and_(MailPreference.full_text.is_(True), literal(bool(event.full_subject), Boolean))
    subject = PRIVATE_SUBJECTS[kind]
    mailed = (
        select(
            User.email, User.id, _text(kind),
            case((full, _text(event.full_subject[:200])), else_=_text(subject)),
            case((full, _text(_mail_text(event, url, True))),
                 else_=_text(_mail_text(event, url, False))),
            _text(""), _text(json.dumps({"base_url": mail.base_url()})),
            _text(MailStatus.PENDING.value), _int(0), literal(now, DateTime), _text(""),
            literal(now, DateTime),
        )
        .select_from(recipients)
        .join(User, User.id == recipients.c.id)
        .outerjoin(MailPreference, MailPreference.user_id == User.id)
        .where(recipients.c.channel == Channel.EMAIL.value)
    )  # fmt: skip
    db.session.execute(
        insert(MailOutbox).from_select(
            [
                "to", "user_id", "kind", "subject", "text", "html", "headers", "status",
                "attempts", "next_attempt_at", "last_error", "created_at",
            ],
            mailed,
        )
    )  # fmt: skip
    mail.mark_pending(db.session())


def one(user_id: int | None) -> Select[int]:
    """One member as a recipient selection."""
    return select(User.id).where(User.id == (user_id if user_id is not None else -1))
