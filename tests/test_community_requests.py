"""Deciding join requests and removing members: who may, and what each side sees."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from forum import policies
from forum.communities import services
from forum.errors import InvalidAction, NotAllowed
from forum.models import Community, MemberStatus, Role, User
from tests.community_support import REQUEST_MESSAGE, member_count, membership_of, request_to_join
from tests.factories import make_community, make_membership, make_thread, make_user
from tests.web_support import is_login_redirect, logged_in

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
