"""Finding what a request names, through the same visibility rules as the pages."""

from __future__ import annotations

from flask_login import current_user

from forum import policies
from forum.api import inputs
from forum.articles.services import article_by_slug
from forum.auth.services import find_user_by_name
from forum.communities import services as communities
from forum.errors import NotFound
from forum.models import Article, Community, HealthTopic, Post, Thread, User
from forum.threads import services as threads

SLUG_MAX = 60
NAME_MAX = 30
ARTICLE_SLUG_MAX = 100


def community(slug: str) -> Community:
    return communities.community_by_slug(inputs.key(slug, SLUG_MAX))


def community_content(slug: str) -> Community:
    """A community whose threads the viewer may see (a private group's are 404 to others)."""
    found = community(slug)
    policies.require(policies.can_view_community_content(current_user, found), hide=True)
    return found


def topic(slug: str) -> HealthTopic:
    return communities.topic_by_slug(inputs.key(slug, SLUG_MAX))


def article(slug: str) -> Article:
    """A published article the viewer may read; any other is "not found"."""
    found = article_by_slug(inputs.key(slug, ARTICLE_SLUG_MAX))
    policies.require(
        found.is_published and policies.can_view_article(current_user, found), hide=True
    )
    return found


def account(name: str) -> User:
    """The account with this public name, even a deleted one (its memberships remain)."""
    found = find_user_by_name(inputs.key(name, NAME_MAX))
    if found is None:
        raise NotFound()
    return found


def profile(name: str) -> User:
    """The account behind a public profile: deleted accounts have none."""
    found = account(name)
    if found.is_deleted:
        raise NotFound()
    return found


def thread(thread_id: int) -> Thread:
    found = threads.thread_by_id(inputs.row_id(thread_id))
    if found.is_deleted:
        raise NotFound()
    policies.require(policies.can_view_thread(current_user, found), hide=True)
    return found


def post(post_id: int) -> Post:
    """A post in a thread the viewer may see; hidden and waiting posts only for those who may."""
    found = threads.post_by_id(inputs.row_id(post_id))
    visible = (
        not found.thread.is_deleted
        and policies.can_view_thread(current_user, found.thread)
        and policies.can_view_post(current_user, found)
    )
    policies.require(visible, hide=True)
    return found
