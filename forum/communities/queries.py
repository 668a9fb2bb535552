"""Read helpers for community and topic pages: bounded queries, no N+1."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, false, select
from sqlalchemy.orm import joinedload, raiseload, selectinload

from forum import cache, policies
from forum.extensions import db
from forum.models import (
    Community,
    HealthTopic,
    Membership,
    MemberStatus,
    Post,
    Thread,
    User,
    Viewer,
)

THREAD_SORTS = ("active", "new", "unanswered", "expert")
# Tabs that list every visible thread, so the community's thread count is their total.
UNFILTERED_SORTS = ("active", "new")


def thread_list_query(viewer: Viewer, sort: str) -> Select[Thread]:
    """Visible threads in the order a sort tab asks for."""
    query = policies.visible_threads(viewer, select(Thread)).options(selectinload(Thread.tags))
    if sort == "new":
        return query.order_by(Thread.created_at.desc(), Thread.id.desc())
    if sort == "unanswered":
        query = query.where(Thread.accepted_post_id.is_(None), Thread.has_expert_answer == false())
        return query.order_by(Thread.created_at.desc(), Thread.id.desc())
    if sort == "expert":
        query = query.where(Thread.has_expert_answer.is_(True))
    return query.order_by(Thread.last_activity_at.desc(), Thread.id.desc())


def community_threads(
    viewer: Viewer,
    community: Community,
    sort: str,
    page: int,
    per_page: int,
    *,
    authors: bool = True,
) -> Pagination:
    """A page of the community's threads; authors=False for lists that never show them."""
    query = thread_list_query(viewer, sort).where(Thread.community_id == community.id)
    if not authors:
        query = query.options(raiseload(Thread.author))
    if sort not in UNFILTERED_SORTS:
        return db.paginate(query, page=page, per_page=per_page, error_out=False)
    # The community keeps its thread count in SQL: no COUNT over a big community on every
    # view (hidden or waiting threads, a handful, may add one page to the pager).
    threads = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    threads.total = community.thread_count
    return threads


def communities_by_topic() -> list[tuple[HealthTopic, list[Community]]]:
    topics = db.session.scalars(select(HealthTopic).order_by(HealthTopic.name)).all()
    communities = db.session.scalars(select(Community).order_by(Community.name)).all()
    grouped: dict[int, list[Community]] = {topic.id: [] for topic in topics}
    for community in communities:
        grouped.setdefault(community.topic_id, []).append(community)
    return [(topic, grouped[topic.id]) for topic in topics]


def topic_communities(topic: HealthTopic) -> list[Community]:
    return list(
        db.session.scalars(
            select(Community).where(Community.topic_id == topic.id).order_by(Community.name)
        )
    )


def topic_top_questions(
    viewer: Viewer, topic: HealthTopic, limit: int = 10, *, authors: bool = True
) -> list[Thread]:
    """The topic's answered questions, the most helpful first.

    Ranking them sorts every answered question of the topic: the ranked ids are kept a
    short while (forum/cache.py), and the threads themselves are loaded fresh by id.
    authors=False leaves out each thread's author, for lists that never show it.
    """
    key = ("top-questions", topic.id, limit, cache.visibility_key(viewer))
    ids = cache.cached(key, lambda: _top_question_ids(viewer, topic, limit))
    query = (
        policies.visible_threads(viewer, select(Thread))
        .where(Thread.id.in_(ids))
        .options(selectinload(Thread.tags))
    )
    if not authors:
        query = query.options(raiseload(Thread.author))
    found = {thread.id: thread for thread in db.session.scalars(query)}
    return [found[thread_id] for thread_id in ids if thread_id in found]


def _top_question_ids(viewer: Viewer, topic: HealthTopic, limit: int) -> list[int]:
    helpful = (
        select(Post.helpful_count)
        .where(Post.id == Thread.accepted_post_id)
        .correlate(Thread)
        .scalar_subquery()
    )
    query = (
        policies.visible_threads(viewer, select(Thread.id))
        .join(Community, Community.id == Thread.community_id)
        .where(Community.topic_id == topic.id)
        .where((Thread.accepted_post_id.is_not(None)) | (Thread.has_expert_answer.is_(True)))
        .order_by(Thread.has_expert_answer.desc(), helpful.desc().nulls_last(), Thread.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def members_page(community: Community, page: int, per_page: int) -> Pagination:
    query = (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.community_id == community.id)
        .where(Membership.status == MemberStatus.APPROVED)
        .order_by(Membership.role.desc(), User.name_key)
        .options(joinedload(Membership.user))
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def pending_requests(community: Community, limit: int = 100) -> list[Membership]:
    query = (
        select(Membership)
        .where(Membership.community_id == community.id)
        .where(Membership.status == MemberStatus.PENDING)
        .order_by(Membership.created_at)
        .options(joinedload(Membership.user))
        .limit(limit)
    )
    return list(db.session.scalars(query))
