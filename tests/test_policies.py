"""Each authorization rule as a table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask_login import AnonymousUserMixin

from forum import policies
from forum.errors import NotAllowed
from forum.experts import services as experts
from forum.extensions import db
from forum.models import ExpertProfile, Role, utcnow
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user


@pytest.mark.parametrize(
    ("role", "banned", "member", "admin", "site_moderator", "editor"),
    [
        (Role.MEMBER, False, True, False, False, False),
        (Role.MEMBER, True, False, False, False, False),
        (Role.MODERATOR, False, True, False, True, False),
        (Role.EDITOR, False, True, False, False, True),
        (Role.ADMIN, False, True, True, True, True),
    ],
)
def test_role_predicates(
    app: Flask,
    role: Role,
    banned: bool,
    member: bool,
    admin: bool,
    site_moderator: bool,
    editor: bool,
) -> None:
    user = make_user(role=role, is_banned=banned)
    assert policies.is_member(user) is member
    assert policies.is_admin(user) is admin
    assert policies.is_site_moderator(user) is site_moderator
    assert policies.is_editor(user) is editor


def test_anonymous_visitors_have_no_powers(app: Flask) -> None:
    visitor = AnonymousUserMixin()
    assert not policies.is_member(visitor)
    assert not policies.is_admin(visitor)
    assert not policies.can_change_role(visitor, make_user())


@pytest.mark.parametrize(
    ("actor_role", "own_account", "allowed"),
    [
        (Role.MEMBER, False, False),
        (Role.MODERATOR, False, False),
        (Role.EDITOR, False, False),
        (Role.ADMIN, False, True),
        (Role.ADMIN, True, False),
    ],
)
def test_only_admins_change_roles_and_never_their_own(
    app: Flask, actor_role: Role, own_account: bool, allowed: bool
) -> None:
    actor = make_user(role=actor_role)
    target = actor if own_account else make_user()
    assert policies.can_change_role(actor, target) is allowed


def test_is_author_is_true_only_for_whoever_wrote_it(app: Flask) -> None:
    author = make_user()
    thread = make_thread(author=author)
    reply = make_reply(thread)
    assert policies.is_author(author, thread)
    assert not policies.is_author(author, reply)
    assert policies.is_author(reply.author, reply)
    assert not policies.is_author(make_user(), thread)
    assert not policies.is_author(AnonymousUserMixin(), thread)
    thread.author_id = None  # an erased account's post: nobody is its author
    assert not policies.is_author(author, thread)


def test_templates_can_ask_every_predicate_but_no_query_filter(app: Flask) -> None:
    predicates = {name for name in dir(policies) if name.startswith(("can_", "is_", "has_"))}
    assert predicates <= set(policies.JINJA_GLOBALS)
    assert not [name for name in policies.JINJA_GLOBALS if name.startswith("visible_")]
    assert "require" not in policies.JINJA_GLOBALS


def test_require_raises_403_or_a_hidden_404(app: Flask) -> None:
    policies.require(True)
    with pytest.raises(NotAllowed) as refused:
        policies.require(False)
    assert refused.value.status == 403
    with pytest.raises(NotAllowed) as hidden:
        policies.require(False, hide=True)
    assert hidden.value.status == 404


def test_profiles_show_staff_badges_only(app: Flask) -> None:
    assert policies.role_badges(make_user(role=Role.MEMBER)) == []
    assert policies.role_badges(make_user(role=Role.MODERATOR)) == ["moderator"]


def test_a_thread_pages_post_actions_are_exactly_the_predicates(app: Flask) -> None:
    community = make_community(allow_anonymous=True)
    asker, poster = make_user(), make_user()
    expert = make_user()
    profile = ExpertProfile(user_id=expert.id, credentials="MD", specialty="Endocrinology")
    db.session.add(profile)
    db.session.flush()
    experts.verify_expert(None, profile, topic_ids=[community.topic_id])
    thread = make_thread(community, asker)
    posts = [
        make_reply(thread, poster),
        make_reply(thread, expert),
        make_reply(thread, poster, anonymous=True),
        hidden := make_reply(thread, poster),
        pending := make_reply(thread),
        deleted := make_reply(thread, poster),
    ]
    hidden.is_hidden, pending.is_pending, deleted.is_deleted = True, True, True
    db.session.commit()
    community_moderator = make_user()
    make_membership(community, community_moderator, moderator=True)
    viewers = [
        AnonymousUserMixin(),
        make_user(),
        asker,
        poster,
        expert,
        community_moderator,
        make_user(role=Role.MODERATOR),
        make_user(role=Role.ADMIN),
        make_user(is_banned=True),
        make_user(suspended_until=utcnow() + timedelta(days=1)),
    ]
    page = [thread.opening_post, *posts]
    for viewer in viewers:
        policies.forget_memberships()
        actions = policies.post_actions(viewer, thread, page)
        for post in page:
            assert actions[post.id] == policies.PostActions(
                vote=policies.can_vote(viewer, post),
                accept=policies.can_accept(viewer, thread, post),
                endorse=policies.can_endorse(viewer, post),
                edit=policies.can_edit_post(viewer, post),
                delete=policies.can_delete_post(viewer, post),
                report=policies.can_report(viewer, post),
                moderate=policies.can_moderate_community(viewer, thread.community),
                view_history=policies.can_view_history(viewer, post),
            ), (viewer, post.id)
    assert policies.post_actions(expert, thread, page)[posts[0].id].endorse
    assert policies.post_actions(asker, thread, page)[posts[0].id].accept
    answers = policies.expert_answer_profiles(page)
    assert answers == {
        post.id: policies.expert_profile_of(post.author)
        for post in page
        if policies.is_expert_answer(post)
    }
    assert list(answers) == [posts[1].id]
