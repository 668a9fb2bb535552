"""Unread tracking on lists and the thread page, and what a thread row shows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select

from forum.experts import services as experts
from forum.extensions import db
from forum.models import Thread
from forum.templating import relative
from forum.threads import services as thread_services
from tests.conftest import text_of, visitor
from tests.factories import make_community, make_reply, make_thread, make_topic, make_user


def plain(html: str) -> str:
    """The page's text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_new_replies_since_the_last_visit_are_marked_on_the_community_page_and_following(
    app: Flask,
) -> None:
    community = make_community()
    hannah = make_user()
    mine = make_thread(community, hannah, title="Walking after meals")
    other = make_thread(community, title="Night time readings")
    client = visitor(app, hannah)
    assert client.get(f"/threads/{mine.id}").status_code == 200
    make_reply(mine)
    make_reply(mine)
    make_reply(other)
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    marked = re.findall(
        r'class="thread-item has-news">\s*<h3 class="thread-title"><a[^>]*>([^<]+)<', page
    )
    assert marked == ["Walking after meals"]
    assert "2 new replies" in page
    following = client.get("/following").get_data(as_text=True)
    assert "2 new replies" in following and "Walking after meals" in following
    client.get(f"/threads/{mine.id}")
    assert "new repl" not in client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "new repl" not in client.get("/following").get_data(as_text=True)


def test_the_thread_page_divides_new_replies_from_those_read_before(app: Flask) -> None:
    hannah = make_user()
    thread = make_thread(author=hannah)
    make_reply(thread, body="An older reply that hannah has read.")
    client = visitor(app, hannah)
    client.get(f"/threads/{thread.id}")
    make_reply(thread, body="A fresh reply she has not seen yet.")
    newest = client.get(f"/threads/{thread.id}?order=newest").get_data(as_text=True)
    assert "1 new reply since your last visit" in newest
    fresh, divider, older = (
        newest.index("A fresh reply"),
        newest.index("Read before"),
        newest.index("An older reply"),
    )
    assert fresh < divider < older
    again = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "since your last visit" not in again
    assert "since your last visit" not in text_of(visitor(app).get(f"/threads/{thread.id}"))


def test_rows_show_the_asker_plurals_helpful_votes_and_the_last_reply(app: Flask) -> None:
    community = make_community(allow_anonymous=True)
    asker = make_user(name="hannah")
    one = make_thread(community, asker, title="One reply here")
    reply = make_reply(one, make_user(name="rosa"))
    thread_services.vote_helpful(asker, reply)
    two = make_thread(community, title="Two replies here", anonymous=True)
    make_reply(two)
    make_reply(two, anonymous=True)
    page = plain(text_of(visitor(app).get(f"/c/{community.slug}")))
    assert "Asked by hannah · 1 reply · 1 helpful vote" in page
    assert "last reply just now by rosa" in page
    assert "Asked by Anonymous member · 2 replies · 0 helpful votes" in page
    assert "last reply just now by Anonymous member" in page
    html = visitor(app).get(f"/c/{community.slug}").get_data(as_text=True)
    assert re.search(r'<time datetime="[\d\-T:]+Z" title="\d\d \w{3} \d{4}, \d\d:\d\d UTC">', html)


def test_relative_times_read_naturally() -> None:
    now = datetime(2026, 12, 3, 15, 0)
    assert relative(now - timedelta(seconds=20), now) == "just now"
    assert relative(now - timedelta(minutes=1), now) == "1 minute ago"
    assert relative(now - timedelta(hours=3), now) == "3 hours ago"
    assert relative(now - timedelta(days=15), now) == "2 weeks ago"


def test_experts_see_questions_waiting_in_their_topics_only(app: Flask) -> None:
    topic, elsewhere = make_topic(), make_topic()
    expert = make_user()
    profile = experts.apply_as_expert(
        expert,
        credentials="RN",
        profession="Nurse",
        specialty="Diabetes care",
        topic_ids=[topic.id],
        licence_number="1",
        licence_issuer="Board",
    )
    experts.verify_expert(None, profile, topic_ids=[topic.id])
    waiting = make_thread(make_community(topic), title="Waiting for an expert")
    answered = make_thread(make_community(topic), title="Already answered one")
    assert answered.author is not None
    thread_services.accept_answer(answered.author, answered, make_reply(answered))
    make_thread(make_community(elsewhere), title="Outside the scope")
    assert visitor(app).get("/experts/queue").status_code == 302
    assert visitor(app, make_user()).get("/experts/queue").status_code == 403
    assert "/experts/queue" in text_of(visitor(app, expert).get("/notifications/"))
    page = text_of(visitor(app, expert).get("/experts/queue"))
    assert "Waiting for an expert" in page
    assert "Already answered one" not in page and "Outside the scope" not in page
    assert waiting.id in {thread.id for thread in db.session.scalars(select(Thread))}
