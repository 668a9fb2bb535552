"""Ids beyond what a database holds and control characters in `next`: 404s and safe redirects,
never a 500 (issue 15, item 10)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from forum.api import tokens
from forum.models import Role
from forum.routing import MAX_ID, parse_id
from tests.conftest import CsrfClient, login
from tests.factories import PASSWORD, make_thread, make_user

HUGE = "99999999999999999999"  # beyond 64 bits: SQLite raised OverflowError (a 500)

ROUTES = [
    ("GET", "/threads/{id}"),
    ("POST", "/threads/{id}/replies"),
    ("POST", "/threads/{id}/follow"),
    ("GET", "/posts/{id}/history"),
    ("GET", "/posts/{id}/edit"),
    ("POST", "/posts/{id}/helpful"),
    ("GET", "/my-medicine/profiles/{id}"),
    ("GET", "/my-medicine/entries/{id}/edit"),
    ("GET", "/drugs/notices/{id}"),
    ("GET", "/drugs/reviews/{id}/edit"),
    ("POST", "/experts/posts/{id}/endorsements"),
    ("GET", "/experts/applications/{id}"),
    ("POST", "/moderation/threads/{id}/hide"),
    ("GET", "/moderation/posts/{id}/edit"),
    ("POST", "/account/tokens/{id}/revoke"),
    ("GET", "/api/v1/threads/{id}"),
    ("POST", "/api/v1/threads/{id}/posts"),
    ("PATCH", "/api/v1/posts/{id}"),
    ("DELETE", "/api/v1/posts/{id}"),
    ("POST", "/api/v1/posts/{id}/reports"),
]


def _call(client: CsrfClient, method: str, path: str, bearer: str = "") -> int:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer and "/api/" in path else {}
    if method == "POST" and "/api/" not in path:
        return client.post(path, data={}).status_code  # with the form's CSRF token
    if method in ("PATCH", "POST"):
        return client.open(path, method=method, json={"body": "x"}, headers=headers).status_code
    return client.open(path, method=method, headers=headers).status_code


@pytest.mark.parametrize(("method", "template"), ROUTES)
@pytest.mark.parametrize("number", [HUGE, str(MAX_ID + 1)])
def test_an_id_too_large_for_the_database_is_not_found_on_every_route(
    client: CsrfClient, method: str, template: str, number: str
) -> None:
    user = make_user(role=Role.ADMIN)
    bearer = tokens.create_token(user, "overflow", "write")[1]
    login(client, user)
    assert _call(client, method, template.format(id=number), bearer) == 404


@pytest.mark.parametrize(
    "template", ["/threads/{id}", "/api/v1/threads/{id}", "/drugs/notices/{id}"]
)
def test_the_largest_id_a_column_holds_is_simply_not_found(
    client: CsrfClient, template: str
) -> None:
    assert client.get(template.format(id=MAX_ID)).status_code == 404


@pytest.mark.parametrize("number", [str(2**31), str(2**63), "9" * 5000, "0" * 30 + "7"])
def test_any_too_long_number_is_an_unknown_thread(client: CsrfClient, number: str) -> None:
    assert client.get(f"/threads/{number}").status_code == 404


def test_every_integer_route_answers_a_too_large_id_as_an_unknown_one(
    app: Flask, client: CsrfClient
) -> None:
    """Every `<int:...>` rule, present and future: a huge id is an unknown id."""
    user = make_user(role=Role.ADMIN)
    bearer = tokens.create_token(user, "overflow", "write")[1]
    login(client, user)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        path = re.sub(r"<int:\w+>", HUGE, rule.rule)
        path = re.sub(r"<any\(([\w]+)[^>]*>", r"\1", path)  # the first choice of an any()
        path = re.sub(r"<(?:\w+:)?\w+>", "hide", path)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert _call(client, method, path, bearer) == 404, (method, path)
            checked += 1
    assert checked >= 30


def test_a_thread_is_still_found_by_its_id(client: CsrfClient) -> None:
    thread = make_thread(title="Ankle swelling in the heat")
    assert client.get(f"/threads/{thread.id}").status_code == 200


def test_parse_id_accepts_only_ids_a_database_can_hold() -> None:
    assert parse_id("12") == 12
    assert parse_id(str(MAX_ID)) == MAX_ID
    for raw in (None, "", "0", "-3", "1.5", "²", "١٢", HUGE, str(MAX_ID + 1), "9" * 5000):
        assert parse_id(raw) is None, raw


# `next` with control characters

INJECTED = ["/threads\r\nSet-Cookie: stolen=1", "/x\nLocation: https://evil.test", "/a\tb", "/\x00"]


@pytest.mark.parametrize("target", INJECTED)
def test_a_login_page_with_a_control_character_in_next_is_shown(
    client: CsrfClient, target: str
) -> None:
    response = client.get("/account/login", query_string={"next": target})
    assert response.status_code == 200
    assert "stolen" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("target", INJECTED)
def test_logging_in_with_a_control_character_in_next_goes_home_without_injected_headers(
    client: CsrfClient, target: str
) -> None:
    user = make_user()
    response = client.post(
        "/account/login",
        query_string={"next": target},
        data={"login": user.name, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/", "http://forum.test/")
    assert all("stolen" not in value and "evil" not in value for _, value in response.headers)
    assert not any(ch in location for ch in "\r\n\t\x00")


def test_logging_in_with_a_local_next_still_goes_there(client: CsrfClient) -> None:
    user = make_user()
    response = client.post(
        "/account/login",
        query_string={"next": "/search?q=knee"},
        data={"login": user.name, "password": PASSWORD},
    )
    assert response.headers["Location"].endswith("/search?q=knee")


def test_a_form_next_with_a_line_break_falls_back_to_a_local_page(client: CsrfClient) -> None:
    response = client.post(
        "/preferences/text-size",
        data={"size": "3", "next": "/threads\r\nSet-Cookie: stolen=1"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302
    assert "stolen" not in response.headers["Location"]
    assert "\n" not in response.headers["Location"]
