"""The pill identifier (`flask import pills`): drug products and the appearance of their pills,
as FDA Structured Product Labeling (SPL) documents describe them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Float, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, parent_key


class PillProduct(Base):
    """A product of one SPL label (one NDC product code), in the label's latest version seen.

    Matched by set id and product code on every import, so its id (which cabinet entries
    point to) stays the same when a newer version of the label replaces the older one.
    """

    __tablename__ = "pill_product"
    # Ids are never reused (SQLite reuses the highest one otherwise): a page address or a
    # cabinet entry never comes to name another product.
    __table_args__ = (UniqueConstraint("set_id", "ndc"), {"sqlite_autoincrement": True})

    id: Mapped[IntPK]
    # The label's set id (stable across its versions) and version number.
    set_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    # The product's NDC product code ("0071-0155"), or "#2" (its position) when it has none.
    ndc: Mapped[str] = mapped_column(String(20))
    # The NDC package codes, space separated ("0071-0155-23 0071-0155-34").
    package_ndcs: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(String(200))
    generic_name: Mapped[str] = mapped_column(String(300), default="")
    # The dosage form as the label names it ("TABLET, FILM COATED").
    form: Mapped[str] = mapped_column(String(100), default="")
    # The labeler: the company the label is from (a manufacturer or a repackager).
    labeler: Mapped[str] = mapped_column(String(200), default="")
    label_date: Mapped[date | None]
    imported_at: Mapped[Timestamp]

    ingredients: Mapped[list[PillIngredient]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PillIngredient.position",
    )
    pills: Mapped[list[Pill]] = relationship(
        back_populates="product", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def strength(self) -> str:
        """The active ingredients' strengths: "10 mg", or "5 mg / 10 mg" for a combination."""
        return " / ".join(i.strength for i in self.ingredients if i.strength)


class PillIngredient(Base):
    """An active ingredient of a product, with its strength."""

    __tablename__ = "pill_ingredient"

    id: Mapped[IntPK]
    product_id: Mapped[int] = parent_key("pill_product.id", index=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    # The substance ("ATORVASTATIN CALCIUM TRIHYDRATE") and its active moiety ("ATORVASTATIN").
    substance: Mapped[str] = mapped_column(String(300))
    moiety: Mapped[str] = mapped_column(String(300), default="")
    strength: Mapped[str] = mapped_column(String(60), default="")
    # The drug directory name this ingredient is looked up by (the moiety without salt words,
    # normalized): pills link to drugs when the page is read, whenever the directory is loaded.
    drug_key: Mapped[str] = mapped_column(String(220), index=True)

    product: Mapped[PillProduct] = relationship(back_populates="ingredients")

    @property
    def display_name(self) -> str:
        return (self.moiety or self.substance).lower()


class Pill(Base):
    """The appearance of a product's pill, exactly as its label gives it (never completed)."""

    __tablename__ = "pill"

    id: Mapped[IntPK]
    product_id: Mapped[int] = parent_key("pill_product.id", index=True)
    # As on the label ("PD;155;10": `;` separates its parts), and normalized for matching
    # (upper case letters and digits only, with 0/O and 1/I/L folded: "PD15510").
    imprint: Mapped[str] = mapped_column(String(200), default="")
    imprint_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    # Color keys of the SPL color vocabulary ("white"); two for two-tone pills.
    color: Mapped[str | None] = mapped_column(String(20))
    second_color: Mapped[str | None] = mapped_column(String(20))
    # A key of the SPL shape vocabulary ("oval", "double-circle").
    shape: Mapped[str | None] = mapped_column(String(20))
    # The longest dimension in millimetres.
    size_mm: Mapped[float | None] = mapped_column(Float)
    # SPLSCORE: how many pieces the score lines break it into (1: not scored).
    score: Mapped[int | None] = mapped_column(SmallInteger)

    product: Mapped[PillProduct] = relationship(back_populates="pills", lazy="joined")

    @property
    def imprint_parts(self) -> list[str]:
        return [part.strip() for part in self.imprint.split(";") if part.strip()]

    @property
    def colors(self) -> list[str]:
        return [c for c in (self.color, self.second_color) if c]


Index("ix_pill_look", Pill.shape, Pill.color, Pill.size_mm)


class PillImprintToken(Base):
    """Where an imprint can start to be read: the normalized imprint from each of its parts
    and each letter/digit change on ("PD15510", "15510", "10"). A typed part of an imprint is
    looked up as a prefix of these, which an index range scan serves."""

    __tablename__ = "pill_imprint_token"

    token: Mapped[str] = mapped_column(String(60), primary_key=True)
    pill_id: Mapped[int] = parent_key("pill.id", primary_key=True)


Index("ix_pill_imprint_token_pill", PillImprintToken.pill_id, PillImprintToken.token)
