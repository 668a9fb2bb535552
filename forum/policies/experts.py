"""Experts: profiles (cached per request), scope, expert answers and endorsements."""

from __future__ import annotations

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from forum.extensions import db
from forum.models import (
    ExpertProfile,
    ExpertStatus,
    HealthTopic,
    Post,
    User,
    Viewer,
    expert_scope,
    utcnow,
)
from forum.policies.accounts import is_admin, is_editor, is_member
from forum.policies.threads import can_view_thread

__all__ = [
    "can_apply_as_expert",
    "can_endorse",
    "can_review_experts",
    "expert_answer_profiles",
    "expert_profile_of",
    "expert_profiles",
    "forget_expert_profiles",
    "is_active_expert_profile",
    "is_expert_answer",
    "is_expert_in_scope",
    "is_verified_expert",
    "profile_covers_topic",
]


def expert_profiles(user_ids: set[int]) -> dict[int, ExpertProfile]:
    """Expert profiles by user id, for a page's authors, loaded once per request."""
    cache: dict[int, ExpertProfile | None] = g.setdefault("_expert_profiles", {})
    missing = {uid for uid in user_ids if uid not in cache}
    if missing:
        # The topics come in the same statement, joined flat: joinedload's nested join
        # would make SQLite read every expert's scope.
        query = (
            select(ExpertProfile)
            .outerjoin(expert_scope, expert_scope.c.profile_id == ExpertProfile.id)
            .outerjoin(HealthTopic, HealthTopic.id == expert_scope.c.topic_id)
            .where(ExpertProfile.user_id.in_(missing))
            .order_by(HealthTopic.name)
            .options(
                contains_eager(ExpertProfile.topics),
                # A page shows the expert's name; the rest of the account row stays unread.
                joinedload(ExpertProfile.user).load_only(User.name, User.is_banned),
            )
        )
        found = {row.user_id: row for row in db.session.scalars(query).unique()}
        for uid in missing:
            cache[uid] = found.get(uid)
    return {uid: p for uid in user_ids if (p := cache.get(uid)) is not None}


def forget_expert_profiles() -> None:
    g.pop("_expert_profiles", None)


def expert_profile_of(user: Viewer) -> ExpertProfile | None:
    if not isinstance(user, User) or user.id is None:
        return None
    return expert_profiles({user.id}).get(user.id)


def is_active_expert_profile(profile: ExpertProfile | None) -> bool:
    """Verified, not expired, and the account is in good standing."""
    return (
        profile is not None
        and profile.status == ExpertStatus.VERIFIED
        and profile.expires_at is not None
        and profile.expires_at > utcnow()
        and not profile.user.is_banned
    )


def is_verified_expert(user: Viewer) -> bool:
    return is_member(user) and is_active_expert_profile(expert_profile_of(user))


def profile_covers_topic(profile: ExpertProfile | None, topic_id: int) -> bool:
    if not is_active_expert_profile(profile):
        return False
    assert profile is not None
    return profile.all_topics or any(topic.id == topic_id for topic in profile.topics)


def is_expert_in_scope(user: Viewer, topic_id: int) -> bool:
    return is_member(user) and profile_covers_topic(expert_profile_of(user), topic_id)


def is_expert_answer(post: Post) -> bool:
    """A reply by a verified expert (or organization) inside their scope."""
    if post.is_opening or post.is_anonymous or post.author_id is None or post.is_deleted:
        return False
    profile = expert_profiles({post.author_id}).get(post.author_id)
    return profile_covers_topic(profile, post.thread.community.topic_id)


def expert_answer_profiles(posts: list[Post]) -> dict[int, ExpertProfile]:
    """The author's profile for each post that is an expert answer, by post id."""
    profiles = expert_profiles({post.author_id for post in posts if post.author_id is not None})
    return {
        post.id: profiles[post.author_id]
        for post in posts
        if post.author_id in profiles and is_expert_answer(post)
    }


def can_endorse(user: Viewer, post: Post) -> bool:
    """Verified, unexpired experts endorse others' visible replies in threads in their scope."""
    return (
        not post.is_opening
        and not post.is_deleted
        and not post.is_hidden
        and not (isinstance(user, User) and post.author_id == user.id)
        and is_expert_in_scope(user, post.thread.community.topic_id)
        and can_view_thread(user, post.thread)
    )


def can_apply_as_expert(user: Viewer) -> bool:
    if not is_member(user):
        return False
    profile = expert_profile_of(user)
    return profile is None or profile.status in (ExpertStatus.REJECTED, ExpertStatus.REVOKED)


def can_review_experts(user: Viewer) -> bool:
    """Admins and editors verify, reject and revoke experts, and see licence numbers."""
    return is_member(user) and (is_admin(user) or is_editor(user))
