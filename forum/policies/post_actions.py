"""The controls of each post on a thread page, decided once per page."""

from __future__ import annotations

from typing import NamedTuple

from forum.models import Post, Thread, Viewer
from forum.policies.accounts import is_member
from forum.policies.experts import can_endorse
from forum.policies.threads import (
    can_accept,
    can_delete_post,
    can_edit_post,
    can_moderate_community,
    can_report,
    can_view_history,
    can_vote,
)

__all__ = [
    "NO_POST_ACTIONS",
    "PostActions",
    "post_actions",
]


class PostActions(NamedTuple):
    """What a viewer may do with one post of a thread page: each flag is its predicate."""

    vote: bool = False
    accept: bool = False
    endorse: bool = False
    edit: bool = False
    delete: bool = False
    report: bool = False
    moderate: bool = False
    view_history: bool = False


NO_POST_ACTIONS = PostActions()


def post_actions(user: Viewer, thread: Thread, posts: list[Post]) -> dict[int, PostActions]:
    """The controls of each post on a thread page, decided once per page, not per template call.

    Every one of these predicates requires is_member: other viewers, such as anonymous
    visitors, get no control and cost no per-post check.
    """
    if not is_member(user):
        return {post.id: NO_POST_ACTIONS for post in posts}
    moderate = can_moderate_community(user, thread.community)
    return {
        post.id: PostActions(
            vote=can_vote(user, post),
            accept=can_accept(user, thread, post),
            endorse=can_endorse(user, post),
            edit=can_edit_post(user, post),
            delete=can_delete_post(user, post),
            report=can_report(user, post),
            moderate=moderate,
            view_history=can_view_history(user, post),
        )
        for post in posts
    }
