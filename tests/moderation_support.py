"""Helpers shared by the moderation test modules: moderators and permission checks."""

from __future__ import annotations

from typing import Any

from forum import policies
from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import Community, Post, Role, User
from tests.factories import make_community, make_membership, make_user


def community_moderator(community: Community) -> User:
    user = make_user()
    make_membership(community, user, moderator=True)
    return user


def actors(community: Community, post: Post) -> dict[str, User]:
    other = make_community()
    assert post.author is not None
    return {
        "member": make_user(),
        "author": post.author,
        "moderator of this community": community_moderator(community),
        "moderator of another community": community_moderator(other),
        "admin": make_user(role=Role.ADMIN),
    }


def allowed(action: Any) -> bool:
    policies.forget_memberships()
    try:
        action()
    except NotAllowed:
        db.session.rollback()
        return False
    return True
