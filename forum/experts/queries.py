"""Read helpers for the expert directory, profiles and the review queue."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from forum import policies
from forum.experts.services import is_current
from forum.extensions import db
from forum.models import (
    Community,
    Endorsement,
    ExpertProfile,
    ExpertStatus,
    Post,
    Thread,
    ThreadKind,
    User,
    Viewer,
    utcnow,
)


def directory(page: int, per_page: int) -> Pagination:
    """Verified, unexpired experts and organizations, by name."""
    query = (
        select(ExpertProfile)
        .join(User, User.id == ExpertProfile.user_id)
        .where(
            ExpertProfile.status == ExpertStatus.VERIFIED,
            ExpertProfile.expires_at > utcnow(),
            User.is_banned.is_(False),
        )
        .order_by(ExpertProfile.kind, User.name_key)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def pending_applications(limit: int = 200) -> list[ExpertProfile]:
    query = (
        select(ExpertProfile)
        .where(ExpertProfile.status == ExpertStatus.PENDING)
        .order_by(ExpertProfile.created_at)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def endorsed_posts(viewer: Viewer, expert: User, page: int, per_page: int) -> Pagination:
    """Replies the expert endorsed and still vouches for (not edited since), in threads the
    viewer may see."""
    query = (
        policies.visible_threads(viewer, select(Endorsement))
        .join(Post, Post.id == Endorsement.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Endorsement.expert_id == expert.id, Post.is_deleted.is_(False), is_current())
        .order_by(Endorsement.created_at.desc())
        .options(contains_eager(Endorsement.post).contains_eager(Post.thread))
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def waiting_questions(expert: User, page: int, per_page: int) -> Pagination:
    """The "Ask an expert" queue: visible questions in the expert's topics that no expert
    has endorsed an answer to and the asker has not marked answered, newest first."""
    profile = policies.expert_profile_of(expert)
    query = policies.visible_threads(expert, select(Thread)).where(
        Thread.kind == ThreadKind.QUESTION,
        Thread.has_expert_answer.is_(False),
        Thread.accepted_post_id.is_(None),
        Thread.author_id.is_distinct_from(expert.id),
    )
    if profile is None or not profile.all_topics:
        topic_ids = [topic.id for topic in profile.topics] if profile else []
        in_scope = select(Community.id).where(Community.topic_id.in_(topic_ids))
        query = query.where(Thread.community_id.in_(in_scope))
    query = query.order_by(Thread.created_at.desc(), Thread.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
