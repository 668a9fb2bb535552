"""Article lists and pages: the index, next and related links, authors' lists and slugs."""

from __future__ import annotations

import pytest
from flask import Flask

from forum.models import ArticleStatus, Role
from tests.article_support import TITLE, make_article, make_expert
from tests.factories import make_reply, make_thread, make_topic, make_user
from tests.web_support import logged_in

# Lists and pages


@pytest.mark.config(PER_PAGE=2)
def test_the_index_is_paginated_and_filters_by_topic(app: Flask) -> None:
    author, editor = make_expert(), make_user(role=Role.EDITOR)
    heart, lungs = make_topic(name="Heart Health"), make_topic(name="Lung Health")
    titles = [f"Heart article number {n} of three" for n in range(3)]
    for title in titles:
        make_article(author, heart, ArticleStatus.PUBLISHED, editor=editor, title=title)
    make_article(
        author, lungs, ArticleStatus.PUBLISHED, editor=editor, title="About breathing well today"
    )
    make_article(author, heart, title="A draft nobody else sees yet")
    client = logged_in(app, None)
    first = client.get(f"/articles?topic={heart.slug}").get_data(as_text=True)
    second = client.get(f"/articles?topic={heart.slug}&page=2").get_data(as_text=True)
    assert sum(title in first for title in titles) == 2
    assert sum(title in second for title in titles) == 1
    assert "About breathing" not in first + second
    assert "A draft nobody" not in first + second
    everything = client.get("/articles").get_data(as_text=True)
    assert "Page 1 of 2" in everything
    assert client.get("/articles?topic=no-such-topic").status_code == 404
    assert client.get("/articles?page=banana").status_code == 200


def test_an_article_links_the_next_one_in_its_topic_and_related_questions(app: Flask) -> None:
    author, editor = make_expert(), make_user(role=Role.EDITOR)
    topic = make_topic()
    first = make_article(
        author,
        topic,
        ArticleStatus.PUBLISHED,
        editor=editor,
        title="The first article in the topic",
    )
    second = make_article(
        author,
        topic,
        ArticleStatus.PUBLISHED,
        editor=editor,
        title="The second article in the topic",
    )
    make_article(
        author,
        make_topic(),
        ArticleStatus.PUBLISHED,
        editor=editor,
        title="Elsewhere entirely, other topic",
    )
    from forum.communities import services as community_services
    from forum.threads import services as thread_services
    from tests.factories import make_community

    community = make_community(topic)
    thread = make_thread(community, title="Did anyone get a second opinion?")
    reply = make_reply(thread)
    assert thread.author is not None
    thread_services.accept_answer(thread.author, thread, reply)
    assert community_services is not None

    client = logged_in(app, None)
    page = client.get(f"/articles/{first.slug}").get_data(as_text=True)
    assert f'href="/articles/{second.slug}" rel="next"' in page
    assert "Elsewhere entirely" not in page
    assert "Did anyone get a second opinion?" in page
    wrapped = client.get(f"/articles/{second.slug}").get_data(as_text=True)
    assert f'href="/articles/{first.slug}" rel="next"' in wrapped


def test_authors_list_their_own_articles_in_every_state(app: Flask) -> None:
    author = make_expert()
    make_article(author, title="My draft about screening tests")
    make_article(author, status=ArticleStatus.IN_REVIEW, title="My article waiting for review")
    make_article(make_expert(), title="Somebody else's draft article")
    page = logged_in(app, author).get("/articles/mine").get_data(as_text=True)
    assert "My draft about screening" in page and "My article waiting" in page
    assert "Somebody else" not in page
    assert logged_in(app, None).get("/articles/mine").status_code == 302


def test_slugs_are_unique_and_never_a_page_name(app: Flask) -> None:
    author = make_expert()
    one = make_article(author, title="Queue!!!!!!")
    assert one.slug != "queue"
    two = make_article(author, title=TITLE)
    three = make_article(author, title=TITLE)
    assert two.slug != three.slug
    assert logged_in(app, author).get(f"/articles/{three.slug}").status_code == 200
