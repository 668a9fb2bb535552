"""Accounts and roles: who is a member in good standing, who is staff; and require()."""

from __future__ import annotations

from typing import Any, TypeGuard, TypeVar

from sqlalchemy import Select

from forum.errors import NotAllowed
from forum.models import Role, User, Viewer, Visibility, utcnow

__all__ = [
    "STAFF_ROLES",
    "S",
    "can_change_role",
    "can_edit_account",
    "can_see_profile_field",
    "can_send_newsletter",
    "can_view_mail_outbox",
    "has_health_consent",
    "is_admin",
    "is_editor",
    "is_member",
    "is_site_moderator",
    "is_suspended",
    "require",
    "role_badges",
]

STAFF_ROLES = frozenset({Role.MODERATOR, Role.EDITOR, Role.ADMIN})
# Any SELECT: the visible_* filters return the query they were given, narrowed.
S = TypeVar("S", bound=Select[*tuple[Any, ...]])


def require(ok: bool, hide: bool = False, message: str = "") -> None:
    """Raise NotAllowed (403, or 404 with hide=True) unless ok."""
    if not ok:
        raise NotAllowed(message, hide=hide)


def is_member(user: Viewer) -> TypeGuard[User]:
    """A logged-in account in good standing: not banned, not suspended."""
    return (
        isinstance(user, User)
        and user.is_authenticated
        and not user.is_banned
        and not is_suspended(user)
    )


def is_suspended(user: Viewer) -> bool:
    until = getattr(user, "suspended_until", None)
    return until is not None and until > utcnow()


def is_admin(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.role == Role.ADMIN


def is_site_moderator(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.role in (Role.MODERATOR, Role.ADMIN)


def is_editor(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.role in (Role.EDITOR, Role.ADMIN)


def can_view_mail_outbox(user: Viewer) -> bool:
    """Given-up and waiting e-mail (addresses included): admins only."""
    return is_admin(user)


def can_send_newsletter(user: Viewer) -> bool:
    return is_editor(user)


def can_change_role(actor: Viewer, target: User) -> bool:
    """Only admins change roles, and never their own (so a site keeps an admin)."""
    return is_admin(actor) and actor.id != target.id


def can_edit_account(actor: Viewer, target: User) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.id == target.id


def has_health_consent(user: Viewer) -> bool:
    """The member agreed to the processing of the health information they share."""
    return isinstance(user, User) and user.health_consent_at is not None


def can_see_profile_field(viewer: Viewer, user: User, visibility: Visibility) -> bool:
    """Public: everyone; members: logged-in members; nobody: only the account itself."""
    if isinstance(viewer, User) and viewer.is_authenticated and viewer.id == user.id:
        return True
    if visibility == Visibility.PUBLIC:
        return True
    return visibility == Visibility.MEMBERS and is_member(viewer)


def role_badges(user: User) -> list[str]:
    """Public badges for a profile: staff roles are shown, plain members get none."""
    return [user.role.value] if user.role in STAFF_ROLES else []
