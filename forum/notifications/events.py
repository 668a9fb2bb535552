"""More notification events: moderators' actions on threads, reports, experts' standing,
new questions for experts, and safety notices for cabinet owners.

Like the events in services.py they add rows to the caller's transaction and never commit.
Recipients are chosen in SQL; nobody hears about content they may not see, and anonymous
authors are never named.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from forum.extensions import db
from forum.models import (
    CabinetEntry,
    CabinetProfile,
    DrugIngredient,
    ExpertProfile,
    ExpertStatus,
    MemberRole,
    Membership,
    MemberStatus,
    NotificationKind,
    Post,
    Report,
    SafetyNotice,
    Thread,
    ThreadKind,
    User,
    expert_scope,
    safety_notice_drug,
    utcnow,
)
from forum.notifications.delivery import Event, one, write_event
from forum.notifications.services import is_public_post, post_event

K = NotificationKind


def endorsement_reconfirmed(post: Post, expert: User) -> None:
    """An expert re-confirmed an endorsement after the post was edited: its author hears."""
    if is_public_post(post) and post.author_id is not None:
        event = post_event(
            K.RECONFIRMED, post, expert.id, full_subject=f"Re-confirmed: {post.thread.title}"
        )
        write_event(event, one(post.author_id))


def _moderators_of(community_id: int) -> Select[int]:
    return select(Membership.user_id).where(
        Membership.community_id == community_id,
        Membership.role == MemberRole.MODERATOR,
        Membership.status == MemberStatus.APPROVED,
    )


def report_filed(report: Report) -> None:
    """A post was reported: the moderators of its community hear (the reporter stays unnamed)."""
    db.session.flush()
    post = db.session.get(Post, report.post_id)
    if post is None:
        return
    thread = post.thread
    event = Event(
        kind=K.REPORT,
        path="/moderation",
        community_id=thread.community_id,
        thread_id=thread.id,
        post_id=post.id,
        detail=f"Reason: {report.reason.value}",
    )
    # Moderators may see the reported post even when it is hidden or pending.
    write_event(event, _moderators_of(thread.community_id))


def expert_decided(profile: ExpertProfile) -> None:
    """An application was verified or rejected, or a verification revoked: the expert hears."""
    reason = profile.decision_reason
    detail = f"Your expert application is {profile.status.value}." + (
        f" Reason: {reason}" if reason and profile.status != ExpertStatus.VERIFIED else ""
    )
    event = Event(kind=K.EXPERT_STATUS, path="/experts/apply", detail=detail)
    write_event(event, one(profile.user_id))


def expert_lapsing(profile: ExpertProfile) -> None:
    """A verification ends soon: the expert hears in the forum (the reminder mail is separate)."""
    expires = profile.expires_at or utcnow()
    event = Event(
        kind=K.EXPERT_STATUS,
        path="/experts/apply",
        detail=f"Your expert verification ends on {expires:%d %B %Y}.",
    )
    write_event(event, one(profile.user_id))


def _experts_for_topic(topic_id: int, author_id: int | None) -> Select[int]:
    """Verified, unexpired experts whose scope covers the topic (never the asker)."""
    covers = or_(
        ExpertProfile.all_topics.is_(True),
        exists().where(
            expert_scope.c.profile_id == ExpertProfile.id, expert_scope.c.topic_id == topic_id
        ),
    )
    return select(ExpertProfile.user_id).where(
        ExpertProfile.status == ExpertStatus.VERIFIED,
        ExpertProfile.expires_at > utcnow(),
        ExpertProfile.user_id != (author_id or -1),
        covers,
    )


def question_asked(thread: Thread) -> None:
    """A new, visible question: experts in its topic hear ("Ask an expert")."""
    db.session.flush()
    opening = thread.opening_post
    if thread.kind != ThreadKind.QUESTION or opening is None or not is_public_post(opening):
        return
    actor = None if thread.is_anonymous else thread.author_id
    event = post_event(K.QUESTION, opening, actor, full_subject=f"New question: {thread.title}")
    write_event(event, _experts_for_topic(thread.community.topic_id, thread.author_id))


def _cabinet_owners(notice: SafetyNotice) -> Select[int]:
    """Owners with a named drug, or a product containing it, in any of their profiles,
    who chose safety alerts for that medicine."""
    named = select(safety_notice_drug.c.drug_id).where(safety_notice_drug.c.notice_id == notice.id)
    combos = select(DrugIngredient.drug_id).where(DrugIngredient.ingredient_id.in_(named))
    return (
        select(CabinetProfile.owner_id)
        .join(CabinetEntry, CabinetEntry.profile_id == CabinetProfile.id)
        .where(
            CabinetEntry.safety_alerts.is_(True),
            or_(CabinetEntry.drug_id.in_(named), CabinetEntry.drug_id.in_(combos)),
        )
    )


def safety_notice_published(notice: SafetyNotice) -> None:
    """A safety notice names a medicine in a member's (or their family's) cabinet."""
    db.session.flush()
    event = Event(
        kind=K.SAFETY_NOTICE,
        path="/my-medicine/alerts",
        full_subject=f"Safety notice: {notice.title}",
        detail=notice.title,
    )
    write_event(event, _cabinet_owners(notice))
