"""A member's privacy: data export, account deletion and what the logs hold."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from forum.api.tokens import create_token
from forum.auth import services as accounts
from forum.extensions import db
from forum.models import (
    Community,
    Drug,
    Endorsement,
    EvidenceLevel,
    ExpertProfile,
    ModerationAction,
    Post,
    PostRevision,
    Report,
    ReportReason,
    Role,
    Thread,
    User,
)
from forum.moderation import services as moderation
from forum.privacy import services
from forum.reviews import services as reviews
from forum.threads import services as threads
from tests.conftest import CsrfClient, login
from tests.factories import (
    PASSWORD,
    make_community,
    make_membership,
    make_reply,
    make_thread,
    make_user,
)
from tests.privacy_support import (
    CONDITIONS,
    GOOD_PASSWORD,
    SECRET_BODY,
    database_text,
    index_bytes,
    redirects_to_login,
    register,
    user_named,
)

# Export


def test_export_needs_a_login_a_post_and_a_csrf_token(client: CsrfClient) -> None:
    assert redirects_to_login(client.post("/account/privacy/export"))
    login(client, make_user())
    assert client.get("/account/privacy/export").status_code == 405
    assert client.post("/account/privacy/export", csrf=False).status_code == 400


def test_export_holds_all_of_the_members_data_and_nothing_of_others(
    client: CsrfClient,
) -> None:
    user = make_user(conditions=CONDITIONS, location="Leeds")
    other = make_user()
    community = make_community(is_private=True)
    thread = make_thread(community, user, body=SECRET_BODY)
    assert thread.opening_post is not None
    threads.edit_post(user, thread.opening_post, SECRET_BODY + " (edited)")
    their_thread = make_thread(community, other)
    their_reply = make_reply(their_thread, other)
    mine = make_reply(their_thread, user, body="Walking helped me.")
    threads.vote_helpful(user, their_reply)
    threads.follow_thread(user, their_thread)
    db.session.add_all(
        [
            ExpertProfile(
                user_id=user.id, credentials="RN", licence_number="LIC-4242", licence_issuer="Board"
            ),
            Endorsement(
                post_id=their_reply.id,
                expert_id=user.id,
                note="Matches the guideline.",
                evidence_level=EvidenceLevel.GUIDELINE,
            ),
            Report(
                reporter_id=user.id,
                post_id=their_reply.id,
                community_id=community.id,
                reason=ReportReason.SPAM,
                note="Looks like an advert.",
            ),
        ]
    )
    db.session.commit()
    login(client, user)
    response = client.post("/account/privacy/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == user.email
    assert data["profile"]["conditions"] == {"text": CONDITIONS, "visibility": "nobody"}
    assert data["health_consent"]["policy_version"] == "2026-11"
    assert [t["id"] for t in data["threads"]] == [thread.id]
    posts = {post["id"]: post for post in data["posts"]}
    assert set(posts) == {thread.opening_post_id, mine.id}
    opening = posts[thread.opening_post_id]
    assert opening["body"] == SECRET_BODY + " (edited)"
    assert [v["body"] for v in opening["earlier_versions"]] == [SECRET_BODY]
    assert data["votes"] == [
        {"post_id": their_reply.id, "created_at": data["votes"][0]["created_at"]}
    ]
    assert [m["community"] for m in data["memberships"]] == [community.slug]
    assert {s["thread_id"] for s in data["subscriptions"]} == {thread.id, their_thread.id}
    assert data["reports"][0]["note"] == "Looks like an advert."
    assert data["expert_application"]["licence_number"] == "LIC-4242"
    assert data["endorsements"][0]["note"] == "Matches the guideline."
    assert other.email not in response.get_data(as_text=True)


# Deletion


def test_delete_needs_a_login_and_the_right_password(client: CsrfClient) -> None:
    assert redirects_to_login(client.get("/account/privacy/delete"))
    user = make_user()
    login(client, user)
    assert "Also delete my posts" in client.get("/account/privacy/delete").get_data(as_text=True)
    response = client.post("/account/privacy/delete", data={"current_password": "not it at all"})
    assert response.status_code == 422
    assert "not right" in response.get_data(as_text=True)
    assert user_named(user.name).deleted_at is None
    assert (
        client.post(
            "/account/privacy/delete", data={"current_password": PASSWORD}, csrf=False
        ).status_code
        == 400
    )


def _active_member(app: Flask) -> tuple[User, dict[str, Any]]:
    """A member with a thread, a reply, a vote, a private group, a profile and an expert file."""
    user = make_user(
        name="Zephyrine_Quill", conditions=CONDITIONS, about="I walk.", location="Leeds"
    )
    other = make_user()
    public = make_community()
    private = make_community(is_private=True)
    make_membership(private, user)
    thread = make_thread(public, user, body=SECRET_BODY)
    assert thread.opening_post is not None
    threads.edit_post(user, thread.opening_post, SECRET_BODY + " and tired")
    make_reply(thread, other, body="Ask your pharmacist about the timing.")
    their_thread = make_thread(private, other)
    their_reply = make_reply(their_thread, other)
    reply = make_reply(their_thread, user, body="Zephyr here: a walk after dinner helps.")
    threads.vote_helpful(user, their_reply)
    db.session.add(
        ExpertProfile(
            user_id=user.id, credentials="RN", licence_number="LIC-777", licence_issuer="X"
        )
    )
    db.session.commit()
    leave_traces(user, other, thread)
    return user, {
        "thread": thread,
        "reply": reply,
        "their_thread": their_thread,
        "their_reply": their_reply,
        "private": private,
        "public": public,
        "members_before": private.member_count,
    }


# Words the member left outside their own rows: reports, tokens, the moderators' log.
TRACES = ("krellvane", "plomquist", "tessivar", "brindlecott")


def leave_traces(user: User, other: User, thread: Thread) -> None:
    """A report and a drug-review report with notes, an API token, a warning and a
    suspension whose words are about the member."""
    moderation.report_post(user, make_reply(thread, other), "other", "Krellvane dose is wrong")
    drug = Drug(key="trace-drug", slug="trace-drug", name="Trace drug")
    db.session.add(drug)
    db.session.commit()
    review = reviews.write_review(
        other,
        drug,
        reviews.ReviewFields(condition="Gout", effectiveness=2, ease_of_use=2, satisfaction=2),
    )
    reviews.report_review(user, review, "spam", "Plomquist advert")
    create_token(user, "Tessivar sync")
    site_moderator = make_user(role=Role.MODERATOR)
    moderation.warn_member(site_moderator, user, "Brindlecott clinic number", "https://x.test/n")
    moderation.suspend_member(site_moderator, user, 2, "Brindlecott again")


def test_deleting_an_account_erases_personal_data_and_keeps_posts_as_former_member(
    app: Flask, client: CsrfClient
) -> None:
    user, made = _active_member(app)
    user_id, name, email = user.id, user.name, user.email
    phone = app.test_client()
    login(phone, user)
    login(client, user)
    response = client.post("/account/privacy/delete", data={"current_password": PASSWORD})
    assert response.status_code == 302
    assert redirects_to_login(client.get("/account/settings"))
    assert redirects_to_login(phone.get("/account/settings"))
    assert (
        client.post("/account/login", data={"login": email, "password": PASSWORD}).status_code
        == 422
    )

    erased = db.session.get(User, user_id)
    assert erased is not None and erased.deleted_at is not None
    assert erased.name.startswith("deleted-") and erased.email.endswith("@invalid")
    thread, reply = (
        db.session.get(Thread, made["thread"].id),
        db.session.get(Post, made["reply"].id),
    )
    assert thread is not None and reply is not None
    assert thread.author_id is None and reply.author_id is None
    assert reply.body_source.startswith("Zephyr here") and not reply.is_deleted
    assert db.session.get(Post, made["their_reply"].id).helpful_count == 0  # type: ignore[union-attr]
    assert db.session.get(Community, made["private"].id).member_count == made["members_before"] - 1  # type: ignore[union-attr]
    assert db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user_id)) is None
    entry = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "user.delete")
    )
    assert entry is not None and entry.target_id == user_id and entry.reason == ""

    dump = database_text()
    for trace in (email, name.lower(), CONDITIONS.lower(), "lic-777", *TRACES):
        assert trace not in dump, trace
        assert trace.encode() not in index_bytes(app), trace
    assert client.get(f"/u/{name}").status_code == 404
    assert client.get(f"/u/{erased.name}").status_code == 404
    for path in (f"/threads/{thread.id}", f"/threads/{made['their_thread'].id}", "/",
                 f"/c/{made['public'].slug}"):  # fmt: skip
        page = client.get(path).get_data(as_text=True)
        assert name not in page and erased.name not in page, path
    assert "Former member" in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_deleting_an_account_with_its_posts_removes_their_text_and_fixes_counters(
    app: Flask, client: CsrfClient
) -> None:
    user, made = _active_member(app)
    their_thread = made["their_thread"]
    replies_before = their_thread.reply_count
    threads_before = made["public"].thread_count
    link = f'href="/threads/{made["thread"].id}"'
    assert link in client.get("/search", query_string={"q": "Quixotrel"}).get_data(as_text=True)
    login(client, user)
    response = client.post(
        "/account/privacy/delete", data={"current_password": PASSWORD, "delete_posts": "y"}
    )
    assert response.status_code == 302
    assert link not in client.get("/search", query_string={"q": "Quixotrel"}).get_data(as_text=True)
    thread = db.session.get(Thread, made["thread"].id)
    reply = db.session.get(Post, made["reply"].id)
    assert thread is not None and reply is not None
    assert thread.is_deleted and reply.is_deleted and reply.body_source == ""
    assert db.session.get(Thread, their_thread.id).reply_count == replies_before - 1  # type: ignore[union-attr]
    assert db.session.get(Community, made["public"].id).thread_count == threads_before - 1  # type: ignore[union-attr]
    assert db.session.scalar(select(PostRevision.id)) is None
    dump = database_text()
    for trace in (SECRET_BODY.lower(), "zephyr", CONDITIONS.lower(), *TRACES):
        assert trace not in dump, trace
    login(client, make_user(role=Role.ADMIN))
    page = client.get(f"/threads/{their_thread.id}").get_data(as_text=True)
    assert "[deleted by author]" in page and "walk after dinner helps" not in page


def test_the_placeholders_of_deleted_accounts_stay_unique(app: Flask) -> None:
    first, second = make_user(), make_user()
    services.delete_account(first, PASSWORD)
    services.delete_account(second, PASSWORD)
    assert first.name_key != second.name_key and first.email != second.email
    again = accounts.register_user("member_again", "fresh@example.org", GOOD_PASSWORD)
    assert again.id


# Logs


def test_logs_never_hold_emails_passwords_bodies_or_health_details(
    client: CsrfClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # Earlier tests may have run Alembic's fileConfig; make sure the forum's loggers speak.
    for name, logger in logging.Logger.manager.loggerDict.items():
        if name.startswith("forum") and isinstance(logger, logging.Logger):
            logger.disabled = False
    community = make_community()
    thread = make_thread(community)
    register(client, email="private.person@example.org", health_consent="y")
    body = f"{SECRET_BODY}, anyone else?"
    asked = client.post(
        "/threads/new",
        data={"community": community.slug, "kind": "question", "title": "Foggy mornings on tablets",
              "body": body, "tags": ""},
    )  # fmt: skip
    assert asked.status_code == 302, asked.get_data(as_text=True)[:300]
    reply = client.post(f"/threads/{thread.id}/replies", data={"body": "Quixotrel here too."})
    assert reply.status_code == 302
    profile = {
        "conditions": CONDITIONS,
        "conditions_visibility": "public",
        "about_visibility": "nobody",
        "location_visibility": "nobody",
    }
    assert client.post("/account/privacy/profile", data=profile).status_code == 302
    assert client.post("/account/privacy/export").status_code == 200
    deleted = client.post("/account/privacy/delete", data={"current_password": GOOD_PASSWORD})
    assert deleted.status_code == 302
    assert "registered" in caplog.text and "deleted the account" in caplog.text
    for secret in ("private.person@example.org", GOOD_PASSWORD, SECRET_BODY, "Quixotrel",
                   CONDITIONS):  # fmt: skip
        assert secret not in caplog.text, secret
