"""Communities: memberships (cached per request), who sees, joins and posts in a group."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import Select, false, or_, select

from forum.extensions import db
from forum.models import Community, MemberRole, Membership, MemberStatus, User, Viewer
from forum.policies.accounts import has_health_consent, is_admin, is_member

__all__ = [
    "can_join_community",
    "can_leave_community",
    "can_manage_communities",
    "can_manage_members",
    "can_post_in_community",
    "can_view_community_content",
    "can_view_members",
    "forget_memberships",
    "is_community_member",
    "is_community_moderator",
    "membership_in",
    "memberships_of",
    "visible_community_ids",
]


def memberships_of(user: Viewer) -> dict[int, Membership]:
    """The user's memberships by community id, loaded once per request."""
    if not isinstance(user, User) or user.id is None:
        return {}
    cache: dict[int, dict[int, Membership]] = g.setdefault("_memberships", {})
    if user.id not in cache:
        rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
        cache[user.id] = {row.community_id: row for row in rows}
    return cache[user.id]


def forget_memberships() -> None:
    """Drop the per-request cache after a membership change."""
    g.pop("_memberships", None)


def membership_in(user: Viewer, community: Community) -> Membership | None:
    return memberships_of(user).get(community.id)


def is_community_member(user: Viewer, community: Community) -> bool:
    membership = membership_in(user, community)
    return membership is not None and membership.status == MemberStatus.APPROVED


def is_community_moderator(user: Viewer, community: Community) -> bool:
    if is_admin(user):
        return True
    membership = membership_in(user, community)
    return (
        membership is not None
        and membership.status == MemberStatus.APPROVED
        and membership.role == MemberRole.MODERATOR
    )


def can_view_community_content(user: Viewer, community: Community) -> bool:
    """Threads, replies, counts and member lists: public, or members of the group."""
    if not community.is_private:
        return True
    return is_admin(user) or is_community_member(user, community)


def can_join_community(user: Viewer, community: Community) -> bool:
    membership = membership_in(user, community)
    return is_member(user) and (membership is None or membership.status == MemberStatus.DECLINED)


def can_leave_community(user: Viewer, community: Community) -> bool:
    return membership_in(user, community) is not None


def can_view_members(user: Viewer, community: Community) -> bool:
    return is_admin(user) or is_community_member(user, community)


def can_manage_members(user: Viewer, community: Community) -> bool:
    """Approve or decline requests to join, remove members."""
    return is_member(user) and is_community_moderator(user, community)


def can_manage_communities(user: Viewer) -> bool:
    """Create topics and communities, appoint community moderators."""
    return is_admin(user)


def can_post_in_community(user: Viewer, community: Community) -> bool:
    if not is_member(user) or not has_health_consent(user):
        return False
    return not community.is_private or is_community_member(user, community) or is_admin(user)


def visible_community_ids(user: Viewer) -> Select[Any]:
    """Ids of the communities whose content the user may see, as a subquery."""
    query = select(Community.id)
    if is_admin(user):
        return query
    member_of = [
        cid for cid, m in memberships_of(user).items() if m.status == MemberStatus.APPROVED
    ]
    return query.where(or_(Community.is_private == false(), Community.id.in_(member_of)))
