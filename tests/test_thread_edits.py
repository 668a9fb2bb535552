"""Editing posts (revisions and history) and deleting them."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import PostRevision, Role
from forum.threads import services
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user
from tests.thread_support import page_of, refreshed
from tests.web_support import is_login_redirect, logged_in

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
