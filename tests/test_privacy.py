"""Private groups and anonymous posts: what must never reach the wrong reader."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from forum import policies
from forum.communities import services as community_services
from forum.extensions import db
from forum.models import Community, Membership, Post, Role, Thread, User
from forum.threads import services as thread_services
from tests.factories import (
    make_community,
    make_membership,
    make_reply,
    make_thread,
    make_topic,
    make_user,
)
from tests.web_support import logged_in

SECRET = "Zorblaxian"
PRIVATE_TAG = "zorbtag"
OUTSIDERS = ["visitor", "outsider", "applicant", "declined", "former"]


def counts_in(page: str, number: int) -> list[str]:
    """Phrases like "3 threads" or "4 members" for the given number."""
    pattern = (
        rf"\b{number}\s*(?:</[^>]+>\s*)?(?:members?|threads?|questions?|posts?|discussions?)\b"
    )
    return re.findall(pattern, page, re.IGNORECASE)


@dataclass
class PrivateGroup:
    community: Community
    public: Community
    poster: User
    member: User
    thread: Thread
    reply: Post
    people: dict[str, User | None]


def make_private_group() -> PrivateGroup:
    """A private group with 3 threads and 4 members, in a topic with a public community."""
    topic = make_topic(slug="cancer-care", name="Cancer care")
    community = make_community(
        topic,
        slug="young-survivors",
        name="Young survivors circle",
        description="A closed group for survivors under 40.",
        is_private=True,
    )
    public = make_community(topic, slug="cancer-questions", name="Cancer questions")
    poster, member, helper = make_user(name="circle_poster"), make_user(), make_user()
    former = make_user()
    for user in (poster, member, helper, former):
        make_membership(community, user)
    thread = make_thread(
        community,
        poster,
        title=f"{SECRET} side effects after chemo",
        body=f"My {SECRET} story, which only the circle should read.",
        tags=f"support {PRIVATE_TAG}",
    )
    reply = make_reply(thread, member, body=f"The {SECRET} reply that helped.")
    make_reply(thread, former, body="I follow this thread because I replied.")
    thread_services.vote_helpful(helper, reply)
    thread_services.accept_answer(poster, thread, reply)
    make_thread(community, helper, title="Second private thread of the circle")
    make_thread(community, helper, title="Third private thread of the circle")
    public_thread = make_thread(public, title="Public question about scans", tags="support")
    thread_services.accept_answer(
        public_thread.author,  # type: ignore[arg-type]
        public_thread,
        make_reply(public_thread),
    )
    # A former member who followed the thread, then was removed.
    former_membership = db.session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == former.id
        )
    )
    assert former_membership is not None
    community_services.remove_member(_admin(), former_membership)
    applicant, declined = make_user(), make_user()
    community_services.join_community(applicant, community, "Please let me in.")
    community_services.join_community(declined, community, "Me too.")
    policies.forget_memberships()
    declined_request = community_services.pending_request(community, declined)
    community_services.decide_membership(_admin(), declined_request, approve=False)
    policies.forget_memberships()
    return PrivateGroup(
        community=community,
        public=public,
        poster=poster,
        member=member,
        thread=thread,
        reply=reply,
        people={
            "visitor": None,
            "outsider": make_user(),
            "applicant": applicant,
            "declined": declined,
            "former": former,
        },
    )


def _admin() -> User:
    return make_user(role=Role.ADMIN)


def outsider_pages(group: PrivateGroup) -> list[str]:
    return [
        "/",
        "/topics",
        "/topics/cancer-care",
        "/communities",
        "/c/young-survivors",
        "/c/young-survivors?sort=new",
        "/c/young-survivors?sort=unanswered",
        "/c/cancer-questions",
        "/tags/support",
        f"/tags/{PRIVATE_TAG}",
        f"/u/{group.poster.name}",
        f"/u/{group.member.name}",
        f"/threads/{group.thread.id}",
        f"/threads/{group.thread.id}?order=newest",
        f"/posts/{group.reply.id}/edit",
        f"/posts/{group.reply.id}/history",
        "/following",
    ]


@pytest.mark.parametrize("viewer", OUTSIDERS)
def test_private_group_content_never_reaches_outsiders(app: Flask, viewer: str) -> None:
    group = make_private_group()
    client = logged_in(app, group.people[viewer])
    for url in outsider_pages(group):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert SECRET not in page, url
        assert response.status_code < 500, url


@pytest.mark.parametrize("viewer", OUTSIDERS)
def test_a_private_thread_is_a_404_for_outsiders(app: Flask, viewer: str) -> None:
    group = make_private_group()
    client = logged_in(app, group.people[viewer])
    response = client.get(f"/threads/{group.thread.id}")
    assert response.status_code == 404
    assert "Young survivors circle" not in response.get_data(as_text=True)


@pytest.mark.parametrize("viewer", ["outsider", "applicant", "declined", "former"])
def test_outsiders_cannot_act_on_a_private_thread(app: Flask, viewer: str) -> None:
    group = make_private_group()
    client = logged_in(app, group.people[viewer])
    thread_id, reply_id = group.thread.id, group.reply.id
    responses = {
        "reply": client.post(f"/threads/{thread_id}/replies", data={"body": "Let me in."}),
        "vote": client.post(f"/posts/{reply_id}/helpful", data={"action": "add"}),
        "follow": client.post(f"/threads/{thread_id}/follow", data={"action": "follow"}),
        "accept": client.post(f"/threads/{thread_id}/accept", data={"post_id": str(reply_id)}),
        "edit": client.get(f"/posts/{reply_id}/edit"),
        "history": client.get(f"/posts/{reply_id}/history"),
    }
    statuses = {action: response.status_code for action, response in responses.items()}
    assert statuses == dict.fromkeys(responses, 404)
    for response in responses.values():
        assert SECRET not in response.get_data(as_text=True)


@pytest.mark.parametrize("viewer", OUTSIDERS)
def test_a_private_group_page_shows_outsiders_no_threads_and_no_counts(
    app: Flask, viewer: str
) -> None:
    group = make_private_group()
    client = logged_in(app, group.people[viewer])
    response = client.get("/c/young-survivors")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Young survivors circle" in page
    assert "A closed group for survivors under 40." in page
    assert "private thread of the circle" not in page
    assert counts_in(page, 3) == [] and counts_in(page, 4) == []
    if viewer in ("outsider", "declined"):
        assert "/c/young-survivors/join" in page


@pytest.mark.parametrize("viewer", OUTSIDERS)
def test_listings_name_a_private_group_without_its_counts(app: Flask, viewer: str) -> None:
    group = make_private_group()
    client = logged_in(app, group.people[viewer])
    for url in ("/communities", "/topics/cancer-care"):
        page = client.get(url).get_data(as_text=True)
        assert "Young survivors circle" in page, url
        assert counts_in(page, 3) == [] and counts_in(page, 4) == [], url


@pytest.mark.parametrize("viewer", OUTSIDERS)
def test_a_tag_used_only_in_a_private_group_looks_unused_to_outsiders(
    app: Flask, viewer: str
) -> None:
    group = make_private_group()
    client = logged_in(app, group.people[viewer])
    private_only = client.get(f"/tags/{PRIVATE_TAG}")
    never_used = client.get("/tags/neverusedtag")
    assert private_only.status_code == never_used.status_code
    assert "private thread" not in private_only.get_data(as_text=True)


def test_members_see_the_private_content_everywhere_it_belongs(app: Flask) -> None:
    group = make_private_group()
    client = logged_in(app, group.member)
    client.post(f"/threads/{group.thread.id}/follow", data={"action": "follow"})
    for url in (
        "/c/young-survivors",
        f"/threads/{group.thread.id}",
        f"/tags/{PRIVATE_TAG}",
        "/tags/support",
        f"/u/{group.poster.name}",
        "/topics/cancer-care",
        "/following",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET in response.get_data(as_text=True), url
    page = client.get("/c/young-survivors").get_data(as_text=True)
    assert "Second private thread of the circle" in page
    assert counts_in(page, 3)  # members see the counts that outsiders must not


def test_admins_see_private_threads(app: Flask) -> None:
    group = make_private_group()
    response = logged_in(app, make_user(role=Role.ADMIN)).get(f"/threads/{group.thread.id}")
    assert response.status_code == 200
    assert SECRET in response.get_data(as_text=True)


def test_an_approved_applicant_then_sees_the_content(app: Flask) -> None:
    group = make_private_group()
    applicant = group.people["applicant"]
    assert applicant is not None
    moderator = make_user()
    make_membership(group.community, moderator, moderator=True)
    request = community_services.pending_request(group.community, applicant)
    community_services.decide_membership(moderator, request, approve=True)
    response = logged_in(app, applicant).get(f"/threads/{group.thread.id}")
    assert response.status_code == 200
    assert SECRET in response.get_data(as_text=True)


def test_a_removed_members_profile_and_following_page_drop_the_private_thread(
    app: Flask,
) -> None:
    group = make_private_group()
    former = group.people["former"]
    assert former is not None
    client = logged_in(app, former)
    assert "I follow this thread" not in client.get(f"/u/{former.name}").get_data(as_text=True)
    assert SECRET not in client.get("/following").get_data(as_text=True)


# Anonymous posts


@dataclass
class AnonymousPosts:
    community: Community
    author: User
    thread: Thread
    other_thread: Thread


def make_anonymous_posts() -> AnonymousPosts:
    topic = make_topic(slug="mental-health", name="Mental health")
    community = make_community(
        topic, slug="quiet-corner", name="Quiet corner", allow_anonymous=True
    )
    elsewhere = make_community(topic, slug="open-talk", name="Open talk")
    author = make_user(name="Rosalind_Quill")
    thread = make_thread(
        community,
        author,
        title="Anonymous question about my diagnosis",
        body="Something I cannot say under my name.",
        tags="diagnosis",
        anonymous=True,
    )
    asker = make_user()
    other_thread = make_thread(community, asker, title="Someone else asks about sleep")
    reply = make_reply(other_thread, author, body="Anonymous advice about sleep.", anonymous=True)
    thread_services.accept_answer(asker, other_thread, reply)
    helpful = make_reply(thread, body="A kind answer to the anonymous question.")
    thread_services.accept_answer(author, thread, helpful)
    make_thread(elsewhere, author, title="Named question about walking shoes")
    return AnonymousPosts(community, author, thread, other_thread)


@pytest.mark.parametrize("viewer", ["visitor", "reader", "community_member"])
def test_an_anonymous_authors_name_never_shows_with_their_posts(app: Flask, viewer: str) -> None:
    posts = make_anonymous_posts()
    user: User | None = None
    if viewer != "visitor":
        user = make_user()
        if viewer == "community_member":
            make_membership(posts.community, user)
    client = logged_in(app, user)
    if user is not None:
        client.post(f"/threads/{posts.thread.id}/follow", data={"action": "follow"})
    urls = [
        f"/threads/{posts.thread.id}",
        f"/threads/{posts.other_thread.id}",
        "/c/quiet-corner",
        "/tags/diagnosis",
        "/topics/mental-health",
    ]
    if user is not None:
        urls.append("/following")
    for url in urls:
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "rosalind_quill" not in page.lower(), url
    thread_page = client.get(f"/threads/{posts.thread.id}").get_data(as_text=True)
    assert "Anonymous member" in thread_page
    assert "Something I cannot say under my name." in thread_page


@pytest.mark.parametrize("viewer", ["visitor", "reader", "self"])
def test_a_profile_never_lists_anonymous_posts(app: Flask, viewer: str) -> None:
    posts = make_anonymous_posts()
    user = {"visitor": None, "reader": make_user(), "self": posts.author}[viewer]
    page = logged_in(app, user).get("/u/Rosalind_Quill").get_data(as_text=True)
    assert "Named question about walking shoes" in page
    assert "Anonymous question about my diagnosis" not in page
    assert "Anonymous advice about sleep." not in page
    assert "Someone else asks about sleep" not in page


def test_anonymous_posts_do_not_add_to_the_public_post_count(app: Flask) -> None:
    posts = make_anonymous_posts()
    assert posts.author.post_count == 1
