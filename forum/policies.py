"""Every authorization rule of the forum, as predicates and query filters."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import g
from sqlalchemy import Select, false, or_, select

from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import (
    Community,
    MemberRole,
    Membership,
    MemberStatus,
    Post,
    Role,
    Thread,
    ThreadKind,
    ThreadStatus,
    User,
)

STAFF_ROLES = frozenset({Role.MODERATOR, Role.EDITOR, Role.ADMIN})
S = TypeVar("S", bound=Select[Any])


def require(ok: bool, hide: bool = False, message: str = "") -> None:
    """Raise NotAllowed (403, or 404 with hide=True) unless ok."""
    if not ok:
        raise NotAllowed(message, hide=hide)


# Accounts and roles


def is_member(user: Any) -> bool:
    """A logged-in, non-banned account."""
    return isinstance(user, User) and user.is_authenticated and not user.is_banned


def is_admin(user: Any) -> bool:
    return isinstance(user, User) and user.role == Role.ADMIN


def is_site_moderator(user: Any) -> bool:
    return isinstance(user, User) and user.role in (Role.MODERATOR, Role.ADMIN)


def is_editor(user: Any) -> bool:
    return isinstance(user, User) and user.role in (Role.EDITOR, Role.ADMIN)


def can_change_role(actor: Any, target: User) -> bool:
    """Only admins change roles, and never their own (so a site keeps an admin)."""
    return is_admin(actor) and actor.id != target.id


def can_edit_account(actor: Any, target: User) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.id == target.id


def role_badges(user: User) -> list[str]:
    """Public badges for a profile: staff roles are shown, plain members get none."""
    return [user.role.value] if user.role in STAFF_ROLES else []


# Communities


def memberships_of(user: Any) -> dict[int, Membership]:
    """The user's memberships by community id, loaded once per request."""
    if not isinstance(user, User) or user.id is None:
        return {}
    cache: dict[int, dict[int, Membership]] = g.setdefault("_memberships", {})
    if user.id not in cache:
        rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
        cache[user.id] = {row.community_id: row for row in rows}
    return cache[user.id]


def forget_memberships() -> None:
    """Drop the per-request cache after a membership change."""
    g.pop("_memberships", None)


def membership_in(user: Any, community: Community) -> Membership | None:
    return memberships_of(user).get(community.id)


def is_community_member(user: Any, community: Community) -> bool:
    membership = membership_in(user, community)
    return membership is not None and membership.status == MemberStatus.APPROVED


def is_community_moderator(user: Any, community: Community) -> bool:
    if is_admin(user):
        return True
    membership = membership_in(user, community)
    return (
        membership is not None
        and membership.status == MemberStatus.APPROVED
        and membership.role == MemberRole.MODERATOR
    )


def can_view_community_content(user: Any, community: Community) -> bool:
    """Threads, replies, counts and member lists: public, or members of the group."""
    if not community.is_private:
        return True
    return is_admin(user) or is_community_member(user, community)


def can_join_community(user: Any, community: Community) -> bool:
    membership = membership_in(user, community)
    return is_member(user) and (membership is None or membership.status == MemberStatus.DECLINED)


def can_leave_community(user: Any, community: Community) -> bool:
    return membership_in(user, community) is not None


def can_view_members(user: Any, community: Community) -> bool:
    return is_admin(user) or is_community_member(user, community)


def can_manage_members(user: Any, community: Community) -> bool:
    """Approve or decline requests to join, remove members."""
    return is_member(user) and is_community_moderator(user, community)


def can_manage_communities(user: Any) -> bool:
    """Create topics and communities, appoint community moderators."""
    return is_admin(user)


def can_post_in_community(user: Any, community: Community) -> bool:
    if not is_member(user):
        return False
    return not community.is_private or is_community_member(user, community) or is_admin(user)


def visible_community_ids(user: Any) -> Select[Any]:
    """Ids of the communities whose content the user may see, as a subquery."""
    query = select(Community.id)
    if is_admin(user):
        return query
    member_of = [
        cid for cid, m in memberships_of(user).items() if m.status == MemberStatus.APPROVED
    ]
    return query.where(or_(Community.is_private == false(), Community.id.in_(member_of)))


