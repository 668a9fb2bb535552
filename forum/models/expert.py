"""Verified experts and organizations, their endorsements, and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, UserRef, association_table, enum_type, parent_key
from forum.models.topic import HealthTopic
from forum.models.user import User

if TYPE_CHECKING:
    from forum.models.post import Post


class ExpertKind(enum.StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class ExpertStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    REVOKED = "revoked"


class EvidenceLevel(enum.StrEnum):
    GUIDELINE = "guideline"
    RANDOMIZED_TRIAL = "randomized-trial"
    OBSERVATIONAL = "observational"
    EXPERT_OPINION = "expert-opinion"

    @property
    def label(self) -> str:
        return EVIDENCE_LABELS[self]


EVIDENCE_LABELS = {
    EvidenceLevel.GUIDELINE: "Guideline or systematic review",
    EvidenceLevel.RANDOMIZED_TRIAL: "Randomized trial",
    EvidenceLevel.OBSERVATIONAL: "Observational study",
    EvidenceLevel.EXPERT_OPINION: "Expert opinion",
}

expert_scope = association_table(
    "expert_scope",
    ("profile_id", "expert_profile.id"),
    ("topic_id", "health_topic.id"),
    index_right=False,
)


class ExpertProfile(Base):
    """An application to speak as an expert, and once verified, the expert's standing."""

    __tablename__ = "expert_profile"

    id: Mapped[IntPK]
    user_id: Mapped[int] = parent_key("user.id", unique=True)
    kind: Mapped[ExpertKind] = mapped_column(enum_type(ExpertKind), default=ExpertKind.PERSON)
    # People: "MD", "RN", "PharmD"...; organizations: their public name.
    credentials: Mapped[str] = mapped_column(String(60))
    profession: Mapped[str] = mapped_column(String(120), default="")
    specialty: Mapped[str] = mapped_column(String(120), default="")
    organization_name: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # Private: only admins and editors see the licence.
    licence_number: Mapped[str] = mapped_column(String(80), default="")
    licence_issuer: Mapped[str] = mapped_column(String(120), default="")
    all_topics: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ExpertStatus] = mapped_column(
        enum_type(ExpertStatus), default=ExpertStatus.PENDING
    )
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[UserRef]
    decided_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[Timestamp]

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    topics: Mapped[list[HealthTopic]] = relationship(
        secondary=expert_scope, lazy="selectin", order_by=HealthTopic.name
    )

    @property
    def display_name(self) -> str:
        if self.kind == ExpertKind.ORGANIZATION:
            return self.organization_name or self.user.name
        return self.user.name

    @property
    def is_organization(self) -> bool:
        return self.kind == ExpertKind.ORGANIZATION


Index("ix_expert_profile_status", ExpertProfile.status)


class Endorsement(Base):
    """A verified expert vouches for a reply, with a note and the level of evidence."""

    __tablename__ = "endorsement"
    __table_args__ = (UniqueConstraint("post_id", "expert_id"),)

    id: Mapped[IntPK]
    post_id: Mapped[int] = parent_key("post.id")
    expert_id: Mapped[int] = parent_key("user.id", index=True)
    note: Mapped[str] = mapped_column(String(280), default="")
    evidence_level: Mapped[EvidenceLevel] = mapped_column(enum_type(EvidenceLevel))
    created_at: Mapped[Timestamp]
    # When the expert last confirmed the text; a later edit shows "edited after endorsement".
    confirmed_at: Mapped[Timestamp]

    expert: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    post: Mapped[Post] = relationship()


Index("ix_endorsement_post", Endorsement.post_id)


class ModerationAction(Base):
    """One line of the append-only audit log: who did what to what, why and when."""

    __tablename__ = "moderation_action"

    id: Mapped[IntPK]
    actor_id: Mapped[UserRef]
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    # Set for actions inside a community, so its moderators can read them.
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[Timestamp] = mapped_column(index=True)

    actor: Mapped[User | None] = relationship(lazy="joined")


class AuditLogIsAppendOnly(RuntimeError):
    """Nothing in the app may change or delete an audit entry (but see ERASURE_OPTION)."""


# The one exception, for account erasure only (forum.audit.erase_reasons): an UPDATE
# statement carrying this execution option may blank the free-text reason of entries about
# the erased person. Entries are never deleted, and who did what, when, stays.
ERASURE_OPTION = "audit_log_erasure"


@event.listens_for(ModerationAction, "before_update")
@event.listens_for(ModerationAction, "before_delete")
def _refuse_changes(_mapper: object, _connection: object, _target: ModerationAction) -> None:
    raise AuditLogIsAppendOnly("the audit log is append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements skip the flush events above: refuse them too."""
    if not (state.is_update or state.is_delete):
        return
    if not any(mapper.class_ is ModerationAction for mapper in state.all_mappers):
        return
    if state.is_update and state.execution_options.get(ERASURE_OPTION):
        return
    raise AuditLogIsAppendOnly("the audit log is append-only")
