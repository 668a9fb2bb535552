"""An edit passes the checks of a new post: personal information, crisis, links, approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.errors import InvalidAction, NeedsConfirmation
from forum.extensions import db
from forum.models import Community, Post, Report, ReportStatus, Thread, ThreadStatus, User, utcnow
from forum.moderation import services as moderation
from forum.threads import services as threads
from tests.api_support import Api, World, build_world
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user

PHONE = "Call me on 555-123-4567 after six."
SELF_HARM = "Some nights I want to end my life."
EMERGENCY = "I have crushing chest pain right now and my arm is numb."


def community_moderator(community: Community) -> User:
    user = make_user()
    make_membership(community, user, moderator=True)
    return user


def automatic_reports(post: Post) -> list[Report]:
    query = select(Report).where(Report.post_id == post.id, Report.reporter_id.is_(None))
    return list(db.session.scalars(query))


def reloaded(post: Post) -> Post:
    db.session.expire_all()
    found = db.session.get(Post, post.id)
    assert found is not None
    return found


def test_an_edit_that_adds_personal_information_needs_a_confirmation(app: Flask) -> None:
    member = make_user()
    post = make_reply(make_thread(), member, body="Plain words first.")
    with pytest.raises(NeedsConfirmation):
        threads.edit_post(member, post, PHONE)
    assert reloaded(post).body_source == "Plain words first."
    threads.edit_post(member, reloaded(post), PHONE, confirm_personal_info=True)
    assert reloaded(post).body_source == PHONE


def test_the_edit_page_offers_the_confirmation_box_and_keeps_the_text(
    app: Flask, client: CsrfClient
) -> None:
    member = make_user()
    post = make_reply(make_thread(), member, body="Plain words first.")
    login(client, member)
    path = f"/posts/{post.id}/edit"
    first = client.get(path).get_data(as_text=True)
    assert "I checked: share it as it is" not in first
    assert "data-crisis-phrases" in first, "the live crisis panel works while editing too"
    refused = client.post(path, data={"body": PHONE})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "555-123-4567" in page and "tick the box to confirm" in page
    assert "I checked: share it as it is" in page
    assert reloaded(post).body_source == "Plain words first."
    saved = client.post(path, data={"body": PHONE, "confirm_personal_info": "y"})
    assert saved.status_code == 302
    assert reloaded(post).body_source == PHONE


def test_an_edit_into_crisis_wording_flags_the_post_and_shows_resources(
    app: Flask, client: CsrfClient
) -> None:
    community = make_community()
    moderator = community_moderator(community)
    thread = make_thread(community)
    author = make_user()
    post = make_reply(thread, author, body="Thanks, that helps a little.")
    assert not post.is_urgent and automatic_reports(post) == []
    login(client, author)
    response = client.post(f"/posts/{post.id}/edit", data={"body": SELF_HARM})
    assert response.status_code == 302, "an edit is never blocked by crisis wording"
    edited = reloaded(post)
    assert edited.is_urgent and edited.crisis_kind == "self-harm"
    [report] = automatic_reports(edited)
    assert report.status == ReportStatus.OPEN and report.priority < 0
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "988" in page and "You don't have to go through this alone" in page
    reader = app.test_client().get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "988" in reader
    mod = app.test_client()
    login(mod, moderator)
    assert "end my life" in mod.get("/moderation").get_data(as_text=True)
    # Another edit while the report is open raises no second one.
    threads.edit_post(author, edited, "Some nights I still want to end my life.")
    assert len(automatic_reports(post)) == 1


def test_an_edit_into_a_medical_emergency_is_flagged_as_one(app: Flask) -> None:
    author = make_user()
    post = make_reply(make_thread(), author, body="Feeling a bit tired today.")
    threads.edit_post(author, post, EMERGENCY)
    edited = reloaded(post)
    assert edited.is_urgent and edited.crisis_kind == "medical-emergency"
    assert len(automatic_reports(edited)) == 1


def test_a_new_members_edit_is_held_to_the_link_cap(app: Flask) -> None:
    app.config.update(NEW_ACCOUNT_HOURS=0, NEW_MEMBER_POSTS=3, NEW_MEMBER_MAX_LINKS=2)
    member = make_user(created_at=utcnow() - timedelta(days=5))
    post = threads.post_reply(member, make_thread(), "No links in here at first.")
    assert not post.is_pending
    links = "http://a.example http://b.example http://c.example"
    with pytest.raises(InvalidAction, match="at most 2 links"):
        threads.edit_post(member, post, links)
    assert reloaded(post).body_source == "No links in here at first."


def test_a_new_members_edited_reply_that_needs_approval_goes_back_to_the_queue(
    app: Flask, client: CsrfClient
) -> None:
    app.config.update(NEW_ACCOUNT_HOURS=0, NEW_MEMBER_POSTS=3)
    community = make_community()
    moderator = community_moderator(community)
    thread = make_thread(community, author=make_user(post_count=10))
    member = make_user(created_at=utcnow() - timedelta(days=5))
    post = threads.post_reply(member, thread, "A reply without any link.")
    assert not post.is_pending and thread.reply_count == 1
    threads.edit_post(member, post, "Now buy zorblax at https://shop.example")
    edited = reloaded(post)
    assert edited.is_pending
    assert edited.thread.reply_count == 0
    assert "zorblax" not in app.test_client().get(f"/threads/{thread.id}").get_data(as_text=True)
    login(client, moderator)
    assert "zorblax" in client.get("/moderation").get_data(as_text=True)
    moderation.approve_post(moderator, edited)
    assert reloaded(post).thread.reply_count == 1
    assert "zorblax" in app.test_client().get(f"/threads/{thread.id}").get_data(as_text=True)


def test_a_new_members_edited_question_waits_again(app: Flask, client: CsrfClient) -> None:
    app.config.update(NEW_ACCOUNT_HOURS=0, NEW_MEMBER_POSTS=3)
    community = make_community()
    member = make_user(created_at=utcnow() - timedelta(days=5))
    question = threads.create_thread(member, community, "A plain question to start", "No link.")
    assert question.status == ThreadStatus.OPEN and question.opening_post is not None
    threads.edit_post(member, question.opening_post, "See https://shop.example first")
    db.session.expire_all()
    thread = db.session.get(Thread, question.id)
    assert thread is not None and thread.status == ThreadStatus.PENDING
    assert thread.opening_post is not None and thread.opening_post.is_pending
    listing = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "A plain question to start" not in listing
    moderation.approve_post(community_moderator(community), thread.opening_post)
    assert reloaded(thread.opening_post).thread.status == ThreadStatus.OPEN


def test_a_moderators_edit_is_screened_like_a_new_post(app: Flask) -> None:
    app.config.update(NEW_ACCOUNT_HOURS=24, NEW_MEMBER_POSTS=3)
    community = make_community()
    moderator = community_moderator(community)
    veteran = make_user(created_at=utcnow() - timedelta(days=30), post_count=10)
    post = make_reply(make_thread(community, author=veteran), veteran, body="Harmless words.")
    assert not post.is_pending
    with pytest.raises(NeedsConfirmation):
        moderation.edit_as_moderator(moderator, post, PHONE, "tidy up")
    assert reloaded(post).body_source == "Harmless words."
    moderation.edit_as_moderator(
        moderator, reloaded(post), PHONE, "tidy up", confirm_personal_info=True
    )
    assert reloaded(post).body_source == PHONE
    # The words stay the member's: crisis wording flags the post; a moderator's edit of a
    # post in their own community does not wait in their own queue.
    moderation.edit_as_moderator(moderator, reloaded(post), SELF_HARM, "kept their words")
    edited = reloaded(post)
    assert edited.is_urgent and not edited.is_pending
    assert len(automatic_reports(edited)) == 1
    with pytest.raises(InvalidAction, match="same as before"):
        moderation.edit_as_moderator(moderator, edited, SELF_HARM, "again")


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def test_the_api_edit_needs_the_same_confirmation_and_flags_crisis_wording(
    app: Flask, client: CsrfClient, world: World
) -> None:
    api = Api(app, client)
    path = f"/api/v1/posts/{world.reply.id}"
    refused = api.call("PATCH", path, world.tokens["member"], json={"body": PHONE})
    assert refused.status_code == 400 and "body" in refused.get_json()["error"]["fields"]
    confirmed = api.call(
        "PATCH", path, world.tokens["member"], json={"body": PHONE, "confirm_personal_info": True}
    )
    assert confirmed.status_code == 200 and "555-123-4567" in confirmed.get_json()["body_html"]
    wrong = api.call(
        "PATCH", path, world.tokens["member"], json={"body": "x y", "confirm_personal_info": 1}
    )
    assert wrong.status_code == 400
    crisis = api.call("PATCH", path, world.tokens["member"], json={"body": SELF_HARM})
    assert crisis.status_code == 200
    assert reloaded(world.reply).is_urgent
    documented = api.document["components"]["schemas"]
    patch = api.document["paths"]["/api/v1/posts/{post_id}"]["patch"]
    schema = patch["requestBody"]["content"]["application/json"]["schema"]
    body = documented[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
    assert body["properties"]["confirm_personal_info"]["type"] == "boolean"
    count = db.session.scalar(select(func.count(Report.id)).where(Report.post_id == world.reply.id))
    assert count == 1
