"""The notifications API: list, mark read, settings; every answer matches the OpenAPI document."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.api_support import Api, token_for
from tests.conftest import CsrfClient
from tests.factories import make_community, make_reply, make_thread, make_user


@pytest.fixture
def api(app: Flask, client: CsrfClient) -> Api:
    return Api(app, client)


def test_the_list_shows_a_members_notifications_with_anonymous_actors_hidden(
    app: Flask, api: Api
) -> None:
    hannah = make_user()
    thread = make_thread(make_community(allow_anonymous=True), author=hannah)
    named = make_user(name="replier")
    make_reply(thread, named)
    make_reply(thread, anonymous=True)
    assert api.get("/api/v1/notifications").status_code == 401
    token = token_for(hannah)
    body = api.get("/api/v1/notifications", token).get_json()
    assert body["total"] == 2
    newest, oldest = body["items"]
    assert newest["actor"] is None
    assert oldest["actor"]["name"] == "replier"
    assert oldest["type"] == "reply_mine" and oldest["read"] is False
    assert f"/threads/{thread.id}#post-{oldest['post_id']}" in oldest["url"]
    unread = api.get("/api/v1/notifications?unread=true&per_page=1", token).get_json()
    assert unread["total"] == 2 and len(unread["items"]) == 1


def test_marking_read_by_ids_or_all(app: Flask, api: Api) -> None:
    hannah = make_user()
    make_reply(make_thread(author=hannah))
    make_reply(make_thread(author=hannah))
    token = token_for(hannah)
    ids = [item["id"] for item in api.get("/api/v1/notifications", token).get_json()["items"]]
    response = api.call("POST", "/api/v1/notifications/read", token, json={"ids": ids[:1]})
    assert response.get_json() == {"read": 1}
    bad = api.call("POST", "/api/v1/notifications/read", token, json={"ids": "all"})
    assert bad.status_code == 400
    done = api.call("POST", "/api/v1/notifications/read", token, json={"all": True})
    assert done.get_json() == {"read": 1}
    other = token_for(make_user())
    mine = api.call("POST", "/api/v1/notifications/read", other, json={"ids": ids})
    assert mine.get_json() == {"read": 0}


def test_settings_are_readable_and_writable(app: Flask, api: Api) -> None:
    token = token_for(make_user())
    body = api.get("/api/v1/me/notification-settings", token).get_json()
    assert body["channels"]["reply_mine"] == "email"
    assert body["channels"]["mention"] == "forum"
    assert body["full_text"] is False
    changed = api.call(
        "PUT",
        "/api/v1/me/notification-settings",
        token,
        json={"channels": {"mention": "weekly"}, "full_text": True},
    ).get_json()
    assert changed["channels"]["mention"] == "weekly" and changed["full_text"] is True
    bad = api.call(
        "PUT", "/api/v1/me/notification-settings", token, json={"channels": {"mention": "loud"}}
    )
    assert bad.status_code == 400
