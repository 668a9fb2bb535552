"""Search bookkeeping: the outbox of pending index work and the PostgreSQL search tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp

# A tsvector on PostgreSQL; SQLite never searches this table and keeps plain text.
SEARCH_VECTOR = Text().with_variant(TSVECTOR(), "postgresql")


class SearchOutbox(Base):
    """A pending index update, written in the same transaction as the content change."""

    __tablename__ = "search_outbox"

    id: Mapped[IntPK]
    # What to re-index: "thread:12", or "community:3" for all of a community's threads.
    key: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[Timestamp]


class SearchDocument(Base):
    """One searchable document (a thread) for the PostgreSQL full-text backend."""

    __tablename__ = "search_document"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    # No foreign keys: the table is derived data, rebuilt from the content tables.
    community_id: Mapped[int]
    topic_id: Mapped[int]
    is_private: Mapped[bool]
    is_answered: Mapped[bool]
    is_endorsed: Mapped[bool]
    created_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text)
    community_name: Mapped[str] = mapped_column(Text)
    # The title's focus key and question type (see forum.search.understanding.title_subject).
    focus: Mapped[str] = mapped_column(String(200), default="", server_default="")
    qtype: Mapped[str] = mapped_column(String(20), default="", server_default="")
    version: Mapped[str] = mapped_column(String(40))
    search_vector: Mapped[str] = mapped_column(SEARCH_VECTOR, deferred=True)


Index(
    "ix_search_document_community_created", SearchDocument.community_id, SearchDocument.created_at
)
# A GIN index on PostgreSQL; SQLite (which never searches this table) gets a plain one.
Index("ix_search_document_search_vector", SearchDocument.search_vector, postgresql_using="gin")


class SearchWord(Base):
    """A word seen in the PostgreSQL index: the vocabulary for "did you mean"."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
