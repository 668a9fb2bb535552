"""Helpful votes, accepted answers, reply order and thread page robustness."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import Role, ThreadKind, Vote
from forum.threads import services
from tests.conftest import CsrfClient
from tests.factories import make_community, make_reply, make_thread, make_user
from tests.thread_support import page_of, refreshed
from tests.web_support import is_login_redirect, logged_in

# Helpful votes and accepted answers


def test_a_member_marks_a_reply_helpful_once_and_can_withdraw(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    voter = make_user()
    client = logged_in(app, voter)
    for _ in range(2):
        assert client.post(f"/posts/{reply.id}/helpful", data={"action": "add"}).status_code == 302
    db.session.refresh(reply)
    assert reply.helpful_count == 1
    assert db.session.scalar(select(func.count(Vote.id))) == 1
    response = client.post(f"/posts/{reply.id}/helpful", data={"action": "remove"})
    assert response.status_code == 302
    db.session.refresh(reply)
    assert reply.helpful_count == 0
    assert db.session.scalar(select(Vote.id)) is None


def test_nobody_marks_their_own_reply_helpful(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    assert reply.author is not None
    response = logged_in(app, reply.author).post(
        f"/posts/{reply.id}/helpful", data={"action": "add"}
    )
    assert response.status_code == 403
    db.session.refresh(reply)
    assert reply.helpful_count == 0


def test_the_opening_post_is_not_voted_on(app: Flask) -> None:
    thread = make_thread()
    assert thread.opening_post is not None
    response = logged_in(app, make_user()).post(
        f"/posts/{thread.opening_post.id}/helpful", data={"action": "add"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(Vote.id)) is None


def test_a_visitor_who_votes_is_sent_to_log_in(client: CsrfClient) -> None:
    reply = make_reply(make_thread())
    assert is_login_redirect(client.post(f"/posts/{reply.id}/helpful", data={"action": "add"}))
    db.session.refresh(reply)
    assert reply.helpful_count == 0


def test_votes_on_a_private_group_reply_are_hidden_from_outsiders(app: Flask) -> None:
    community = make_community(is_private=True)
    reply = make_reply(make_thread(community))
    response = logged_in(app, make_user()).post(
        f"/posts/{reply.id}/helpful", data={"action": "add"}
    )
    assert response.status_code == 404
    db.session.refresh(reply)
    assert reply.helpful_count == 0


def test_the_asker_accepts_a_reply_separately_from_votes(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    assert thread.author is not None
    client = logged_in(app, thread.author)
    response = client.post(f"/threads/{thread.id}/accept", data={"post_id": str(reply.id)})
    assert response.status_code == 302
    assert refreshed(thread).accepted_post_id == reply.id
    db.session.refresh(reply)
    assert reply.helpful_count == 0
    assert thread.is_answered
    response = client.post(f"/threads/{thread.id}/accept", data={"post_id": ""})
    assert response.status_code == 302
    assert refreshed(thread).accepted_post_id is None


def test_a_helpful_vote_does_not_accept_a_reply(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    assert thread.author is not None
    services.vote_helpful(thread.author, reply)
    assert refreshed(thread).accepted_post_id is None
    db.session.refresh(reply)
    assert reply.helpful_count == 1


def test_only_the_asker_accepts_a_reply(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    assert reply.author is not None
    for user in (make_user(), reply.author, make_user(role=Role.ADMIN)):
        response = logged_in(app, user).post(
            f"/threads/{thread.id}/accept", data={"post_id": str(reply.id)}
        )
        assert response.status_code == 403
    visitor = logged_in(app, None).post(
        f"/threads/{thread.id}/accept", data={"post_id": str(reply.id)}
    )
    assert is_login_redirect(visitor)
    assert refreshed(thread).accepted_post_id is None


def test_accepting_a_malformed_post_id_is_a_clean_refusal(app: Flask) -> None:
    thread = make_thread()
    assert thread.author is not None
    client = logged_in(app, thread.author)
    for raw in ("abc", "-1", "999999"):
        response = client.post(f"/threads/{thread.id}/accept", data={"post_id": raw})
        assert response.status_code in (400, 404), raw
    assert refreshed(thread).accepted_post_id is None


def test_deleting_the_accepted_reply_takes_back_the_mark(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    assert thread.author is not None and reply.author is not None
    services.accept_answer(thread.author, thread, reply)
    services.delete_post(reply.author, reply)
    assert refreshed(thread).accepted_post_id is None


def test_a_deleted_reply_takes_no_votes_and_loses_its_own(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread)
    assert reply.author is not None
    services.vote_helpful(make_user(), reply)
    services.delete_post(reply.author, reply)
    db.session.refresh(reply)
    assert reply.helpful_count == 0
    assert db.session.scalar(select(Vote.id)) is None
    response = logged_in(app, make_user()).post(
        f"/posts/{reply.id}/helpful", data={"action": "add"}
    )
    assert response.status_code == 403
    db.session.refresh(reply)
    assert reply.helpful_count == 0


def test_withdrawing_a_vote_never_cast_changes_nothing(app: Flask) -> None:
    reply = make_reply(make_thread())
    services.vote_helpful(make_user(), reply)
    response = logged_in(app, make_user()).post(
        f"/posts/{reply.id}/helpful", data={"action": "remove"}
    )
    assert response.status_code == 302
    db.session.refresh(reply)
    assert reply.helpful_count == 1


def test_a_reply_of_another_thread_cannot_be_accepted(app: Flask) -> None:
    thread = make_thread()
    elsewhere = make_reply(make_thread())
    assert thread.author is not None
    response = logged_in(app, thread.author).post(
        f"/threads/{thread.id}/accept", data={"post_id": str(elsewhere.id)}
    )
    assert response.status_code in (400, 403, 404)
    assert refreshed(thread).accepted_post_id is None


def test_a_discussion_has_no_accepted_answer(app: Flask) -> None:
    thread = make_thread(kind=ThreadKind.DISCUSSION)
    reply = make_reply(thread)
    assert thread.author is not None
    with pytest.raises(NotAllowed):
        services.accept_answer(thread.author, thread, reply)


def positions(page: str, markers: list[str]) -> list[int]:
    found = [page.find(marker) for marker in markers]
    assert all(index >= 0 for index in found), dict(zip(markers, found, strict=True))
    return found


def test_replies_are_sorted_accepted_then_helpful_then_oldest(app: Flask) -> None:
    thread = make_thread()
    assert thread.author is not None
    bodies = [f"Reply number {word} in time." for word in ("alpha", "bravo", "charlie", "delta")]
    replies = [make_reply(thread, body=body) for body in bodies]
    start = replies[0].created_at
    for minutes, reply in enumerate(replies):
        reply.created_at = start + timedelta(minutes=minutes)
    db.session.commit()
    alpha, bravo, charlie, delta = replies
    voters = [make_user(), make_user()]
    for voter in voters:
        services.vote_helpful(voter, charlie)
    services.vote_helpful(voters[0], bravo)
    services.accept_answer(thread.author, thread, delta)
    reader = logged_in(app, make_user())
    page = page_of(reader, f"/threads/{thread.id}")
    order = positions(page, [delta.body_source, charlie.body_source, bravo.body_source,
                             alpha.body_source])  # fmt: skip
    assert order == sorted(order)
    newest = page_of(reader, f"/threads/{thread.id}", order="newest")
    order = positions(newest, [delta.body_source, charlie.body_source, bravo.body_source,
                               alpha.body_source])  # fmt: skip
    assert order == sorted(order)


def test_replies_with_equal_votes_are_oldest_first(app: Flask) -> None:
    thread = make_thread()
    first = make_reply(thread, body="I answered first of all.")
    second = make_reply(thread, body="I answered second of all.")
    second.created_at = first.created_at + timedelta(minutes=5)
    db.session.commit()
    page = page_of(logged_in(app, None), f"/threads/{thread.id}")
    assert page.find("I answered first of all.") < page.find("I answered second of all.")


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "page=9999", "order=bogus"])
def test_odd_page_values_never_break_a_thread_page(client: CsrfClient, query: str) -> None:
    thread = make_thread()
    make_reply(thread)
    assert client.get(f"/threads/{thread.id}?{query}").status_code == 200


def test_an_unknown_thread_is_a_404(client: CsrfClient) -> None:
    assert client.get("/threads/999999").status_code == 404
