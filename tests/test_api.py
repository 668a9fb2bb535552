"""The JSON API, read side: the contract and every read route by role."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from openapi_spec_validator import validate

from forum.api.spec import build_document, documented_routes
from forum.extensions import db
from forum.models import Visibility
from forum.moderation import services as moderation

# The fixtures, imported with `as` so that they are kept.
from tests.api_fixtures import api as api
from tests.api_fixtures import items
from tests.api_fixtures import world as world
from tests.api_support import Api, World, error_code, make_article, make_expert, token_for
from tests.conftest import CsrfClient
from tests.factories import make_thread


def test_the_openapi_document_is_valid_and_describes_every_route(app: Flask, api: Api) -> None:
    document = api.get("/api/openapi.json").get_json()
    validate(document)
    assert document == build_document(app)
    assert document["openapi"].startswith("3.1")
    undocumented = [
        (rule, method)
        for rule, method, endpoint, op in documented_routes(app)
        if op is None and endpoint != "api.reference"
    ]
    assert undocumented == []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert {"400", "401", "429"} <= set(operation["responses"]), (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
    contract = {
        ("get", "/api/v1/topics"), ("get", "/api/v1/topics/{slug}"),
        ("get", "/api/v1/communities"), ("get", "/api/v1/communities/{slug}"),
        ("post", "/api/v1/communities/{slug}/membership"),
        ("delete", "/api/v1/communities/{slug}/membership"),
        ("get", "/api/v1/communities/{slug}/members"),
        ("post", "/api/v1/communities/{slug}/members/{name}"),
        ("delete", "/api/v1/communities/{slug}/members/{name}"),
        ("get", "/api/v1/communities/{slug}/threads"),
        ("post", "/api/v1/communities/{slug}/threads"),
        ("get", "/api/v1/threads/{thread_id}"), ("post", "/api/v1/threads/{thread_id}/posts"),
        ("patch", "/api/v1/posts/{post_id}"), ("delete", "/api/v1/posts/{post_id}"),
        ("post", "/api/v1/posts/{post_id}/helpful"), ("delete", "/api/v1/posts/{post_id}/helpful"),
        ("post", "/api/v1/threads/{thread_id}/accept"),
        ("post", "/api/v1/posts/{post_id}/endorsements"),
        ("delete", "/api/v1/posts/{post_id}/endorsements"),
        ("post", "/api/v1/posts/{post_id}/reports"), ("get", "/api/v1/search"),
        ("get", "/api/v1/articles"), ("get", "/api/v1/articles/{slug}"),
        ("get", "/api/v1/experts"), ("get", "/api/v1/users/{name}"),
    }  # fmt: skip
    offered = {(m, p) for p, methods in document["paths"].items() for m in methods}
    assert contract <= offered


def test_the_reference_page_lists_every_operation_and_needs_no_script(
    app: Flask, api: Api, client: CsrfClient
) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for path in build_document(app)["paths"]:
        assert f" {path}</code>" in page
    # Works offline: no third-party assets, and every script is the site's own file.
    assert not re.search(r'(src|href)="https?://(?!forum\.test)', page)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "Schemas" in page and "ThreadSummary" in page


def test_topics_list_and_show_only_visible_questions(world: World, api: Api) -> None:
    assert [t["slug"] for t in items(api.get("/api/v1/topics"))] == ["diabetes"]
    for viewer in ("visitor", "outsider", "member"):
        body = api.get("/api/v1/topics/diabetes", world.tokens[viewer]).get_json()
        assert {c["slug"] for c in body["communities"]} == {"type-2", "insulin-circle"}
        assert [q["id"] for q in body["top_questions"]] == [world.public_thread.id]
    assert api.get("/api/v1/topics/no-such-topic").status_code == 404


def test_communities_show_a_private_groups_counts_only_to_members(world: World, api: Api) -> None:
    listed = {c["slug"]: c for c in items(api.get("/api/v1/communities"))}
    assert listed["insulin-circle"]["member_count"] is None
    assert listed["insulin-circle"]["thread_count"] is None
    assert listed["type-2"]["thread_count"] == 1
    mine = api.get("/api/v1/communities/insulin-circle", world.tokens["member"]).get_json()
    assert mine["thread_count"] == 1
    assert mine["membership"] == {
        "community": "insulin-circle",
        "status": "approved",
        "role": "member",
    }
    outsider = api.get("/api/v1/communities/insulin-circle", world.tokens["outsider"])
    assert outsider.get_json()["membership"] is None
    assert outsider.get_json()["member_count"] is None


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("visitor", 404), ("outsider", 404), ("member", 200), ("moderator", 200), ("expert", 404)],
)
def test_a_private_groups_threads_are_404_to_non_members(
    world: World, api: Api, viewer: str, status: int
) -> None:
    token = world.tokens[viewer]
    listing = api.get("/api/v1/communities/insulin-circle/threads", token)
    thread = api.get(f"/api/v1/threads/{world.private_thread.id}", token)
    reply = world.private_reply.id
    assert (listing.status_code, thread.status_code) == (status, status)
    if status == 404:
        assert error_code(thread) == "not_found"
        assert api.call(
            "PATCH", f"/api/v1/posts/{reply}", token, json={"body": "x"}
        ).status_code in (
            401,
            404,
        )
    else:
        assert [t["id"] for t in items(listing)] == [world.private_thread.id]


def test_a_thread_has_its_replies_endorsements_and_expert_answers(world: World, api: Api) -> None:
    body = api.get(f"/api/v1/threads/{world.public_thread.id}").get_json()
    assert body["title"] == "What helps with morning highs?"
    assert body["author"]["name"] == "ada" and body["author"]["id"] == world.asker.id
    assert body["community"]["slug"] == "type-2"
    assert body["tags"] == ["glucose", "morning"]
    assert body["expert_endorsed"] is True and body["answered"] is True
    assert body["source"] is None
    assert body["url"].endswith(f"/threads/{world.public_thread.id}")
    posts = {post["id"]: post for post in body["posts"]}
    endorsed = posts[world.reply.id]
    assert body["posts"][0]["id"] == world.reply.id
    assert endorsed["endorsements"][0]["expert"]["name"] == "drlee"
    assert endorsed["endorsements"][0]["credentials"] == "MD"
    assert endorsed["endorsements"][0]["evidence_level"] == "guideline"
    assert posts[world.expert_reply.id]["is_expert_answer"] is True
    assert endorsed["is_expert_answer"] is False
    assert body["posts_page"] == {"page": 1, "per_page": 30, "total": 2, "next": None}
    newest = api.get(f"/api/v1/threads/{world.public_thread.id}?order=newest").get_json()
    assert newest["posts"][0]["id"] == world.expert_reply.id


def test_lists_page_with_next_links_and_refuse_bad_paging(world: World, api: Api) -> None:
    make_thread(world.public, world.member, title="Second question about insulin pens")
    first = api.get("/api/v1/communities/type-2/threads?sort=new&per_page=1").get_json()
    assert first["total"] == 2 and first["per_page"] == 1
    assert first["next"].endswith("page=2") and "sort=new" in first["next"]
    last = api.get(first["next"].removeprefix("http://forum.test")).get_json()
    assert last["next"] is None and last["items"][0]["id"] == world.public_thread.id
    far = api.get("/api/v1/communities/type-2/threads?page=999999").get_json()
    assert far["items"] == [] and far["total"] == 2
    for query in ("per_page=0", "per_page=-1", "per_page=101", "page=abc", "page=0", "sort=top"):
        response = api.get(f"/api/v1/communities/type-2/threads?{query}")
        assert response.status_code == 400, query
        assert set(response.get_json()["error"]["fields"]) <= {"page", "per_page", "sort"}
    expert = items(api.get("/api/v1/communities/type-2/threads?sort=expert"))
    assert [t["id"] for t in expert] == [world.public_thread.id]
    assert items(api.get("/api/v1/communities/type-2/threads?sort=unanswered"))[0]["id"] != (
        world.public_thread.id
    )


def test_anonymous_authors_are_never_named(world: World, api: Api) -> None:
    thread = make_thread(world.public, world.member, anonymous=True, title="A question I hide")
    for viewer in ("visitor", "moderator", "member"):
        body = api.get(f"/api/v1/threads/{thread.id}", world.tokens[viewer]).get_json()
        assert body["author"] == {
            "id": None,
            "name": "Anonymous member",
            "url": None,
            "is_anonymous": True,
        }
        assert "maria" not in api.get(f"/api/v1/threads/{thread.id}", world.tokens[viewer]).text
    listed = api.get("/api/v1/communities/type-2/threads?sort=new").get_json()["items"][0]
    assert listed["author"]["name"] == "Anonymous member"
    profile = api.get("/api/v1/users/maria").get_json()
    assert thread.id not in [t["id"] for t in profile["threads"]]


def test_hidden_replies_show_only_to_their_author_and_moderators(world: World, api: Api) -> None:
    moderation.hide_post(world.moderator, world.reply, "Off topic")
    path = f"/api/v1/threads/{world.public_thread.id}"
    for viewer, sees in (("visitor", False), ("outsider", False), ("member", True)):
        posts = api.get(path, world.tokens[viewer]).get_json()["posts"]
        assert (world.reply.id in [p["id"] for p in posts]) is sees, viewer
    posts = api.get(path, world.tokens["moderator"]).get_json()["posts"]
    assert [p["is_hidden"] for p in posts if p["id"] == world.reply.id] == [True]
    for method, suffix in (("PATCH", ""), ("POST", "/helpful"), ("POST", "/reports")):
        response = api.call(
            method,
            f"/api/v1/posts/{world.reply.id}{suffix}",
            world.tokens["outsider"],
            json={"body": "x", "reason": "spam"},
        )
        assert response.status_code == 404, (method, suffix)


def test_profiles_show_only_the_fields_their_owner_chose(world: World, api: Api) -> None:
    world.member.about, world.member.about_visibility = "I walk a lot.", Visibility.MEMBERS
    world.member.location, world.member.location_visibility = "Lyon", Visibility.NOBODY
    db.session.commit()
    seen = api.get("/api/v1/users/maria").get_json()
    assert seen["about"] is None and seen["location"] is None
    assert "@" not in api.get("/api/v1/users/maria").text
    assert api.get("/api/v1/users/maria", world.tokens["outsider"]).get_json()["about"] == (
        "I walk a lot."
    )
    own = api.get("/api/v1/users/maria", world.tokens["member"]).get_json()
    assert own["location"] == "Lyon"
    assert world.private_thread.id in [t["id"] for t in own["threads"]]
    outsider_view = api.get("/api/v1/users/maria", world.tokens["outsider"]).get_json()
    assert world.private_thread.id not in [t["id"] for t in outsider_view["threads"]]
    expert = api.get("/api/v1/users/drlee").get_json()["expert"]
    assert expert["credentials"] == "MD" and "licence_number" not in expert
    assert api.get("/api/v1/users/nobody-here").status_code == 404


def test_the_expert_directory_lists_verified_experts_without_licences(
    world: World, api: Api
) -> None:
    listed = items(api.get("/api/v1/experts"))
    assert [e["name"] for e in listed] == ["drlee"]
    assert listed[0]["topics"][0]["slug"] == "diabetes"
    assert "licence" not in api.get("/api/v1/experts").text


def test_only_published_articles_are_served(world: World, api: Api) -> None:
    author = make_expert(world.topic, name="drwu")
    published = make_article(author, world.topic, publish=True)
    draft = make_article(author, world.topic, title="A draft about insulin timing")
    listed = items(api.get("/api/v1/articles?topic=diabetes"))
    assert [a["slug"] for a in listed] == [published.slug]
    body = api.get(f"/api/v1/articles/{published.slug}").get_json()
    assert body["citations"] and body["citations"][0]["position"] == 1
    assert body["reviewer"] and body["reviewed_at"] and body["next_review_due"]
    assert body["author"]["name"] == "drwu"
    assert api.get(f"/api/v1/articles/{draft.slug}", token_for(author)).status_code == 404
    assert api.get("/api/v1/articles?topic=nope").status_code == 400
    assert items(api.get("/api/v1/articles?topic=")) != []
