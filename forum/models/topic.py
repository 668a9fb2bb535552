"""Health topics: the health centers that group communities, questions and articles."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp


class HealthTopic(Base):
    __tablename__ = "health_topic"

    id: Mapped[IntPK]
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[Timestamp]
