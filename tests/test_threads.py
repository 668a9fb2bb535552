"""Threads and posts: asking, replying, editing, deleting, votes, accepting and following."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from forum import policies
from forum.errors import InvalidAction, NotAllowed
from forum.extensions import db
from forum.models import (
    Community,
    Post,
    PostRevision,
    Role,
    Subscription,
    Thread,
    ThreadKind,
    ThreadStatus,
    User,
    Vote,
)
from forum.threads import content, services
from tests.conftest import CsrfClient, login
from tests.factories import (
    make_community,
    make_membership,
    make_reply,
    make_thread,
    make_user,
)

GOOD_TITLE = "How do I manage morning blood sugar?"
GOOD_BODY = "My fasting readings are high every morning. What helped you?"


def is_login_redirect(response: TestResponse) -> bool:
    return response.status_code == 302 and "/account/login" in (response.location or "")


def logged_in(app: Flask, user: User | None) -> CsrfClient:
    """A fresh client, logged in as the user (or a visitor for None)."""
    client = app.test_client()
    assert isinstance(client, CsrfClient)
    if user is not None:
        login(client, user)
    return client


def ask(client: CsrfClient, community: Community, **fields: str) -> TestResponse:
    data = {
        "community": community.slug,
        "title": GOOD_TITLE,
        "body": GOOD_BODY,
        "tags": "",
        "kind": "question",
    }
    data.update(fields)
    return client.post("/threads/new", data=data)


def thread_count() -> int:
    return db.session.scalar(select(func.count(Thread.id))) or 0


def refreshed(thread: Thread) -> Thread:
    db.session.refresh(thread)
    return thread


def page_of(client: CsrfClient, url: str, **query: Any) -> str:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


# Asking


def test_asking_a_question_redirects_to_the_new_thread(client: CsrfClient) -> None:
    community = make_community()
    user = make_user()
    login(client, user)
    response = ask(client, community, tags=" #Blood_Sugar, diet ")
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread is not None
    assert response.location.endswith(f"/threads/{thread.id}")
    assert [tag.name for tag in thread.tags] == ["blood-sugar", "diet"]
    assert thread.kind == ThreadKind.QUESTION
    assert thread.author_id == user.id and not thread.is_anonymous
    page = page_of(client, f"/threads/{thread.id}")
    assert GOOD_TITLE in page and GOOD_BODY in page
    assert "/tags/blood-sugar" in page


def test_starting_a_discussion_keeps_its_kind(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    assert ask(client, community, kind="discussion").status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread is not None and thread.kind == ThreadKind.DISCUSSION


def test_the_new_thread_form_needs_a_login(client: CsrfClient) -> None:
    community = make_community()
    assert is_login_redirect(client.get(f"/threads/new?community={community.slug}"))
    assert is_login_redirect(ask(client, community))
    assert thread_count() == 0


def test_the_new_thread_form_opens_with_the_community_chosen(client: CsrfClient) -> None:
    community = make_community(name="Thyroid talk")
    login(client, make_user())
    page = page_of(client, "/threads/new", community=community.slug)
    assert "Thyroid talk" in page


def test_tags_are_normalized() -> None:
    assert content.normalize_tags(" #Blood_Sugar, diet ") == ["blood-sugar", "diet"]
    assert content.normalize_tags("diet Diet #diet") == ["diet"]
    assert content.normalize_tags("") == []


@pytest.mark.parametrize("raw", ["1abc", "a", "blood$sugar", "x" * 36, "a b c d e f"])
def test_bad_tags_are_refused(raw: str) -> None:
    with pytest.raises(InvalidAction) as refused:
        content.normalize_tags(raw)
    assert refused.value.field == "tags"


@pytest.mark.parametrize("title", ["x" * 10, "y" * 150])
def test_titles_of_10_to_150_characters_are_accepted(app: Flask, title: str) -> None:
    thread = make_thread(title=title)
    assert thread.title == title


def test_a_body_of_20000_characters_is_accepted(app: Flask) -> None:
    thread = make_thread(body="b" * 20_000)
    assert thread.opening_post is not None
    assert len(thread.opening_post.body_source) == 20_000


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "Too short"}, "10 to 150"),
        ({"title": "t" * 151}, "10 to 150"),
        ({"title": "   Too    short   "}, "10 to 150"),
        ({"body": ""}, "Write something"),
        ({"body": "b" * 20_001}, "20,000"),
        ({"tags": "one two three four five six"}, "at most 5"),
        ({"tags": "diet 1abc"}, "not a tag"),
        ({"tags": "<b>bold</b>"}, "not a tag"),
    ],
)
def test_bad_input_is_refused_with_422_and_keeps_the_typed_text(
    client: CsrfClient, fields: dict[str, str], message: str
) -> None:
    community = make_community()
    login(client, make_user())
    response = ask(client, community, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    title = fields.get("title", GOOD_TITLE)
    body = fields.get("body", GOOD_BODY)
    assert " ".join(title.split()) in " ".join(page.split())
    assert body in page
    if "tags" in fields:
        assert "&lt;b&gt;bold&lt;/b&gt;" in page or fields["tags"] in page
        assert "<b>bold</b>" not in page
    assert thread_count() == 0


def test_posting_in_an_unknown_community_is_refused(client: CsrfClient) -> None:
    login(client, make_user())
    response = client.post(
        "/threads/new",
        data={"community": "no-such-group", "title": GOOD_TITLE, "body": GOOD_BODY},
    )
    assert response.status_code in (404, 422)
    assert thread_count() == 0


def test_a_non_member_cannot_post_in_a_private_group(client: CsrfClient) -> None:
    community = make_community(is_private=True)
    login(client, make_user())
    response = ask(client, community)
    assert response.status_code in (404, 422)
    assert thread_count() == 0


def test_a_member_posts_in_a_private_group(client: CsrfClient) -> None:
    community = make_community(is_private=True)
    user = make_user()
    make_membership(community, user)
    login(client, user)
    assert ask(client, community).status_code == 302
    assert thread_count() == 1


def test_creating_a_thread_counts_it_in_the_community(app: Flask) -> None:
    community = make_community()
    make_thread(community)
    make_thread(community)
    db.session.refresh(community)
    assert community.thread_count == 2


# Replying


def test_replying_adds_the_reply_and_counts_it(app: Flask) -> None:
    thread = make_thread()
    replier = make_user()
    client = logged_in(app, replier)
    response = client.post(
        f"/threads/{thread.id}/replies", data={"body": "Eating protein at night helped me."}
    )
    assert response.status_code == 302
    assert f"/threads/{thread.id}" in response.location
    assert refreshed(thread).reply_count == 1
    assert "Eating protein at night helped me." in page_of(client, f"/threads/{thread.id}")


def test_an_empty_reply_is_refused_with_422(app: Flask) -> None:
    thread = make_thread()
    client = logged_in(app, make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "   "})
    assert response.status_code == 422
    assert refreshed(thread).reply_count == 0


def test_a_too_long_reply_is_refused_and_keeps_the_text(app: Flask) -> None:
    thread = make_thread()
    client = logged_in(app, make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "r" * 20_001})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "20,000" in page
    assert "r" * 20_001 in page
    assert refreshed(thread).reply_count == 0


def test_a_body_of_only_null_bytes_is_refused_with_422(app: Flask) -> None:
    thread = make_thread()
    client = logged_in(app, make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "\x00\x00"})
    assert response.status_code == 422
    assert refreshed(thread).reply_count == 0


def test_an_unknown_thread_kind_is_refused_without_a_server_error(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    response = ask(client, community, kind="poll")
    assert response.status_code in (400, 422)
    assert thread_count() == 0


def test_a_reply_without_a_csrf_token_is_refused(app: Flask) -> None:
    thread = make_thread()
    client = logged_in(app, make_user())
    response = client.post(
        f"/threads/{thread.id}/replies", data={"body": "Forged from elsewhere."}, csrf=False
    )
    assert response.status_code == 400
    assert refreshed(thread).reply_count == 0


def test_a_visitor_who_replies_is_sent_to_log_in(client: CsrfClient) -> None:
    thread = make_thread()
    assert is_login_redirect(client.post(f"/threads/{thread.id}/replies", data={"body": "Hi"}))
    assert refreshed(thread).reply_count == 0


def test_a_locked_thread_refuses_replies_with_a_message(app: Flask) -> None:
    thread = make_thread()
    thread.status = ThreadStatus.LOCKED
    db.session.commit()
    client = logged_in(app, make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "One more thought."})
    assert response.status_code == 403
    assert "locked" in response.get_data(as_text=True).lower()
    assert refreshed(thread).reply_count == 0


def test_a_banned_member_cannot_post(app: Flask) -> None:
    community = make_community()
    thread = make_thread(community)
    user = make_user()
    client = logged_in(app, user)
    user.is_banned = True
    db.session.commit()
    with pytest.raises(NotAllowed) as refused:
        services.post_reply(user, thread, "I am banned but try anyway.")
    assert refused.value.status == 403
    with pytest.raises(NotAllowed) as refused:
        services.create_thread(user, community, GOOD_TITLE, GOOD_BODY)
    assert refused.value.status == 403
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Still here."})
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or is_login_redirect(response)
    assert refreshed(thread).reply_count == 0
    assert thread_count() == 1


def test_anonymous_posting_is_refused_where_the_community_does_not_allow_it(
    app: Flask,
) -> None:
    community = make_community(allow_anonymous=False)
    thread = make_thread(community)
    client = logged_in(app, make_user())
    asked = ask(client, community, anonymous="y")
    assert asked.status_code in (403, 422)
    assert "anonymous" in asked.get_data(as_text=True).lower()
    replied = client.post(
        f"/threads/{thread.id}/replies", data={"body": "Quietly: me too.", "anonymous": "y"}
    )
    assert replied.status_code in (403, 422)
    assert thread_count() == 1
    assert refreshed(thread).reply_count == 0


def test_anonymous_posts_show_as_anonymous_member_where_allowed(app: Flask) -> None:
    community = make_community(allow_anonymous=True)
    author = make_user(name="Hidden_Harriet")
    client = logged_in(app, author)
    assert ask(client, community, anonymous="y").status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread is not None and thread.is_anonymous
    replier = make_user(name="Quiet_Quentin")
    replier_client = logged_in(app, replier)
    response = replier_client.post(
        f"/threads/{thread.id}/replies", data={"body": "Same for me.", "anonymous": "y"}
    )
    assert response.status_code == 302
    reader = logged_in(app, make_user())
    page = page_of(reader, f"/threads/{thread.id}")
    assert page.count("Anonymous member") >= 2
    assert "hidden_harriet" not in page.lower()
    assert "quiet_quentin" not in page.lower()


def test_anonymous_authors_are_named_only_to_moderators(app: Flask) -> None:
    community = make_community(allow_anonymous=True)
    author = make_user(name="Hidden_Harriet")
    thread = make_thread(community, author, anonymous=True)
    community_moderator = make_user()
    make_membership(community, community_moderator, moderator=True)
    for viewer in (community_moderator, make_user(role=Role.MODERATOR), make_user(role=Role.ADMIN)):
        assert "Hidden_Harriet" in page_of(logged_in(app, viewer), f"/threads/{thread.id}")
    for reader in (None, make_user()):
        assert "Hidden_Harriet" not in page_of(logged_in(app, reader), f"/threads/{thread.id}")


# Editing and history


def test_editing_keeps_the_old_text_as_a_revision_and_shows_edited(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread, body="First version of my answer.")
    author = reply.author
    assert author is not None
    client = logged_in(app, author)
    form = client.get(f"/posts/{reply.id}/edit")
    assert form.status_code == 200
    assert "First version of my answer." in form.get_data(as_text=True)
    response = client.post(f"/posts/{reply.id}/edit", data={"body": "Second, better version."})
    assert response.status_code == 302
    revisions = db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == reply.id)
    ).all()
    assert [r.body_source for r in revisions] == ["First version of my answer."]
    page = page_of(client, f"/threads/{thread.id}")
    assert "Second, better version." in page
    assert "First version of my answer." not in page
    assert "edited" in page.lower()


def test_editing_the_opening_post_can_change_the_title(app: Flask) -> None:
    thread = make_thread(title="Original title of my question")
    assert thread.opening_post is not None and thread.author is not None
    client = logged_in(app, thread.author)
    response = client.post(
        f"/posts/{thread.opening_post.id}/edit",
        data={"title": "Clearer title of my question", "body": "Clearer body text."},
    )
    assert response.status_code == 302
    assert refreshed(thread).title == "Clearer title of my question"
    revision = db.session.scalar(select(PostRevision))
    assert revision is not None
    assert revision.title == "Original title of my question"


def test_a_bad_edit_is_refused_with_422_and_keeps_the_text(app: Flask) -> None:
    thread = make_thread()
    assert thread.opening_post is not None and thread.author is not None
    client = logged_in(app, thread.author)
    response = client.post(
        f"/posts/{thread.opening_post.id}/edit",
        data={"title": "Too short", "body": "My carefully rewritten body."},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "10 to 150" in page
    assert "My carefully rewritten body." in page
    assert db.session.scalar(select(PostRevision.id)) is None


def test_only_the_author_edits_a_post(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread, body="The author's own words.")
    assert is_login_redirect(logged_in(app, None).get(f"/posts/{reply.id}/edit"))
    other = logged_in(app, make_user())
    assert other.get(f"/posts/{reply.id}/edit").status_code == 403
    response = other.post(f"/posts/{reply.id}/edit", data={"body": "Vandalized."})
    assert response.status_code == 403
    db.session.refresh(reply)
    assert reply.body_source == "The author's own words."


def test_history_shows_every_revision_to_community_moderators_only(app: Flask) -> None:
    community = make_community()
    thread = make_thread(community)
    reply = make_reply(thread, body="Version one of the reply.")
    author = reply.author
    assert author is not None
    services.edit_post(author, reply, "Version two of the reply.")
    services.edit_post(author, reply, "Version three of the reply.")
    moderator = make_user()
    make_membership(community, moderator, moderator=True)
    for viewer in (moderator, make_user(role=Role.ADMIN)):
        page = page_of(logged_in(app, viewer), f"/posts/{reply.id}/history")
        for version in ("one", "two", "three"):
            assert f"Version {version} of the reply." in page
    other_moderator = make_user()
    make_membership(make_community(), other_moderator, moderator=True)
    for viewer in (author, make_user(), other_moderator):
        response = logged_in(app, viewer).get(f"/posts/{reply.id}/history")
        assert response.status_code == 403
        assert "Version one of the reply." not in response.get_data(as_text=True)
    visitor = logged_in(app, None).get(f"/posts/{reply.id}/history")
    assert is_login_redirect(visitor) or visitor.status_code in (403, 404)


# Deleting


def test_deleting_a_reply_removes_its_text_from_the_page(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread, body="Regrettable overshare about my neighbour.")
    services.edit_post(reply.author, reply, "Still a regrettable overshare.")  # type: ignore[arg-type]
    assert reply.author is not None
    client = logged_in(app, reply.author)
    response = client.post(f"/posts/{reply.id}/delete")
    assert response.status_code == 302
    db.session.refresh(reply)
    assert reply.is_deleted
    assert refreshed(thread).reply_count == 0
    page = page_of(logged_in(app, make_user()), f"/threads/{thread.id}")
    assert "deleted by author" in page
    assert "overshare" not in page
    assert db.session.scalar(select(PostRevision.id)) is None


def test_only_the_author_deletes_a_post(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread, body="Keep me please.")
    assert is_login_redirect(logged_in(app, None).post(f"/posts/{reply.id}/delete"))
    assert logged_in(app, make_user()).post(f"/posts/{reply.id}/delete").status_code == 403
    db.session.refresh(reply)
    assert not reply.is_deleted
    assert refreshed(thread).reply_count == 1


def test_deleting_the_opening_post_removes_the_thread_from_the_community(app: Flask) -> None:
    community = make_community()
    thread = make_thread(community, title="A question I regret asking")
    make_thread(community, title="A question that stays up")
    assert thread.opening_post is not None and thread.author is not None
    client = logged_in(app, thread.author)
    assert client.post(f"/posts/{thread.opening_post.id}/delete").status_code == 302
    page = page_of(logged_in(app, make_user()), f"/c/{community.slug}")
    assert "A question I regret asking" not in page
    assert "A question that stays up" in page
    db.session.refresh(community)
    assert community.thread_count == 1


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


# Mentions, tags and safety of user text


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


UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


class ActiveContent(HTMLParser):
    """Collects what a browser would run: inline scripts, on* handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not dict(attrs).get("src"):
            self.found.append("inline <script>")
        if tag in ("img", "iframe", "object", "embed", "svg") and not self.is_site_icon(tag, attrs):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            scheme = (value or "").strip().lower()
            if name in ("href", "src", "action") and scheme.startswith(UNSAFE_SCHEMES):
                self.found.append(f"{name}={value}")

    @staticmethod
    def is_site_icon(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """The site's own decorative icons (the logo, the menu): never from a post."""
        found = dict(attrs)
        return (
            tag == "svg" and found.get("class") in SITE_ICONS and found.get("aria-hidden") == "true"
        )


SITE_ICONS = ("icon", "brand-mark")


def active_content(page: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(page)
    parser.close()
    return parser.found


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>",
        "[click me](javascript:alert('x'))",
        "<img src=x onerror=alert('x')>",
        '<a href="javascript:alert(1)">link</a>',
        "![pic](javascript:alert(1))",
        "<svg onload=alert(1)>",
    ],
)
def test_script_in_a_body_never_reaches_the_page(app: Flask, body: str) -> None:
    community = make_community()
    author = make_user()
    client = logged_in(app, author)
    response = ask(client, community, title="<script>alert('title')</script> help", body=body)
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread is not None
    client.post(f"/threads/{thread.id}/replies", data={"body": body})
    for url in (f"/threads/{thread.id}", f"/c/{community.slug}", f"/u/{author.name}"):
        page = page_of(client, url)
        assert active_content(page) == [], url
        assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page_of(client, f"/threads/{thread.id}")


