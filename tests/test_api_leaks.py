"""The JSON API, read side: the leak checks (search, private groups, member lists), bad
input and bounded queries."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from forum.experts import services as experts
from forum.extensions import db
from forum.models import Role

# The fixtures, imported with `as` so that they are kept.
from tests.api_fixtures import api as api
from tests.api_fixtures import items
from tests.api_fixtures import world as world
from tests.api_support import SECRET, Api, World, make_expert, token_for
from tests.conftest import CsrfClient
from tests.factories import make_reply, make_thread, make_user


def test_search_finds_what_the_viewer_may_see(world: World, api: Api) -> None:
    found = api.get("/api/v1/search?q=morning").get_json()
    assert found["total"] == 1 and found["items"][0]["id"] == world.public_thread.id
    assert found["items"][0]["type"] == "thread" and found["items"][0]["endorsed"] is True
    assert api.get(f"/api/v1/search?q={SECRET}").get_json()["total"] == 0
    outsider = api.get(f"/api/v1/search?q={SECRET}", world.tokens["outsider"]).get_json()
    assert outsider["total"] == 0 and outsider["suggestion"] is None
    member = api.get(f"/api/v1/search?q={SECRET}", world.tokens["member"]).get_json()
    assert [hit["id"] for hit in member["items"]] == [world.private_thread.id]
    assert api.get("/api/v1/search?q=morning&type=article").get_json()["items"] == []
    assert api.get("/api/v1/search?q=morning&type=thread").get_json()["total"] == 1
    assert api.get("/api/v1/search?q=mornnig").get_json()["suggestion"] == "morning"
    assert api.get("/api/v1/search?q=morning&endorsed=true&answered=1").get_json()["total"] == 1
    notes = api.get("/api/v1/search?q=morning&community=nope").get_json()["notes"]
    assert notes
    for query in ("sort=best", "type=video", "answered=maybe", "page=51", "page=-2"):
        assert api.get(f"/api/v1/search?q=a&{query}").status_code == 400, query


READ_PATHS = (
    "/api/v1/topics",
    "/api/v1/topics/diabetes",
    "/api/v1/communities",
    "/api/v1/communities/insulin-circle",
    "/api/v1/communities/insulin-circle/threads",
    "/api/v1/communities/insulin-circle/members",
    "/api/v1/communities/type-2/threads",
    "/api/v1/communities/type-2/threads?sort=new",
    "/api/v1/experts",
    "/api/v1/users/maria",
    "/api/v1/users/mona",
    "/api/v1/articles",
    f"/api/v1/search?q={SECRET}",
    "/api/v1/search?q=dosing",
    "/api/v1/search?q=zanzibar",
    "/api/openapi.json",
)


@pytest.mark.parametrize("viewer", ["visitor", "outsider", "expert"])
def test_a_word_from_a_private_group_never_reaches_an_outsider(
    world: World, api: Api, client: CsrfClient, viewer: str
) -> None:
    token = world.tokens[viewer]
    paths = [
        *READ_PATHS,
        f"/api/v1/threads/{world.private_thread.id}",
        f"/api/v1/threads/{world.public_thread.id}",
    ]
    for path in paths:
        response = api.get(path, token)
        assert response.status_code in (200, 403, 404), path
        assert SECRET not in response.get_data(as_text=True).lower(), path
    for write in (
        ("POST", f"/api/v1/threads/{world.private_thread.id}/posts", {"body": "hello"}),
        ("POST", f"/api/v1/posts/{world.private_reply.id}/helpful", None),
        ("POST", f"/api/v1/posts/{world.private_reply.id}/reports", {"reason": "spam"}),
        ("PATCH", f"/api/v1/posts/{world.private_reply.id}", {"body": "edit"}),
        ("POST", "/api/v1/communities/insulin-circle/threads", {"title": "x" * 12, "body": "y"}),
    ):
        response = api.call(write[0], write[1], token, json=write[2])
        assert response.status_code in (401, 404), write
        assert SECRET not in response.get_data(as_text=True).lower()


def test_a_member_sees_the_private_word(world: World, api: Api) -> None:
    body = api.get(f"/api/v1/threads/{world.private_thread.id}", world.tokens["member"]).text
    assert SECRET in body


def test_members_lists_are_for_members_and_requests_for_moderators(world: World, api: Api) -> None:
    assert api.get("/api/v1/communities/type-2/members").status_code == 403
    assert api.get("/api/v1/communities/insulin-circle/members").status_code == 404
    outsider = world.tokens["outsider"]
    assert api.get("/api/v1/communities/insulin-circle/members", outsider).status_code == 404
    api.call("POST", "/api/v1/communities/insulin-circle/membership", outsider, json={})
    member_view = api.get("/api/v1/communities/insulin-circle/members", world.tokens["member"])
    assert member_view.get_json()["pending"] is None
    assert {m["name"] for m in items(member_view)} == {"maria", "mona"}
    moderator_view = api.get(
        "/api/v1/communities/insulin-circle/members", world.tokens["moderator"]
    ).get_json()
    assert [r["name"] for r in moderator_view["pending"]] == ["otto"]
    assert "@" not in str(moderator_view)


def test_bad_input_gets_a_4xx_envelope_never_a_500(world: World, api: Api) -> None:
    token = world.tokens["member"]
    thread = world.public_thread.id
    cases = [
        ("GET", "/api/v1/nothing-here", None, 404),
        ("PUT", "/api/v1/topics", None, 405),
        ("GET", "/api/v1/threads/99999999999999999999", None, 404),
        ("GET", "/api/v1/threads/0", None, 404),
        ("GET", "/api/v1/communities/%00", None, 404),
        ("GET", "/api/v1/users/" + "x" * 300, None, 404),
        ("GET", "/api/v1/search?q=%00%00&community=%00", None, 200),
        ("POST", f"/api/v1/threads/{thread}/posts", {"body": 12}, 400),
        ("POST", f"/api/v1/threads/{thread}/posts", {}, 400),
        ("POST", f"/api/v1/threads/{thread}/posts", ["body"], 400),
        ("POST", f"/api/v1/threads/{thread}/posts", {"body": "ok", "anonymous": "yes"}, 400),
        ("POST", f"/api/v1/threads/{thread}/accept", {"post_id": "7"}, 400),
        ("POST", f"/api/v1/threads/{thread}/accept", {"post_id": 2**40}, 400),
        ("POST", "/api/v1/communities/type-2/threads", {"title": "t", "body": "b"}, 400),
        ("POST", "/api/v1/communities/type-2/threads", {"title": None, "tags": "x"}, 400),
    ]
    for method, path, body, status in cases:
        response = api.call(method, path, token, json=body)
        assert response.status_code == status, (method, path, body, response.text)
        if status >= 400:
            assert response.is_json and set(response.get_json()["error"]) == {
                "code",
                "message",
                "fields",
            }
    malformed = api.call(
        "POST",
        f"/api/v1/threads/{thread}/posts",
        token,
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert malformed.status_code == 400 and "body" in malformed.get_json()["error"]["fields"]
    missing = api.call("POST", f"/api/v1/threads/{thread}/posts", token, json={}).get_json()
    assert missing["error"]["fields"] == {"body": "This field is required."}


def test_a_site_moderator_reads_public_groups_as_a_visitor_reads_private_ones(
    world: World, api: Api
) -> None:
    site_moderator = make_user(name="sam", role=Role.MODERATOR)
    token = token_for(site_moderator)
    assert api.get(f"/api/v1/threads/{world.public_thread.id}", token).status_code == 200
    assert api.get(f"/api/v1/threads/{world.private_thread.id}", token).status_code == 404


def statements_for(api: Api, path: str) -> int:
    """How many SQL statements one GET runs (after a first GET warmed up caches)."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    api.get(path)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert api.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_lists_and_threads_load_in_a_bounded_number_of_queries(world: World, api: Api) -> None:
    thread_path = f"/api/v1/threads/{world.public_thread.id}"
    paths = ("/api/v1/communities/type-2/threads", thread_path, "/api/v1/communities")
    before = {path: statements_for(api, path) for path in paths}
    other_expert = make_expert(world.topic, name="drkim")
    for number in range(6):
        author = make_user()
        make_thread(world.public, author, title=f"Another question number {number}", tags=("x1",))
        reply = make_reply(world.public_thread, author, body=f"Reply number {number}")
        experts.endorse_post(other_expert, reply, "", "expert-opinion")
    after = {path: statements_for(api, path) for path in paths}
    assert after == before
