"""The drug directory (reference data from `flask import drugs`), member reviews, the private
medicine cabinet, and editors' drug safety notices."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, association_table, enum_type, parent_key
from forum.models.report import ReportMixin
from forum.models.user import User


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

    id: Mapped[IntPK]
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
    imported_at: Mapped[Timestamp]


Index("ix_drug_browse", Drug.is_listed, Drug.initial, Drug.is_common, Drug.name)


class DrugName(Base):
    """A name that leads to a drug: its canonical name, a brand name or a synonym."""

    __tablename__ = "drug_name"

    id: Mapped[IntPK]
    drug_id: Mapped[int] = parent_key("drug.id", index=True)
    name: Mapped[str] = mapped_column(String(220))
    # Normalized (lower case, single spaces): what autocomplete and lookups compare.
    key: Mapped[str] = mapped_column(String(220), index=True)
    kind: Mapped[NameKind] = mapped_column(enum_type(NameKind, length=30))
    # Linked automatically where posts mention it (long enough, not an everyday word).
    is_linkable: Mapped[bool] = mapped_column(default=False)

    drug: Mapped[Drug] = relationship(lazy="joined", innerjoin=True)


class DrugIngredient(Base):
    """An ingredient of a combination product (both are drugs of the directory)."""

    __tablename__ = "drug_ingredient"

    drug_id: Mapped[int] = parent_key("drug.id", primary_key=True)
    ingredient_id: Mapped[int] = parent_key("drug.id", primary_key=True, index=True)


class DrugIndication(Base):
    """A condition a drug is used for, from one source."""

    __tablename__ = "drug_indication"

    id: Mapped[IntPK]
    drug_id: Mapped[int] = parent_key("drug.id", index=True)
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

    id: Mapped[IntPK]
    drug_id: Mapped[int] = parent_key("drug.id", index=True)
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

    id: Mapped[IntPK]
    drug_id: Mapped[int] = parent_key("drug.id", unique=True)
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

    id: Mapped[IntPK]
    source: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))


interaction_class_member = association_table(
    "interaction_class_member", ("class_id", "interaction_class.id"), ("drug_id", "drug.id")
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

    id: Mapped[IntPK]
    source: Mapped[str] = mapped_column(String(30))
    # The source's own reference: ANSM rule number, ONC Table 2 row.
    ref: Mapped[str] = mapped_column(String(40))
    item1_drug_id: Mapped[int | None] = parent_key("drug.id", index=True)
    item1_class_id: Mapped[int | None] = parent_key("interaction_class.id", index=True)
    item2_drug_id: Mapped[int | None] = parent_key("drug.id", index=True)
    item2_class_id: Mapped[int | None] = parent_key("interaction_class.id", index=True)
    severity: Mapped[Severity] = mapped_column(enum_type(Severity, length=30))
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

    id: Mapped[IntPK]
    drug_id: Mapped[int] = parent_key("drug.id")
    author_id: Mapped[UserRef]
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
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]

    drug: Mapped[Drug] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(lazy="joined")


Index("ix_drug_review_drug", DrugReview.drug_id, DrugReview.is_hidden, DrugReview.created_at)
Index("ix_drug_review_author", DrugReview.author_id, DrugReview.created_at)


class DrugReviewReport(ReportMixin, Base):
    """A member's report of a review, for the site moderators' queue."""

    __tablename__ = "drug_review_report"

    id: Mapped[IntPK]
    # None: raised by the forum itself (crisis wording in the comment).
    reporter_id: Mapped[UserRef]
    review_id: Mapped[int] = parent_key("drug_review.id", index=True)

    review: Mapped[DrugReview] = relationship(lazy="joined", innerjoin=True)


Index("ix_drug_review_report_queue", DrugReviewReport.status, DrugReviewReport.priority)


safety_notice_drug = association_table(
    "safety_notice_drug", ("notice_id", "safety_notice.id"), ("drug_id", "drug.id")
)


class SafetyNotice(Base):
    """A drug safety notice an editor published; members taking a concerned drug are told."""

    __tablename__ = "safety_notice"

    id: Mapped[IntPK]
    author_id: Mapped[UserRef]
    title: Mapped[str] = mapped_column(String(150))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[Timestamp] = mapped_column(index=True)

    drugs: Mapped[list[Drug]] = relationship(
        secondary=safety_notice_drug, lazy="selectin", order_by=Drug.name
    )
    author: Mapped[User | None] = relationship(lazy="joined")


class NoticeDelivery(Base):
    """A safety notice delivered to one member (because of their cabinet); read or not."""

    __tablename__ = "notice_delivery"
    __table_args__ = (UniqueConstraint("notice_id", "user_id"),)

    id: Mapped[IntPK]
    notice_id: Mapped[int] = parent_key("safety_notice.id")
    user_id: Mapped[int] = parent_key("user.id")
    created_at: Mapped[Timestamp]
    read_at: Mapped[datetime | None]

    notice: Mapped[SafetyNotice] = relationship(lazy="joined", innerjoin=True)


Index("ix_notice_delivery_user", NoticeDelivery.user_id, NoticeDelivery.read_at)
