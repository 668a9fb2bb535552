"""Following threads, mentions, hashtags and tag pages."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Subscription
from tests.conftest import CsrfClient
from tests.factories import make_reply, make_thread, make_user
from tests.thread_support import page_of
from tests.web_support import is_login_redirect, logged_in

# Following


NEWS = re.compile(r"\bnew\b", re.IGNORECASE)


def test_following_lists_the_thread_and_marks_new_replies(app: Flask) -> None:
    thread = make_thread(title="Anyone tried a continuous glucose monitor?")
    follower = make_user()
    client = logged_in(app, follower)
    assert client.post(f"/threads/{thread.id}/follow", data={"action": "follow"}).status_code == 302
    assert db.session.scalar(
        select(Subscription.id).where(
            Subscription.user_id == follower.id, Subscription.thread_id == thread.id
        )
    )
    page_of(client, "/following")  # shows (and so clears) the "you follow" notice
    quiet = page_of(client, "/following")
    assert "Anyone tried a continuous glucose monitor?" in quiet
    make_reply(thread, body="Yes, it changed everything for me.")
    with_news = page_of(client, "/following")
    assert len(NEWS.findall(with_news)) > len(NEWS.findall(quiet))
    page_of(client, f"/threads/{thread.id}")
    read = page_of(client, "/following")
    assert len(NEWS.findall(read)) == len(NEWS.findall(quiet))


def test_unfollowing_removes_the_thread_from_the_following_page(app: Flask) -> None:
    thread = make_thread(title="Anyone tried a continuous glucose monitor?")
    follower = make_user()
    client = logged_in(app, follower)
    client.post(f"/threads/{thread.id}/follow", data={"action": "follow"})
    response = client.post(f"/threads/{thread.id}/follow", data={"action": "unfollow"})
    assert response.status_code == 302
    assert (
        db.session.scalar(select(Subscription.id).where(Subscription.user_id == follower.id))
        is None
    )
    assert "Anyone tried a continuous glucose monitor?" not in page_of(client, "/following")


def test_following_needs_a_login(client: CsrfClient) -> None:
    thread = make_thread()
    assert is_login_redirect(client.get("/following"))
    assert is_login_redirect(client.post(f"/threads/{thread.id}/follow", data={"action": "follow"}))


def test_askers_and_repliers_follow_automatically(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    followers = set(db.session.scalars(select(Subscription.user_id)))
    assert followers == {thread.author_id, reply.author_id}


# Mentions and tags


def test_mentions_link_to_existing_profiles_only(app: Flask) -> None:
    make_user(name="Known_Kim")
    thread = make_thread()
    client = logged_in(app, make_user())
    client.post(
        f"/threads/{thread.id}/replies",
        data={"body": "Ask @Known_Kim or @ghost_gary about it."},
    )
    page = page_of(client, f"/threads/{thread.id}")
    assert re.search(r'<a [^>]*href="[^"]*/u/Known_Kim"', page, re.IGNORECASE)
    assert "@ghost_gary" in page
    assert "/u/ghost_gary" not in page


def test_hashtags_in_a_body_link_to_tag_pages(app: Flask) -> None:
    thread = make_thread(title="Splitting my insulin doses", tags="insulin")
    client = logged_in(app, make_user())
    client.post(f"/threads/{thread.id}/replies", data={"body": "See #insulin for more."})
    page = page_of(client, f"/threads/{thread.id}")
    assert re.search(r'<a [^>]*href="[^"]*/tags/insulin"', page)
    assert "Splitting my insulin doses" in page_of(client, "/tags/insulin")


def test_a_hashtag_link_works_before_any_thread_carries_the_tag(app: Flask) -> None:
    thread = make_thread()
    client = logged_in(app, make_user())
    client.post(f"/threads/{thread.id}/replies", data={"body": "See #metformin for more."})
    page = page_of(client, f"/threads/{thread.id}")
    assert re.search(r'<a [^>]*href="[^"]*/tags/metformin"', page)
    assert client.get("/tags/metformin").status_code == 200


def test_the_tag_page_lists_threads_with_that_tag(client: CsrfClient) -> None:
    make_thread(title="Low carb breakfasts that keep me full", tags="diet")
    make_thread(title="Best running shoes for neuropathy", tags="exercise")
    page = page_of(client, "/tags/diet")
    assert "Low carb breakfasts that keep me full" in page
    assert "Best running shoes for neuropathy" not in page
