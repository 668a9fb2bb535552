"""Sanctions and posting safeguards: bans, held posts, crisis and dose notes, PII, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from forum import policies
from forum.errors import InvalidAction, NeedsConfirmation, NotAllowed
from forum.models import Role, ThreadStatus, utcnow
from forum.moderation import services
from forum.threads import services as threads
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_reply, make_thread, make_user
from tests.moderation_support import allowed, community_moderator


def test_suspended_members_read_but_cannot_post_vote_or_report(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    member = make_user()
    services.suspend_member(make_user(role=Role.MODERATOR), member, 7, "heated language")
    assert member.suspended_until is not None and member.suspended_until > utcnow()
    with pytest.raises(NotAllowed):
        threads.post_reply(member, thread, "let me say more")
    with pytest.raises(NotAllowed):
        threads.vote_helpful(member, reply)
    with pytest.raises(NotAllowed):
        services.report_post(member, reply, "spam")
    assert policies.can_view_thread(member, thread)


def test_a_ban_ends_every_session(app: Flask) -> None:
    member = make_user()
    client = app.test_client()
    login(client, member)
    services.ban_member(make_user(role=Role.ADMIN), member, "spam account")
    assert client.get("/account/settings").status_code == 302


@pytest.mark.parametrize(
    ("actor_role", "target_role", "ok"),
    [
        (Role.MEMBER, Role.MEMBER, False),
        (Role.MODERATOR, Role.MEMBER, True),
        (Role.MODERATOR, Role.MODERATOR, False),
        (Role.MODERATOR, Role.ADMIN, False),
        (Role.ADMIN, Role.MODERATOR, True),
        (Role.ADMIN, Role.ADMIN, False),
    ],
)
def test_sanction_permission_table(
    app: Flask, actor_role: Role, target_role: Role, ok: bool
) -> None:
    actor, target = make_user(role=actor_role), make_user(role=target_role)
    assert allowed(lambda: services.suspend_member(actor, target, 3, "reason")) is ok


def test_new_accounts_posts_wait_for_approval(app: Flask, client: CsrfClient) -> None:
    app.config.update(NEW_ACCOUNT_HOURS=24, NEW_MEMBER_POSTS=3)
    community = make_community()
    moderator = community_moderator(community)
    veteran = make_user(created_at=utcnow() - timedelta(days=30), post_count=10)
    thread = make_thread(community, author=veteran)
    newcomer = make_user()
    post = threads.post_reply(newcomer, thread, "Fresh zorblax opinion")
    assert post.is_pending
    assert "zorblax" not in client.get(f"/threads/{thread.id}").get_data(as_text=True)
    question = threads.create_thread(newcomer, community, "A brand new question here", "Body text")
    assert question.status == ThreadStatus.PENDING
    assert question.title not in client.get(f"/c/{community.slug}").get_data(as_text=True)
    services.approve_post(moderator, post)
    assert question.opening_post is not None
    services.approve_post(moderator, question.opening_post)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "zorblax" in page
    assert question.title in client.get(f"/c/{community.slug}").get_data(as_text=True)


def test_early_posts_with_links_wait_and_links_are_capped(app: Flask) -> None:
    app.config.update(NEW_ACCOUNT_HOURS=0, NEW_MEMBER_POSTS=3, NEW_MEMBER_MAX_LINKS=2)
    thread = make_thread()
    member = make_user(created_at=utcnow() - timedelta(days=5))
    post = threads.post_reply(member, thread, "See https://example.org for more")
    assert post.is_pending
    with pytest.raises(InvalidAction, match="at most 2 links"):
        threads.post_reply(member, thread, "http://a.example http://b.example http://c.example")


def test_an_identical_post_within_minutes_is_refused(app: Flask) -> None:
    thread = make_thread()
    member = make_user()
    threads.post_reply(member, thread, "Same words twice")
    with pytest.raises(InvalidAction, match="exactly this"):
        threads.post_reply(member, thread, "Same words twice")


def test_a_crisis_post_shows_resources_and_jumps_the_queue(app: Flask, client: CsrfClient) -> None:
    community = make_community()
    moderator = community_moderator(community)
    thread = make_thread(community)
    services.report_post(make_user(), make_reply(thread, body="Old spam text"), "spam")
    author = make_user()
    login(client, author)
    response = client.post(
        f"/threads/{thread.id}/replies", data={"body": "Some nights I want to end my life"}
    )
    assert response.status_code == 302, "posting is never blocked"
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "988" in page
    assert "You don't have to go through this alone" in page
    reader_page = app.test_client().get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "988" in reader_page
    mod = app.test_client()
    login(mod, moderator)
    queue = mod.get("/moderation").get_data(as_text=True)
    assert queue.index("end my life") < queue.index("Old spam text")
    assert "Urgent" in queue


def test_the_compose_forms_carry_the_crisis_phrases_for_the_live_panel(
    app: Flask, client: CsrfClient
) -> None:
    community = make_community()
    login(client, make_user())
    page = client.get(f"/threads/new?community={community.slug}").get_data(as_text=True)
    assert "data-crisis-phrases" in page
    assert "kill myself" in page
    assert 'id="compose-crisis"' in page


def test_dose_talk_shows_a_reminder_to_ask_a_doctor(app: Flask, client: CsrfClient) -> None:
    reply = make_reply(make_thread(), body="I stopped taking my metformin last week")
    page = client.get(f"/threads/{reply.thread_id}").get_data(as_text=True)
    assert "Talk to your doctor or pharmacist first" in page


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 555-123-4567 tonight",
        "Write to jane.doe@example.com please",
        "I live at 42 Elm Street now",
        "I was born 03/04/1961 if that matters",
        "My MRN is 12345678",
    ],
)
def test_personal_information_needs_confirmation(app: Flask, client: CsrfClient, text: str) -> None:
    thread = make_thread()
    with pytest.raises(NeedsConfirmation):
        threads.post_reply(make_user(), thread, text)
    login(client, make_user())
    refused = client.post(f"/threads/{thread.id}/replies", data={"body": text})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "tick the box to confirm" in page
    assert 'name="confirm_personal_info"' in page
    assert text.split()[0] in page  # what they typed is kept
    accepted = client.post(
        f"/threads/{thread.id}/replies", data={"body": text, "confirm_personal_info": "y"}
    )
    assert accepted.status_code == 302


@pytest.mark.config(RATELIMIT_ENABLED=True, POST_RATE_LIMIT="2 per minute")
def test_posting_is_rate_limited_per_member(app: Flask) -> None:
    thread = make_thread()
    client = app.test_client()
    login(client, make_user())
    statuses = [
        client.post(f"/threads/{thread.id}/replies", data={"body": f"reply {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
