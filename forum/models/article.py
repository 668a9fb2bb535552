"""Second-opinion articles by experts, their citations and every saved revision."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, enum_type, parent_key
from forum.models.expert import EvidenceLevel
from forum.models.topic import HealthTopic
from forum.models.user import User


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Article(Base):
    """An expert's article; only editors who did not write it may publish it."""

    __tablename__ = "article"

    id: Mapped[IntPK]
    author_id: Mapped[UserRef]
    topic_id: Mapped[int] = mapped_column(ForeignKey("health_topic.id"))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(Text)
    # The author's Markdown and the sanitized HTML rendered from it.
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[ArticleStatus] = mapped_column(
        enum_type(ArticleStatus), default=ArticleStatus.DRAFT
    )
    # The editor's note when an article goes back to its author.
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[UserRef]
    reviewed_at: Mapped[datetime | None]
    next_review_due: Mapped[datetime | None]
    # First publication; a later publication of a revised text shows "updated on".
    published_at: Mapped[datetime | None]
    # The revision readers last saw: reviewers get a diff from it to the current text.
    published_revision: Mapped[int | None]
    revision_count: Mapped[int] = mapped_column(default=0)
    # The revision whose reviewers' changes the author accepted: editors who change the text
    # in review (their revisions say who) need it before another editor may publish.
    accepted_revision: Mapped[int | None]
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]
    # Imported public-domain articles keep where they came from.
    source_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    source_name: Mapped[str | None] = mapped_column(String(120))
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_retrieved_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(foreign_keys="Article.author_id", lazy="joined")
    reviewer: Mapped[User | None] = relationship(foreign_keys="Article.reviewer_id", lazy="joined")
    topic: Mapped[HealthTopic] = relationship(lazy="joined", innerjoin=True)
    citations: Mapped[list[ArticleCitation]] = relationship(
        back_populates="article",
        order_by="ArticleCitation.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def was_updated(self) -> bool:
        """The text changed after its first publication (and was reviewed again)."""
        return self.published_at is not None and self.updated_at > self.published_at


Index("ix_article_status_published", Article.status, Article.published_at, Article.id)
Index("ix_article_topic_status", Article.topic_id, Article.status, Article.published_at)
Index("ix_article_author", Article.author_id, Article.created_at)


class ArticleCitation(Base):
    """One numbered reference: the body cites it as [position]."""

    __tablename__ = "article_citation"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[IntPK]
    article_id: Mapped[int] = parent_key("article.id")
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(500))
    # http(s) only, checked by the service.
    url: Mapped[str | None] = mapped_column(String(500))
    evidence_level: Mapped[EvidenceLevel] = mapped_column(enum_type(EvidenceLevel))

    article: Mapped[Article] = relationship(back_populates="citations")


class ArticleRevision(Base):
    """A saved version of an article: one per creation or edit, never changed."""

    __tablename__ = "article_revision"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[IntPK]
    article_id: Mapped[int] = parent_key("article.id")
    number: Mapped[int]
    editor_id: Mapped[UserRef]
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(Text)
    body_source: Mapped[str] = mapped_column(Text)
    # [{"text", "url", "evidence_level"}] in position order.
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[Timestamp]

    editor: Mapped[User | None] = relationship(lazy="joined")

    def as_text(self) -> str:
        """The whole version as plain lines, for a diff."""
        lines = [f"Title: {self.title}", f"Summary: {self.summary}", "", self.body_source, ""]
        lines.append("References:")
        for number, citation in enumerate(self.citations, start=1):
            url = f" <{citation['url']}>" if citation.get("url") else ""
            lines.append(f"[{number}] ({citation['evidence_level']}) {citation['text']}{url}")
        return "\n".join(lines)
