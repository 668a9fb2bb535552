"""No listener watches SQL-level UPDATE and DELETE statements: the services that issue them
queue their index work themselves (outbox.enqueue_threads, enqueue_articles). Each test here
fails when a bulk hide, merge, endorsement or erasure does not reach the index."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from forum.experts import services as experts
from forum.extensions import db
from forum.models import Role, SearchOutbox, Thread
from forum.moderation import services as moderation
from forum.privacy import services as privacy
from forum.search import outbox
from forum.search.documents import thread_key
from tests.api_support import make_expert
from tests.factories import PASSWORD, make_community, make_reply, make_thread, make_topic, make_user
from tests.search_support import find, titles
from tests.test_search import backend as backend  # the fixture, for pytestmark

pytestmark = pytest.mark.usefixtures("backend")


def outbox_keys() -> list[str]:
    return list(db.session.scalars(select(SearchOutbox.key).order_by(SearchOutbox.id)))


@pytest.mark.config(SEARCH_DRAIN="off")
def test_a_sql_update_is_queued_only_by_the_explicit_call() -> None:
    thread = make_thread()
    before = outbox_keys()
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(title="Only in SQL"))
    db.session.commit()
    assert outbox_keys() == before
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(title="Then queued"))
    outbox.enqueue_threads([thread.id, thread.id])
    db.session.commit()
    assert outbox_keys() == [*before, thread_key(thread.id)]


@pytest.mark.config(SEARCH_DRAIN="off")
def test_the_flush_queues_content_changes_but_not_counter_changes() -> None:
    thread = make_thread()
    reply = make_reply(thread)
    before = outbox_keys()
    reply.helpful_count = 3
    db.session.commit()
    assert outbox_keys() == before
    reply.is_hidden = True
    db.session.commit()
    assert outbox_keys() == [*before, thread_key(thread.id)]


def test_a_merge_moves_the_replies_text_to_the_target_in_search() -> None:
    community = make_community()
    original = make_thread(community, title="Knee pain when climbing stairs")
    duplicate = make_thread(community, title="My knees hurt on the stairs")
    make_reply(duplicate, body="Glucosamine did nothing for my knees.")
    assert titles(find(None, "glucosamine")) == [duplicate.title]
    moderation.merge_thread(make_user(role=Role.ADMIN), duplicate, original, "same question")
    assert titles(find(None, "glucosamine")) == [original.title]


def test_a_hidden_thread_leaves_the_search_results() -> None:
    thread = make_thread(title="Hidden question about zinc lozenges")
    assert titles(find(None, "zinc lozenges")) == [thread.title]
    moderation.hide_thread(make_user(role=Role.ADMIN), thread, "off topic")
    assert find(None, "zinc lozenges").total == 0


def test_an_endorsement_and_its_withdrawal_reach_the_endorsed_filter() -> None:
    topic = make_topic()
    expert = make_expert(topic, name="drknee")
    thread = make_thread(make_community(topic), title="Ice or heat for a sprained ankle?")
    reply = make_reply(thread, body="Ice for the first two days, then heat.")
    assert find(None, "sprained ankle", endorsed=True).total == 0
    experts.endorse_post(expert, reply, "Standard advice.", "guideline")
    assert titles(find(None, "sprained ankle", endorsed=True)) == [thread.title]
    experts.withdraw_endorsement(expert, reply)
    assert find(None, "sprained ankle", endorsed=True).total == 0


def test_erasing_an_account_with_its_posts_takes_their_text_out_of_search() -> None:
    member = make_user()
    own = make_thread(author=member, title="Elderberry syrup for a cold?")
    other = make_thread(title="A cold that lasts for weeks")
    make_reply(other, member, body="Echinacea tea shortened mine.")
    assert titles(find(None, "elderberry")) == [own.title]
    assert titles(find(None, "echinacea")) == [other.title]
    privacy.delete_account(member, PASSWORD, delete_posts=True)
    assert find(None, "elderberry").total == 0
    assert find(None, "echinacea").total == 0
    assert titles(find(None, "lasts weeks")) == [other.title]
