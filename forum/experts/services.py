"""Expert applications and verification, organizations, and endorsements of replies."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import ColumnElement, exists, func, or_, select, update

from forum import audit, policies
from forum.auth import services as accounts
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.mail import send_mail
from forum.models import (
    Endorsement,
    EvidenceLevel,
    ExpertKind,
    ExpertProfile,
    ExpertStatus,
    HealthTopic,
    Post,
    Thread,
    User,
    utcnow,
)
from forum.notifications import events
from forum.notifications import services as notifications
from forum.search import outbox

log = logging.getLogger(__name__)
NOTE_MAX = 280
REASON_MAX = 1000


def _months(count: int) -> timedelta:
    return timedelta(days=round(30.44 * count))


def _text(value: str, limit: int, field: str, label: str, required: bool = False) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise InvalidAction(f"Enter the {label}.", field=field)
    if len(value) > limit:
        raise InvalidAction(f"Keep the {label} under {limit} characters.", field=field)
    return value


def _topics(topic_ids: Sequence[int]) -> list[HealthTopic]:
    if not topic_ids:
        return []
    return list(db.session.scalars(select(HealthTopic).where(HealthTopic.id.in_(topic_ids))))


def apply_as_expert(
    user: User,
    *,
    credentials: str,
    profession: str,
    specialty: str,
    topic_ids: Sequence[int],
    licence_number: str,
    licence_issuer: str,
) -> ExpertProfile:
    """A member asks to be verified as a health professional."""
    policies.require(policies.can_apply_as_expert(user), message="You already have an application.")
    topics = _topics(topic_ids)
    if not topics:
        raise InvalidAction("Choose at least one health topic.", field="topics")
    profile = policies.expert_profile_of(user) or ExpertProfile(user_id=user.id)
    profile.kind = ExpertKind.PERSON
    profile.credentials = _text(credentials, 60, "credentials", "credentials", required=True)
    profile.profession = _text(profession, 120, "profession", "profession", required=True)
    profile.specialty = _text(specialty, 120, "specialty", "specialty", required=True)
    profile.licence_number = _text(licence_number, 80, "licence_number", "licence number", True)
    profile.licence_issuer = _text(licence_issuer, 120, "licence_issuer", "issuing body", True)
    profile.topics = topics
    profile.status = ExpertStatus.PENDING
    profile.decision_reason = ""
    profile.created_at = utcnow()
    db.session.add(profile)
    db.session.commit()
    policies.forget_expert_profiles()
    return profile


def verify_expert(
    actor: User | None,
    profile: ExpertProfile,
    *,
    topic_ids: Sequence[int] | None = None,
    months: int | None = None,
    reason: str = "",
    credentials: str | None = None,
    specialty: str | None = None,
) -> ExpertProfile:
    """Verify an applicant (actor None: the operator); sets scope and expiry, audited."""
    if actor is not None:
        policies.require(policies.can_review_experts(actor))
    if topic_ids is not None:
        topics = _topics(topic_ids)
        if not topics and not profile.all_topics:
            raise InvalidAction("Choose at least one health topic.", field="topics")
        profile.topics = topics
    if credentials is not None:
        profile.credentials = _text(credentials, 60, "credentials", "credentials", required=True)
    if specialty is not None:
        profile.specialty = _text(specialty, 120, "specialty", "specialty")
    months = months or int(current_app.config["EXPERT_VERIFICATION_MONTHS"])
    if not 1 <= months <= 60:
        raise InvalidAction("Verify for 1 to 60 months.", field="months")
    now = utcnow()
    profile.status = ExpertStatus.VERIFIED
    profile.verified_at = now
    profile.expires_at = now + _months(months)
    profile.reminded_at = None
    profile.decided_by_id = actor.id if actor else None
    profile.decided_at = now
    profile.decision_reason = _text(reason, REASON_MAX, "reason", "reason")
    audit.record(
        actor,
        "expert.verify",
        "user",
        profile.user_id,
        profile.decision_reason,
        details={"topics": [t.slug for t in profile.topics], "months": months},
    )
    events.expert_decided(profile)
    db.session.commit()
    policies.forget_expert_profiles()
    return profile


def reject_expert(actor: User, profile: ExpertProfile, reason: str) -> ExpertProfile:
    """Turn down an application with a reason the applicant sees."""
    policies.require(policies.can_review_experts(actor))
    if profile.status != ExpertStatus.PENDING:
        raise InvalidAction("Only pending applications can be rejected.")
    profile.decision_reason = _text(reason, REASON_MAX, "reason", "reason", required=True)
    profile.status = ExpertStatus.REJECTED
    profile.decided_by_id = actor.id
    profile.decided_at = utcnow()
    audit.record(actor, "expert.reject", "user", profile.user_id, profile.decision_reason)
    events.expert_decided(profile)
    db.session.commit()
    return profile


def revoke_expert(actor: User | None, profile: ExpertProfile, reason: str) -> ExpertProfile:
    """Take away a verification; past endorsements stay, marked as a former expert's."""
    if actor is not None:
        policies.require(policies.can_review_experts(actor))
    if profile.status != ExpertStatus.VERIFIED:
        raise InvalidAction("Only verified experts can be revoked.")
    profile.decision_reason = _text(reason, REASON_MAX, "reason", "reason", required=True)
    profile.status = ExpertStatus.REVOKED
    profile.decided_by_id = actor.id if actor else None
    profile.decided_at = utcnow()
    audit.record(actor, "expert.revoke", "user", profile.user_id, profile.decision_reason)
    events.expert_decided(profile)
    db.session.commit()
    policies.forget_expert_profiles()
    return profile


