"""Personal API tokens: the settings pages, the CLI, hashing, revocation and last use."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from forum.api import tokens
from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import ApiToken, utcnow
from tests.api_support import Api
from tests.conftest import CsrfClient, login
from tests.factories import make_user

SECRET_PATTERN = re.compile(r'<code class="token-secret">(hf_[A-Za-z0-9_-]+)</code>')


def test_visitors_are_sent_to_log_in(client: CsrfClient) -> None:
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_member_creates_a_token_sees_it_once_and_revokes_it(
    app: Flask, client: CsrfClient
) -> None:
    member = make_user(name="maria")
    login(client, member)
    settings = client.get("/account/settings").get_data(as_text=True)
    assert 'href="/account/tokens"' in settings
    created = client.post("/account/tokens", data={"name": "My script", "scope": "write"})
    assert created.status_code == 200
    secret = SECRET_PATTERN.search(created.get_data(as_text=True))
    assert secret is not None
    raw = secret.group(1)
    stored = db.session.scalar(select(ApiToken))
    assert stored is not None and stored.name == "My script" and stored.scope.value == "write"
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(stored.prefix) and raw != stored.prefix
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "My script" in listing and stored.prefix in listing and raw not in listing
    api = Api(app, app.test_client())  # type: ignore[arg-type]
    assert api.get("/api/v1/users/maria", raw).status_code == 200
    revoked = client.post(f"/account/tokens/{stored.id}/revoke")
    assert revoked.status_code == 302
    assert api.get("/api/v1/users/maria", raw).status_code == 401
    assert "is revoked" in client.get("/account/tokens").get_data(as_text=True)
    assert "My script" not in client.get("/account/tokens").get_data(as_text=True)


def test_a_token_needs_a_name_and_a_known_scope(client: CsrfClient) -> None:
    login(client, make_user())
    assert client.post("/account/tokens", data={"name": "", "scope": "read"}).status_code == 422
    assert client.post("/account/tokens", data={"name": "x", "scope": "admin"}).status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_nobody_revokes_someone_elses_token(client: CsrfClient) -> None:
    owner, other = make_user(), make_user()
    token, _raw = tokens.create_token(owner, "owner's", "read")
    login(client, other)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.post("/account/tokens/99999999999/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None  # type: ignore[union-attr]


def test_last_use_is_written_at_most_every_few_minutes(app: Flask) -> None:
    member = make_user()
    token, raw = tokens.create_token(member, "poller", "read")
    api = Api(app, app.test_client())  # type: ignore[arg-type]
    api.get("/api/v1/topics", raw)
    first = db.session.get(ApiToken, token.id).last_used_at  # type: ignore[union-attr]
    assert first is not None
    api.get("/api/v1/topics", raw)
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first  # type: ignore[union-attr]
    stale = first - timedelta(minutes=10)
    db.session.get(ApiToken, token.id).last_used_at = stale  # type: ignore[union-attr]
    db.session.commit()
    api.get("/api/v1/topics", raw)
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at > stale  # type: ignore[union-attr,operator]


def test_a_banned_members_tokens_stop_working(app: Flask) -> None:
    member = make_user()
    _token, raw = tokens.create_token(member, "script", "write")
    member.is_banned = True
    db.session.commit()
    api = Api(app, app.test_client())  # type: ignore[arg-type]
    assert api.get("/api/v1/topics", raw).status_code == 401


def test_suspended_members_read_but_cannot_get_new_tokens(app: Flask) -> None:
    member = make_user(suspended_until=utcnow() + timedelta(days=3))
    with pytest.raises(NotAllowed):
        tokens.create_token(member, "script", "read")


def test_the_cli_prints_a_token_for_operators(app: Flask) -> None:
    make_user(name="robot")
    result = app.test_cli_runner().invoke(args=["users", "token", "robot", "--scope", "write"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip().splitlines()[0]
    token = tokens.find_token(raw)
    assert token is not None and token.scope.value == "write" and token.user.name == "robot"
    unknown = app.test_cli_runner().invoke(args=["users", "token", "ghost"])
    assert unknown.exit_code != 0 and "no user named" in unknown.output
    bad_scope = app.test_cli_runner().invoke(args=["users", "token", "robot", "--scope", "all"])
    assert bad_scope.exit_code != 0
