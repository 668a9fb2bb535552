"""Reports, the queue, moderation actions, the moderation log and who may open them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from forum.errors import InvalidAction, NotAllowed
from forum.extensions import db
from forum.models import ModerationAction, Report, ReportStatus, Role, Thread, ThreadStatus
from forum.moderation import services
from forum.threads import services as threads
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_reply, make_thread, make_topic, make_user
from tests.moderation_support import actors, allowed, community_moderator

EXPECTED = {
    "member": False,
    "author": False,
    "moderator of this community": True,
    "moderator of another community": False,
    "admin": True,
}


@pytest.mark.parametrize(
    "action",
    ["hide", "lock", "pin", "edit", "dismiss"],
)
def test_moderation_permission_table(app: Flask, action: str) -> None:
    community = make_community()
    thread = make_thread(community)
    outcomes = {}
    for label, user in actors(community, make_reply(thread)).items():
        post = make_reply(thread)
        run = {
            "hide": lambda u=user, p=post: services.hide_post(u, p, "off topic"),
            "lock": lambda u=user: services.set_locked(u, thread, True, "heated"),
            "pin": lambda u=user: services.set_pinned(u, thread, True),
            "edit": lambda u=user, p=post: services.edit_as_moderator(u, p, "fixed", "typo"),
            "dismiss": lambda u=user, p=post: services.dismiss_reports(u, p, "fine"),
        }[action]
        outcomes[label] = allowed(run)
        if action == "lock" and outcomes[label]:
            services.set_locked(make_user(role=Role.ADMIN), thread, False)
    assert outcomes == EXPECTED


def test_every_moderation_action_is_audited_with_its_community(app: Flask) -> None:
    community = make_community()
    moderator = community_moderator(community)
    thread = make_thread(community)
    post = make_reply(thread)
    services.hide_post(moderator, post, "spam link")
    services.unhide_post(moderator, post, "false alarm")
    services.set_locked(moderator, thread, True, "argument")
    services.set_pinned(moderator, thread, True)
    entries = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)).all()
    assert [e.action for e in entries] == ["post.hide", "post.unhide", "thread.lock", "thread.pin"]
    assert {e.community_id for e in entries} == {community.id}
    assert entries[0].reason == "spam link"
    assert entries[0].actor_id == moderator.id


def test_reports_are_one_open_per_member_per_post(app: Flask) -> None:
    post = make_reply(make_thread())
    reporter = make_user()
    services.report_post(reporter, post, "spam", "selling pills")
    with pytest.raises(InvalidAction):
        services.report_post(reporter, post, "spam")
    with pytest.raises(InvalidAction):
        services.report_post(make_user(), post, "not-a-reason")
    assert post.author is not None
    with pytest.raises(NotAllowed):
        services.report_post(post.author, post, "other")


def test_the_queue_puts_self_harm_first_then_age(app: Flask, client: CsrfClient) -> None:
    community = make_community()
    moderator = community_moderator(community)
    thread = make_thread(community)
    spam = make_reply(thread, body="Buy cheap watches here")
    risk = make_reply(thread, body="Everything feels heavy lately")
    services.report_post(make_user(), spam, "spam")
    services.report_post(make_user(), risk, "self-harm", "worried about them")
    login(client, moderator)
    page = client.get("/moderation").get_data(as_text=True)
    assert page.index("Everything feels heavy lately") < page.index("Buy cheap watches here")
    assert "worried about them" in page


def test_moderators_see_only_their_communities_reports(app: Flask) -> None:
    mine, theirs = make_community(), make_community()
    moderator = community_moderator(mine)
    services.report_post(
        make_user(), make_reply(make_thread(theirs), body="Elsewhere text"), "spam"
    )
    services.report_post(make_user(), make_reply(make_thread(mine), body="Mine text"), "spam")
    client = app.test_client()
    login(client, moderator)
    page = client.get("/moderation").get_data(as_text=True)
    assert "Mine text" in page
    assert "Elsewhere text" not in page
    outsider = app.test_client()
    login(outsider, make_user())
    assert outsider.get("/moderation").status_code == 403


def test_a_report_reaches_the_queue_and_a_hide_removes_the_post_everywhere(
    app: Flask, client: CsrfClient
) -> None:
    community = make_community()
    moderator = community_moderator(community)
    thread = make_thread(community)
    post = make_reply(thread, body="Unique misleading zorblax claim")
    reporter = app.test_client()
    login(reporter, make_user())
    response = reporter.post(
        f"/moderation/posts/{post.id}/report", data={"reason": "misinformation", "note": "wrong"}
    )
    assert response.status_code == 302
    login(client, moderator)
    assert "Unique misleading zorblax claim" in client.get("/moderation").get_data(as_text=True)
    hidden = client.post(f"/moderation/posts/{post.id}/hide", data={"reason": "misinformation"})
    assert hidden.status_code == 302
    visitor_page = app.test_client().get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "zorblax" not in visitor_page
    assert post.author is not None
    author = app.test_client()
    login(author, post.author)
    author_page = author.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "zorblax" in author_page
    assert "hidden by the moderators: misinformation" in author_page
    report = db.session.scalar(select(Report))
    assert report is not None and report.status == ReportStatus.RESOLVED
    db.session.refresh(thread)
    assert thread.reply_count == 0


def test_hiding_a_thread_removes_it_from_lists(app: Flask, client: CsrfClient) -> None:
    community = make_community()
    thread = make_thread(community, title="A thread about zorblax pills")
    services.hide_thread(make_user(role=Role.ADMIN), thread, "spam")
    assert "zorblax" not in client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert client.get(f"/threads/{thread.id}").status_code == 404


def test_locked_threads_refuse_replies(app: Flask) -> None:
    thread = make_thread()
    services.set_locked(make_user(role=Role.ADMIN), thread, True, "resolved")
    with pytest.raises(NotAllowed):
        threads.post_reply(make_user(), thread, "one more thing")


def test_move_and_merge(app: Flask, client: CsrfClient) -> None:
    topic = make_topic()
    source, target = make_community(topic), make_community(topic)
    admin = make_user(role=Role.ADMIN)
    thread = make_thread(source)
    services.move_thread(admin, thread, target, "belongs there")
    db.session.refresh(source)
    db.session.refresh(target)
    assert (source.thread_count, target.thread_count, thread.community_id) == (0, 1, target.id)
    original = make_thread(target)
    duplicate = make_thread(target)
    make_reply(duplicate, body="Reply that moves along")
    services.merge_thread(admin, duplicate, original, "same question")
    response = client.get(f"/threads/{duplicate.id}")
    assert response.status_code == 301
    assert response.location.endswith(f"/threads/{original.id}")
    page = client.get(f"/threads/{original.id}").get_data(as_text=True)
    assert "Reply that moves along" in page
    db.session.refresh(original)
    assert original.reply_count == 2


def test_moderator_edits_keep_history_and_show_the_reason(app: Flask, client: CsrfClient) -> None:
    community = make_community()
    moderator = community_moderator(community)
    post = make_reply(make_thread(community), body="Call me on my number")
    services.edit_as_moderator(moderator, post, "Contact details removed", "personal information")
    page = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert "Edited by a moderator: personal information" in page
    assert "Call me on my number" not in page
    login(client, moderator)
    history = client.get(f"/posts/{post.id}/history").get_data(as_text=True)
    assert "Call me on my number" in history


def test_the_moderation_log_shows_moderators_their_communities(app: Flask) -> None:
    mine, other = make_community(), make_community()
    moderator = community_moderator(mine)
    admin = make_user(role=Role.ADMIN)
    services.set_pinned(admin, make_thread(mine), True)
    services.set_locked(admin, make_thread(other), True, "other community lock")
    client = app.test_client()
    login(client, moderator)
    page = client.get("/moderation/log").get_data(as_text=True)
    assert "thread.pin" in page
    assert "other community lock" not in page


def test_moderation_routes_refuse_visitors_and_members(app: Flask) -> None:
    thread = make_thread()
    post = make_reply(thread)
    member = app.test_client()
    login(member, make_user())
    assert member.post(f"/moderation/posts/{post.id}/hide", data={"reason": "x"}).status_code == 403
    assert member.post(f"/moderation/threads/{thread.id}/lock").status_code == 403
    visitor = app.test_client()
    assert visitor.post(f"/moderation/threads/{thread.id}/lock").status_code in (302, 400)
    db.session.refresh(thread)
    assert thread.status == ThreadStatus.OPEN
    assert db.session.get(Thread, thread.id) is not None


MODERATION_LINK = '<a href="/moderation"'


@pytest.mark.parametrize(
    ("viewer", "sees_link"),
    [
        ("visitor", False),
        ("member", False),
        ("community moderator", True),
        ("site moderator", True),
        ("admin", True),
    ],
)
def test_the_main_navigation_links_the_queue_for_moderators_only(
    app: Flask, viewer: str, sees_link: bool
) -> None:
    community = make_community()
    users = {
        "member": make_user(),
        "community moderator": community_moderator(community),
        "site moderator": make_user(role=Role.MODERATOR),
        "admin": make_user(role=Role.ADMIN),
    }
    browser = app.test_client()
    if viewer in users:
        login(browser, users[viewer])
    page = browser.get("/").get_data(as_text=True)
    assert (MODERATION_LINK in page) is sees_link
    if sees_link:
        queue = browser.get("/moderation")
        assert queue.status_code == 200
        assert f'{MODERATION_LINK} aria-current="page">Moderation</a>' in queue.get_data(
            as_text=True
        )


@pytest.mark.parametrize(
    ("reason", "shown"),
    [
        ("Off topic.", "moderators: Off topic. Only you"),
        ("Off topic", "moderators: Off topic. Only you"),
        ("Is this advice safe?", "moderators: Is this advice safe? Only you"),
    ],
)
def test_a_hidden_reply_shows_its_reason_with_one_full_stop(
    app: Flask, client: CsrfClient, reason: str, shown: str
) -> None:
    community = make_community()
    post = make_reply(make_thread(community))
    services.hide_post(community_moderator(community), post, reason)
    assert post.author is not None
    login(client, post.author)
    page = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert shown in page
    assert ".." not in page.split("hidden by the moderators", 1)[1].split("</p>", 1)[0]