# Threads and posts


def can_view_thread(user: Any, thread: Thread) -> bool:
    if not can_view_community_content(user, thread.community):
        return False
    if thread.status == ThreadStatus.HIDDEN:
        return is_community_moderator(user, thread.community) or _is_author(user, thread)
    return True


def visible_threads(user: Any, query: S) -> S:
    """Only threads in communities the user may see, never hidden or deleted ones."""
    return query.where(
        Thread.community_id.in_(visible_community_ids(user)),
        Thread.status != ThreadStatus.HIDDEN,
        Thread.is_deleted == false(),
    )


def _is_author(user: Any, item: Thread | Post) -> bool:
    return isinstance(user, User) and item.author_id is not None and item.author_id == user.id


def can_reply(user: Any, thread: Thread) -> bool:
    return (
        can_post_in_community(user, thread.community)
        and thread.status == ThreadStatus.OPEN
        and not thread.is_deleted
    )


def can_post_anonymously(user: Any, community: Community) -> bool:
    return community.allow_anonymous and can_post_in_community(user, community)


def can_edit_post(user: Any, post: Post) -> bool:
    return (
        is_member(user)
        and _is_author(user, post)
        and not post.is_deleted
        and post.thread.status != ThreadStatus.LOCKED
        and can_view_community_content(user, post.thread.community)
    )


def can_delete_post(user: Any, post: Post) -> bool:
    return is_member(user) and _is_author(user, post) and not post.is_deleted


def can_view_history(user: Any, post: Post) -> bool:
    """Moderators see every revision of a post."""
    return is_member(user) and is_community_moderator(user, post.thread.community)


def can_see_anonymous_author(user: Any, post: Post | Thread) -> bool:
    community = post.thread.community if isinstance(post, Post) else post.community
    return is_community_moderator(user, community) or is_site_moderator(user)


def can_vote(user: Any, post: Post) -> bool:
    """Helpful votes: members, on others' visible replies they can read."""
    return (
        is_member(user)
        and not post.is_opening
        and not post.is_deleted
        and not post.is_hidden
        and not _is_author(user, post)
        and can_view_community_content(user, post.thread.community)
    )


def can_accept(user: Any, thread: Thread, post: Post | None = None) -> bool:
    """The asker marks the reply that helped them."""
    ok = (
        is_member(user)
        and _is_author(user, thread)
        and thread.kind == ThreadKind.QUESTION
        and not thread.is_deleted
    )
    if post is not None:
        ok = ok and post.thread_id == thread.id and not post.is_opening and not post.is_deleted
    return ok


def can_follow(user: Any, thread: Thread) -> bool:
    return is_member(user) and can_view_thread(user, thread)


def author_label(viewer: Any, item: Post | Thread) -> str | None:
    """The public name to show for an item's author, or None for an anonymous one."""
    if item.is_anonymous or item.author is None:
        return None
    return item.author.name


JINJA_GLOBALS = {
    "is_member": is_member,
    "is_admin": is_admin,
    "is_site_moderator": is_site_moderator,
    "is_editor": is_editor,
    "can_change_role": can_change_role,
    "role_badges": role_badges,
    "is_community_member": is_community_member,
    "is_community_moderator": is_community_moderator,
    "membership_in": membership_in,
    "can_view_community_content": can_view_community_content,
    "can_join_community": can_join_community,
    "can_leave_community": can_leave_community,
    "can_view_members": can_view_members,
    "can_manage_members": can_manage_members,
    "can_manage_communities": can_manage_communities,
    "can_post_in_community": can_post_in_community,
    "can_view_thread": can_view_thread,
    "can_reply": can_reply,
    "can_post_anonymously": can_post_anonymously,
    "can_edit_post": can_edit_post,
    "can_delete_post": can_delete_post,
    "can_view_history": can_view_history,
    "can_see_anonymous_author": can_see_anonymous_author,
    "can_vote": can_vote,
    "can_accept": can_accept,
    "can_follow": can_follow,
}
