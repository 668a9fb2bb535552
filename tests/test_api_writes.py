"""The JSON API, write side: every action as the right and the wrong person."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Endorsement, Report, Thread, ThreadStatus, Vote
from forum.moderation import services as moderation
from tests.api_fixtures import api as api  # the fixtures, shared
from tests.api_fixtures import world as world
from tests.api_support import Api, World, build_world, error_code, token_for
from tests.conftest import CsrfClient
from tests.factories import make_reply, make_user


def test_joining_leaving_and_moderators_deciding_requests(world: World, api: Api) -> None:
    outsider, moderator = world.tokens["outsider"], world.tokens["moderator"]
    joined = api.call("POST", "/api/v1/communities/type-2/membership", outsider)
    assert joined.get_json() == {"community": "type-2", "status": "approved", "role": "member"}
    again = api.call("POST", "/api/v1/communities/type-2/membership", outsider, json={})
    assert again.status_code == 403
    asked = api.call(
        "POST",
        "/api/v1/communities/insulin-circle/membership",
        outsider,
        json={"message": "My son has type 1."},
    )
    assert asked.get_json()["status"] == "pending"
    path = "/api/v1/communities/insulin-circle/threads"
    assert api.get(path, outsider).status_code == 404
    # A plain member may not decide; the group's moderator approves.
    refused = api.call(
        "POST", "/api/v1/communities/insulin-circle/members/otto", world.tokens["member"]
    )
    assert refused.status_code == 403
    approved = api.call("POST", "/api/v1/communities/insulin-circle/members/otto", moderator)
    assert approved.get_json()["status"] == "approved"
    assert api.get(path, outsider).status_code == 200
    removed = api.call("DELETE", "/api/v1/communities/insulin-circle/members/otto", moderator)
    assert removed.status_code == 204 and removed.data == b""
    assert api.get(path, outsider).status_code == 404
    assert api.call("DELETE", "/api/v1/communities/type-2/membership", outsider).status_code == 204
    assert api.call("DELETE", "/api/v1/communities/type-2/membership", outsider).status_code == 403


def test_a_moderator_declines_a_request_and_outsiders_cannot_see_the_group(
    world: World, api: Api
) -> None:
    api.call("POST", "/api/v1/communities/insulin-circle/membership", world.tokens["outsider"])
    stranger = token_for(make_user(name="sten"))
    path = "/api/v1/communities/insulin-circle/members/otto"
    assert api.call("POST", path, stranger).status_code == 404
    assert api.call("DELETE", path, stranger).status_code == 404
    assert api.call("DELETE", path, world.tokens["moderator"]).status_code == 204
    member = api.get("/api/v1/communities/insulin-circle", world.tokens["outsider"]).get_json()
    assert member["membership"]["status"] == "declined"
    unknown = api.call(
        "POST", "/api/v1/communities/insulin-circle/members/nobody", world.tokens["moderator"]
    )
    assert unknown.status_code == 404


def test_asking_a_question(world: World, api: Api) -> None:
    body = {
        "title": "How do you carry insulin when travelling?",
        "body": "Flying next month, **tips** welcome.",
        "tags": ["travel", "insulin"],
    }
    created = api.call(
        "POST", "/api/v1/communities/type-2/threads", world.tokens["member"], json=body
    )
    assert created.status_code == 201
    thread = created.get_json()
    assert thread["title"] == body["title"] and thread["tags"] == ["insulin", "travel"]
    assert "<strong>tips</strong>" in thread["body_html"]
    assert thread["author"]["name"] == "maria" and thread["status"] == "open"
    anonymous = api.call(
        "POST",
        "/api/v1/communities/type-2/threads",
        world.tokens["member"],
        json={
            **body,
            "title": "A question I would rather not sign",
            "body": "Something personal.",
            "anonymous": True,
        },
    ).get_json()
    assert anonymous["author"]["name"] == "Anonymous member"
    private = api.call(
        "POST", "/api/v1/communities/insulin-circle/threads", world.tokens["outsider"], json=body
    )
    assert private.status_code == 404
    bad_tags = api.call(
        "POST",
        "/api/v1/communities/type-2/threads",
        world.tokens["member"],
        json={**body, "title": "Another fine title here", "tags": ["no good!"]},
    )
    assert bad_tags.status_code == 400 and "tags" in bad_tags.get_json()["error"]["fields"]
    short = api.call(
        "POST",
        "/api/v1/communities/type-2/threads",
        world.tokens["member"],
        json={**body, "title": "Hi"},
    )
    assert short.get_json()["error"]["fields"] == {
        "title": "Write a title of 10 to 150 characters."
    }


def test_personal_information_needs_a_confirmation(world: World, api: Api) -> None:
    body = {"body": "Call me on 555-123-4567 or write to maria@example.org"}
    path = f"/api/v1/threads/{world.public_thread.id}/posts"
    refused = api.call("POST", path, world.tokens["member"], json=body)
    assert refused.status_code == 400 and "body" in refused.get_json()["error"]["fields"]
    confirmed = api.call(
        "POST", path, world.tokens["member"], json={**body, "confirm_personal_info": True}
    )
    assert confirmed.status_code == 201


def test_replying_editing_and_deleting(world: World, api: Api) -> None:
    path = f"/api/v1/threads/{world.public_thread.id}/posts"
    reply = api.call("POST", path, world.tokens["member"], json={"body": "Try *less* bread."})
    assert reply.status_code == 201
    post = reply.get_json()
    assert "<em>less</em>" in post["body_html"] and post["author"]["name"] == "maria"
    assert api.call("POST", path, json={"body": "Hi"}).status_code == 401
    edit_path = f"/api/v1/posts/{post['id']}"
    edited = api.call("PATCH", edit_path, world.tokens["member"], json={"body": "Try less rice."})
    assert edited.get_json()["body_html"].strip() == "<p>Try less rice.</p>"
    assert edited.get_json()["edited_at"] is not None
    assert (
        api.call("PATCH", edit_path, world.tokens["asker"], json={"body": "Mine now"}).status_code
        == 403
    )
    opening = f"/api/v1/posts/{world.public_thread.opening_post_id}"
    retitled = api.call(
        "PATCH",
        opening,
        world.tokens["asker"],
        json={"body": "Updated.", "title": "What helps with high mornings?"},
    )
    assert retitled.status_code == 200
    assert db.session.get(Thread, world.public_thread.id).title == "What helps with high mornings?"
    assert api.call("DELETE", edit_path, world.tokens["asker"]).status_code == 403
    assert api.call("DELETE", edit_path, world.tokens["member"]).status_code == 204
    shown = api.get(f"/api/v1/threads/{world.public_thread.id}").get_json()["posts"]
    deleted = next(p for p in shown if p["id"] == post["id"])
    assert deleted["is_deleted"] is True and deleted["body_html"] == ""


def test_a_locked_thread_refuses_replies(world: World, api: Api) -> None:
    moderation.set_locked(world.moderator, world.public_thread, True, "Resolved")
    path = f"/api/v1/threads/{world.public_thread.id}/posts"
    refused = api.call("POST", path, world.tokens["member"], json={"body": "One more"})
    assert refused.status_code == 403 and "locked" in refused.get_json()["error"]["message"]


def test_helpful_votes(world: World, api: Api) -> None:
    path = f"/api/v1/posts/{world.expert_reply.id}/helpful"
    assert api.call("POST", path).status_code == 401
    voted = api.call("POST", path, world.tokens["member"]).get_json()
    assert voted == {"post_id": world.expert_reply.id, "helpful_count": 1, "voted": True}
    assert api.call("POST", path, world.tokens["member"]).get_json()["helpful_count"] == 1
    own = api.call("POST", f"/api/v1/posts/{world.reply.id}/helpful", world.tokens["member"])
    assert own.status_code == 403
    withdrawn = api.call("DELETE", path, world.tokens["member"]).get_json()
    assert withdrawn == {"post_id": world.expert_reply.id, "helpful_count": 0, "voted": False}
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_only_the_asker_accepts_a_reply_of_the_thread(world: World, api: Api) -> None:
    path = f"/api/v1/threads/{world.public_thread.id}/accept"
    other = api.call("POST", path, world.tokens["member"], json={"post_id": world.reply.id})
    assert other.status_code == 403
    accepted = api.call("POST", path, world.tokens["asker"], json={"post_id": world.reply.id})
    assert accepted.get_json() == {
        "thread_id": world.public_thread.id,
        "accepted_post_id": world.reply.id,
    }
    foreign = api.call(
        "POST", path, world.tokens["asker"], json={"post_id": world.private_reply.id}
    )
    assert foreign.status_code == 400 and "post_id" in foreign.get_json()["error"]["fields"]
    cleared = api.call("POST", path, world.tokens["asker"], json={"post_id": None})
    assert cleared.get_json()["accepted_post_id"] is None


def test_experts_endorse_and_withdraw(world: World, api: Api) -> None:
    reply = make_reply(world.public_thread, world.member, body="Eat protein at breakfast.")
    path = f"/api/v1/posts/{reply.id}/endorsements"
    note = {"note": "Reasonable.", "evidence_level": "observational"}
    assert api.call("POST", path, world.tokens["member"], json=note).status_code == 403
    bad = api.call("POST", path, world.tokens["expert"], json={"evidence_level": "vibes"})
    assert bad.get_json()["error"]["fields"].keys() == {"evidence_level"}
    endorsed = api.call("POST", path, world.tokens["expert"], json=note)
    assert endorsed.status_code == 201
    assert endorsed.get_json()["endorsements"][0]["note"] == "Reasonable."
    assert api.call("DELETE", path, world.tokens["member"]).status_code == 403
    assert api.call("DELETE", path, world.tokens["expert"]).status_code == 204
    assert db.session.scalar(select(func.count()).where(Endorsement.post_id == reply.id)) == 0


def test_reporting_a_post(world: World, api: Api) -> None:
    path = f"/api/v1/posts/{world.reply.id}/reports"
    report = {"reason": "misinformation", "note": "Not what my doctor says."}
    created = api.call("POST", path, world.tokens["outsider"], json=report)
    assert created.status_code == 201 and created.get_json()["status"] == "open"
    assert api.call("POST", path, world.tokens["outsider"], json=report).status_code == 400
    assert api.call("POST", path, world.tokens["member"], json=report).status_code == 403
    bad = api.call("POST", path, world.tokens["asker"], json={"reason": "boring"})
    assert "reason" in bad.get_json()["error"]["fields"]
    assert (
        db.session.scalar(
            select(func.count()).select_from(Report).where(Report.reporter_id.is_not(None))
        )
        == 1
    )


def test_tokens_decide_who_may_write(world: World, api: Api) -> None:
    path = f"/api/v1/threads/{world.public_thread.id}/posts"
    reader = token_for(world.member, "read")
    assert api.get(f"/api/v1/threads/{world.private_thread.id}", reader).status_code == 200
    refused = api.call("POST", path, reader, json={"body": "From a read token"})
    assert refused.status_code == 403 and "read" in refused.get_json()["error"]["message"]
    for header in ("Bearer hf_not-a-real-token", "Bearer ", "Basic bWFyaWE6cHc=", "hf_x"):
        response = api.call("GET", "/api/v1/topics", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert error_code(response) == "unauthorized"
    assert api.call("POST", path, json={"body": "As nobody"}).status_code == 401
    # A token needs no cookie and gets none; a body over the size limit is a 413.
    written = api.call("POST", path, world.tokens["member"], json={"body": "From a script"})
    assert written.status_code == 201 and "Set-Cookie" not in written.headers
    huge = api.call("POST", path, world.tokens["member"], json={"body": "x" * 3_000_000})
    assert huge.status_code == 413 and error_code(huge) == "request_entity_too_large"


def test_a_browser_session_writes_only_with_a_csrf_token(
    world: World, api: Api, client: CsrfClient
) -> None:
    from tests.conftest import login

    login(client, world.member)
    path = f"/api/v1/threads/{world.public_thread.id}/posts"
    assert api.get(f"/api/v1/threads/{world.private_thread.id}").status_code == 200
    refused = api.call("POST", path, json={"body": "From my browser"})
    assert refused.status_code == 400 and error_code(refused) == "csrf"
    allowed = api.call(
        "POST", path, json={"body": "From my browser"}, headers={"X-CSRFToken": client.csrf_token()}
    )
    assert allowed.status_code == 201


@pytest.mark.config(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute", PROXY_COUNT=1)
def test_rate_limits_count_per_token_and_per_address(world: World, api: Api) -> None:
    token = world.tokens["member"]

    def get(address: str, token: str = "", path: str = "/api/v1/topics") -> int:
        headers = {"X-Forwarded-For": address}
        return api.call("GET", path, token, headers=headers).status_code

    # One budget for every route of the API.
    paths = ("/api/v1/topics", "/api/v1/experts", "/api/v1/communities")
    assert [get("10.0.0.1", token, path) for path in paths] == [200, 200, 200]
    limited = api.call("GET", "/api/v1/topics", token, headers={"X-Forwarded-For": "10.0.0.1"})
    assert limited.status_code == 429 and limited.headers.get("Retry-After")
    assert error_code(limited) == "too_many_requests"
    assert get("10.0.0.2", token) == 429  # the token's budget is spent
    assert get("10.0.0.2") == 200  # a visitor from another address is not
    assert get("10.0.0.1") == 429  # the first address's budget is spent
    # Routes with their own posting limits count against the API budget too.
    reply = api.call(
        "POST",
        f"/api/v1/threads/{world.public_thread.id}/posts",
        token,
        json={"body": "Over the limit"},
        headers={"X-Forwarded-For": "10.0.0.3"},
    )
    assert reply.status_code == 429


def test_pending_status_for_a_new_members_first_thread(app: Flask, api: Api) -> None:
    world = build_world()
    app.config.update(NEW_ACCOUNT_HOURS=24)
    newcomer = make_user(name="nina")
    db.session.commit()
    token = token_for(newcomer)
    api.call("POST", "/api/v1/communities/type-2/membership", token)
    created = api.call(
        "POST",
        "/api/v1/communities/type-2/threads",
        token,
        json={"title": "My first question here, hello", "body": "Is it normal?"},
    )
    assert created.get_json()["status"] == ThreadStatus.PENDING.value
    thread_id = created.get_json()["id"]
    assert api.get(f"/api/v1/threads/{thread_id}").status_code == 404
    assert api.get(f"/api/v1/threads/{thread_id}", token).status_code == 200
    assert api.get(f"/api/v1/threads/{thread_id}", world.tokens["moderator"]).status_code == 200
