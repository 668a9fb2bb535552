"""Communities (public, or private support groups) and who belongs to them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, enum_type, parent_key
from forum.models.topic import HealthTopic
from forum.models.user import User


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"


class MemberStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Community(Base):
    __tablename__ = "community"

    id: Mapped[IntPK]
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("health_topic.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    is_private: Mapped[bool] = mapped_column(default=False)
    allow_anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]
    # Denormalized counters, changed in SQL by the services.
    thread_count: Mapped[int] = mapped_column(default=0)
    member_count: Mapped[int] = mapped_column(default=0)

    topic: Mapped[HealthTopic] = relationship(lazy="joined", innerjoin=True)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[IntPK]
    community_id: Mapped[int] = parent_key("community.id")
    user_id: Mapped[int] = parent_key("user.id", index=True)
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.MEMBER)
    status: Mapped[MemberStatus] = mapped_column(
        enum_type(MemberStatus), default=MemberStatus.APPROVED
    )
    request_message: Mapped[str] = mapped_column(Text, default="")
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[UserRef]
    decided_at: Mapped[datetime | None]
    created_at: Mapped[Timestamp]

    community: Mapped[Community] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_approved(self) -> bool:
        return self.status == MemberStatus.APPROVED


Index("ix_membership_community_status", Membership.community_id, Membership.status)
