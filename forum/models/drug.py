"""The drug directory (reference data from `flask import drugs`), member reviews, the private
medicine cabinet, and editors' drug safety notices."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, utcnow
from forum.models.report import ReportReason, ReportStatus
from forum.models.user import User


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class NameKind(enum.StrEnum):
    CANONICAL = "canonical"
    BRAND = "brand"
    SYNONYM = "synonym"


class Severity(enum.StrEnum):
    """How serious an interaction is, most severe first (ANSM levels, plus ONC "avoid")."""

    CONTRAINDICATED = "contraindicated"
    HIGH = "high"
    NOT_RECOMMENDED = "not_recommended"
    PRECAUTION = "precaution"
    TAKE_INTO_ACCOUNT = "take_into_account"
    UNSPECIFIED = "unspecified"

    @property
    def rank(self) -> int:
        return len(SEVERITY_LABELS) - list(SEVERITY_LABELS).index(self)

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]

    @property
    def short_label(self) -> str:
        return SEVERITY_SHORT_LABELS[self]


SEVERITY_LABELS = {
    Severity.CONTRAINDICATED: "Contraindicated: do not take together",
    Severity.HIGH: "High priority: avoid the combination",
    Severity.NOT_RECOMMENDED: "Not recommended together",
    Severity.PRECAUTION: "Precaution: may need monitoring or a dose change",
    Severity.TAKE_INTO_ACCOUNT: "Take into account",
    Severity.UNSPECIFIED: "Severity not stated",
}
SEVERITY_SHORT_LABELS = {
    Severity.CONTRAINDICATED: "Contraindicated",
    Severity.HIGH: "High priority",
    Severity.NOT_RECOMMENDED: "Not recommended",
    Severity.PRECAUTION: "Precaution",
    Severity.TAKE_INTO_ACCOUNT: "Take into account",
    Severity.UNSPECIFIED: "Severity not stated",
}


class Drug(Base):
    """A medicine or substance of the directory, by its canonical (generic) name."""

    __tablename__ = "drug"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The dictionary's lower-case canonical name: the stable key across imports.
    key: Mapped[str] = mapped_column(String(220), unique=True)
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    name: Mapped[str] = mapped_column(String(220))
    # "a" to "z", or "#" for names that start with a digit or a sign (A-Z browse).
    initial: Mapped[str] = mapped_column(String(1), default="#")
    drugbank_id: Mapped[str] = mapped_column(String(20), default="")
    medline_plus_id: Mapped[str] = mapped_column(String(20), default="")
    nhs_slug: Mapped[str] = mapped_column(String(120), default="")
    wikipedia_url: Mapped[str] = mapped_column(String(300), default="")
    # A medicine people take: consumer information (MedlinePlus, NHS), labels or indications.
    is_common: Mapped[bool] = mapped_column(default=False)
    # False once a later import no longer has it (kept for reviews and cabinets).
    is_listed: Mapped[bool] = mapped_column(default=True)
    # Some ingredient is in an interaction rule or class: a check means something.
    has_interaction_data: Mapped[bool] = mapped_column(default=False)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


Index("ix_drug_browse", Drug.is_listed, Drug.initial, Drug.is_common, Drug.name)


class DrugName(Base):
    """A name that leads to a drug: its canonical name, a brand name or a synonym."""

    __tablename__ = "drug_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    drug_id: Mapped[int] = mapped_column(ForeignKey("drug.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(220))
    # Normalized (lower case, single spaces): what autocomplete and lookups compare.
    key: Mapped[str] = mapped_column(String(220), index=True)
    kind: Mapped[NameKind] = mapped_column(_enum(NameKind))
    # Linked automatically where posts mention it (long enough, not an everyday word).
    is_linkable: Mapped[bool] = mapped_column(default=False)

    drug: Mapped[Drug] = relationship(lazy="joined", innerjoin=True)


class DrugIngredient(Base):
    """An ingredient of a combination product (both are drugs of the directory)."""

    __tablename__ = "drug_ingredient"

    drug_id: Mapped[int] = mapped_column(
        ForeignKey("drug.id", ondelete="CASCADE"), primary_key=True
    )
    ingredient_id: Mapped[int] = mapped_column(
        ForeignKey("drug.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DrugIndication(Base):
    """A condition a drug is used for, from one source."""

    __tablename__ = "drug_indication"

    id: Mapped[int] = mapped_column(primary_key=True)
    drug_id: Mapped[int] = mapped_column(ForeignKey("drug.id", ondelete="CASCADE"), index=True)
    condition: Mapped[str] = mapped_column(String(200))
    condition_key: Mapped[str] = mapped_column(String(200), index=True)
    # A key of forum.drugs.sources.SOURCES.
    source: Mapped[str] = mapped_column(String(30))
    # PharmacotherapyDB: "DM" disease-modifying or "SYM" symptomatic.
    category: Mapped[str] = mapped_column(String(10), default="")
    text: Mapped[str] = mapped_column(String(300), default="")
    source_date: Mapped[date | None]


class DrugLabelExcerpt(Base):
    """Public-domain FDA label text: "Indications and usage", or warnings and interactions."""

    __tablename__ = "drug_label_excerpt"

    id: Mapped[int] = mapped_column(primary_key=True)
    drug_id: Mapped[int] = mapped_column(ForeignKey("drug.id", ondelete="CASCADE"), index=True)
    # "indications" or "warnings".
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    setid: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(30))
    source_date: Mapped[date | None]


class DrugSummary(Base):
    """A plain-language drug summary from the National Cancer Institute."""

    __tablename__ = "drug_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    drug_id: Mapped[int] = mapped_column(ForeignKey("drug.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # The NCI text as Markdown, and its sanitized HTML (forum.text.render_markdown).
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(30))
    source_date: Mapped[date | None]


class InteractionClass(Base):
    """A class of drugs named by an interaction source ("Strong inhibitors of CYP3A4")."""

    __tablename__ = "interaction_class"
    __table_args__ = (UniqueConstraint("source", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))


interaction_class_member = Table(
    "interaction_class_member",
    Base.metadata,
    Column("class_id", ForeignKey("interaction_class.id", ondelete="CASCADE"), primary_key=True),
    Column("drug_id", ForeignKey("drug.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class InteractionRule(Base):
    """Two drugs or classes that interact, with severity, risk and what to do."""

    __tablename__ = "interaction_rule"
    __table_args__ = (
        CheckConstraint(
            "(item1_drug_id IS NULL) <> (item1_class_id IS NULL)"
            " AND (item2_drug_id IS NULL) <> (item2_class_id IS NULL)",
            name="one_item_each",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(30))
    # The source's own reference: ANSM rule number, ONC Table 2 row.
    ref: Mapped[str] = mapped_column(String(40))
    item1_drug_id: Mapped[int | None] = mapped_column(
        ForeignKey("drug.id", ondelete="CASCADE"), index=True
    )
    item1_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction_class.id", ondelete="CASCADE"), index=True
    )
    item2_drug_id: Mapped[int | None] = mapped_column(
        ForeignKey("drug.id", ondelete="CASCADE"), index=True
    )
    item2_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction_class.id", ondelete="CASCADE"), index=True
    )
    severity: Mapped[Severity] = mapped_column(_enum(Severity))
    mechanism: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    # When the severity holds, in the source's words ("anti-inflammatory doses of ..."), or
    # "" for always; kept as written (see forum.drugs.rule_text for the display).
    condition: Mapped[str] = mapped_column(Text, default="")
    source_date: Mapped[date | None]


class DrugReview(Base):
    """A member's rating of a drug for one condition; one per member, drug and condition."""

    __tablename__ = "drug_review"
    __table_args__ = (
        UniqueConstraint("author_id", "drug_id", "condition_key"),
        CheckConstraint("effectiveness BETWEEN 1 AND 5", name="effectiveness_range"),
        CheckConstraint("ease_of_use BETWEEN 1 AND 5", name="ease_of_use_range"),
        CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drug_id: Mapped[int] = mapped_column(ForeignKey("drug.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    condition: Mapped[str] = mapped_column(String(120))
    condition_key: Mapped[str] = mapped_column(String(120))
    effectiveness: Mapped[int] = mapped_column(SmallInteger)
    ease_of_use: Mapped[int] = mapped_column(SmallInteger)
    satisfaction: Mapped[int] = mapped_column(SmallInteger)
    side_effects: Mapped[str] = mapped_column(String(500), default="")
    # The author's Markdown and the sanitized HTML rendered from it.
    comment_source: Mapped[str] = mapped_column(Text, default="")
    comment_html: Mapped[str] = mapped_column(Text, default="")
    is_hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    drug: Mapped[Drug] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(lazy="joined")


Index("ix_drug_review_drug", DrugReview.drug_id, DrugReview.is_hidden, DrugReview.created_at)
Index("ix_drug_review_author", DrugReview.author_id, DrugReview.created_at)


class DrugReviewReport(Base):
    """A member's report of a review, for the site moderators' queue."""

    __tablename__ = "drug_review_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: raised by the forum itself (crisis wording in the comment).
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_id: Mapped[int] = mapped_column(
        ForeignKey("drug_review.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[ReportReason] = mapped_column(_enum(ReportReason))
    note: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(default=5)
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus), default=ReportStatus.OPEN)
    resolution: Mapped[str] = mapped_column(String(300), default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    review: Mapped[DrugReview] = relationship(lazy="joined", innerjoin=True)


Index("ix_drug_review_report_queue", DrugReviewReport.status, DrugReviewReport.priority)


safety_notice_drug = Table(
    "safety_notice_drug",
    Base.metadata,
    Column("notice_id", ForeignKey("safety_notice.id", ondelete="CASCADE"), primary_key=True),
    Column("drug_id", ForeignKey("drug.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class SafetyNotice(Base):
    """A drug safety notice an editor published; members taking a concerned drug are told."""

    __tablename__ = "safety_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(150))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    drugs: Mapped[list[Drug]] = relationship(
        secondary=safety_notice_drug, lazy="selectin", order_by=Drug.name
    )
    author: Mapped[User | None] = relationship(lazy="joined")


class NoticeDelivery(Base):
    """A safety notice delivered to one member (because of their cabinet); read or not."""

    __tablename__ = "notice_delivery"
    __table_args__ = (UniqueConstraint("notice_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("safety_notice.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    notice: Mapped[SafetyNotice] = relationship(lazy="joined", innerjoin=True)


Index("ix_notice_delivery_user", NoticeDelivery.user_id, NoticeDelivery.read_at)
