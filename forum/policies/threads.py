"""Threads and posts, and their moderation: who sees, writes, votes, accepts, reports."""

from __future__ import annotations

from typing import Any, TypeGuard

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true

from forum.extensions import db
from forum.models import (
    Community,
    MemberRole,
    MemberStatus,
    Post,
    Thread,
    ThreadKind,
    ThreadStatus,
    User,
    Viewer,
)
from forum.policies.accounts import STAFF_ROLES, S, is_admin, is_member, is_site_moderator
from forum.policies.communities import (
    can_post_in_community,
    can_view_community_content,
    is_community_moderator,
    memberships_of,
    visible_community_ids,
)

__all__ = [
    "PUBLISHED_STATUSES",
    "can_accept",
    "can_delete_post",
    "can_edit_post",
    "can_follow",
    "can_moderate_community",
    "can_post_anonymously",
    "can_reply",
    "can_report",
    "can_sanction_member",
    "can_see_anonymous_author",
    "can_view_history",
    "can_view_moderation",
    "can_view_post",
    "can_view_thread",
    "can_vote",
    "can_warn_member",
    "is_author",
    "moderated_community_ids",
    "visible_named_posts",
    "visible_posts",
    "visible_threads",
]

# Threads and posts


def can_view_thread(user: Viewer, thread: Thread) -> bool:
    if not can_view_community_content(user, thread.community):
        return False
    if thread.status in (ThreadStatus.HIDDEN, ThreadStatus.PENDING):
        return can_moderate_community(user, thread.community) or is_author(user, thread)
    return True


PUBLISHED_STATUSES = (ThreadStatus.OPEN, ThreadStatus.LOCKED)


def visible_threads(user: Viewer, query: S) -> S:
    """Only threads in communities the user may see, never hidden, pending or deleted ones."""
    return query.where(
        Thread.community_id.in_(visible_community_ids(user)),
        Thread.status.in_(PUBLISHED_STATUSES),
        Thread.is_deleted == false(),
    )


def _in_moderated_communities(user: Viewer) -> ColumnElement[bool]:
    """can_moderate_community as SQL, on Thread.community_id."""
    if not is_member(user):
        return false()
    ids = moderated_community_ids(user)
    return true() if ids is None else Thread.community_id.in_(ids)


def visible_posts(user: Viewer, query: S) -> S:
    """Posts the user may read, for a query that joins Thread: published posts of published
    threads in visible communities; hidden and pending ones only where the user moderates
    (stricter than can_view_post: an author's own hidden posts are not listed)."""
    published = and_(
        Thread.status.in_(PUBLISHED_STATUSES),
        Post.is_hidden == false(),
        Post.is_pending == false(),
    )
    return query.where(
        Thread.community_id.in_(visible_community_ids(user)),
        Thread.is_deleted == false(),
        Post.is_deleted == false(),
        or_(published, _in_moderated_communities(user)),
    )


def visible_named_posts(user: Viewer, query: S) -> S:
    """Posts that may be listed under their author's name (the query joins Thread): visible
    posts, anonymous ones only where the user may see anonymous authors."""
    named = or_(Post.is_anonymous == false(), _in_moderated_communities(user))
    return visible_posts(user, query).where(named)


def can_view_post(user: Viewer, post: Post) -> bool:
    """Hidden and pending posts: their author and the community's moderators only."""
    if post.is_hidden or post.is_pending:
        return is_author(user, post) or can_moderate_community(user, post.thread.community)
    return True


# Moderation


def can_moderate_community(user: Viewer, community: Community) -> bool:
    """Community moderators, admins, and site moderators in public communities."""
    if not is_member(user):
        return False
    if is_community_moderator(user, community):
        return True
    return is_site_moderator(user) and not community.is_private


def can_report(user: Viewer, post: Post) -> bool:
    return (
        is_member(user)
        and not is_author(user, post)
        and not post.is_deleted
        and can_view_thread(user, post.thread)
    )


