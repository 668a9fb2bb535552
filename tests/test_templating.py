"""Jinja helpers (forum/templating.py): the HTML the macros wrote, URLs as url_for builds them."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from flask import Flask, url_for

from forum.templating import UrlBuilder, author_tag, full_stop, time_tag
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user


def test_time_tag_writes_what_strftime_wrote() -> None:
    for moment in (datetime(2025, 1, 5, 7, 3), datetime(2024, 12, 31, 23, 59, 59)):
        expected = (
            f'<time datetime="{moment.strftime("%Y-%m-%dT%H:%MZ")}" '
            f'title="{moment.strftime("%d %b %Y, %H:%M")} UTC">'
            f"{moment.strftime('%d %b %Y')}</time>"
        )
        assert time_tag(moment) == expected
    assert time_tag(date(2025, 3, 9)) == '<time datetime="2025-03-09T00:00Z">09 Mar 2025</time>'


def test_time_tag_reads_recent_moments_relatively_with_the_exact_time_on_hover() -> None:
    now = datetime(2026, 12, 3, 15, 0)
    assert time_tag(datetime(2026, 12, 3, 12, 0), now) == (
        '<time datetime="2026-12-03T12:00Z" title="03 Dec 2026, 12:00 UTC">3 hours ago</time>'
    )
    assert ">just now<" in time_tag(datetime(2026, 12, 3, 14, 59, 30), now)
    assert ">1 day ago<" in time_tag(datetime(2026, 12, 2, 14, 0), now)
    assert ">6 days ago<" in time_tag(datetime(2026, 11, 27, 14, 0), now)
    assert ">26 Nov 2026<" in time_tag(datetime(2026, 11, 26, 14, 0), now)  # a week or more
    assert ">03 Dec 2026<" in time_tag(datetime(2026, 12, 3, 16, 0), now)  # a clock ahead


def test_author_tag_escapes_names_and_hides_anonymous_authors(app: Flask) -> None:
    user = SimpleNamespace(name="<b>&me</b>")
    with app.test_request_context("/"):
        named = author_tag(SimpleNamespace(is_anonymous=False, author=user), None, url_for)
        anonymous = author_tag(SimpleNamespace(is_anonymous=True, author=None), None, url_for)
        former = author_tag(SimpleNamespace(is_anonymous=False, author=None), None, url_for)
    assert "&lt;b&gt;&amp;me&lt;/b&gt;</a>" in named and "<b>" not in named
    assert anonymous == '<span class="author anonymous">Anonymous member</span>'
    assert former == '<span class="author former">Former member</span>'


def test_url_builder_gives_the_urls_of_url_for(app: Flask) -> None:
    build = UrlBuilder(app)
    with app.test_request_context("/"):
        for _ in range(2):
            assert build("users.show", name="a b/c") == url_for("users.show", name="a b/c")
            assert build("threads.show", thread_id=7, page=2) == "/threads/7?page=2"
            assert build("threads.show", thread_id=7, _anchor="x") == "/threads/7#x"
            assert build("tags.show", name=["x"]) == url_for("tags.show", name=["x"])
    with app.test_request_context("/", base_url="http://forum.test/mounted"):
        assert build("threads.show", thread_id=7) == "/mounted/threads/7"


def test_url_builder_forgets_everything_when_full(app: Flask) -> None:
    build = UrlBuilder(app, max_entries=2)
    with app.test_request_context("/"):
        for number in range(5):
            assert build("threads.show", thread_id=number) == f"/threads/{number}"
    assert len(build.urls) <= 2


def test_moderators_still_see_who_wrote_an_anonymous_reply(client: CsrfClient) -> None:
    community = make_community(allow_anonymous=True)
    writer = make_user(name="shy_writer")
    thread = make_thread(community)
    make_reply(thread, writer, anonymous=True)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Anonymous member" in page and "shy_writer" not in page
    moderator = make_user()
    make_membership(community, moderator, moderator=True)
    login(client, moderator)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert '(moderators see: <a href="/u/shy_writer">shy_writer</a>)' in page


def test_thread_page_shows_the_reply_form_only_to_those_who_may_reply(
    client: CsrfClient,
) -> None:
    thread = make_thread()
    assert 'id="reply-heading"' not in client.get(f"/threads/{thread.id}").get_data(as_text=True)
    login(client, make_user())
    assert 'id="reply-heading"' in client.get(f"/threads/{thread.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("Spam", "Spam."),
        ("Spam.", "Spam."),
        ("Spam. ", "Spam."),
        ("Really?", "Really?"),
        ("Stop!", "Stop!"),
        ("See the rules…", "See the rules…"),
    ],
)
def test_full_stop_ends_a_sentence_once(text: str, sentence: str) -> None:
    assert full_stop(text) == sentence
