"""Reports of problem content, for the moderators' queue."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow
from forum.models.user import User

if TYPE_CHECKING:
    from forum.models.post import Post


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class ReportReason(enum.StrEnum):
    SELF_HARM = "self-harm"
    MISINFORMATION = "misinformation"
    HARASSMENT = "harassment"
    PERSONAL_INFORMATION = "personal-information"
    SPAM = "spam"
    OTHER = "other"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    ReportReason.SELF_HARM: "Self-harm risk",
    ReportReason.MISINFORMATION: "Medical misinformation",
    ReportReason.HARASSMENT: "Harassment",
    ReportReason.PERSONAL_INFORMATION: "Personal information",
    ReportReason.SPAM: "Spam",
    ReportReason.OTHER: "Other",
}
# Lower sorts first in the queue: people at risk come before everything else.
REASON_PRIORITY = {
    ReportReason.SELF_HARM: 0,
    ReportReason.PERSONAL_INFORMATION: 1,
    ReportReason.HARASSMENT: 2,
    ReportReason.MISINFORMATION: 3,
    ReportReason.SPAM: 4,
    ReportReason.OTHER: 5,
}


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class Report(Base):
    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: raised by the forum itself (a crisis phrase in a post).
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(_enum(ReportReason))
    note: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(default=5)
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus), default=ReportStatus.OPEN)
    resolution: Mapped[str] = mapped_column(String(300), default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    post: Mapped[Post] = relationship()


Index("ix_report_queue", Report.status, Report.priority, Report.created_at)
Index("ix_report_post", Report.post_id)
