"""A member's privacy: who sees each profile field, and editing the profile."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_login import AnonymousUserMixin

from forum import policies
from forum.models import Role, Visibility
from tests.conftest import CsrfClient, login
from tests.factories import make_user
from tests.privacy_support import CONDITIONS, redirects_to_login, user_named

# Profile fields


@pytest.mark.parametrize(
    ("viewer", "visibility", "shown"),
    [
        ("visitor", Visibility.PUBLIC, True),
        ("visitor", Visibility.MEMBERS, False),
        ("visitor", Visibility.NOBODY, False),
        ("member", Visibility.PUBLIC, True),
        ("member", Visibility.MEMBERS, True),
        ("member", Visibility.NOBODY, False),
        ("admin", Visibility.NOBODY, False),
        ("owner", Visibility.NOBODY, True),
    ],
)
def test_profile_fields_show_only_to_whom_the_member_chose(
    client: CsrfClient, viewer: str, visibility: Visibility, shown: bool
) -> None:
    owner = make_user(
        about="Gardener and grandmother.",
        conditions=CONDITIONS,
        location="Northern England",
        about_visibility=visibility,
        conditions_visibility=visibility,
        location_visibility=visibility,
    )
    if viewer == "owner":
        login(client, owner)
    elif viewer != "visitor":
        login(client, make_user(role=Role(viewer)))
    page = client.get(f"/u/{owner.name}").get_data(as_text=True)
    for value in ("Gardener and grandmother.", CONDITIONS, "Northern England"):
        assert (value in page) is shown
    assert owner.email not in page


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("visitor", {"public"}),
        ("member", {"public", "members"}),
        ("banned", {"public"}),
        ("admin", {"public", "members"}),
        ("owner", {"public", "members", "nobody"}),
    ],
)
def test_who_can_see_a_profile_field(app: Flask, viewer: str, expected: set[str]) -> None:
    owner = make_user()
    seen: Any = {
        "visitor": AnonymousUserMixin(),
        "member": make_user(),
        "banned": make_user(is_banned=True),
        "admin": make_user(role=Role.ADMIN),
        "owner": owner,
    }[viewer]
    visible = {v.value for v in Visibility if policies.can_see_profile_field(seen, owner, v)}
    assert visible == expected


def test_profile_fields_default_to_nobody(app: Flask) -> None:
    user = make_user()
    visibilities = {user.about_visibility, user.conditions_visibility, user.location_visibility}
    assert visibilities == {Visibility.NOBODY}


def test_profile_is_edited_in_settings_as_plain_text(client: CsrfClient) -> None:
    user = make_user()
    login(client, user)
    form = client.get("/account/privacy").get_data(as_text=True)
    assert 'name="conditions_visibility"' in form
    response = client.post(
        "/account/privacy/profile",
        data={
            "about": "<script>alert(1)</script>\r\nSecond line",
            "about_visibility": "public",
            "conditions": "  migraine,   asthma ",
            "conditions_visibility": "members",
            "location": "Leeds",
            "location_visibility": "nobody",
        },
    )
    assert response.status_code == 302
    saved = user_named(user.name)
    assert saved.about == "<script>alert(1)</script>\nSecond line"
    assert saved.conditions == "migraine, asthma"
    assert saved.conditions_visibility == Visibility.MEMBERS
    page = client.get(f"/u/{user.name}").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert" not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"about": "x" * 1001}, "1000"),
        ({"conditions": "y" * 301}, "300"),
        ({"location": "z" * 101}, "100"),
        ({"conditions_visibility": "friends"}, "Not a valid choice"),
    ],
)
def test_profile_refuses_bad_input_and_keeps_what_was_typed(
    client: CsrfClient, fields: dict[str, str], message: str
) -> None:
    user = make_user()
    login(client, user)
    data = {"about": "Typed text", "conditions": "asthma", "location": "Leeds"}
    data.update(fields)
    response = client.post("/account/privacy/profile", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert data["about"] in page
    assert user_named(user.name).about == ""


def test_profile_update_needs_a_login(client: CsrfClient) -> None:
    assert redirects_to_login(client.post("/account/privacy/profile", data={"about": "hi"}))