def moderated_community_ids(user: Viewer) -> Select[Any] | None:
    """Communities whose queue and log the user may see (None: every community)."""
    if is_admin(user):
        return None
    mine = [
        cid
        for cid, m in memberships_of(user).items()
        if m.status == MemberStatus.APPROVED and m.role == MemberRole.MODERATOR
    ]
    query = select(Community.id)
    if is_site_moderator(user):
        return query.where(or_(Community.is_private == false(), Community.id.in_(mine)))
    return query.where(Community.id.in_(mine))


def can_view_moderation(user: Viewer) -> TypeGuard[User]:
    if not is_member(user):
        return False
    if is_site_moderator(user):
        return True
    return any(
        m.status == MemberStatus.APPROVED and m.role == MemberRole.MODERATOR
        for m in memberships_of(user).values()
    )


def can_sanction_member(actor: Viewer, target: User) -> bool:
    """Suspend or ban: site moderators and admins, never on staff above them or themselves."""
    if not is_member(actor) or actor.id == target.id or is_admin(target):
        return False
    if is_admin(actor):
        return True
    return is_site_moderator(actor) and target.role not in STAFF_ROLES


def can_warn_member(actor: Viewer, target: User, seen_in: Post | None = None) -> bool:
    """Warn (a message e-mailed from the forum): site moderators and admins anyone, community
    moderators only members who posted in a community they moderate. `seen_in`, a post of
    the target's, answers without a query when it is in such a community."""
    if not can_view_moderation(actor) or actor.id == target.id or target.is_deleted:
        return False
    if is_site_moderator(actor):
        return True
    if (
        seen_in is not None
        and seen_in.author_id == target.id
        and can_moderate_community(actor, seen_in.thread.community)
    ):
        return True
    posted = (
        select(Post.id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == target.id, _in_moderated_communities(actor))
    )
    return bool(db.session.scalar(select(exists(posted))))


def is_author(user: Viewer, item: Thread | Post) -> bool:
    """The user wrote it (the page then speaks to them, e.g. of their own pending question)."""
    return isinstance(user, User) and item.author_id is not None and item.author_id == user.id


def can_reply(user: Viewer, thread: Thread) -> bool:
    return (
        can_post_in_community(user, thread.community)
        and thread.status == ThreadStatus.OPEN
        and not thread.is_deleted
    )


def can_post_anonymously(user: Viewer, community: Community) -> bool:
    return community.allow_anonymous and can_post_in_community(user, community)


def can_edit_post(user: Viewer, post: Post) -> bool:
    return (
        is_member(user)
        and is_author(user, post)
        and not post.is_deleted
        and post.thread.status != ThreadStatus.LOCKED
        and can_view_community_content(user, post.thread.community)
    )


def can_delete_post(user: Viewer, post: Post) -> bool:
    return is_member(user) and is_author(user, post) and not post.is_deleted


def can_view_history(user: Viewer, post: Post) -> bool:
    """Moderators see every revision of a post."""
    return can_moderate_community(user, post.thread.community)


def can_see_anonymous_author(user: Viewer, post: Post | Thread) -> bool:
    community = post.thread.community if isinstance(post, Post) else post.community
    return can_moderate_community(user, community)


def can_vote(user: Viewer, post: Post) -> bool:
    """Helpful votes: members, on others' visible replies they can read."""
    return (
        is_member(user)
        and not post.is_opening
        and not post.is_deleted
        and not post.is_hidden
        and not post.is_pending
        and not is_author(user, post)
        and can_view_community_content(user, post.thread.community)
    )


def can_accept(user: Viewer, thread: Thread, post: Post | None = None) -> bool:
    """The asker marks the reply that helped them."""
    ok = (
        is_member(user)
        and is_author(user, thread)
        and thread.kind == ThreadKind.QUESTION
        and not thread.is_deleted
    )
    if post is not None:
        ok = ok and post.thread_id == thread.id and not post.is_opening and not post.is_deleted
    return ok


def can_follow(user: Viewer, thread: Thread) -> bool:
    return is_member(user) and can_view_thread(user, thread)
