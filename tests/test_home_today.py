"""The "Today" home page: a reviewed article, endorsed answers, groups, questions waiting."""

from __future__ import annotations

import pytest
from flask import Flask

from forum.experts import services as experts
from forum.models import ArticleStatus, Role
from tests.conftest import login, text_of, visitor
from tests.factories import make_community, make_reply, make_thread, make_topic, make_user
from tests.test_articles import make_article, make_expert
from tests.test_query_counts import counting_statements

pytestmark = pytest.mark.config(CACHE_SECONDS=0)


def test_today_shows_what_a_visitor_may_see_and_nothing_private(app: Flask) -> None:
    topic = make_topic(slug="diabetes", name="Diabetes")
    public = make_community(topic, slug="diabetes-questions", name="Diabetes questions")
    group = make_community(topic, slug="diabetes-group", name="Quiet group", is_private=True)
    expert = make_expert(name="dr_home")
    make_article(expert, topic, ArticleStatus.PUBLISHED, title="Foot care: the basics")
    make_article(expert, topic, ArticleStatus.DRAFT, title="An unfinished draft piece")
    endorsed = make_thread(public, title="Which checks does a diabetic foot need?")
    reply = make_reply(endorsed, make_user(), body="My nurse checks mine at every visit.")
    experts.endorse_post(expert, reply, "", "expert-opinion")
    make_thread(public, title="Nobody has answered this question yet")
    secret = make_thread(group, title="A private worry about my sugar readings")
    make_reply(secret, None)

    page = text_of(visitor(app).get("/"))
    assert "Foot care: the basics" in page and "An unfinished draft piece" not in page
    assert "Expert-endorsed this week" in page and "Which checks does a diabetic foot need?" in page
    assert "Nobody has answered this question yet" in page
    assert "Diabetes questions" in page and "conversations this week" in page
    groups = page[page.index('id="groups-heading"') : page.index('id="waiting-heading"')]
    assert "A private worry" not in page and "Quiet group" not in groups
    assert 'href="/notifications/newsletter"' in page

    member = make_user()
    client = visitor(app)
    login(client, member)
    assert "A private worry" not in text_of(client.get("/"))


def test_recent_questions_never_fill_up_with_one_community(app: Flask) -> None:
    busy = make_community(name="Busy community")
    other = make_community(name="Other community")
    make_thread(other, title="An older question from elsewhere")
    for number in range(8):
        make_thread(busy, title=f"What is condition number {number}?")
    page = text_of(visitor(app).get("/"))
    recent = page[page.index('id="recent-heading"') :]
    assert recent.count("What is condition number") == 2
    assert "An older question from elsewhere" in recent


def test_today_takes_a_few_queries_however_much_content(app: Flask) -> None:
    community = make_community()
    editor = make_user(role=Role.EDITOR)
    expert = make_expert()
    for number in range(3):
        make_article(expert, community.topic, ArticleStatus.PUBLISHED, editor=editor,
                     title=f"Reviewed article number {number}")  # fmt: skip
    for number in range(12):
        thread = make_thread(community)
        reply = make_reply(thread, make_user())
        if number % 2:
            experts.endorse_post(expert, reply, "", "guideline")
    client = visitor(app)
    assert client.get("/").status_code == 200
    with counting_statements() as statements:
        assert client.get("/").status_code == 200
    # One query per section (plus threads and tags in batches), whatever the content.
    assert len(statements) <= 12, "\n".join(statements)
