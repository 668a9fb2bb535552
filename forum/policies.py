"""Every authorization rule of the forum, as predicates and query filters."""

from __future__ import annotations

from typing import Any

from forum.errors import NotAllowed
from forum.models import Role, User

STAFF_ROLES = frozenset({Role.MODERATOR, Role.EDITOR, Role.ADMIN})


def require(ok: bool, hide: bool = False, message: str = "") -> None:
    """Raise NotAllowed (403, or 404 with hide=True) unless ok."""
    if not ok:
        raise NotAllowed(message, hide=hide)


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


JINJA_GLOBALS = {
    "is_member": is_member,
    "is_admin": is_admin,
    "is_site_moderator": is_site_moderator,
    "is_editor": is_editor,
    "can_change_role": can_change_role,
    "role_badges": role_badges,
}
