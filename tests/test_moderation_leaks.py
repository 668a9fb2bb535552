"""Moderation side panels and post counts show only what the viewer may see (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from forum import policies
from forum.extensions import db
from forum.models import Community, Drug, DrugReviewReport, Post, Role, Thread, User
from forum.moderation import queries
from forum.moderation import services as moderation
from forum.reviews import queries as review_queries
from forum.reviews import services as review_services
from forum.threads import services as threads
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user
from tests.test_query_counts import counting_statements

PRIVATE_TITLE = "Quuxgroup question about my private diagnosis"
ANONYMOUS_TITLE = "Zorbanon question I asked without my name"
MODERATED_ANONYMOUS_TITLE = "Flimanon question in the moderated community"
HIDDEN_BODY = "Glorphidden reply the moderators of elsewhere hid"
PUBLIC_TITLE = "Public named question about walking after meals"


@dataclass
class Scene:
    moderated: Community
    elsewhere: Community
    group: Community
    moderator: User
    author: User
    reported: Post


def make_scene() -> Scene:
    """A member with posts everywhere; a report on their public reply, moderated by someone
    who moderates one public community only."""
    moderated = make_community(allow_anonymous=True)
    elsewhere = make_community(allow_anonymous=True)
    group = make_community(is_private=True)
    moderator = make_user()
    make_membership(moderated, moderator, moderator=True)
    author = make_user()
    make_thread(elsewhere, author, title=PUBLIC_TITLE)
    make_thread(group, author, title=PRIVATE_TITLE)
    make_thread(elsewhere, author, title=ANONYMOUS_TITLE, anonymous=True)
    make_thread(moderated, author, title=MODERATED_ANONYMOUS_TITLE, anonymous=True)
    hidden_thread = make_thread(elsewhere, title="Somebody else's question about sleep")
    hidden = make_reply(hidden_thread, author, body=HIDDEN_BODY)
    moderation.hide_post(make_user(role=Role.ADMIN), hidden, "off topic")
    reported = make_reply(make_thread(moderated), author, body="My public reply, reported.")
    moderation.report_post(make_user(), reported, "spam")
    return Scene(moderated, elsewhere, group, moderator, author, reported)


def history_titles(viewer: User) -> list[str]:
    policies.forget_memberships()
    (item,) = queries.report_queue(viewer)
    return [post.thread.title for post in item.history]


def test_a_report_card_lists_none_of_the_authors_private_or_anonymous_posts(
    app: Flask, client: CsrfClient
) -> None:
    scene = make_scene()
    login(client, scene.moderator)
    page = client.get("/moderation").get_data(as_text=True)
    assert "My public reply, reported." in page and PUBLIC_TITLE in page
    for secret in (PRIVATE_TITLE, ANONYMOUS_TITLE, "Somebody else&#39;s question about sleep"):
        assert secret not in page, secret
    # Anonymous posts in a community they moderate: they may see who wrote them.
    assert MODERATED_ANONYMOUS_TITLE in page


def test_the_authors_recent_posts_follow_the_viewers_rights(app: Flask) -> None:
    scene = make_scene()
    assert set(history_titles(scene.moderator)) == {PUBLIC_TITLE, MODERATED_ANONYMOUS_TITLE}
    site_moderator = make_user(role=Role.MODERATOR)
    # Every public community: anonymous and hidden posts there, never the private group.
    seen = set(history_titles(site_moderator))
    assert PRIVATE_TITLE not in seen
    assert {ANONYMOUS_TITLE, "Somebody else's question about sleep"} <= seen
    admin = make_user(role=Role.ADMIN)
    assert PRIVATE_TITLE in history_titles(admin)
    make_membership(scene.group, scene.moderator)
    assert PRIVATE_TITLE in history_titles(scene.moderator)
    assert ANONYMOUS_TITLE not in history_titles(scene.moderator)


def test_each_author_keeps_five_recent_posts_however_busy_the_others_are(app: Flask) -> None:
    community = make_community()
    moderator = make_user()
    make_membership(community, moderator, moderator=True)
    busy, quiet = make_user(), make_user()
    thread = make_thread(community)
    quiet_post = make_reply(thread, quiet, body="The quiet member's earlier reply.")
    # More than the old single query fetched for two authors (5 x 2 x 4 posts).
    for number in range(45):
        make_reply(thread, busy, body=f"Busy reply number {number}.")
    reported_busy = make_reply(thread, busy, body="Busy reported.")
    reported_quiet = make_reply(thread, quiet, body="Quiet reported.")
    for post in (reported_busy, reported_quiet):
        moderation.report_post(make_user(), post, "spam")
    items = {item.post.id: item for item in queries.report_queue(moderator)}
    assert len(items[reported_busy.id].history) == queries.HISTORY_PER_AUTHOR
    assert [post.id for post in items[reported_quiet.id].history] == [quiet_post.id]


def queue_statements(app: Flask, moderator: User) -> int:
    client = app.test_client()
    login(client, moderator)
    assert client.get("/moderation").status_code == 200
    with counting_statements() as statements:
        assert client.get("/moderation").status_code == 200
    return len(statements)


def test_the_queue_loads_in_the_same_number_of_statements_for_many_reports(app: Flask) -> None:
    community = make_community(allow_anonymous=True)
    moderator = make_user()
    make_membership(community, moderator, moderator=True)

    def report_some(count: int) -> None:
        for _ in range(count):
            author = make_user()
            thread = make_thread(community, author)
            make_reply(thread, author, anonymous=True)
            reported = make_reply(make_thread(community), author)
            moderation.report_post(make_user(), reported, "spam", "Please look.")
            moderation.report_post(make_user(), reported, "harassment")

    report_some(2)
    few = queue_statements(app, moderator)
    report_some(8)
    assert queue_statements(app, moderator) == few
    assert few <= 14


def test_a_merged_posts_report_follows_it_out_of_the_moderators_queue(app: Flask) -> None:
    public = make_community()
    group = make_community(is_private=True)
    moderator = make_user()
    make_membership(public, moderator, moderator=True)
    duplicate = make_thread(public, title="Duplicate question about insulin pens")
    reply = make_reply(duplicate, body="Reply that moves into the private group.")
    moderation.report_post(make_user(), reply, "spam")
    assert [item.post.id for item in queries.report_queue(moderator)] == [reply.id]
    admin = make_user(role=Role.ADMIN)
    moderation.merge_thread(admin, duplicate, make_thread(group))
    policies.forget_memberships()
    assert queries.report_queue(moderator) == []
    assert [item.post.id for item in queries.report_queue(admin)] == [reply.id]


def test_visible_named_posts_is_a_filter_of_the_policies(app: Flask) -> None:
    scene = make_scene()
    query = (
        select(Thread.title)
        .join(Post, Post.thread_id == Thread.id)
        .where(Post.author_id == scene.author.id, Post.is_opening.is_(True))
    )
    outsider = make_user()
    titles = set(db.session.scalars(policies.visible_named_posts(outsider, query)))
    assert titles == {PUBLIC_TITLE}
    titles = set(db.session.scalars(policies.visible_posts(outsider, query)))
    assert titles == {PUBLIC_TITLE, ANONYMOUS_TITLE, MODERATED_ANONYMOUS_TITLE}


# The drug-review report queue


def test_the_drug_review_queue_loads_only_the_reports_it_shows(app: Flask) -> None:
    drug = Drug(key="quixotrel", slug="quixotrel", name="Quixotrel")
    db.session.add(drug)
    db.session.commit()
    for number in range(3):
        review = review_services.write_review(
            make_user(),
            drug,
            review_services.ReviewFields(
                condition=f"Condition {number}", effectiveness=3, ease_of_use=3, satisfaction=3
            ),
        )
        for _ in range(2):
            review_services.report_review(make_user(), review, "spam", "An advert.")
    db.session.expunge_all()
    with counting_statements() as statements:
        items = review_queries.report_queue(limit=1)
    assert len(items) == 1 and len(items[0].reports) == 2
    loaded = [obj for obj in db.session.identity_map.values() if isinstance(obj, DrugReviewReport)]
    assert len(loaded) == 2
    assert len(statements) <= 2


# Post counts


@pytest.mark.parametrize(("viewer", "expected"), [("outsider", 2), ("group member", 3)])
def test_a_profiles_post_count_holds_only_what_the_viewer_may_read(
    app: Flask, viewer: str, expected: int
) -> None:
    public = make_community(allow_anonymous=True)
    group = make_community(is_private=True)
    author = make_user()
    thread = make_thread(public, author)
    make_reply(thread, author)
    make_thread(group, author)
    make_thread(public, author, anonymous=True)
    hidden = make_reply(thread, author)
    moderation.hide_post(make_user(role=Role.ADMIN), hidden, "off topic")
    threads.delete_post(author, make_reply(thread, author))
    db.session.refresh(author)
    assert author.post_count > 3
    user = make_user()
    if viewer == "group member":
        make_membership(group, user)
    client = app.test_client()
    login(client, user)
    page = client.get(f"/u/{author.name}").get_data(as_text=True)
    assert f"· {expected} post{'' if expected == 1 else 's'}" in page
    assert client.get(f"/api/v1/users/{author.name}").get_json()["post_count"] == expected
