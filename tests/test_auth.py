"""Accounts: registration rules, login, logout everywhere, passwords, resets, settings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from forum.auth import services
from forum.extensions import db
from forum.mail import outbox
from forum.models import Role, User
from tests.conftest import CsrfClient, login
from tests.factories import PASSWORD, make_user

GOOD_PASSWORD = "a very good passphrase"


def register(client: CsrfClient, **fields: Any) -> Any:
    data = {
        "name": "new_member",
        "email": "New.Member@Example.org",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
    }
    data.update(fields)
    return client.post("/account/register", data=data)


def test_registration_creates_a_member_with_an_argon2id_hash_and_logs_in(
    client: CsrfClient,
) -> None:
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.name_key == "new_member"))
    assert user is not None
    assert user.role == Role.MEMBER
    assert user.email == "new.member@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert "new_member" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "ab"}, "3 to 30"),
        ({"name": "x" * 31}, "3 to 30"),
        ({"name": "bad name!"}, "letters, digits"),
        ({"name": "Admin"}, "reserved"),
        ({"name": "anonymous-member"}, "reserved"),
        ({"email": "not-an-address"}, "e-mail"),
        ({"email": "a@b"}, "e-mail"),
        ({"password": "short", "confirm": "short"}, "at least 10"),
        ({"password": "1234567890", "confirm": "1234567890"}, "too common"),
        ({"password": "qwertyuiop", "confirm": "qwertyuiop"}, "too common"),
        ({"password": "new_member is great", "confirm": "new_member is great"}, "public name"),
        ({"confirm": "something else entirely"}, "do not match"),
    ],
)
def test_registration_refuses_bad_input_and_keeps_what_was_typed(
    client: CsrfClient, fields: dict[str, str], message: str
) -> None:
    response = register(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message.lower() in page.lower()
    typed_email = fields.get("email", "New.Member@Example.org")
    assert f'value="{typed_email}"' in page
    assert GOOD_PASSWORD not in page and "qwertyuiop" not in page
    assert db.session.scalar(select(User.id)) is None


def test_names_are_unique_ignoring_case(client: CsrfClient) -> None:
    make_user(name="Sunny")
    response = register(client, name="sunny")
    assert response.status_code == 422
    assert "taken" in response.get_data(as_text=True)


def test_emails_are_unique_after_normalization(client: CsrfClient) -> None:
    make_user(name="first", email="same@example.org")
    response = register(client, email="SAME@example.org")
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_login_works_with_name_or_email_in_any_case(client: CsrfClient) -> None:
    user = make_user(name="Walker")
    for login_name in ("walker", "WALKER@EXAMPLE.ORG"):
        response = client.post("/account/login", data={"login": login_name, "password": PASSWORD})
        assert response.status_code == 302
        client.post("/account/logout")
    assert user.id


@pytest.mark.parametrize("login_name", ["walker", "nobody", "nobody@example.org"])
def test_login_failure_says_the_same_whatever_the_cause(
    client: CsrfClient, login_name: str
) -> None:
    make_user(name="walker")
    response = client.post("/account/login", data={"login": login_name, "password": "wrong one!"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Wrong name or password." in page
    assert f'value="{login_name}"' in page


def test_login_changes_the_session_so_a_planted_session_is_not_kept(
    app: Flask, client: CsrfClient
) -> None:
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/u/someone", "/u/someone"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_redirects_only_to_local_paths(
    client: CsrfClient, target: str, expected: str
) -> None:
    user = make_user()
    response = client.post(
        "/account/login",
        query_string={"next": target},
        data={"login": user.name, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.location == expected


def test_logout_needs_a_post(client: CsrfClient) -> None:
    user = make_user()
    login(client, user)
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account/settings").status_code == 200


def test_logout_ends_every_session_and_remember_cookie(app: Flask) -> None:
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user, remember="y")
    remember_cookie = phone.get_cookie("remember_token", domain="forum.test")
    assert remember_cookie is not None
    assert laptop.post("/account/logout").status_code == 302
    assert phone.get("/account/settings").status_code == 302
    # A stolen copy of the old remember-me cookie does not log anyone in either.
    thief = app.test_client()
    assert remember_cookie is not None
    thief.set_cookie("remember_token", remember_cookie.value, domain=remember_cookie.domain)
    assert thief.get("/account/settings").status_code == 302


def test_remember_me_lasts_at_most_30_days(client: CsrfClient) -> None:
    user = make_user()
    response = login(client, user, remember="y")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "remember_token" in c)
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    lifetime = expires - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)
    assert "HttpOnly" in cookie


@pytest.mark.config(REMEMBER_COOKIE_DURATION=90 * 24 * 3600)
def test_a_longer_remember_me_setting_is_capped_at_30_days(app: Flask) -> None:
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 30


def test_session_cookie_is_httponly_and_samesite_lax(client: CsrfClient) -> None:
    response = login(client, make_user())
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_change_password_needs_the_current_one_and_ends_other_sessions(app: Flask) -> None:
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    new = "another good passphrase"
    wrong = here.post(
        "/account/settings/password",
        data={"current_password": "not it at all", "new_password": new, "confirm": new},
    )
    assert wrong.status_code == 422
    assert "current password is not right" in wrong.get_data(as_text=True)
    ok = here.post(
        "/account/settings/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert ok.status_code == 302
    assert here.get("/account/settings").status_code == 200
    assert elsewhere.get("/account/settings").status_code == 302
    db.session.refresh(user)
    assert services.check_credentials(user.name, new).id == user.id


def test_change_password_refuses_a_common_password(client: CsrfClient) -> None:
    login(client, make_user())
    response = client.post(
        "/account/settings/password",
        data={"current_password": PASSWORD, "new_password": "1234567890", "confirm": "1234567890"},
    )
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)


def test_change_email_needs_the_current_password(client: CsrfClient) -> None:
    user = make_user()
    login(client, user)
    refused = client.post(
        "/account/settings/email",
        data={"email": "fresh@example.org", "current_password": "nope nope nope"},
    )
    assert refused.status_code == 422
    assert 'value="fresh@example.org"' in refused.get_data(as_text=True)
    accepted = client.post(
        "/account/settings/email",
        data={"email": "Fresh@Example.org", "current_password": PASSWORD},
    )
    assert accepted.status_code == 302
    db.session.refresh(user)
    assert user.email == "fresh@example.org"


def test_settings_need_a_login(client: CsrfClient) -> None:
    response = client.get("/account/settings")
    assert response.status_code == 302
    assert "/account/login" in response.location


def reset_link(app: Flask) -> str:
    body = outbox()[-1].get_body(("plain",)).get_content()
    match = re.search(r"http://forum\.test(/account/password-reset/\S+)", body)
    assert match, body
    return match.group(1)


def test_password_reset_by_the_mailed_link(app: Flask, client: CsrfClient) -> None:
    user = make_user(name="forgetful")
    other = app.test_client()
    login(other, user)
    response = client.post("/account/password-reset", data={"login": "FORGETFUL@example.org"})
    assert response.status_code == 302
    response.close()  # the mail goes out once the answer has been sent
    assert outbox()[-1]["To"] == user.email
    link = reset_link(app)
    landing = client.get(link)
    assert landing.status_code == 303
    assert landing.location == "/account/password-reset/new"
    assert client.get(landing.location).status_code == 200
    new = "my brand new passphrase"
    done = client.post(landing.location, data={"new_password": new, "confirm": new})
    assert done.status_code == 302
    assert other.get("/account/settings").status_code == 302
    assert services.check_credentials("forgetful", new).id == user.id
    # The link works once.
    again = client.get(link)
    assert again.status_code == 400
    assert "expired or was already used" in again.get_data(as_text=True)


def test_password_reset_says_the_same_for_unknown_accounts(client: CsrfClient) -> None:
    known = make_user(name="known")
    response_known = client.post("/account/password-reset", data={"login": known.name})
    response_unknown = client.post("/account/password-reset", data={"login": "ghost"})
    response_known.close()
    response_unknown.close()
    assert response_known.status_code == response_unknown.status_code == 302
    assert response_known.location == response_unknown.location
    assert len(outbox()) == 1


def test_password_reset_link_expires_after_an_hour(app: Flask, client: CsrfClient) -> None:
    user = make_user()
    token = services.make_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.get(f"/account/password-reset/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_a_forged_reset_link_is_refused(client: CsrfClient) -> None:
    response = client.get("/account/password-reset/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_a_banned_account_cannot_log_in_or_keep_its_session(client: CsrfClient) -> None:
    user = make_user()
    login(client, user)
    user.is_banned = True
    db.session.commit()
    assert client.get("/account/settings").status_code == 302


def test_profile_shows_the_pseudonym_and_never_the_email(client: CsrfClient) -> None:
    user = make_user(name="visible_name", email="secret.address@example.org")
    page = client.get("/u/visible_name").get_data(as_text=True)
    assert "visible_name" in page
    assert "secret.address" not in page
    assert "Member since" in page
    assert user.id


def test_profile_of_an_unknown_name_is_a_404(client: CsrfClient) -> None:
    assert client.get("/u/nobody_here").status_code == 404
