"""The page cache (forum/cache.py): shared reads kept a while, cleared by a commit, per viewer."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import delete

from forum import cache
from forum.cache import PageCache
from forum.extensions import db
from forum.models import SearchOutbox
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_thread, make_user


def test_the_home_page_shows_a_new_question_at_once(client: CsrfClient) -> None:
    community = make_community()
    make_thread(community, title="The first question on the home page")
    assert "The first question" in client.get("/").get_data(as_text=True)
    make_thread(community, title="A question asked a moment later")
    assert "asked a moment later" in client.get("/").get_data(as_text=True)


def test_a_renamed_thread_is_shown_renamed_on_the_home_page(client: CsrfClient) -> None:
    thread = make_thread(title="Before the rename of this question")
    assert "Before the rename" in client.get("/").get_data(as_text=True)
    thread.title = "After the rename of this question"
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "After the rename" in page and "Before the rename" not in page


def test_private_questions_are_cached_only_for_those_who_may_see_them(
    app: Flask, client: CsrfClient
) -> None:
    group = make_community(is_private=True)
    make_thread(group, title="A question inside the private group")
    member = make_user()
    make_membership(group, member)
    assert "inside the private group" not in client.get("/").get_data(as_text=True)
    login(client, member)
    assert "inside the private group" in client.get("/").get_data(as_text=True)
    visitor = app.test_client()
    assert "inside the private group" not in visitor.get("/").get_data(as_text=True)


def test_cached_values_expire() -> None:
    cache = PageCache(seconds=0.05)
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    assert cache.get("key", compute) == cache.get("key", compute) == 1
    time.sleep(0.06)
    assert cache.get("key", compute) == 2
    cache.clear()
    assert cache.get("key", compute) == 3


def test_the_search_filters_list_a_private_group_only_to_its_members(
    app: Flask, client: CsrfClient
) -> None:
    make_community(name="Open kidney talk")
    group = make_community(name="Closed transplant circle", is_private=True)
    member = make_user()
    make_membership(group, member)
    page = client.get("/search?q=kidney").get_data(as_text=True)
    assert "Open kidney talk" in page and "Closed transplant circle" not in page
    login(client, member)
    assert "Closed transplant circle" in client.get("/search?q=kidney").get_data(as_text=True)
    visitor = app.test_client()
    assert "Closed transplant circle" not in visitor.get("/search").get_data(as_text=True)
    make_community(name="Brand new dialysis group")  # a commit: cached lists are dropped
    assert "Brand new dialysis group" in visitor.get("/search").get_data(as_text=True)


def test_only_commits_that_change_content_count_as_a_new_version(app: Flask) -> None:
    version = cache.content_version(app)
    assert version is not None and version.redis is None
    before = version.local
    make_thread(title="A question that changes what pages show")
    assert version.local > before
    changed = version.local
    # The outbox drains' own bookkeeping changes no page: cached pages stay.
    db.session.execute(delete(SearchOutbox))
    db.session.commit()
    assert version.local == changed
