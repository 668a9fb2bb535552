"""Expert applications, verification, organizations, endorsements and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from forum import policies
from forum.errors import InvalidAction, NotAllowed
from forum.experts import services
from forum.extensions import db
from forum.models import (
    AuditLogIsAppendOnly,
    ExpertProfile,
    ExpertStatus,
    HealthTopic,
    ModerationAction,
    Post,
    Role,
    Thread,
    User,
    utcnow,
)
from forum.threads import services as threads
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_reply, make_thread, make_topic, make_user


def make_expert(topic: HealthTopic, **overrides: object) -> User:
    user = make_user(**overrides)
    profile = ExpertProfile(user_id=user.id, credentials="MD", specialty="Endocrinology")
    db.session.add(profile)
    db.session.flush()
    services.verify_expert(None, profile, topic_ids=[topic.id])
    return user


def apply(user: User, topic: HealthTopic) -> ExpertProfile:
    return services.apply_as_expert(
        user,
        credentials="PharmD",
        profession="Pharmacist",
        specialty="Oncology pharmacy",
        topic_ids=[topic.id],
        licence_number="RPH-123456",
        licence_issuer="State Board of Pharmacy",
    )


def reply_in(topic: HealthTopic) -> Post:
    thread = make_thread(make_community(topic))
    return make_reply(thread)


def test_application_verification_and_audit(app: Flask) -> None:
    topic = make_topic()
    applicant, editor = make_user(), make_user(role=Role.EDITOR)
    profile = apply(applicant, topic)
    assert profile.status == ExpertStatus.PENDING
    assert not policies.is_verified_expert(applicant)
    services.verify_expert(editor, profile, topic_ids=[topic.id], months=24, reason="licence ok")
    policies.forget_expert_profiles()
    assert policies.is_verified_expert(applicant)
    assert profile.expires_at is not None
    assert timedelta(days=725) < profile.expires_at - utcnow() < timedelta(days=735)
    entry = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "expert.verify")
    )
    assert entry is not None
    assert (entry.actor_id, entry.target_id, entry.reason) == (
        editor.id,
        applicant.id,
        "licence ok",
    )


def test_a_rejection_reason_is_shown_to_the_applicant(app: Flask, client: CsrfClient) -> None:
    topic = make_topic()
    applicant, admin = make_user(), make_user(role=Role.ADMIN)
    services.reject_expert(admin, apply(applicant, topic), "Licence number not found")
    login(client, applicant)
    page = client.get("/experts/apply").get_data(as_text=True)
    assert "Rejected" in page
    assert "Licence number not found" in page


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_only_admins_and_editors_review_experts(app: Flask, role: Role) -> None:
    topic = make_topic()
    profile = apply(make_user(), topic)
    with pytest.raises(NotAllowed):
        services.verify_expert(make_user(role=role), profile, topic_ids=[topic.id])
    db.session.refresh(profile)
    assert profile.status == ExpertStatus.PENDING
    assert db.session.scalar(select(ModerationAction.id)) is None


def test_licence_numbers_are_seen_by_reviewers_only(app: Flask) -> None:
    topic = make_topic()
    profile = apply(make_user(), topic)
    member, editor = make_user(), make_user(role=Role.EDITOR)
    reviewer = app.test_client()
    login(reviewer, editor)
    assert "RPH-123456" in reviewer.get(f"/experts/applications/{profile.id}").get_data(
        as_text=True
    )
    outsider = app.test_client()
    login(outsider, member)
    assert outsider.get(f"/experts/applications/{profile.id}").status_code == 403
    services.verify_expert(editor, profile, topic_ids=[topic.id])
    for path in ("/experts", f"/experts/{profile.user.name}", f"/u/{profile.user.name}"):
        assert "RPH-123456" not in app.test_client().get(path).get_data(as_text=True)


def test_application_form_errors_keep_the_text(app: Flask, client: CsrfClient) -> None:
    make_topic()
    login(client, make_user())
    response = client.post(
        "/experts/apply",
        data={"credentials": "RN", "profession": "Nurse", "specialty": "Cardiology",
              "licence_number": "", "licence_issuer": "Board"},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Cardiology"' in page


def endorse_outcome(user: User, post: Post) -> bool:
    try:
        services.endorse_post(user, post, "", "guideline")
    except NotAllowed:
        return False
    return True


def test_endorsement_policy_table(app: Flask) -> None:
    topic, other_topic = make_topic(), make_topic()
    post = reply_in(topic)
    expired = make_expert(topic)
    expired_profile = policies.expert_profile_of(expired)
    assert expired_profile is not None
    expired_profile.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    policies.forget_expert_profiles()
    table = {
        "member": make_user(),
        "expert out of scope": make_expert(other_topic),
        "expired expert": expired,
        "editor": make_user(role=Role.EDITOR),
        "admin": make_user(role=Role.ADMIN),
        "expert in scope": make_expert(topic),
    }
    outcomes = {label: endorse_outcome(user, post) for label, user in table.items()}
    assert outcomes == {
        "member": False,
        "expert out of scope": False,
        "expired expert": False,
        "editor": False,
        "admin": False,
        "expert in scope": True,
    }
    db.session.refresh(post)
    assert post.endorsement_count == 1


def test_endorsed_replies_sort_first_and_badge_the_thread(app: Flask, client: CsrfClient) -> None:
    topic = make_topic()
    community = make_community(topic)
    thread = make_thread(community)
    popular = make_reply(thread, body="Popular reply text")
    endorsed = make_reply(thread, body="Quiet but endorsed reply text")
    threads.vote_helpful(make_user(), popular)
    threads.accept_answer(thread.author, thread, popular)  # type: ignore[arg-type]
    expert = make_expert(topic)
    services.endorse_post(expert, endorsed, "Matches the guideline", "guideline")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert page.index("Quiet but endorsed reply text") < page.index("Popular reply text")
    assert "Level of evidence: Guideline or systematic review" in page
    assert "Matches the guideline" in page
    assert "Helped the asker" in page
    listing = client.get(f"/c/{community.slug}?sort=expert").get_data(as_text=True)
    assert thread.title in listing
    assert "Expert-endorsed" in listing


def test_several_experts_can_endorse_one_reply_and_withdraw(app: Flask) -> None:
    topic = make_topic()
    post = reply_in(topic)
    first, second = make_expert(topic), make_expert(topic)
    services.endorse_post(first, post, "", "guideline")
    services.endorse_post(second, post, "", "observational")
    services.endorse_post(second, post, "re-confirmed", "randomized-trial")
    db.session.refresh(post)
    assert post.endorsement_count == 2
    services.withdraw_endorsement(first, post)
    services.withdraw_endorsement(second, post)
    db.session.refresh(post)
    thread = db.session.get(Thread, post.thread_id)
    assert thread is not None
    assert post.endorsement_count == 0
    assert thread.has_expert_answer is False


def test_a_bad_evidence_level_is_refused(app: Flask) -> None:
    topic = make_topic()
    with pytest.raises(InvalidAction):
        services.endorse_post(make_expert(topic), reply_in(topic), "", "gut feeling")


def test_an_edit_after_endorsement_is_shown_until_reconfirmed(
    app: Flask, client: CsrfClient
) -> None:
    topic = make_topic()
    post = reply_in(topic)
    expert = make_expert(topic)
    services.endorse_post(expert, post, "", "guideline")
    assert post.author is not None
    threads.edit_post(post.author, post, "Changed text after the endorsement")
    page = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert "Edited after endorsement" in page
    services.endorse_post(expert, post, "still right", "guideline")
    page = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert "Edited after endorsement" not in page


def test_revoked_experts_endorsements_stay_as_a_former_expert(
    app: Flask, client: CsrfClient
) -> None:
    topic = make_topic()
    post = reply_in(topic)
    expert = make_expert(topic, name="dr_gone")
    services.endorse_post(expert, post, "", "expert-opinion")
    services.revoke_expert(
        make_user(role=Role.ADMIN), services.profile_for(expert), "left practice"
    )
    page = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert "by a former expert" in page
    assert client.get("/experts/dr_gone").status_code == 404
    assert "dr_gone" not in client.get("/experts").get_data(as_text=True)


def test_expert_answers_are_labelled_inside_scope_only(app: Flask, client: CsrfClient) -> None:
    topic, other = make_topic(), make_topic()
    expert = make_expert(topic)
    inside = make_thread(make_community(topic))
    outside = make_thread(make_community(other))
    threads.post_reply(expert, inside, "Inside my field")
    threads.post_reply(expert, outside, "Outside my field")
    assert "Expert answer" in client.get(f"/threads/{inside.id}").get_data(as_text=True)
    assert "Expert answer" not in client.get(f"/threads/{outside.id}").get_data(as_text=True)


def test_organizations_answer_as_the_organization(app: Flask, client: CsrfClient) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["orgs", "create", "nci", "--name", "National Cancer Institute",
              "--url", "https://www.cancer.gov"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    org = db.session.scalar(select(User).where(User.name_key == "nci"))
    assert org is not None
    thread = make_thread()
    threads.post_reply(org, thread, "Reference answer")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Answer from National Cancer Institute" in page
    bad = runner.invoke(args=["orgs", "create", "x-org", "--name", "X", "--url", "javascript:1"])
    assert bad.exit_code == 1


def test_cli_verify_and_revoke_are_audited(app: Flask) -> None:
    topic = make_topic(slug="oncology")
    make_user(name="dr_cli")
    runner = app.test_cli_runner()
    ok = runner.invoke(
        args=["experts", "verify", "dr_cli", "--credentials", "MD", "--specialty", "Oncology",
              "--topic", "oncology"]
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("\n") == 1
    unknown_topic = runner.invoke(
        args=["experts", "verify", "dr_cli", "--credentials", "MD", "--topic", "nope"]
    )
    assert unknown_topic.exit_code == 1
    revoked = runner.invoke(args=["experts", "revoke", "dr_cli", "--reason", "licence lapsed"])
    assert revoked.exit_code == 0, revoked.output
    actions = db.session.scalars(select(ModerationAction.action).order_by(ModerationAction.id))
    assert list(actions) == ["expert.verify", "expert.revoke"]
    assert topic.id


def test_the_audit_log_cannot_be_edited_or_deleted(app: Flask) -> None:
    topic = make_topic()
    make_expert(topic)
    entry = db.session.scalar(select(ModerationAction))
    assert entry is not None
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(ModerationAction)))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_the_audit_log_page_is_for_admins(app: Flask) -> None:
    make_expert(make_topic())
    admin_client, member_client = app.test_client(), app.test_client()
    login(admin_client, make_user(role=Role.ADMIN))
    login(member_client, make_user())
    assert "expert.verify" in admin_client.get("/admin/audit").get_data(as_text=True)
    assert member_client.get("/admin/audit").status_code == 403


def test_expiring_experts_are_reminded_once(app: Flask) -> None:
    from forum.mail import outbox

    topic = make_topic()
    expert = make_expert(topic)
    profile = policies.expert_profile_of(expert)
    assert profile is not None
    profile.expires_at = utcnow() + timedelta(days=10)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "reminded 1 expert" in runner.invoke(args=["experts", "remind"]).output
    assert "reminded 0 experts" in runner.invoke(args=["experts", "remind"]).output
    assert outbox()[-1]["To"] == expert.email


def test_endorse_route_refuses_members_with_403(app: Flask, client: CsrfClient) -> None:
    post = reply_in(make_topic())
    login(client, make_user())
    response = client.post(
        f"/experts/posts/{post.id}/endorsements", data={"evidence_level": "guideline"}
    )
    assert response.status_code == 403
    db.session.refresh(post)
    assert post.endorsement_count == 0


def test_expert_directory_and_profile_list_endorsed_answers(app: Flask, client: CsrfClient) -> None:
    topic = make_topic(name="Diabetes")
    post = reply_in(topic)
    expert = make_expert(topic, name="dr_listed")
    services.endorse_post(expert, post, "", "guideline")
    directory = client.get("/experts").get_data(as_text=True)
    assert "dr_listed" in directory
    assert "Diabetes" in directory
    profile = client.get("/experts/dr_listed").get_data(as_text=True)
    assert post.thread.title in profile
