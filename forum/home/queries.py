"""The "Today" home page's reads: a few small queries, each through the policies' filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_login import AnonymousUserMixin
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload

from forum import policies
from forum.communities import queries as communities
from forum.extensions import db
from forum.models import (
    Article,
    ArticleStatus,
    Community,
    Endorsement,
    Post,
    Thread,
    Viewer,
    utcnow,
)

RECENT = 8
ENDORSED = 4
WAITING = 5
GROUPS = 4
ENDORSED_DAYS = 7


@dataclass
class Today:
    article: Article | None = None
    endorsed: list[Post] = field(default_factory=list)
    groups: list[tuple[Community, int]] = field(default_factory=list)
    waiting: list[Thread] = field(default_factory=list)
    recent: list[Thread] = field(default_factory=list)


def featured_article() -> Article | None:
    """The most recently reviewed published article (as a visitor sees it: the page is shared)."""
    # The citations (a selectin relationship) are not shown here.
    query = policies.visible_articles(
        AnonymousUserMixin(), select(Article).options(lazyload(Article.citations))
    )
    query = query.where(Article.status == ArticleStatus.PUBLISHED, Article.reviewed_at.is_not(None))
    return db.session.scalar(query.order_by(Article.reviewed_at.desc(), Article.id.desc()).limit(1))


def endorsed_this_week(viewer: Viewer) -> list[Post]:
    """Replies endorsed by an expert in the last week, newest endorsement first."""
    since = utcnow() - timedelta(days=ENDORSED_DAYS)
    latest = (
        select(Endorsement.post_id, func.max(Endorsement.created_at).label("at"))
        .where(Endorsement.created_at >= since)
        .group_by(Endorsement.post_id)
        .subquery()
    )
    query = (
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .join(latest, latest.c.post_id == Post.id)
        .where(Post.endorsement_count > 0, Post.is_hidden.is_(False), Post.is_pending.is_(False))
        .options(selectinload(Post.thread))
    )
    query = policies.visible_posts(viewer, query)
    return list(db.session.scalars(query.order_by(latest.c.at.desc(), Post.id).limit(ENDORSED)))


def active_groups(viewer: Viewer) -> list[tuple[Community, int]]:
    """The communities with the most threads active this week, with that count."""
    since = utcnow() - timedelta(days=ENDORSED_DAYS)
    active = policies.visible_threads(viewer, select(Thread)).where(
        Thread.last_activity_at >= since
    )
    per_community = active.with_only_columns(Thread.community_id, func.count(Thread.id))
    rows = db.session.execute(per_community.group_by(Thread.community_id)).all()
    counts: dict[int, int] = {community_id: count for community_id, count in rows}
    if not counts:
        return []
    found = db.session.scalars(select(Community).where(Community.id.in_(counts)))
    ranked = sorted(found, key=lambda c: (-counts[c.id], c.name))
    return [(community, counts[community.id]) for community in ranked[:GROUPS]]


def varied(threads: list[Thread], limit: int) -> list[Thread]:
    """At most two threads of one community, so one busy topic cannot fill the list."""
    chosen: list[Thread] = []
    per_community: dict[int, int] = {}
    for thread in threads:
        if per_community.get(thread.community_id, 0) < 2:
            chosen.append(thread)
            per_community[thread.community_id] = per_community.get(thread.community_id, 0) + 1
        if len(chosen) == limit:
            break
    return chosen


def today(viewer: Viewer) -> Today:
    """Everything the home page shows besides the health centers."""
    recent = communities.thread_list_query(viewer, "new").limit(RECENT * 3)
    waiting = communities.thread_list_query(viewer, "unanswered").limit(WAITING * 3)
    return Today(
        article=featured_article(),
        endorsed=endorsed_this_week(viewer),
        groups=active_groups(viewer),
        waiting=varied(list(db.session.scalars(waiting)), WAITING),
        recent=varied(list(db.session.scalars(recent)), RECENT),
    )
