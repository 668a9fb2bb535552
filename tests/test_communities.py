"""Communities: joining, requests to private groups, member management, CLI and admin pages."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from forum import policies
from forum.communities import services
from forum.errors import InvalidAction, NotAllowed
from forum.extensions import db
from forum.models import Community, HealthTopic, MemberRole, Membership, MemberStatus, Role, User
from tests.conftest import CsrfClient, login
from tests.factories import (
    make_community,
    make_membership,
    make_thread,
    make_topic,
    make_user,
)

REQUEST_MESSAGE = "I was diagnosed in March and would like to learn from others."


def membership_of(community: Community, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id
        )
    )


def member_count(community: Community) -> int:
    db.session.refresh(community)
    return community.member_count


def is_login_redirect(response: TestResponse) -> bool:
    return response.status_code == 302 and "/account/login" in (response.location or "")


def logged_in(app: Flask, user: User | None) -> CsrfClient:
    """A fresh client, logged in as the user (or a visitor for None)."""
    client = app.test_client()
    assert isinstance(client, CsrfClient)
    if user is not None:
        login(client, user)
    return client


def request_to_join(community: Community, user: User, message: str = REQUEST_MESSAGE) -> None:
    services.join_community(user, community, message)
    policies.forget_memberships()


# Joining and leaving


def test_joining_a_public_community_makes_an_approved_member_and_counts_them(
    client: CsrfClient,
) -> None:
    community = make_community()
    user = make_user()
    login(client, user)
    response = client.post(f"/c/{community.slug}/join")
    assert response.status_code == 302
    membership = membership_of(community, user)
    assert membership is not None
    assert membership.status == MemberStatus.APPROVED
    assert membership.role == MemberRole.MEMBER
    assert member_count(community) == 1


def test_asking_to_join_a_private_group_leaves_a_pending_request_that_is_not_counted(
    client: CsrfClient,
) -> None:
    community = make_community(is_private=True)
    make_thread(community, title="Our private circle of support talk")
    count_before = member_count(community)
    user = make_user()
    login(client, user)
    response = client.post(f"/c/{community.slug}/join", data={"message": REQUEST_MESSAGE})
    assert response.status_code == 302
    membership = membership_of(community, user)
    assert membership is not None
    assert membership.status == MemberStatus.PENDING
    assert membership.request_message == REQUEST_MESSAGE
    assert member_count(community) == count_before
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Our private circle of support talk" not in page


def test_a_visitor_who_tries_to_join_is_sent_to_log_in(client: CsrfClient) -> None:
    community = make_community()
    response = client.post(f"/c/{community.slug}/join")
    assert is_login_redirect(response)
    assert db.session.scalar(select(Membership.id)) is None


def test_joining_an_unknown_community_is_a_404(client: CsrfClient) -> None:
    login(client, make_user())
    assert client.post("/c/no-such-group/join").status_code == 404


def test_a_join_message_that_is_too_long_is_refused_without_a_request(
    client: CsrfClient,
) -> None:
    community = make_community(is_private=True)
    user = make_user()
    login(client, user)
    response = client.post(f"/c/{community.slug}/join", data={"message": "x" * 501})
    assert response.status_code in (400, 422)
    assert "500 characters" in response.get_data(as_text=True)
    assert membership_of(community, user) is None


def test_leaving_a_community_ends_the_membership_and_the_count(client: CsrfClient) -> None:
    community = make_community()
    user = make_user()
    make_membership(community, user)
    assert member_count(community) == 1
    login(client, user)
    response = client.post(f"/c/{community.slug}/leave")
    assert response.status_code == 302
    assert membership_of(community, user) is None
    assert member_count(community) == 0


def test_leaving_withdraws_a_pending_request_without_changing_the_count(
    client: CsrfClient,
) -> None:
    community = make_community(is_private=True)
    user = make_user()
    request_to_join(community, user)
    login(client, user)
    assert client.post(f"/c/{community.slug}/leave").status_code == 302
    assert membership_of(community, user) is None
    assert member_count(community) == 0


def test_a_visitor_who_tries_to_leave_is_sent_to_log_in(client: CsrfClient) -> None:
    community = make_community()
    assert is_login_redirect(client.post(f"/c/{community.slug}/leave"))


def test_leaving_a_community_one_does_not_belong_to_is_refused(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    assert client.post(f"/c/{community.slug}/leave").status_code in (403, 404)
    assert member_count(community) == 0


# Deciding requests


@dataclass
class Group:
    """A private group with its people, for the permission matrix."""

    community: Community
    moderator: User
    member: User
    applicant: User
    outsider: User
    other_moderator: User
    admin: User

    def actor(self, key: str) -> User | None:
        return None if key == "visitor" else getattr(self, key)


def make_group() -> Group:
    community = make_community(is_private=True, name="Insulin pump users")
    moderator, member, applicant = make_user(), make_user(), make_user()
    make_membership(community, moderator, moderator=True)
    make_membership(community, member)
    request_to_join(community, applicant)
    other_moderator = make_user()
    make_membership(make_community(), other_moderator, moderator=True)
    return Group(
        community=community,
        moderator=moderator,
        member=member,
        applicant=applicant,
        outsider=make_user(),
        other_moderator=other_moderator,
        admin=make_user(role=Role.ADMIN),
    )


def test_a_moderator_approves_a_request_and_the_applicant_sees_the_message(
    app: Flask,
) -> None:
    group = make_group()
    make_thread(group.community, title="Changing infusion sites without pain")
    before = member_count(group.community)
    moderator = logged_in(app, group.moderator)
    response = moderator.post(
        f"/c/{group.community.slug}/members/{group.applicant.name}/approve",
        data={"message": "Welcome aboard, glad you found us."},
    )
    assert response.status_code == 302
    membership = membership_of(group.community, group.applicant)
    assert membership is not None and membership.status == MemberStatus.APPROVED
    assert membership.decided_by_id == group.moderator.id
    assert member_count(group.community) == before + 1
    page = logged_in(app, group.applicant).get(f"/c/{group.community.slug}")
    text = page.get_data(as_text=True)
    assert "Welcome aboard, glad you found us." in text
    assert "Changing infusion sites without pain" in text


def test_a_moderator_declines_a_request_and_the_applicant_sees_the_reason(app: Flask) -> None:
    group = make_group()
    make_thread(group.community, title="Changing infusion sites without pain")
    before = member_count(group.community)
    moderator = logged_in(app, group.moderator)
    response = moderator.post(
        f"/c/{group.community.slug}/members/{group.applicant.name}/decline",
        data={"message": "This group is for pump users; try the public community."},
    )
    assert response.status_code == 302
    membership = membership_of(group.community, group.applicant)
    assert membership is not None and membership.status == MemberStatus.DECLINED
    assert member_count(group.community) == before
    page = logged_in(app, group.applicant).get(f"/c/{group.community.slug}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "This group is for pump users; try the public community." in text
    assert "Changing infusion sites without pain" not in text


def test_a_declined_applicant_may_ask_again(app: Flask) -> None:
    group = make_group()
    membership = membership_of(group.community, group.applicant)
    assert membership is not None
    services.decide_membership(group.moderator, membership, approve=False, message="Not yet.")
    policies.forget_memberships()
    response = logged_in(app, group.applicant).post(
        f"/c/{group.community.slug}/join", data={"message": "I now use a pump."}
    )
    assert response.status_code == 302
    membership = membership_of(group.community, group.applicant)
    assert membership is not None and membership.status == MemberStatus.PENDING
    assert membership.request_message == "I now use a pump."


def test_a_request_is_decided_only_once(app: Flask) -> None:
    group = make_group()
    membership = membership_of(group.community, group.applicant)
    assert membership is not None
    services.decide_membership(group.moderator, membership, approve=True)
    with pytest.raises(InvalidAction):
        services.decide_membership(group.moderator, membership, approve=False)
    assert member_count(group.community) == 2 + 1


def test_a_moderator_removes_a_member_who_then_loses_access(app: Flask) -> None:
    group = make_group()
    thread = make_thread(group.community, group.moderator)
    before = member_count(group.community)
    assert logged_in(app, group.member).get(f"/threads/{thread.id}").status_code == 200
    response = logged_in(app, group.moderator).post(
        f"/c/{group.community.slug}/members/{group.member.name}/remove"
    )
    assert response.status_code == 302
    assert membership_of(group.community, group.member) is None
    assert member_count(group.community) == before - 1
    assert logged_in(app, group.member).get(f"/threads/{thread.id}").status_code == 404


def test_a_moderator_cannot_remove_themselves_and_must_leave_instead(app: Flask) -> None:
    group = make_group()
    membership = membership_of(group.community, group.moderator)
    assert membership is not None
    with pytest.raises(InvalidAction):
        services.remove_member(group.moderator, membership)


ACTORS = ["visitor", "member", "outsider", "moderator", "other_moderator", "admin"]
MANAGERS = {"moderator", "admin"}


def assert_refused(response: TestResponse, actor: str) -> None:
    if actor == "visitor" and is_login_redirect(response):
        return
    assert response.status_code in (403, 404), (actor, response.status_code)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", ["approve", "decline"])
def test_only_community_moderators_and_admins_decide_requests(
    app: Flask, actor: str, action: str
) -> None:
    group = make_group()
    client = logged_in(app, group.actor(actor))
    response = client.post(
        f"/c/{group.community.slug}/members/{group.applicant.name}/{action}",
        data={"message": "Decided."},
    )
    membership = membership_of(group.community, group.applicant)
    assert membership is not None
    if actor in MANAGERS:
        assert response.status_code == 302
        expected = MemberStatus.APPROVED if action == "approve" else MemberStatus.DECLINED
        assert membership.status == expected
    else:
        assert_refused(response, actor)
        assert membership.status == MemberStatus.PENDING
        assert member_count(group.community) == 2


@pytest.mark.parametrize("actor", ACTORS)
def test_only_community_moderators_and_admins_remove_members(app: Flask, actor: str) -> None:
    group = make_group()
    client = logged_in(app, group.actor(actor))
    target = group.member if actor != "member" else make_user()
    if target is not group.member:
        make_membership(group.community, target)
    before = member_count(group.community)
    response = client.post(f"/c/{group.community.slug}/members/{target.name}/remove")
    if actor in MANAGERS:
        assert response.status_code == 302
        assert membership_of(group.community, target) is None
        assert member_count(group.community) == before - 1
    else:
        assert_refused(response, actor)
        assert membership_of(group.community, target) is not None
        assert member_count(group.community) == before


@pytest.mark.parametrize("actor", ACTORS)
def test_the_member_list_of_a_private_group_is_for_its_members(app: Flask, actor: str) -> None:
    group = make_group()
    response = logged_in(app, group.actor(actor)).get(f"/c/{group.community.slug}/members")
    page = response.get_data(as_text=True)
    if actor in ("visitor", "outsider", "other_moderator"):
        if not (actor == "visitor" and is_login_redirect(response)):
            assert response.status_code == 404, (actor, response.status_code)
        assert group.member.name not in page
        return
    assert response.status_code == 200
    assert group.member.name in page
    assert group.moderator.name in page
    if actor in MANAGERS:
        assert group.applicant.name in page
        assert REQUEST_MESSAGE in page
    else:
        assert group.applicant.name not in page
        assert REQUEST_MESSAGE not in page


@pytest.mark.parametrize("actor", ["visitor", "outsider"])
def test_the_member_list_of_a_public_community_is_refused_to_non_members(
    app: Flask, actor: str
) -> None:
    community = make_community()
    member = make_user(name="listed_member")
    make_membership(community, member)
    user = make_user() if actor == "outsider" else None
    response = logged_in(app, user).get(f"/c/{community.slug}/members")
    assert_refused(response, actor)
    assert "listed_member" not in response.get_data(as_text=True)


def test_deciding_for_an_unknown_user_is_a_404(app: Flask) -> None:
    group = make_group()
    response = logged_in(app, group.moderator).post(
        f"/c/{group.community.slug}/members/nobody_here/approve"
    )
    assert response.status_code == 404


def test_the_join_service_refuses_people_who_already_belong(app: Flask) -> None:
    community = make_community()
    user = make_user()
    make_membership(community, user)
    with pytest.raises(NotAllowed):
        services.join_community(user, community)
    assert member_count(community) == 1


# Community pages


def test_a_public_community_page_lists_its_threads_for_visitors(client: CsrfClient) -> None:
    community = make_community(name="Heart health circle")
    make_thread(community, title="Which blood pressure monitor do you trust?")
    response = client.get(f"/c/{community.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Heart health circle" in page
    assert "Which blood pressure monitor do you trust?" in page


def test_an_unknown_community_is_a_404(client: CsrfClient) -> None:
    assert client.get("/c/no-such-group").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "sort=bogus",
        "sort=",
        "sort=new",
        "sort=unanswered",
        "sort=expert",
        "sort=active",
        "page=0",
        "page=-3",
        "page=abc",
        "page=99999",
        "page=1e9",
        "page=99999999999999999999999",
        "sort=%00&page=%00",
    ],
)
def test_odd_sort_and_page_values_never_break_the_community_page(
    client: CsrfClient, query: str
) -> None:
    community = make_community()
    make_thread(community)
    assert client.get(f"/c/{community.slug}?{query}").status_code == 200


def test_an_unknown_sort_lists_threads_like_the_default(client: CsrfClient) -> None:
    community = make_community()
    make_thread(community, title="Living with a new diagnosis today")
    page = client.get(f"/c/{community.slug}?sort=bogus").get_data(as_text=True)
    assert "Living with a new diagnosis today" in page


def test_the_unanswered_sort_leaves_out_answered_questions(client: CsrfClient) -> None:
    from forum.threads import services as thread_services
    from tests.factories import make_reply

    community = make_community()
    asker = make_user()
    answered = make_thread(community, asker, title="Answered: is oatmeal a good breakfast?")
    make_thread(community, title="Open: does stress raise my readings?")
    reply = make_reply(answered)
    thread_services.accept_answer(asker, answered, reply)
    page = client.get(f"/c/{community.slug}?sort=unanswered").get_data(as_text=True)
    assert "Open: does stress raise my readings?" in page
    assert "Answered: is oatmeal a good breakfast?" not in page


def test_the_communities_index_groups_communities_by_topic(client: CsrfClient) -> None:
    topic = make_topic(name="Heart and circulation")
    make_community(topic, name="Living after a heart attack")
    response = client.get("/communities")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Heart and circulation" in page
    assert "Living after a heart attack" in page


def test_topic_pages_list_their_communities(client: CsrfClient) -> None:
    topic = make_topic(slug="heart", name="Heart and circulation")
    make_community(topic, name="Living after a heart attack")
    assert "Heart and circulation" in client.get("/topics").get_data(as_text=True)
    response = client.get("/topics/heart")
    assert response.status_code == 200
    assert "Living after a heart attack" in response.get_data(as_text=True)
    assert client.get("/topics/no-such-topic").status_code == 404


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


def test_a_private_group_page_shows_outsiders_only_its_name_and_a_join_form(
    client: CsrfClient,
) -> None:
    community = make_community(
        is_private=True, name="Grief support circle", description="For those who lost someone."
    )
    make_thread(community, title="Coping with the first anniversary")
    login(client, make_user())
    response = client.get(f"/c/{community.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Grief support circle" in page
    assert "For those who lost someone." in page
    assert f"/c/{community.slug}/join" in page
    assert 'name="message"' in page
    assert "Coping with the first anniversary" not in page
