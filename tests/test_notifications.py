"""Notifications: who hears about what, the page, the header count, settings, unsubscribe."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import event, func, select

from forum.extensions import db
from forum.mail import make_unsubscribe_token, outbox
from forum.models import (
    MailOutbox,
    MemberStatus,
    Notification,
    NotificationSetting,
    Subscription,
    Thread,
    User,
)
from forum.notifications import services
from forum.threads import services as thread_services
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user


def kinds_of(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def test_a_reply_tells_the_asker_and_mails_a_subject_without_health_details(app: Flask) -> None:
    hannah = make_user(name="hannah")
    thread = make_thread(author=hannah, title="Metformin and morning nausea")
    replier = make_user()
    make_reply(thread, replier)
    assert kinds_of(hannah) == ["reply_mine"]
    message = outbox()[-1]
    assert message["To"] == hannah.email
    assert message["Subject"] == "New reply to your question"
    assert "Metformin" not in message.as_string()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_followers_hear_of_replies_but_not_the_replier_themself(app: Flask) -> None:
    thread = make_thread()
    follower = make_user()
    db.session.add(Subscription(user_id=follower.id, thread_id=thread.id))
    db.session.commit()
    replier = make_user()
    make_reply(thread, replier)
    assert kinds_of(follower) == ["reply_followed"]
    assert kinds_of(replier) == []


def test_a_pending_reply_notifies_no_one_until_a_moderator_approves_it(app: Flask) -> None:
    hannah = make_user()
    thread = make_thread(author=hannah)
    post = make_reply(thread)
    post.is_pending = True
    db.session.execute(Notification.__table__.delete().where(Notification.user_id == hannah.id))
    db.session.commit()
    services.reply_posted(post)
    db.session.commit()
    assert kinds_of(hannah) == []


def test_anonymous_repliers_stay_anonymous_in_notifications(app: Flask) -> None:
    community = make_community(allow_anonymous=True)
    hannah = make_user()
    thread = make_thread(community, author=hannah)
    make_reply(thread, anonymous=True)
    notification = db.session.scalar(select(Notification).where(Notification.user_id == hannah.id))
    assert notification is not None and notification.actor_id is None


def test_a_member_who_left_a_private_group_hears_nothing_more(app: Flask) -> None:
    group = make_community(is_private=True)
    leaver = make_user()
    make_membership(group, leaver)
    thread = make_thread(group)
    db.session.add(Subscription(user_id=leaver.id, thread_id=thread.id))
    db.session.commit()
    from forum.communities import services as community_services

    community_services.leave_community(leaver, group)
    make_reply(thread)
    assert kinds_of(leaver) == []


def test_mentions_notify_the_named_member(app: Flask) -> None:
    thread = make_thread()
    named = make_user(name="rosa")
    make_reply(thread, body="I agree with @Rosa about the walk after dinner.")
    assert kinds_of(named) == ["mention"]


def test_join_requests_reach_moderators_and_decisions_reach_the_member(app: Flask) -> None:
    from forum.communities import services as community_services

    group = make_community(is_private=True)
    moderator = make_user()
    make_membership(group, moderator, moderator=True)
    asker = make_user()
    membership = community_services.join_community(asker, group, "Hello")
    assert kinds_of(moderator) == ["join_request"]
    community_services.decide_membership(moderator, membership, True)
    assert membership.status == MemberStatus.APPROVED
    assert kinds_of(asker) == ["join_decision"]
    assert outbox()[-1]["Subject"] == "Your request to join a group was answered"


def test_accepting_an_answer_tells_its_author(app: Flask) -> None:
    asker = make_user()
    thread = make_thread(author=asker)
    answerer = make_user()
    post = make_reply(thread, answerer)
    thread_services.accept_answer(asker, thread, post)
    assert kinds_of(answerer) == ["accepted"]


def test_the_page_collapses_replies_and_opening_one_marks_it_read(
    app: Flask, client: CsrfClient
) -> None:
    hannah = make_user()
    thread = make_thread(author=hannah)
    for _ in range(3):
        make_reply(thread)
    assert client.get("/notifications/").status_code == 302
    login(client, hannah)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "3 new replies to your question" in page
    assert "data-notification-count>3<" in page
    newest = db.session.scalar(
        select(func.max(Notification.id)).where(Notification.user_id == hannah.id)
    )
    response = client.get(f"/notifications/{newest}")
    assert response.status_code == 302
    assert f"/threads/{thread.id}#post-" in response.location
    assert "data-notification-count>0<" in client.get("/notifications/").get_data(as_text=True)


def test_mark_all_read_clears_the_header_count(app: Flask, client: CsrfClient) -> None:
    hannah = make_user()
    make_reply(make_thread(author=hannah))
    make_reply(make_thread(author=hannah))
    login(client, hannah)
    assert "data-notification-count>2<" in client.get("/notifications/").get_data(as_text=True)
    assert client.post("/notifications/read").status_code == 302
    assert "data-notification-count>0<" in client.get("/notifications/").get_data(as_text=True)


def test_a_member_cannot_open_someone_elses_notification(app: Flask, client: CsrfClient) -> None:
    hannah = make_user()
    make_reply(make_thread(author=hannah))
    mine = db.session.scalar(select(Notification.id).where(Notification.user_id == hannah.id))
    login(client, make_user())
    assert client.get(f"/notifications/{mine}").status_code == 404


def test_settings_turn_e_mail_off_and_digests_on(app: Flask, client: CsrfClient) -> None:
    hannah = make_user()
    assert client.get("/notifications/settings").status_code == 302
    login(client, hannah)
    assert client.get("/notifications/settings").status_code == 200
    response = client.post(
        "/notifications/settings",
        data={"channels-reply_mine": "daily", "channels-mention": "off", "full_text": "y"},
    )
    assert response.status_code == 302
    before = len(outbox())
    make_reply(make_thread(author=hannah))
    assert len(outbox()) == before
    assert (
        db.session.scalar(select(Notification.channel).where(Notification.user_id == hannah.id))
        == "daily"
    )
    bad = client.post("/notifications/settings", data={"channels-reply_mine": "sometimes"})
    assert bad.status_code == 422


def test_one_click_unsubscribe_works_without_logging_in(app: Flask, client: CsrfClient) -> None:
    hannah = make_user()
    token = make_unsubscribe_token(hannah.id, "reply_mine")
    assert client.get(f"/notifications/unsubscribe/{token}").status_code == 200
    assert client.get("/notifications/unsubscribe/forged").status_code == 404
    response = client.post(
        f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}, csrf=False
    )
    assert response.status_code == 200
    setting = db.session.scalar(
        select(NotificationSetting.channel).where(NotificationSetting.user_id == hannah.id)
    )
    assert setting == "forum"
    before = db.session.scalar(select(func.count(MailOutbox.id)))
    make_reply(make_thread(author=hannah))
    assert db.session.scalar(select(func.count(MailOutbox.id))) == before


def statements_of(action: Callable[[], object]) -> int:
    """How many SQL statements an action sends."""
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(seen)


def add_followers(thread: Thread, count: int, first: int) -> None:
    followers = [
        User(name=f"f{i}", name_key=f"f{i}", email=f"f{i}@example.org", password_hash="x")
        for i in range(first, first + count)
    ]
    db.session.add_all(followers)
    db.session.flush()
    db.session.add_all(Subscription(user_id=u.id, thread_id=thread.id) for u in followers)
    db.session.commit()


def test_rows_for_a_thousand_followers_take_as_few_statements_as_for_ten(app: Flask) -> None:
    """One INSERT ... SELECT per channel, never a statement per follower (timed in make bench)."""
    thread = make_thread()
    add_followers(thread, 10, 0)
    post = make_reply(thread)
    few = statements_of(lambda: services.reply_posted(post))
    db.session.rollback()
    add_followers(thread, 990, 10)
    many = statements_of(lambda: services.reply_posted(post))
    rows = db.session.scalar(
        select(func.count(Notification.id)).where(Notification.post_id == post.id)
    )
    db.session.rollback()
    assert many == few <= 8
    assert rows is not None and rows >= 1000


def test_the_digest_command_mails_a_due_daily_summary_once(app: Flask) -> None:
    from datetime import timedelta

    from forum.models import utcnow

    hannah = make_user(created_at=utcnow() - timedelta(days=2))
    services.save_settings(hannah, {"reply_mine": "daily"})
    make_reply(make_thread(author=hannah, title="Thyroid dose questions"))
    runner = app.test_cli_runner()
    assert "queued 1 daily and 0 weekly" in runner.invoke(args=["mail", "digests"]).output
    message = outbox()[-1]
    assert message["Subject"] == "Your daily summary from the forum"
    assert "Thyroid" not in message.as_string()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "queued 0 daily" in runner.invoke(args=["mail", "digests"]).output


def test_the_newsletter_needs_confirmation_and_answers_alike_for_known_addresses(
    app: Flask, client: CsrfClient
) -> None:
    import re

    from forum.models import NewsletterSubscription, Role

    first = client.post("/notifications/newsletter", data={"email": "Reader@Example.org"})
    again = client.post("/notifications/newsletter", data={"email": "reader@example.org"})
    assert first.status_code == again.status_code == 302
    assert first.location == again.location
    editor = make_user(role=Role.EDITOR)
    from forum.notifications import newsletter

    assert newsletter.send_issue(editor, "Winter issue", "Articles about staying well.") == 0
    body = outbox()[-1].get_body(("plain",))
    assert body is not None
    match = re.search(r"(/notifications/newsletter/confirm/\S+)", body.get_content())
    assert match
    assert client.get(match.group(1)).status_code == 302
    sent = newsletter.send_issue(editor, "Winter issue", "Articles about staying well.")
    assert sent == 1
    issue = outbox()[-1]
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    leave = issue["List-Unsubscribe"].strip("<>").split("/notifications", 1)[1]
    assert client.post(f"/notifications{leave}", csrf=False).status_code == 200
    assert db.session.scalar(select(func.count(NewsletterSubscription.id))) == 0
    login(client, make_user())
    assert client.get("/notifications/newsletter/issue").status_code == 403


def test_an_issue_carries_the_picked_articles_and_public_endorsed_answers_only(
    app: Flask, client: CsrfClient
) -> None:
    from forum.experts import services as experts
    from forum.models import Article, ArticleStatus, NewsletterSubscription, Post, Role, utcnow
    from tests.factories import make_topic

    topic = make_topic()
    article = Article(
        topic_id=topic.id, slug="walking-after-meals", title="Walking after meals",
        summary="Why a short walk helps.", body_source="Text.", body_html="<p>Text.</p>",
        status=ArticleStatus.PUBLISHED, published_at=utcnow(),
    )  # fmt: skip
    db.session.add(article)
    db.session.add(NewsletterSubscription(email="reader@example.org", is_confirmed=True))
    db.session.commit()
    expert = make_user()
    profile = experts.apply_as_expert(
        expert, credentials="MD", profession="Physician", specialty="Diabetes",
        topic_ids=[topic.id], licence_number="1", licence_issuer="Board",
    )  # fmt: skip
    experts.verify_expert(None, profile, topic_ids=[topic.id])
    public = make_reply(make_thread(make_community(topic), title="Public question here"))
    group = make_community(topic, is_private=True)
    make_membership(group, expert)
    private = make_reply(make_thread(group, title="Private group question"))
    for post in (public, private):
        experts.endorse_post(expert, db.session.get(Post, post.id), "Good.", "guideline")  # type: ignore[arg-type]
    editor = make_user(role=Role.EDITOR)
    login(client, editor)
    form = client.get("/notifications/newsletter/issue").get_data(as_text=True)
    assert "Walking after meals" in form and "Public question here" in form
    assert "Private group question" not in form
    response = client.post(
        "/notifications/newsletter/issue",
        data={
            "subject": "December issue",
            "articles": [str(article.id)],
            "answers": [str(public.id)],
        },
    )
    assert response.status_code == 302
    body = outbox()[-1].get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "/articles/walking-after-meals" in text and f"#post-{public.id}" in text
    refused = client.post(
        "/notifications/newsletter/issue",
        data={"subject": "December issue", "answers": [str(private.id)]},
    )
    assert refused.status_code == 422
    from forum.notifications import newsletter

    newsletter.send_issue(editor, "Forged issue", "An introduction long enough.", [], [private.id])
    forged = outbox()[-1].get_body(("plain",))
    assert forged is not None and "Private group" not in forged.get_content()
    empty = client.post("/notifications/newsletter/issue", data={"subject": "Empty issue"})
    assert empty.status_code == 422


def test_members_sign_up_for_and_leave_the_newsletter_in_settings(
    app: Flask, client: CsrfClient
) -> None:
    import re

    from forum.models import NewsletterSubscription

    hannah = make_user(name="hannah")
    assert client.post("/notifications/settings/newsletter/join").status_code == 302
    assert db.session.scalar(select(func.count(NewsletterSubscription.id))) == 0
    login(client, hannah)
    assert "Sign up for the newsletter" in client.get("/notifications/settings").get_data(
        as_text=True
    )
    assert client.post("/notifications/settings/newsletter/join").status_code == 302
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "A confirmation link was sent" in page
    body = outbox()[-1].get_body(("plain",))
    assert body is not None and outbox()[-1]["To"] == hannah.email
    link = re.search(r"(/notifications/newsletter/confirm/\S+)", body.get_content())
    assert link and client.get(link.group(1)).status_code == 302
    assert "You receive the forum's newsletter" in client.get("/notifications/settings").get_data(
        as_text=True
    )
    assert client.post("/notifications/settings/newsletter/leave").status_code == 302
    assert db.session.scalar(select(func.count(NewsletterSubscription.id))) == 0
    assert client.post("/notifications/settings/newsletter/maybe").status_code == 404
