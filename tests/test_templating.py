"""Jinja helpers (forum/templating.py): the HTML the macros wrote."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from flask import Flask

from forum.extensions import db
from forum.models import ThreadStatus
from forum.templating import author_tag, full_stop, time_tag
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
        named = author_tag(SimpleNamespace(is_anonymous=False, author=user), None)
        anonymous = author_tag(SimpleNamespace(is_anonymous=True, author=None), None)
        former = author_tag(SimpleNamespace(is_anonymous=False, author=None), None)
    assert "&lt;b&gt;&amp;me&lt;/b&gt;</a>" in named and "<b>" not in named
    assert anonymous == '<span class="author anonymous">Anonymous member</span>'
    assert former == '<span class="author former">Former member</span>'


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


def test_a_pending_question_tells_its_author_and_the_moderators_different_things(
    client: CsrfClient,
) -> None:
    community = make_community()
    author, moderator = make_user(), make_user()
    make_membership(community, moderator, moderator=True)
    thread = make_thread(community, author)
    thread.status = ThreadStatus.PENDING
    db.session.commit()
    login(client, author)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Waiting for a moderator: usually within a day." in page
    login(client, moderator)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "This question is waiting for a moderator." in page
    assert "usually within a day" not in page


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
