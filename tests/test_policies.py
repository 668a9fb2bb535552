"""Each authorization rule as a table."""

from __future__ import annotations

import pytest
from flask import Flask

from forum import policies
from forum.errors import NotAllowed
from forum.models import Role
from tests.factories import make_user


@pytest.mark.parametrize(
    ("role", "banned", "member", "admin", "site_moderator", "editor"),
    [
        (Role.MEMBER, False, True, False, False, False),
        (Role.MEMBER, True, False, False, False, False),
        (Role.MODERATOR, False, True, False, True, False),
        (Role.EDITOR, False, True, False, False, True),
        (Role.ADMIN, False, True, True, True, True),
    ],
)
def test_role_predicates(
    app: Flask,
    role: Role,
    banned: bool,
    member: bool,
    admin: bool,
    site_moderator: bool,
    editor: bool,
) -> None:
    user = make_user(role=role, is_banned=banned)
    assert policies.is_member(user) is member
    assert policies.is_admin(user) is admin
    assert policies.is_site_moderator(user) is site_moderator
    assert policies.is_editor(user) is editor


def test_anonymous_visitors_have_no_powers(app: Flask) -> None:
    from flask_login import AnonymousUserMixin

    visitor = AnonymousUserMixin()
    assert not policies.is_member(visitor)
    assert not policies.is_admin(visitor)
    assert not policies.can_change_role(visitor, make_user())


@pytest.mark.parametrize(
    ("actor_role", "own_account", "allowed"),
    [
        (Role.MEMBER, False, False),
        (Role.MODERATOR, False, False),
        (Role.EDITOR, False, False),
        (Role.ADMIN, False, True),
        (Role.ADMIN, True, False),
    ],
)
def test_only_admins_change_roles_and_never_their_own(
    app: Flask, actor_role: Role, own_account: bool, allowed: bool
) -> None:
    actor = make_user(role=actor_role)
    target = actor if own_account else make_user()
    assert policies.can_change_role(actor, target) is allowed


def test_require_raises_403_or_a_hidden_404(app: Flask) -> None:
    policies.require(True)
    with pytest.raises(NotAllowed) as refused:
        policies.require(False)
    assert refused.value.status == 403
    with pytest.raises(NotAllowed) as hidden:
        policies.require(False, hide=True)
    assert hidden.value.status == 404


def test_profiles_show_staff_badges_only(app: Flask) -> None:
    assert policies.role_badges(make_user(role=Role.MEMBER)) == []
    assert policies.role_badges(make_user(role=Role.MODERATOR)) == ["moderator"]
