"""Health topics, communities and memberships: who belongs where."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select, update

from forum import policies
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.models import (
    Community,
    HealthTopic,
    MemberRole,
    Membership,
    MemberStatus,
    User,
    utcnow,
)
from forum.notifications import services as notifications

log = logging.getLogger(__name__)
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MESSAGE_MAX = 500


def _check_slug(slug: str) -> str:
    if not (2 <= len(slug) <= 60 and SLUG_PATTERN.fullmatch(slug)):
        raise InvalidAction("Use 2-60 lower-case letters, digits and single hyphens.", field="slug")
    return slug


def _check_name(name: str) -> str:
    name = name.strip()
    if not 2 <= len(name) <= 120:
        raise InvalidAction("Use a name of 2 to 120 characters.", field="name")
    return name


def topic_by_slug(slug: str) -> HealthTopic:
    topic = db.session.scalar(select(HealthTopic).where(HealthTopic.slug == slug))
    if topic is None:
        raise NotFound()
    return topic


def community_by_slug(slug: str) -> Community:
    community = db.session.scalar(select(Community).where(Community.slug == slug))
    if community is None:
        raise NotFound()
    return community


def create_topic(actor: User | None, slug: str, name: str, summary: str = "") -> HealthTopic:
    """A new health center; actor None is the operator on the command line."""
    if actor is not None:
        policies.require(policies.can_manage_communities(actor))
    slug = _check_slug(slug)
    if db.session.scalar(select(HealthTopic.id).where(HealthTopic.slug == slug)):
        raise InvalidAction("A health topic with that slug exists.", field="slug")
    topic = HealthTopic(slug=slug, name=_check_name(name), summary=summary.strip())
    db.session.add(topic)
    db.session.commit()
    return topic


def create_community(
    actor: User | None,
    slug: str,
    name: str,
    topic: HealthTopic,
    *,
    description: str = "",
    rules: str = "",
    is_private: bool = False,
    allow_anonymous: bool = False,
) -> Community:
    """A new community in a topic; actor None is the operator on the command line."""
    if actor is not None:
        policies.require(policies.can_manage_communities(actor))
    slug = _check_slug(slug)
    if db.session.scalar(select(Community.id).where(Community.slug == slug)):
        raise InvalidAction("A community with that slug exists.", field="slug")
    community = Community(
        slug=slug,
        name=_check_name(name),
        topic_id=topic.id,
        description=description.strip(),
        rules=rules.strip(),
        is_private=is_private,
        allow_anonymous=allow_anonymous,
    )
    db.session.add(community)
    db.session.commit()
    return community


def _count_members(community_id: int, change: int) -> None:
    db.session.execute(
        update(Community)
        .where(Community.id == community_id)
        .values(member_count=Community.member_count + change)
    )


def join_community(user: User, community: Community, message: str = "") -> Membership:
    """Join a public community, or ask to join a private one."""
    policies.require(policies.is_member(user), message="Log in to join a community.")
    policies.require(
        policies.can_join_community(user, community), message="You already belong to it."
    )
    if len(message) > MESSAGE_MAX:
        raise InvalidAction(f"Keep the message under {MESSAGE_MAX} characters.", field="message")
    membership = policies.membership_in(user, community)
    if membership is None:
        membership = Membership(community_id=community.id, user_id=user.id)
        db.session.add(membership)
    membership.status = MemberStatus.PENDING if community.is_private else MemberStatus.APPROVED
    membership.request_message = message.strip()
    membership.decision_message = ""
    membership.created_at = utcnow()
    if membership.status == MemberStatus.APPROVED:
        _count_members(community.id, 1)
    notifications.join_requested(membership)
    db.session.commit()
    policies.forget_memberships()
    return membership


def leave_community(user: User, community: Community) -> None:
    """Leave a community, or withdraw a request to join."""
    membership = policies.membership_in(user, community)
    policies.require(membership is not None, message="You are not a member.")
    assert membership is not None
    if membership.status == MemberStatus.APPROVED:
        _count_members(community.id, -1)
    db.session.delete(membership)
    db.session.commit()
    policies.forget_memberships()


def pending_request(community: Community, user: User) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id
        )
    )
    if membership is None:
        raise NotFound()
    return membership


def decide_membership(
    actor: User, membership: Membership, approve: bool, message: str = ""
) -> Membership:
    """A community moderator approves or declines a request to join."""
    policies.require(policies.can_manage_members(actor, membership.community))
    if membership.status != MemberStatus.PENDING:
        raise InvalidAction("That request was already decided.")
    if len(message) > MESSAGE_MAX:
        raise InvalidAction(f"Keep the message under {MESSAGE_MAX} characters.", field="message")
    membership.status = MemberStatus.APPROVED if approve else MemberStatus.DECLINED
    membership.decision_message = message.strip()
    membership.decided_by_id = actor.id
    membership.decided_at = utcnow()
    if approve:
        _count_members(membership.community_id, 1)
    notifications.join_decided(membership)
    db.session.commit()
    log.info("membership %s %s by user %s", membership.id, membership.status.value, actor.id)
    return membership


def remove_member(actor: User, membership: Membership) -> None:
    """A community moderator removes a member."""
    policies.require(policies.can_manage_members(actor, membership.community))
    if membership.user_id == actor.id:
        raise InvalidAction("Use 'leave' to leave a community yourself.")
    if membership.status == MemberStatus.APPROVED:
        _count_members(membership.community_id, -1)
    db.session.delete(membership)
    db.session.commit()


def add_member(
    actor: User | None, community: Community, user: User, moderator: bool = False
) -> Membership:
    """Add a member directly (admins and operators), optionally as community moderator."""
    if actor is not None:
        policies.require(policies.can_manage_communities(actor))
    membership = db.session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(community_id=community.id, user_id=user.id)
        db.session.add(membership)
    if membership.status != MemberStatus.APPROVED:
        _count_members(community.id, 1)
    membership.status = MemberStatus.APPROVED
    membership.role = MemberRole.MODERATOR if moderator else MemberRole.MEMBER
    membership.decided_by_id = actor.id if actor else None
    membership.decided_at = utcnow()
    db.session.commit()
    policies.forget_memberships()
    return membership
