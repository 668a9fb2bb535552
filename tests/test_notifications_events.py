"""The later notification events: moderators' actions, reports, experts, new questions,
safety notices; each through the feature that causes it, with the privacy rules."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from forum.experts import services as experts
from forum.extensions import db
from forum.mail import outbox
from forum.models import (
    CabinetEntry,
    ExpertProfile,
    HealthTopic,
    Notification,
    Post,
    Role,
    User,
    utcnow,
)
from forum.moderation import services as moderation
from forum.notifications import events
from forum.threads import services as thread_services
from tests.conftest import text_of, visitor
from tests.drug_data import import_subset
from tests.factories import (
    make_community,
    make_membership,
    make_reply,
    make_thread,
    make_topic,
    make_user,
)


def notifications_of(user: User) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def kinds_of(user: User) -> list[str]:
    return [n.kind for n in notifications_of(user)]


def make_expert(topic: HealthTopic, **overrides: object) -> User:
    expert = make_user(**overrides)
    profile = experts.apply_as_expert(
        expert,
        credentials="MD",
        profession="Physician",
        specialty="Endocrinology",
        topic_ids=[topic.id],
        licence_number="12345",
        licence_issuer="State board",
    )
    experts.verify_expert(None, profile, topic_ids=[topic.id])
    return expert


def test_hiding_a_thread_tells_its_author_with_the_reason_and_the_page_lists_it(
    app: Flask,
) -> None:
    community = make_community()
    moderator = make_user()
    make_membership(community, moderator, moderator=True)
    asker = make_user()
    thread = make_thread(community, asker)
    moderation.hide_thread(moderator, thread, "Off topic for this group")
    assert kinds_of(asker) == ["moderation"]
    assert "Your question was hidden. Reason: Off topic" in notifications_of(asker)[0].detail
    page = text_of(visitor(app, asker).get("/notifications/"))
    assert "Off topic for this group" in page


def test_a_moderators_edit_tells_the_author_with_the_reason(app: Flask) -> None:
    community = make_community()
    moderator = make_user()
    make_membership(community, moderator, moderator=True)
    author = make_user()
    post = make_reply(make_thread(community), author)
    moderation.edit_as_moderator(moderator, post, "A walk after dinner helped me.", "Link removed")
    assert kinds_of(author) == ["moderation"]
    assert notifications_of(author)[0].detail == "Your post was edited. Reason: Link removed"


def test_a_report_tells_the_groups_moderators_without_naming_the_reporter(app: Flask) -> None:
    community = make_community()
    moderator, bystander, reporter = make_user(), make_user(), make_user()
    make_membership(community, moderator, moderator=True)
    post = make_reply(make_thread(community))
    moderation.report_post(reporter, post, "spam", "Selling pills")
    assert kinds_of(moderator) == ["report"]
    assert kinds_of(bystander) == []
    assert notifications_of(moderator)[0].actor_id is None
    opened = visitor(app, moderator).get(f"/notifications/{notifications_of(moderator)[0].id}")
    assert opened.status_code == 302 and opened.location.endswith("/moderation")


def test_re_confirming_a_stale_endorsement_tells_the_author_once(app: Flask) -> None:
    topic = make_topic()
    community = make_community(topic)
    expert = make_expert(topic)
    author = make_user()
    post = make_reply(make_thread(community), author)
    experts.endorse_post(expert, post, "Sound advice.", "guideline")
    experts.endorse_post(expert, post, "Sound advice, still.", "guideline")
    assert kinds_of(author) == ["endorsed"]
    thread_services.edit_post(author, post, "A walk after dinner helped me, every day.")
    experts.endorse_post(expert, db.session.get(Post, post.id), "Still sound.", "guideline")  # type: ignore[arg-type]
    assert kinds_of(author) == ["endorsed", "reconfirmed"]


def test_experts_hear_when_their_verification_is_decided_or_about_to_lapse(app: Flask) -> None:
    topic = make_topic()
    expert = make_expert(topic)
    assert kinds_of(expert) == ["expert_status"]
    assert "verified" in notifications_of(expert)[0].detail
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == expert.id))
    assert profile is not None
    profile.expires_at = utcnow() + timedelta(days=3)
    db.session.commit()
    assert experts.remind_expiring(lambda: "/experts/apply") == 1
    assert kinds_of(expert) == ["expert_status", "expert_status"]
    assert "ends on" in notifications_of(expert)[1].detail
    editor = make_user(role=Role.EDITOR)
    experts.revoke_expert(editor, profile, "Licence lapsed")
    assert "revoked. Reason: Licence lapsed" in notifications_of(expert)[2].detail
    opened = visitor(app, expert).get(f"/notifications/{notifications_of(expert)[2].id}")
    assert opened.location.endswith("/experts/apply")


def test_new_questions_reach_experts_in_scope_but_not_private_group_content(app: Flask) -> None:
    topic, elsewhere = make_topic(), make_topic()
    expert, other_expert = make_expert(topic), make_expert(elsewhere)
    asker = make_user()
    thread = make_thread(make_community(topic), asker, anonymous=False)
    assert kinds_of(expert)[-1] == "question"
    assert "question" not in kinds_of(other_expert)
    group = make_community(topic, is_private=True)
    make_thread(group)
    assert [n.thread_id for n in notifications_of(expert) if n.kind == "question"] == [thread.id]


@pytest.mark.config(NEW_ACCOUNT_HOURS=24)
def test_an_anonymous_question_approved_by_a_moderator_reaches_experts_unnamed(
    app: Flask,
) -> None:
    topic = make_topic()
    community = make_community(topic, allow_anonymous=True)
    expert = make_expert(topic)
    moderator = make_user()
    make_membership(community, moderator, moderator=True)
    thread = make_thread(community, anonymous=True)  # a new account's post waits
    opening = db.session.get(Post, thread.opening_post_id)
    assert opening is not None and opening.is_pending
    assert "question" not in kinds_of(expert)
    moderation.approve_post(moderator, opening)
    questions = [n for n in notifications_of(expert) if n.kind == "question"]
    assert len(questions) == 1 and questions[0].actor_id is None


def test_a_hidden_question_notifies_no_expert(app: Flask) -> None:
    topic = make_topic()
    community = make_community(topic)
    expert = make_expert(topic)
    moderator = make_user()
    make_membership(community, moderator, moderator=True)
    thread = make_thread(community, title="Miracle cure for everything, buy now")
    moderation.hide_thread(moderator, thread, "Spam")
    events.question_asked(thread)  # asked again (an approval, say) while hidden: nothing new
    db.session.commit()
    assert kinds_of(expert).count("question") == 1  # told when it was asked, before the hiding
    page = visitor(app, expert).get("/notifications/")
    assert page.status_code == 200 and "Miracle cure" not in text_of(page)


def test_a_safety_notice_tells_cabinet_owners_by_their_channel_without_details(
    app: Flask, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    editor = make_user(role=Role.EDITOR)
    taking, family, other = make_user(), make_user(), make_user()
    for member, label, name in (
        (taking, "Me", "Lipitor"),
        (family, "Mom", "ezetimibe/atorvastatin"),
        (other, "Me", "metformin"),
    ):
        client = visitor(app, member)
        created = client.post("/my-medicine/profiles", data={"label": label})
        client.post(created.location + "/entries", data={"drug": name, "safety_alerts": "y"})
    settings = visitor(app, taking).post(
        "/notifications/settings", data={"channels-safety_notice": "email"}
    )
    assert settings.status_code == 302
    before = len(outbox())
    response = visitor(app, editor).post(
        "/drugs/notices/new",
        data={"title": "Statin label update", "drugs": "atorvastatin", "body": "Read **this**."},
    )
    assert response.status_code == 302
    assert kinds_of(taking) == kinds_of(family) == ["safety_notice"]
    assert kinds_of(other) == []
    mails = outbox()[before:]
    assert [m["To"] for m in mails] == [taking.email]
    assert mails[0]["Subject"] == "A safety notice about a medicine in your cabinet"
    assert "Statin" not in mails[0].as_string()
    opened = visitor(app, family).get(f"/notifications/{notifications_of(family)[0].id}")
    assert opened.location.endswith("/my-medicine/alerts")


def test_safety_alerts_are_chosen_per_medicine(app: Flask, tmp_path: Path) -> None:
    """An owner who left a medicine's alerts off, or turned them off, is not told of it."""
    import_subset(tmp_path)
    editor = make_user(role=Role.EDITOR)
    opted_in, opted_out, switched = make_user(), make_user(), make_user()
    for member, choice in ((opted_in, {"safety_alerts": "y"}), (opted_out, {})):
        client = visitor(app, member)
        created = client.post("/my-medicine/profiles", data={"label": "Me"})
        added = client.post(created.location + "/entries", data={"drug": "Lipitor", **choice})
        assert added.status_code == 302
    client = visitor(app, switched)
    created = client.post("/my-medicine/profiles", data={"label": "Me"})
    client.post(created.location + "/entries", data={"drug": "Lipitor", "safety_alerts": "y"})
    listed = client.get(created.location)
    assert "Safety alerts on" in text_of(listed)
    entry_id = db.session.scalars(select(CabinetEntry.id)).all()[-1]
    turned = client.post(f"/my-medicine/entries/{entry_id}/alerts", data={"on": "0"})
    assert turned.status_code == 302
    assert "Safety alerts off" in text_of(client.get(created.location))
    response = visitor(app, editor).post(
        "/drugs/notices/new",
        data={"title": "Statin label update", "drugs": "atorvastatin", "body": "Read this."},
    )
    assert response.status_code == 302
    assert kinds_of(opted_in) == ["safety_notice"]
    assert kinds_of(opted_out) == kinds_of(switched) == []
