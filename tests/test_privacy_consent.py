"""A member's privacy: health consent at registration, in settings and for posting."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum import policies
from forum.auth import services as accounts
from forum.extensions import db
from forum.models import Post, Role
from forum.threads import services as threads
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_thread, make_user
from tests.privacy_support import GOOD_PASSWORD, redirects_to_login, register, user_named

# Consent


def test_registration_offers_an_unticked_consent_box(client: CsrfClient) -> None:
    page = client.get("/account/register").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="health_consent"[^>]*>', page)
    assert box is not None
    assert 'type="checkbox"' in box.group(0)
    assert "checked" not in box.group(0)
    assert "2026-11" in page


def test_registration_with_consent_stores_its_date_and_policy_version(
    client: CsrfClient,
) -> None:
    assert register(client, health_consent="y").status_code == 302
    user = user_named("new_member")
    assert user.health_consent_at is not None
    assert user.health_consent_version == "2026-11"
    assert policies.has_health_consent(user)


@pytest.mark.config(HEALTH_CONSENT_VERSION="2027-03")
def test_the_consent_records_the_configured_policy_version(client: CsrfClient) -> None:
    register(client, health_consent="y")
    assert user_named("new_member").health_consent_version == "2027-03"


def test_without_consent_a_new_member_reads_but_cannot_post(client: CsrfClient) -> None:
    thread = make_thread()
    assert register(client).status_code == 302
    user = user_named("new_member")
    assert user.health_consent_at is None and user.health_consent_version is None
    page = client.get(f"/threads/{thread.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/account/privacy#consent-heading" in html
    assert "Your reply" not in html
    reply = client.post(f"/threads/{thread.id}/replies", data={"body": "Me too, honestly."})
    assert reply.status_code == 403
    assert "/account/privacy#consent-heading" in client.get("/threads/new").get_data(as_text=True)
    assert db.session.scalar(select(Post.id).where(Post.author_id == user.id)) is None


def test_consent_is_given_and_withdrawn_in_settings_and_posts_stay(
    client: CsrfClient,
) -> None:
    user = make_user(health_consent_at=None, health_consent_version=None)
    community = make_community()
    login(client, user)
    refused = client.post("/account/privacy/consent", data={})
    assert refused.status_code == 422
    assert "Tick the box" in refused.get_data(as_text=True)
    assert client.post("/account/privacy/consent", data={"health_consent": "y"}).status_code == 302
    assert user_named(user.name).health_consent_version == "2026-11"
    thread = threads.create_thread(
        user_named(user.name), community, "My first question here", "What helps?"
    )
    response = client.post("/account/privacy/consent", data={"withdraw": "Withdraw my consent"})
    assert response.status_code == 302
    assert user_named(user.name).health_consent_at is None
    assert not policies.can_post_in_community(user_named(user.name), community)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "What helps?" in page and "Your reply" not in page


def test_consent_pages_need_a_login_and_a_csrf_token(client: CsrfClient) -> None:
    assert redirects_to_login(client.get("/account/privacy"))
    assert redirects_to_login(client.post("/account/privacy/consent", data={"health_consent": "y"}))
    login(client, make_user(health_consent_at=None))
    response = client.post("/account/privacy/consent", data={"health_consent": "y"}, csrf=False)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "consent", "expected"),
    [
        ("visitor", False, False),
        ("member", True, True),
        ("member", False, False),
        ("admin", False, False),
        ("admin", True, True),
    ],
)
def test_posting_needs_health_consent(app: Flask, who: str, consent: bool, expected: bool) -> None:
    community = make_community()
    user: Any = AnonymousUserMixin()
    if who != "visitor":
        role = Role.ADMIN if who == "admin" else Role.MEMBER
        user = make_user(role=role)
        if not consent:
            user.health_consent_at = None
    assert policies.has_health_consent(user) is (consent and who != "visitor")
    assert policies.can_post_in_community(user, community) is expected


def test_register_user_records_consent_only_when_asked(app: Flask) -> None:
    without = accounts.register_user("plain_member", "plain@example.org", GOOD_PASSWORD)
    with_it = accounts.register_user(
        "eager_member", "eager@example.org", GOOD_PASSWORD, health_consent=True
    )
    assert without.health_consent_at is None
    assert with_it.health_consent_at is not None and with_it.health_consent_version == "2026-11"


@pytest.mark.parametrize(("flag", "consents"), [([], True), (["--no-health-consent"], False)])
def test_users_create_records_consent_unless_told_not_to(
    app: Flask, flag: list[str], consents: bool
) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "cli_member", "--email", "cli@example.org", "--password-stdin",
              *flag],
        input=f"{GOOD_PASSWORD}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (user_named("cli_member").health_consent_at is not None) is consents
