"""Public profiles: a member's public activity, counted and listed only as the viewer may see it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask

from forum.articles import services as articles
from forum.experts import services as experts
from forum.extensions import db
from forum.models import Community, ExpertProfile, HealthTopic, Post, Role, Thread, User
from forum.moderation import services as moderation
from forum.threads import services as threads
from tests.conftest import CsrfClient, text_of, visitor
from tests.factories import (
    make_community,
    make_membership,
    make_reply,
    make_thread,
    make_topic,
    make_user,
)
from tests.test_query_counts import counting_statements

# Words that exist only in content a visitor must never see on the profile.
PRIVATE_WORD = "quillfeather"
ANONYMOUS_WORD = "mothlantern"
HIDDEN_WORD = "saltmarsh"
MAX_PROFILE_STATEMENTS = 14


def make_expert(topic: HealthTopic) -> User:
    user = make_user()
    profile = ExpertProfile(user_id=user.id, credentials="RN", specialty="Diabetes education")
    db.session.add(profile)
    db.session.flush()
    experts.verify_expert(None, profile, topic_ids=[topic.id])
    return user


@dataclass
class World:
    member: User
    asker: User
    expert: User
    insider: User
    public: Community
    private: Community
    helped_reply: Post


def build_world() -> World:
    """A member active in public (signed and anonymous) and in a private group."""
    topic = make_topic()
    public = make_community(topic, allow_anonymous=True)
    private = make_community(topic, is_private=True, allow_anonymous=True)
    member, asker, insider = make_user(), make_user(), make_user()
    expert = make_expert(topic)
    make_membership(private, insider)
    make_thread(public, member, title="Signed question about morning walks")
    make_thread(public, member, title=f"Anonymous question {ANONYMOUS_WORD}", anonymous=True)
    make_thread(private, member, title=f"Group question {PRIVATE_WORD}")

    asked = make_thread(public, asker, title="Which shoes help with neuropathy?")
    helped_reply = make_reply(asked, member, body="Wide soft shoes worked for me.")
    threads.vote_helpful(asker, helped_reply)
    threads.accept_answer(asker, asked, helped_reply)
    experts.endorse_post(expert, helped_reply, "Sensible advice.", "expert-opinion")
    hidden = make_reply(asked, member, body=f"A reply that gets hidden {HIDDEN_WORD}.")
    moderation.hide_post(make_user(role=Role.ADMIN), hidden, "off topic")

    other = make_thread(public, asker, title=f"Second question {ANONYMOUS_WORD}")
    anonymous = make_reply(other, member, body="Anonymous experience.", anonymous=True)
    threads.vote_helpful(asker, anonymous)
    threads.accept_answer(asker, other, anonymous)

    grouped = make_thread(private, asker, title=f"Group thread {PRIVATE_WORD}")
    group_reply = make_reply(grouped, member, body="Group experience.")
    threads.vote_helpful(asker, group_reply)
    threads.accept_answer(asker, grouped, group_reply)
    return World(member, asker, expert, insider, public, private, helped_reply)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def counts_line(page: str) -> str:
    found = re.search(r'<p class="meta profile-counts">(.*?)</p>', page, re.S)
    assert found is not None, page[:2000]
    return " ".join(found.group(1).split())


def profile_of(client: CsrfClient, user: User) -> str:
    response = client.get(f"/u/{user.name}")
    assert response.status_code == 200
    return text_of(response)


def test_a_visitor_sees_public_signed_activity_and_calm_counts(app: Flask, world: World) -> None:
    page = profile_of(visitor(app), world.member)
    assert "Signed question about morning walks" in page
    assert "Which shoes help with neuropathy?" in page
    assert "Replies an expert endorsed" in page
    assert "Helped the asker" in page
    assert counts_line(page) == (
        "1 question or discussion · 1 reply · 1 reply that helped the asker"
        " · 1 helpful vote · 1 expert endorsement"
    )


def test_private_group_and_anonymous_posts_never_reach_a_visitor_or_another_member(
    app: Flask, world: World
) -> None:
    outsiders = (None, world.expert, make_user())
    for viewer in outsiders:
        page = profile_of(visitor(app, viewer), world.member)
        assert PRIVATE_WORD not in page
        assert ANONYMOUS_WORD not in page
        assert "Anonymous experience" not in page
        assert counts_line(page).startswith("1 question or discussion · 1 reply ·")
    asker_page = profile_of(visitor(app, world.asker), world.member)
    assert ANONYMOUS_WORD not in asker_page
    assert "Anonymous experience" not in asker_page


def test_a_group_member_sees_the_group_posts_but_never_the_anonymous_ones(
    app: Flask, world: World
) -> None:
    page = profile_of(visitor(app, world.insider), world.member)
    assert f"Group question {PRIVATE_WORD}" in page
    assert f"Group thread {PRIVATE_WORD}" in page
    assert ANONYMOUS_WORD not in page
    assert counts_line(page) == (
        "2 questions and discussions · 2 replies · 2 replies that helped the asker"
        " · 2 helpful votes · 1 expert endorsement"
    )


def test_hidden_posts_are_absent_even_for_moderators_and_the_author(
    app: Flask, world: World
) -> None:
    moderator = make_user()
    make_membership(world.public, moderator, moderator=True)
    for viewer in (None, moderator, world.member, make_user(role=Role.ADMIN)):
        page = profile_of(visitor(app, viewer), world.member)
        assert HIDDEN_WORD not in page
        assert ANONYMOUS_WORD not in page


def test_a_hidden_thread_leaves_the_lists_and_the_counts(app: Flask, world: World) -> None:
    thread = db.session.get(Thread, world.helped_reply.thread_id)
    assert thread is not None
    moderation.hide_thread(make_user(role=Role.ADMIN), thread, "duplicate")
    page = profile_of(visitor(app), world.member)
    assert "Which shoes help with neuropathy?" not in page
    assert counts_line(page) == (
        "1 question or discussion · 0 replies · 0 replies that helped the asker"
        " · 0 helpful votes · 0 expert endorsements"
    )


def test_an_experts_profile_lists_the_answers_they_endorsed_and_published_articles(
    app: Flask, world: World
) -> None:
    topic = world.public.topic
    published = articles.create_article(world.expert, article_content(topic, "Shoes and feet"))
    articles.submit_article(world.expert, published)
    articles.publish_article(make_user(role=Role.EDITOR), published)
    articles.create_article(world.expert, article_content(topic, "A draft on insulin pens"))
    page = profile_of(visitor(app), world.expert)
    assert "Answers " + world.expert.name + " endorsed" in page
    assert "Which shoes help with neuropathy?" in page
    assert "Shoes and feet" in page
    assert "A draft on insulin pens" not in page
    member_page = profile_of(visitor(app), world.member)
    assert "Published articles" not in member_page


def article_content(topic: HealthTopic, title: str) -> articles.ArticleContent:
    return articles.ArticleContent(
        topic=topic,
        title=title,
        summary="What to look for, and when to ask your care team.",
        body="Check your feet every day [1].",
        citations=(articles.CitationInput("National guideline on diabetes, 2022.", ""),),
    )


def grow_activity(world: World, extra: int) -> None:
    """More of everything: questions, signed and anonymous replies, votes, endorsements."""
    for number in range(extra):
        make_thread(world.public, world.member, title=f"Extra question {number}")
        asked = make_thread(world.public, world.asker, title=f"Extra ask {number}")
        reply = make_reply(asked, world.member, body=f"Extra reply {number}.")
        threads.vote_helpful(world.asker, reply)
        experts.endorse_post(world.expert, reply, "", "expert-opinion")
        make_reply(asked, world.member, body=f"Extra anonymous {number}.", anonymous=True)


@pytest.mark.parametrize("viewer", ["visitor", "insider"])
def test_a_profile_needs_the_same_few_statements_however_active_the_member(
    app: Flask, world: World, viewer: str
) -> None:
    client = visitor(app, world.insider if viewer == "insider" else None)
    measured = []
    for extra in (0, 15):
        grow_activity(world, extra)
        for subject in (world.member, world.expert):
            assert client.get(f"/u/{subject.name}").status_code == 200
            with counting_statements() as statements:
                assert client.get(f"/u/{subject.name}").status_code == 200
            assert len(statements) <= MAX_PROFILE_STATEMENTS, "\n".join(statements)
            measured.append(len(statements))
    assert measured[:2] == measured[2:], measured
