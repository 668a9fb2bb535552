"""Finding what a request names, through the same visibility rules as the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_login import current_user

from forum import policies
from forum.api import inputs
from forum.communities import services as communities
from forum.errors import NotFound
from forum.models import Community, Post, Thread
from forum.threads import services as threads


def created(body: dict[str, Any]) -> tuple[Response, int]:
    return jsonify(body), 201


def no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def community(slug: str) -> Community:
    return communities.community_by_slug(inputs.key(slug, 60))


def community_content(slug: str) -> Community:
    """A community whose threads the viewer may see (a private group's are 404 to others)."""
    found = community(slug)
    policies.require(policies.can_view_community_content(current_user, found), hide=True)
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
