"""A member's medicine cabinet: profiles (their own, a family member's), entries, settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow

if TYPE_CHECKING:
    from forum.models.drug import Drug


class CabinetProfile(Base):
    """A private medicine list: the member's own, or a family member's ("Mom")."""

    __tablename__ = "cabinet_profile"
    __table_args__ = (UniqueConstraint("owner_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    birth_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries: Mapped[list[CabinetEntry]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="CabinetEntry.id"
    )


class CabinetEntry(Base):
    """One medicine in a cabinet profile, with the owner's own notes."""

    __tablename__ = "cabinet_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("cabinet_profile.id", ondelete="CASCADE"), index=True
    )
    drug_id: Mapped[int] = mapped_column(ForeignKey("drug.id"), index=True)
    # The pill identifier's product it was added from, if any (kept while the label has it).
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("pill_product.id", ondelete="SET NULL"), index=True
    )
    dose: Mapped[str] = mapped_column(String(120), default="")
    schedule: Mapped[str] = mapped_column(String(120), default="")
    start_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    # The owner's choice, per medicine: tell me when a safety notice names it.
    safety_alerts: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    profile: Mapped[CabinetProfile] = relationship(back_populates="entries")
    drug: Mapped[Drug] = relationship(lazy="joined", innerjoin=True)


class CabinetSettings(Base):
    """A member's alert choices for the cabinet (a row only once they chose)."""

    __tablename__ = "cabinet_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    # Tell me of new expert-endorsed answers and reviewed articles about my medicines.
    wants_news: Mapped[bool] = mapped_column(default=False)
    news_since: Mapped[datetime] = mapped_column(default=utcnow)
