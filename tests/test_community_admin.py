"""Creating topics, communities and moderators: the command line and the admin pages."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Community, HealthTopic, MemberRole, Membership, MemberStatus, Role
from tests.community_support import member_count, membership_of
from tests.conftest import CsrfClient
from tests.factories import make_community, make_membership, make_topic, make_user
from tests.web_support import is_login_redirect, logged_in

# Command line


def test_topics_create_makes_a_topic_and_prints_one_line(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["topics", "create", "diabetes", "--name", "Diabetes"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1
    assert "diabetes" in result.output
    topic = db.session.scalar(select(HealthTopic).where(HealthTopic.slug == "diabetes"))
    assert topic is not None and topic.name == "Diabetes"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["topics", "create", "Bad Slug!", "--name", "Diabetes"], "lower-case"),
        (["topics", "create", "taken", "--name", "Diabetes"], "exists"),
        (["topics", "create", "fine-slug", "--name", "x"], "2 to 120"),
    ],
)
def test_topics_create_fails_clearly(app: Flask, args: list[str], message: str) -> None:
    make_topic(slug="taken")
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_communities_create_makes_a_private_anonymous_group(app: Flask) -> None:
    make_topic(slug="diabetes")
    result = app.test_cli_runner().invoke(
        args=["communities", "create", "pump-users", "--name", "Pump users",
              "--topic", "diabetes", "--private", "--allow-anonymous"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1
    assert "pump-users" in result.output
    community = db.session.scalar(select(Community).where(Community.slug == "pump-users"))
    assert community is not None
    assert community.is_private and community.allow_anonymous
    assert community.topic.slug == "diabetes"


def test_communities_create_is_public_by_default(app: Flask) -> None:
    make_topic(slug="diabetes")
    result = app.test_cli_runner().invoke(
        args=["communities", "create", "type-2", "--name", "Type 2", "--topic", "diabetes"]
    )
    assert result.exit_code == 0, result.output
    community = db.session.scalar(select(Community).where(Community.slug == "type-2"))
    assert community is not None
    assert not community.is_private and not community.allow_anonymous


def test_communities_create_in_an_unknown_topic_fails_clearly(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["communities", "create", "type-2", "--name", "Type 2", "--topic", "ghost-topic"]
    )
    assert result.exit_code != 0
    assert "topic" in result.output.lower()
    assert "Traceback" not in result.output
    assert db.session.scalar(select(Community.id)) is None


def test_communities_add_member_can_appoint_a_moderator(app: Flask) -> None:
    community = make_community(slug="pump-users", is_private=True)
    user = make_user(name="Helper_Hana")
    result = app.test_cli_runner().invoke(
        args=["communities", "add-member", "pump-users", "helper_hana", "--moderator"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1
    membership = membership_of(community, user)
    assert membership is not None
    assert membership.status == MemberStatus.APPROVED
    assert membership.role == MemberRole.MODERATOR
    assert member_count(community) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["communities", "add-member", "pump-users", "ghost_user"],
        ["communities", "add-member", "ghost-group", "someone"],
    ],
)
def test_communities_add_member_fails_clearly_for_unknown_names(
    app: Flask, args: list[str]
) -> None:
    make_community(slug="pump-users")
    make_user(name="someone")
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert result.output.strip()
    assert "Traceback" not in result.output
    assert db.session.scalar(select(Membership.id)) is None


# Admin pages


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.EDITOR])
def test_the_admin_page_is_refused_to_non_admins(app: Flask, role: Role) -> None:
    assert logged_in(app, make_user(role=role)).get("/admin").status_code == 403


def test_the_admin_page_is_refused_to_visitors(app: Flask) -> None:
    response = logged_in(app, None).get("/admin")
    assert is_login_redirect(response) or response.status_code == 403


def test_the_admin_page_is_refused_to_community_moderators(app: Flask) -> None:
    moderator = make_user()
    make_membership(make_community(), moderator, moderator=True)
    assert logged_in(app, moderator).get("/admin").status_code == 403


def test_the_admin_page_opens_for_admins(app: Flask) -> None:
    make_topic(name="Kidney health")
    response = logged_in(app, make_user(role=Role.ADMIN)).get("/admin")
    assert response.status_code == 200
    assert "Kidney health" in response.get_data(as_text=True)


def test_admins_create_topics(app: Flask) -> None:
    admin = logged_in(app, make_user(role=Role.ADMIN))
    response = admin.post(
        "/admin/topics",
        data={"slug": "kidney", "name": "Kidney health", "summary": "Kidneys, dialysis."},
    )
    assert response.status_code == 302
    topic = db.session.scalar(select(HealthTopic).where(HealthTopic.slug == "kidney"))
    assert topic is not None and topic.summary == "Kidneys, dialysis."


def test_admins_see_topic_form_errors_with_their_text_kept(app: Flask) -> None:
    admin = logged_in(app, make_user(role=Role.ADMIN))
    response = admin.post("/admin/topics", data={"slug": "Bad Slug", "name": "Kidney health"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "lower-case" in page
    assert "Kidney health" in page
    assert db.session.scalar(select(HealthTopic.id)) is None


def test_admins_create_private_communities(app: Flask) -> None:
    make_topic(slug="kidney")
    admin = logged_in(app, make_user(role=Role.ADMIN))
    response = admin.post(
        "/admin/communities",
        data={"slug": "dialysis-circle", "name": "Dialysis circle", "topic": "kidney",
              "description": "For people on dialysis.", "rules": "Be kind.",
              "private": "y", "allow_anonymous": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    community = db.session.scalar(select(Community).where(Community.slug == "dialysis-circle"))
    assert community is not None
    assert community.is_private and community.allow_anonymous
    assert community.description == "For people on dialysis."
    assert community.topic.slug == "kidney"


def test_admins_creating_a_duplicate_community_see_a_form_error(app: Flask) -> None:
    topic = make_topic(slug="kidney")
    make_community(topic, slug="dialysis-circle")
    admin = logged_in(app, make_user(role=Role.ADMIN))
    response = admin.post(
        "/admin/communities",
        data={"slug": "dialysis-circle", "name": "Second dialysis circle", "topic": "kidney"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "exists" in page
    assert "Second dialysis circle" in page


def test_admins_appoint_community_moderators(app: Flask) -> None:
    community = make_community(slug="dialysis-circle", is_private=True)
    helper = make_user(name="helper_hana")
    admin = logged_in(app, make_user(role=Role.ADMIN))
    response = admin.post(
        "/admin/communities/dialysis-circle/moderators", data={"name": "helper_hana"}
    )
    assert response.status_code == 302
    membership = membership_of(community, helper)
    assert membership is not None
    assert membership.role == MemberRole.MODERATOR
    assert membership.status == MemberStatus.APPROVED


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_non_admins_cannot_use_the_admin_forms(app: Flask, role: Role) -> None:
    topic = make_topic(slug="kidney")
    community = make_community(topic, slug="dialysis-circle")
    actor = make_user(role=role)
    make_membership(community, actor, moderator=True)
    client = logged_in(app, actor)
    responses = [
        client.post("/admin/topics", data={"slug": "liver", "name": "Liver health"}),
        client.post(
            "/admin/communities",
            data={"slug": "new-circle", "name": "New circle", "topic": "kidney"},
        ),
        client.post("/admin/communities/dialysis-circle/moderators", data={"name": actor.name}),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert db.session.scalar(select(HealthTopic).where(HealthTopic.slug == "liver")) is None
    assert db.session.scalar(select(Community).where(Community.slug == "new-circle")) is None


def test_visitors_cannot_use_the_admin_forms(client: CsrfClient) -> None:
    response = client.post("/admin/topics", data={"slug": "liver", "name": "Liver health"})
    assert is_login_redirect(response) or response.status_code == 403
    assert db.session.scalar(select(HealthTopic.id)) is None
