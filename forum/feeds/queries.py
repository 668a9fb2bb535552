"""What the feeds list: only what an anonymous visitor may see, in a bounded number of queries."""

from __future__ import annotations

from datetime import datetime

from flask_login import AnonymousUserMixin
from sqlalchemy import false, func, select
from sqlalchemy.orm import contains_eager, selectinload

from forum import policies
from forum.communities.queries import thread_list_query
from forum.extensions import db
from forum.models import Community, Endorsement, HealthTopic, Post, Thread

FEED_SIZE = 30
# Feeds are the same for everyone: built for an anonymous visitor.
VISITOR = AnonymousUserMixin()


def community_threads(community: Community, limit: int = FEED_SIZE) -> list[Thread]:
    """A public community's newest threads, with their opening posts."""
    query = (
        thread_list_query(VISITOR, "new")
        .where(Thread.community_id == community.id)
        .options(selectinload(Thread.opening_post))
        .limit(limit)
    )
    return list(db.session.scalars(query))


def endorsed_answers(
    topic: HealthTopic | None, limit: int = FEED_SIZE
) -> list[tuple[Post, datetime]]:
    """Visible replies with a current endorsement, the most recently confirmed first.

    A reply edited after its endorsements counts none of them (endorsement_count, kept by
    forum.experts.services.refresh_endorsements) until an expert confirms the new text.
    """
    latest = (
        select(Endorsement.post_id, func.max(Endorsement.confirmed_at).label("endorsed_at"))
        .group_by(Endorsement.post_id)
        .subquery()
    )
    query = (
        select(Post, latest.c.endorsed_at)
        .join(latest, latest.c.post_id == Post.id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.is_opening == false(),
            Post.is_deleted == false(),
            Post.is_hidden == false(),
            Post.is_pending == false(),
            Post.endorsement_count > 0,
        )
        .order_by(latest.c.endorsed_at.desc(), Post.id.desc())
        .options(contains_eager(Post.thread))
        .limit(limit)
    )
    query = policies.visible_threads(VISITOR, query)
    if topic is not None:
        query = query.join(Community, Community.id == Thread.community_id).where(
            Community.topic_id == topic.id
        )
    rows = db.session.execute(query).all()
    # The policy is the last word on every post, whatever the query above filtered.
    return [(post, when) for post, when in rows if policies.can_view_post(VISITOR, post)]
