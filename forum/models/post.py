"""Posts (the opening post of a thread and its replies), their revisions and helpful votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, parent_key
from forum.models.thread import Thread
from forum.models.user import User


class Post(Base):
    __tablename__ = "post"

    id: Mapped[IntPK]
    thread_id: Mapped[int] = parent_key("thread.id")
    author_id: Mapped[UserRef]
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    is_opening: Mapped[bool] = mapped_column(default=False)
    # The author's Markdown and the sanitized HTML rendered from it.
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    helpful_count: Mapped[int] = mapped_column(default=0)
    # Experts vouching for this post; endorsed replies sort above all others.
    endorsement_count: Mapped[int] = mapped_column(default=0)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    is_hidden: Mapped[bool] = mapped_column(default=False)
    # Shown to the author (and moderators) of a hidden post.
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    # Waiting for a moderator's approval (new-account safeguards).
    is_pending: Mapped[bool] = mapped_column(default=False)
    # Set when saved: crisis wording (resources shown, queue marked urgent), medicine changes.
    is_urgent: Mapped[bool] = mapped_column(default=False)
    # Which crisis: "self-harm" (crisis lines) or "medical-emergency" (call now); see
    # forum.crisis_rules.CrisisKind. None on an urgent post saved before the split: self-harm.
    crisis_kind: Mapped[str | None] = mapped_column(String(20))
    mentions_medication: Mapped[bool] = mapped_column(default=False)
    moderator_edit_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[Timestamp]
    edited_at: Mapped[datetime | None]
    revision_count: Mapped[int] = mapped_column(default=0)

    thread: Mapped[Thread] = relationship(foreign_keys=[thread_id])
    author: Mapped[User | None] = relationship(lazy="joined")

    @property
    def is_visible_text(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


Index("ix_post_thread_created", Post.thread_id, Post.created_at, Post.id)
Index("ix_post_author", Post.author_id, Post.created_at)


class PostRevision(Base):
    """An earlier version of a post (and of the thread title, for the opening post)."""

    __tablename__ = "post_revision"

    id: Mapped[IntPK]
    post_id: Mapped[int] = parent_key("post.id", index=True)
    editor_id: Mapped[UserRef]
    title: Mapped[str | None] = mapped_column(String(150))
    body_source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Timestamp]

    editor: Mapped[User | None] = relationship()


class Vote(Base):
    """A member found a reply helpful."""

    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[IntPK]
    post_id: Mapped[int] = parent_key("post.id")
    user_id: Mapped[int] = parent_key("user.id", index=True)
    created_at: Mapped[Timestamp]
