"""Reports of problem content, for the moderators' queue."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, enum_type, parent_key
from forum.models.user import User

if TYPE_CHECKING:
    from forum.models.post import Post


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


class ReportMixin:
    """What every report in a moderators' queue records: why, how urgent, and the outcome.

    SQLAlchemy puts these columns after the model's own ones.
    """

    reason: Mapped[ReportReason] = mapped_column(enum_type(ReportReason, length=30))
    note: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(default=5)
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus, length=30), default=ReportStatus.OPEN
    )
    resolution: Mapped[str] = mapped_column(String(300), default="")
    resolved_by_id: Mapped[UserRef]
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[Timestamp]


class Report(ReportMixin, Base):
    """A report of a post."""

    __tablename__ = "report"

    id: Mapped[IntPK]
    # None: raised by the forum itself (a crisis phrase in a post).
    reporter_id: Mapped[UserRef]
    post_id: Mapped[int] = parent_key("post.id")
    community_id: Mapped[int] = parent_key("community.id")

    reporter: Mapped[User | None] = relationship(foreign_keys="Report.reporter_id")
    post: Mapped[Post] = relationship()


Index("ix_report_queue", Report.status, Report.priority, Report.created_at)
Index("ix_report_post", Report.post_id)
