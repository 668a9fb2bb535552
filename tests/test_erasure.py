"""Deleting an account reaches reports, tokens and the audit log; the export holds them."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from forum import audit
from forum.api import tokens
from forum.extensions import db
from forum.models import (
    ApiToken,
    AuditLogIsAppendOnly,
    Drug,
    DrugReview,
    DrugReviewReport,
    ModerationAction,
    Report,
    Role,
    User,
)
from forum.models.expert import ERASURE_OPTION
from forum.moderation import services as moderation
from forum.privacy import services
from forum.reviews import services as reviews
from tests.conftest import CsrfClient, login
from tests.factories import PASSWORD, make_community, make_reply, make_thread, make_user


def review_by(author: User) -> DrugReview:
    drug = db.session.scalar(select(Drug)) or Drug(key="erasol", slug="erasol", name="Erasol")
    db.session.add(drug)
    db.session.commit()
    return reviews.write_review(
        author,
        drug,
        reviews.ReviewFields(condition="Gout", effectiveness=3, ease_of_use=3, satisfaction=3),
    )


def entry(action: str, target_id: int) -> ModerationAction:
    found = db.session.scalar(
        select(ModerationAction).where(
            ModerationAction.action == action, ModerationAction.target_id == target_id
        )
    )
    assert found is not None
    return found


def test_deleting_an_account_keeps_audit_entries_but_not_the_words_about_the_person(
    app: Flask,
) -> None:
    member, bystander = make_user(), make_user()
    moderator = make_user(role=Role.MODERATOR)
    post = make_reply(make_thread(make_community()), member)
    moderation.hide_post(moderator, post, "Shares her clinic's phone number")
    moderation.warn_member(moderator, member, "Stop posting your dosage chart", "https://x.test")
    moderation.warn_member(moderator, bystander, "Mind the rules", "https://x.test")
    own = review_by(member)
    reviews.hide_review(moderator, own, "Names her pharmacist")
    moderation.suspend_member(moderator, member, 3, "Insulted a nurse")
    services.delete_account(member, PASSWORD)
    db.session.expire_all()
    for action, target in (
        ("user.warn", member.id),
        ("user.suspend", member.id),
        ("post.hide", post.id),
        ("review.hide", own.id),
    ):
        kept = entry(action, target)
        assert kept.reason == audit.ERASED_REASON and kept.actor_id == moderator.id, action
    assert entry("user.suspend", member.id).details == {"days": 3}
    assert entry("user.warn", bystander.id).reason == "Mind the rules"
    assert entry("user.delete", member.id).reason == ""


def test_deleting_an_account_removes_its_tokens_and_report_notes(app: Flask) -> None:
    member, other = make_user(), make_user()
    _token, raw = tokens.create_token(member, "Glucose sync", "read")
    reply = make_reply(make_thread(make_community()), other)
    moderation.report_post(member, reply, "other", "My sister's diagnosis is in it")
    reviews.report_review(member, review_by(other), "spam", "Her pill regimen")
    services.delete_account(member, PASSWORD)
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == member.id)) is None
    report = db.session.scalar(select(Report))
    review_report = db.session.scalar(select(DrugReviewReport))
    assert report is not None and report.note == "" and report.reason.value == "other"
    assert review_report is not None and review_report.note == ""
    response = app.test_client().get("/api/v1/topics", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_deleting_the_posts_too_blanks_other_members_reports_quoting_them(app: Flask) -> None:
    member = make_user()
    reply = make_reply(make_thread(make_community()), member)
    moderation.report_post(make_user(), reply, "personal-information", "Her address: 4 Elm St")
    reviews.report_review(make_user(), review_by(member), "spam", "Her phone: 555 0199")
    services.delete_account(member, PASSWORD, delete_posts=True)
    db.session.expire_all()
    assert [r.note for r in db.session.scalars(select(Report))] == [""]
    assert db.session.scalar(select(DrugReviewReport.note)) in (None, "")


def test_the_audit_log_refuses_statements_that_change_or_delete_entries(app: Flask) -> None:
    moderator = make_user(role=Role.MODERATOR)
    moderation.warn_member(moderator, make_user(), "Be kind", "https://x.test")
    for statement in (
        update(ModerationAction).values(reason="rewritten"),
        delete(ModerationAction),
        delete(ModerationAction).execution_options(**{ERASURE_OPTION: True}),
    ):
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.scalar(select(ModerationAction.reason)) == "Be kind"


def test_the_export_holds_review_reports_notices_and_tokens_but_no_secrets(
    app: Flask, client: CsrfClient
) -> None:
    member, other = make_user(), make_user()
    moderator = make_user(role=Role.MODERATOR)
    token, raw = tokens.create_token(member, "Glucose sync", "write")
    reviews.report_review(member, review_by(other), "spam", "Looks like an advert")
    moderation.warn_member(moderator, member, "Please stay on topic", "https://x.test")
    moderation.suspend_member(moderator, member, 2, "Off-topic again")
    login(client, member)
    data = json.loads(client.post("/account/privacy/export").get_data(as_text=True))
    assert [(r["reason"], r["note"]) for r in data["drug_review_reports"]] == [
        ("spam", "Looks like an advert")
    ]
    notices = [(n["action"], n["reason"]) for n in data["notices_from_moderators"]]
    assert notices == [("user.warn", "Please stay on topic"), ("user.suspend", "Off-topic again")]
    (exported,) = data["api_tokens"]
    assert exported["name"] == "Glucose sync" and exported["scope"] == "write"
    assert exported["prefix"] == token.prefix and exported["revoked_at"] is None
    text = json.dumps(data)
    assert raw not in text and token.token_hash not in text and moderator.name not in text