# Concurrency


def test_two_members_replying_at_once_both_count(app: Flask) -> None:
    thread = make_thread()
    first, second = make_user(), make_user()
    thread_id = thread.id
    with app.app_context():
        stale_first = db.session.get(Thread, thread_id)
        assert stale_first is not None and stale_first.reply_count == 0
        author_first = db.session.get(User, first.id)
        with app.app_context():
            stale_second = db.session.get(Thread, thread_id)
            assert stale_second is not None and stale_second.reply_count == 0
            author_second = db.session.get(User, second.id)
            assert author_second is not None
            services.post_reply(author_second, stale_second, "Second session reply.")
        assert author_first is not None
        services.post_reply(author_first, stale_first, "First session reply.")
    assert refreshed(thread).reply_count == 2
    assert (
        db.session.scalar(
            select(func.count(Post.id)).where(Post.thread_id == thread_id, ~Post.is_opening)
        )
        == 2
    )


def test_two_clients_replying_both_count(app: Flask) -> None:
    thread = make_thread()
    clients = [logged_in(app, make_user()), logged_in(app, make_user())]
    for number, client in enumerate(clients):
        response = client.post(f"/threads/{thread.id}/replies", data={"body": f"Reply {number}"})
        assert response.status_code == 302
    assert refreshed(thread).reply_count == 2


def test_policies_agree_that_members_of_a_public_community_may_post(app: Flask) -> None:
    community = make_community()
    assert policies.can_post_in_community(make_user(), community)
    assert not policies.can_post_in_community(make_user(is_banned=True), community)
