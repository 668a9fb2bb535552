"""Notifications in the forum, members' preferences, the mail outbox and the newsletter."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, parent_key


class NotificationKind(enum.StrEnum):
    REPLY_MINE = "reply_mine"
    REPLY_FOLLOWED = "reply_followed"
    MENTION = "mention"
    ENDORSED = "endorsed"
    ACCEPTED = "accepted"
    MODERATION = "moderation"
    JOIN_DECISION = "join_decision"
    JOIN_REQUEST = "join_request"
    ARTICLE_REVIEW = "article_review"
    RECONFIRMED = "reconfirmed"
    REPORT = "report"
    EXPERT_STATUS = "expert_status"
    QUESTION = "question"
    SAFETY_NOTICE = "safety_notice"


class Channel(enum.StrEnum):
    OFF = "off"
    FORUM = "forum"
    EMAIL = "email"
    DAILY = "daily"
    WEEKLY = "weekly"


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Notification(Base):
    """One event for one member; `actor_id` is None for anonymous authors."""

    __tablename__ = "notification"

    id: Mapped[IntPK]
    user_id: Mapped[int] = parent_key("user.id")
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[UserRef]
    community_id: Mapped[int | None] = parent_key("community.id")
    thread_id: Mapped[int | None] = parent_key("thread.id")
    post_id: Mapped[int | None] = parent_key("post.id")
    article_id: Mapped[int | None] = parent_key("article.id")
    # A moderator's reason or a join decision's message: shown in the forum only.
    detail: Mapped[str] = mapped_column(String(300), default="")
    # The member's channel for this kind when it was written: "daily"/"weekly" feed digests.
    channel: Mapped[str] = mapped_column(String(10), default=Channel.FORUM.value)
    is_read: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]


Index("ix_notification_user_read", Notification.user_id, Notification.is_read, Notification.id)
Index("ix_notification_digest", Notification.channel, Notification.created_at)


class NotificationSetting(Base):
    """A member's channel for one kind of event (no row: the kind's default)."""

    __tablename__ = "notification_setting"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[IntPK]
    user_id: Mapped[int] = parent_key("user.id")
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))


class MailPreference(Base):
    """Per member: full text in e-mail (opt-in) and when the last digests went out."""

    __tablename__ = "mail_preference"

    user_id: Mapped[int] = parent_key("user.id", primary_key=True, autoincrement=False)
    full_text: Mapped[bool] = mapped_column(default=False)
    daily_sent_at: Mapped[datetime | None]
    weekly_sent_at: Mapped[datetime | None]


class MailOutbox(Base):
    """One e-mail, written with its cause and sent after the commit."""

    __tablename__ = "mail_outbox"

    id: Mapped[IntPK]
    to: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[UserRef] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    # JSON: extra headers, and "base_url" for the unsubscribe link made at sending time.
    headers: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[Timestamp]
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[Timestamp]
    sent_at: Mapped[datetime | None]


Index("ix_mail_outbox_due", MailOutbox.status, MailOutbox.next_attempt_at)


class NewsletterSubscription(Base):
    """An address on the newsletter list: pending until the confirmation link is opened."""

    __tablename__ = "newsletter_subscription"

    id: Mapped[IntPK]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    user_id: Mapped[UserRef]
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]
    confirmed_at: Mapped[datetime | None]
