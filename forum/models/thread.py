"""Threads (a question or a discussion), their tags and followers."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, association_table, enum_type, parent_key
from forum.models.community import Community
from forum.models.user import User

if TYPE_CHECKING:
    from forum.models.post import Post


class ThreadKind(enum.StrEnum):
    QUESTION = "question"
    DISCUSSION = "discussion"


class ThreadStatus(enum.StrEnum):
    OPEN = "open"
    LOCKED = "locked"
    HIDDEN = "hidden"
    # The opening post waits for a moderator (new-account safeguards).
    PENDING = "pending"


thread_tag = association_table("thread_tag", ("thread_id", "thread.id"), ("tag_id", "tag.id"))


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(35), unique=True)


class Thread(Base):
    __tablename__ = "thread"

    id: Mapped[IntPK]
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    author_id: Mapped[UserRef]
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[ThreadKind] = mapped_column(enum_type(ThreadKind), default=ThreadKind.QUESTION)
    title: Mapped[str] = mapped_column(String(150))
    status: Mapped[ThreadStatus] = mapped_column(enum_type(ThreadStatus), default=ThreadStatus.OPEN)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    # The opening post (the question's body); replies are the other posts.
    opening_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", use_alter=True, ondelete="SET NULL")
    )
    accepted_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", use_alter=True, ondelete="SET NULL")
    )
    has_expert_answer: Mapped[bool] = mapped_column(default=False)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    # A duplicate merged into another question points readers there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("thread.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    reply_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[Timestamp]
    last_activity_at: Mapped[Timestamp]
    # Imported reference content keeps where it came from.
    source_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    source_url: Mapped[str | None] = mapped_column(String(500))

    community: Mapped[Community] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tag, lazy="selectin", order_by=Tag.name)
    opening_post: Mapped[Post | None] = relationship(
        foreign_keys=[opening_post_id], post_update=True
    )

    @property
    def is_answered(self) -> bool:
        return self.accepted_post_id is not None or self.has_expert_answer

    @property
    def is_locked(self) -> bool:
        return self.status == ThreadStatus.LOCKED

    @property
    def is_hidden(self) -> bool:
        return self.status == ThreadStatus.HIDDEN


Index("ix_thread_community_activity", Thread.community_id, Thread.last_activity_at, Thread.id)
Index("ix_thread_community_created", Thread.community_id, Thread.created_at, Thread.id)
Index("ix_thread_author", Thread.author_id, Thread.created_at)


class Subscription(Base):
    """A member follows a thread; last_seen_at marks what they have read."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[IntPK]
    user_id: Mapped[int] = parent_key("user.id")
    thread_id: Mapped[int] = parent_key("thread.id", index=True)
    last_seen_at: Mapped[Timestamp]
    created_at: Mapped[Timestamp]

    thread: Mapped[Thread] = relationship()