def create_organization(
    slug: str, name: str, url: str, *, email: str | None = None, months: int = 60
) -> ExpertProfile:
    """An account for a verified organization (operators only), speaking to every topic."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidAction("The website must be an http(s) address.", field="url")
    password = secrets.token_urlsafe(24)
    user = accounts.register_user(
        slug, email or f"{slug}@organizations.example.org", password, health_consent=True
    )
    profile = ExpertProfile(
        user_id=user.id,
        kind=ExpertKind.ORGANIZATION,
        credentials="Organization",
        organization_name=_text(name, 120, "name", "name", required=True),
        website=url,
        all_topics=True,
    )
    db.session.add(profile)
    db.session.flush()
    return verify_expert(None, profile, months=months, reason="organization created by operator")


def profile_for(user: User) -> ExpertProfile:
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    if profile is None:
        raise NotFound()
    return profile


def remind_expiring(link_for: Callable[[], str]) -> int:
    """E-mail experts whose verification lapses soon (once per period); returns the count."""
    now = utcnow()
    horizon = now + timedelta(days=int(current_app.config["EXPERT_REMINDER_DAYS"]))
    profiles = db.session.scalars(
        select(ExpertProfile).where(
            ExpertProfile.status == ExpertStatus.VERIFIED,
            ExpertProfile.expires_at <= horizon,
            ExpertProfile.expires_at > now,
            ExpertProfile.reminded_at.is_(None),
        )
    ).all()
    for profile in profiles:
        expires = profile.expires_at or now
        send_mail(
            profile.user.email,
            "Your expert verification is about to lapse",
            f"Hello {profile.user.name},\n\nYour verification as a health expert on the forum "
            f"ends on {expires:%d %B %Y}. After that date you can no longer endorse answers "
            f"or write articles. To renew it, contact the editors or apply again: {link_for()}\n",
        )
        profile.reminded_at = now
        events.expert_lapsing(profile)
    db.session.commit()
    return len(profiles)


# Endorsements


def is_current() -> ColumnElement[bool]:
    """SQL for "not stale": the expert confirmed the post since its last edit (Post joined)."""
    return or_(Post.edited_at.is_(None), Endorsement.confirmed_at >= Post.edited_at)


def refresh_endorsements(post: Post) -> None:
    """Recount the post's current endorsements, its thread's badge and its search document.

    "Endorsed" means at least one current endorsement, everywhere: the count drives the
    thread's flag, which the lists, tabs, feeds, search boost and API read. Never commits.
    """
    db.session.flush()
    current = (
        select(func.count(Endorsement.id))
        .where(Endorsement.post_id == Post.id, is_current())
        .correlate(Post)
        .scalar_subquery()
    )
    # "fetch": the loaded post and thread see the new values (the SQL is not evaluated here).
    db.session.execute(
        update(Post)
        .where(Post.id == post.id)
        .values(endorsement_count=current)
        .execution_options(synchronize_session="fetch")
    )
    endorsed = exists().where(
        Post.thread_id == post.thread_id, Post.is_deleted.is_(False), Post.endorsement_count > 0
    )
    db.session.execute(
        update(Thread)
        .where(Thread.id == post.thread_id)
        .values(has_expert_answer=endorsed)
        .execution_options(synchronize_session="fetch")
    )
    # The badge is a filter and a boost in the index, changed in SQL: re-index the thread.
    outbox.enqueue_threads([post.thread_id])


def post_to_endorse(viewer: User, post_id: int) -> Post:
    """A post the viewer may see; a missing, hidden or private one is "not found" alike."""
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound()
    _require_visible(viewer, post)
    return post


def _require_visible(viewer: User, post: Post) -> None:
    policies.require(
        policies.can_view_thread(viewer, post.thread) and policies.can_view_post(viewer, post),
        hide=True,
    )


def endorse_post(expert: User, post: Post, note: str, evidence_level: str) -> Endorsement:
    """A verified expert in scope vouches for a reply."""
    _require_visible(expert, post)
    policies.require(
        policies.can_endorse(expert, post),
        message="You cannot endorse your own reply."
        if post.author_id == expert.id
        else "Only verified experts can endorse replies in their health topics.",
    )
    try:
        level = EvidenceLevel(evidence_level)
    except ValueError as error:
        raise InvalidAction("Choose the level of evidence.", field="evidence_level") from error
    note = _text(note, NOTE_MAX, "note", "note")
    endorsement = db.session.scalar(
        select(Endorsement).where(
            Endorsement.post_id == post.id, Endorsement.expert_id == expert.id
        )
    )
    now = utcnow()
    is_new, was_stale = endorsement is None, endorsement is not None and is_stale(endorsement, post)
    if endorsement is None:
        endorsement = Endorsement(post_id=post.id, expert_id=expert.id, evidence_level=level)
        db.session.add(endorsement)
    endorsement.note = note
    endorsement.evidence_level = level
    # Saving again re-confirms the current text: a stale endorsement counts again.
    endorsement.confirmed_at = now
    refresh_endorsements(post)
    if is_new:
        notifications.answer_endorsed(post, expert)
    elif was_stale:
        events.endorsement_reconfirmed(post, expert)
    db.session.commit()
    log.info("post %s endorsed by user %s", post.id, expert.id)
    return endorsement


def withdraw_endorsement(expert: User, post: Post) -> None:
    """An expert takes back their endorsement."""
    endorsement = db.session.scalar(
        select(Endorsement).where(
            Endorsement.post_id == post.id, Endorsement.expert_id == expert.id
        )
    )
    policies.require(endorsement is not None, message="You have not endorsed this reply.")
    db.session.delete(endorsement)
    refresh_endorsements(post)
    db.session.commit()


def endorsements_for(post_ids: Sequence[int]) -> dict[int, list[Endorsement]]:
    """Endorsements of a page's posts, oldest first, in one query."""
    grouped: dict[int, list[Endorsement]] = {pid: [] for pid in post_ids}
    if not post_ids:
        return grouped
    rows = db.session.scalars(
        select(Endorsement)
        .where(Endorsement.post_id.in_(post_ids))
        .order_by(Endorsement.created_at, Endorsement.id)
    )
    for row in rows:
        grouped[row.post_id].append(row)
    return grouped


def is_stale(endorsement: Endorsement, post: Post) -> bool:
    """The post changed after the expert last confirmed it."""
    edited: datetime | None = post.edited_at
    return edited is not None and edited > endorsement.confirmed_at
