"""Pages load in a bounded number of SQL statements, however long the lists get."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from forum.extensions import db
from forum.models import Community, Post, Thread, User
from forum.threads import services
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user

MAX_STATEMENTS = 12


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Collect every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_for(client: CsrfClient, url: str) -> list[str]:
    """The statements one GET runs, after a first GET has warmed up caches and marks."""
    assert client.get(url).status_code == 200
    with counting_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements


def viewer_client(app: Flask, user: User | None) -> CsrfClient:
    client = app.test_client()
    assert isinstance(client, CsrfClient)
    if user is not None:
        login(client, user)
    return client


def thread_with_replies(community: Community, authors: list[User], count: int) -> Thread:
    """A question with replies from many authors, some anonymous, voted and accepted."""
    asker = authors[0]
    thread = make_thread(community, asker, tags="blood-sugar diet")
    replies = []
    for number in range(count):
        author = authors[1 + number % (len(authors) - 1)]
        replies.append(
            make_reply(
                thread,
                author,
                body=f"Reply {number} to {thread.id}: what worked for me, with **some** detail.",
                anonymous=number % 7 == 3,
            )
        )
    for reply in replies[:3]:
        if reply.author_id != asker.id:
            services.vote_helpful(asker, reply)
    services.accept_answer(asker, thread, replies[-1])
    services.edit_post(replies[0].author, replies[0], "An edited reply.")  # type: ignore[arg-type]
    return thread


def community_with_threads(authors: list[User], count: int) -> Community:
    community = make_community(allow_anonymous=True)
    for number in range(count):
        author = authors[number % len(authors)]
        thread = make_thread(
            community,
            author,
            title=f"Question number {number} about daily routines",
            tags=("diet", f"tag-{number % 4}"),
            anonymous=number % 5 == 2,
        )
        if number % 3 == 0:
            make_reply(thread, authors[(number + 1) % len(authors)])
    return community


@pytest.fixture
def authors(app: Flask) -> list[User]:
    return [make_user() for _ in range(25)]


@pytest.mark.parametrize("viewer", ["visitor", "member", "moderator"])
def test_a_thread_page_needs_the_same_few_statements_for_5_or_200_replies(
    app: Flask, authors: list[User], viewer: str
) -> None:
    community = make_community(allow_anonymous=True)
    short = thread_with_replies(community, authors, 5)
    long = thread_with_replies(community, authors, 200)
    user: User | None = None
    if viewer != "visitor":
        user = make_user()
        make_membership(community, user, moderator=viewer == "moderator")
        services.follow_thread(user, short)
        services.follow_thread(user, long)
        accepted = db.session.get(Post, long.accepted_post_id)
        assert accepted is not None
        services.vote_helpful(user, accepted)
    client = viewer_client(app, user)
    few = statements_for(client, f"/threads/{short.id}")
    many = statements_for(client, f"/threads/{long.id}")
    assert len(many) <= MAX_STATEMENTS, "\n".join(many)
    assert len(few) == len(many), "\n\n".join(["5 replies:", *few, "200 replies:", *many])


def test_later_reply_pages_and_newest_order_stay_bounded(app: Flask, authors: list[User]) -> None:
    community = make_community(allow_anonymous=True)
    long = thread_with_replies(community, authors, 200)
    client = viewer_client(app, None)
    for query in ("?page=2", "?page=7", "?order=newest", "?order=newest&page=3"):
        statements = statements_for(client, f"/threads/{long.id}{query}")
        assert len(statements) <= MAX_STATEMENTS, query


@pytest.mark.parametrize("viewer", ["visitor", "member"])
@pytest.mark.parametrize("sort", ["active", "new", "unanswered"])
def test_a_community_page_needs_the_same_few_statements_for_3_or_50_threads(
    app: Flask, authors: list[User], viewer: str, sort: str
) -> None:
    few_threads = community_with_threads(authors, 3)
    many_threads = community_with_threads(authors, 50)
    user: User | None = None
    if viewer == "member":
        user = make_user()
        make_membership(few_threads, user)
        make_membership(many_threads, user)
    client = viewer_client(app, user)
    few = statements_for(client, f"/c/{few_threads.slug}?sort={sort}")
    many = statements_for(client, f"/c/{many_threads.slug}?sort={sort}")
    assert len(many) <= MAX_STATEMENTS, "\n".join(many)
    assert len(few) == len(many), "\n\n".join(["3 threads:", *few, "50 threads:", *many])


def test_the_tag_and_following_pages_stay_bounded(app: Flask, authors: list[User]) -> None:
    community = community_with_threads(authors, 50)
    reader = make_user()
    for thread in db.session.scalars(select(Thread).where(Thread.community_id == community.id)):
        services.follow_thread(reader, thread)
    client = viewer_client(app, reader)
    for url in ("/tags/diet", "/following", "/communities", f"/u/{authors[0].name}"):
        statements = statements_for(client, url)
        assert len(statements) <= MAX_STATEMENTS, (url, statements)


def test_a_followers_first_view_after_news_stays_bounded(app: Flask, authors: list[User]) -> None:
    """Marking the thread seen commits: the page must not then reload each reply alone."""
    community = make_community(allow_anonymous=True)
    thread = thread_with_replies(community, authors, 40)
    follower = make_user()
    services.follow_thread(follower, thread)
    client = viewer_client(app, follower)
    client.get(f"/threads/{thread.id}")
    make_reply(thread, authors[1])
    with counting_statements() as statements:
        assert client.get(f"/threads/{thread.id}").status_code == 200
    reloads = [s for s in statements if " ".join(s.split()).endswith("WHERE post.id = ?")]
    assert not reloads, "\n".join(statements)
    assert len(statements) <= 2 * MAX_STATEMENTS, "\n".join(statements)
