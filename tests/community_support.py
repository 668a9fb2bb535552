"""Helpers shared by the community test modules: memberships, counts and join requests."""

from __future__ import annotations

from sqlalchemy import select

from forum import policies
from forum.communities import services
from forum.extensions import db
from forum.models import Community, Membership, User

REQUEST_MESSAGE = "I was diagnosed in March and would like to learn from others."


def membership_of(community: Community, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id
        )
    )


def member_count(community: Community) -> int:
    db.session.refresh(community)
    return community.member_count


def request_to_join(community: Community, user: User, message: str = REQUEST_MESSAGE) -> None:
    services.join_community(user, community, message)
    policies.forget_memberships()
