"""Thread replies: posting, refusals, anonymous posting and concurrent replies."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import Post, Role, Thread, ThreadStatus, User
from forum.threads import services
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_thread, make_user
from tests.thread_support import GOOD_BODY, GOOD_TITLE, ask, page_of, refreshed, thread_count
from tests.web_support import is_login_redirect, logged_in

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
