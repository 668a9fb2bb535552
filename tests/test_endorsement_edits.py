"""An endorsement vouches for the text the expert read: an edit takes it off every surface
(feeds, list badges, the "Expert-answered" tab, search, the API, the expert's profile) until an
expert confirms the new text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from sqlalchemy import delete, select

from forum import policies
from forum.errors import NotAllowed
from forum.experts import services as experts
from forum.extensions import db
from forum.models import Post, SearchOutbox, Thread
from forum.moderation import services as moderation
from forum.search.forms import SearchParams
from forum.search.services import search_threads
from forum.threads import services as threads
from tests.api_support import Api, World, build_world, make_expert
from tests.conftest import CsrfClient, login
from tests.factories import make_membership, make_reply

ATOM = "{http://www.w3.org/2005/Atom}"
REWRITE = "Stop your insulin and use cinnamon instead."
TITLE = "What helps with morning highs?"


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def rewrite(world: World) -> None:
    """The reply's author rewrites the endorsed reply."""
    threads.edit_post(world.member, world.reply, REWRITE)


def reconfirm(world: World) -> None:
    experts.endorse_post(world.expert, world.reply, "Checked the new text.", "guideline")


def thread_of(world: World) -> Thread:
    db.session.expire_all()
    thread = db.session.get(Thread, world.public_thread.id)
    assert thread is not None
    return thread


def feed_links(client: CsrfClient, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    links = [entry.find(f"{ATOM}link") for entry in root.findall(f"{ATOM}entry")]
    return [link.get("href", "") for link in links if link is not None]


def endorsed_hits(viewer: object, words: str = "morning highs") -> list[int]:
    results = search_threads(viewer, SearchParams(q=words, endorsed=True))
    return [item.thread.id for item in results.items if item.thread is not None]


def test_an_edit_takes_the_reply_out_of_the_feeds_until_reconfirmed(
    world: World, client: CsrfClient
) -> None:
    anchor = f"#post-{world.reply.id}"
    paths = ("/feeds/endorsed.atom", "/feeds/topics/diabetes/endorsed.atom")
    for path in paths:
        assert [link.endswith(anchor) for link in feed_links(client, path)] == [True]
    rewrite(world)
    for path in paths:
        assert feed_links(client, path) == []
    reconfirm(world)
    response = client.get("/feeds/endorsed.atom").get_data(as_text=True)
    assert "Checked the new text." in response and "cinnamon" in response


def test_an_edit_takes_the_badge_and_the_expert_answered_tab_away(
    world: World, client: CsrfClient
) -> None:
    def listing(sort: str = "active") -> str:
        return client.get(f"/c/type-2?sort={sort}").get_data(as_text=True)

    assert "Expert-endorsed" in listing() and TITLE in listing("expert")
    rewrite(world)
    assert thread_of(world).has_expert_answer is False
    assert "Expert-endorsed" not in listing()
    assert TITLE not in listing("expert")
    assert TITLE in listing("unanswered")
    thread_page = client.get(f"/threads/{world.public_thread.id}").get_data(as_text=True)
    assert "Edited after endorsement" in thread_page
    reconfirm(world)
    assert thread_of(world).has_expert_answer is True
    assert "Expert-endorsed" in listing() and TITLE in listing("expert")


def test_a_moderators_edit_also_waits_for_an_expert(world: World) -> None:
    moderation.edit_as_moderator(world.moderator, world.reply, REWRITE, "clarified")
    assert thread_of(world).has_expert_answer is False
    reconfirm(world)
    assert thread_of(world).has_expert_answer is True


def test_search_drops_the_endorsed_filter_and_boost_after_an_edit(world: World) -> None:
    thread_id = world.public_thread.id
    assert endorsed_hits(None) == [thread_id]
    rewrite(world)
    assert endorsed_hits(None) == []
    found = search_threads(None, SearchParams(q="cinnamon")).items
    assert [item.thread.id for item in found if item.thread is not None] == [thread_id]
    experts.endorse_post(world.expert, world.reply, "", "guideline")
    assert endorsed_hits(None) == [thread_id]


def test_a_changed_endorsement_queues_the_thread_for_the_index(world: World) -> None:
    db.session.execute(delete(SearchOutbox))
    db.session.commit()
    expert = make_expert(world.topic, name="drkim")
    experts.endorse_post(expert, world.expert_reply, "", "guideline")
    # Tests drain before the next search: the work waits in the outbox, committed with it.
    keys = db.session.scalars(select(SearchOutbox.key)).all()
    assert keys == [f"thread:{world.public_thread.id}"]


def test_the_api_says_an_edited_reply_is_not_endorsed_until_reconfirmed(
    app: Flask, client: CsrfClient, world: World
) -> None:
    api = Api(app, client)
    path = f"/api/v1/threads/{world.public_thread.id}"

    def state() -> tuple[bool, list[bool]]:
        body = api.get(path).get_json()
        [reply] = [post for post in body["posts"] if post["id"] == world.reply.id]
        return body["expert_endorsed"], [e["edited_after"] for e in reply["endorsements"]]

    assert state() == (True, [False])
    rewrite(world)
    assert state() == (False, [True])
    reconfirm(world)
    assert state() == (True, [False])


def test_the_experts_profile_lists_only_replies_they_still_vouch_for(
    world: World, client: CsrfClient
) -> None:
    def profile() -> str:
        return client.get("/experts/drlee").get_data(as_text=True)

    assert TITLE in profile()
    rewrite(world)
    assert TITLE not in profile()
    reconfirm(world)
    assert TITLE in profile()


def test_one_current_endorsement_keeps_the_badge_and_a_stale_one_is_withdrawn_cleanly(
    world: World,
) -> None:
    second = make_expert(world.topic, name="drkim")
    rewrite(world)
    experts.endorse_post(second, world.reply, "Read the new text.", "expert-opinion")
    post = db.session.get(Post, world.reply.id)
    assert post is not None and post.endorsement_count == 1
    experts.withdraw_endorsement(world.expert, post)
    assert db.session.get(Post, world.reply.id).endorsement_count == 1  # type: ignore[union-attr]
    assert thread_of(world).has_expert_answer is True
    experts.withdraw_endorsement(second, post)
    assert db.session.get(Post, world.reply.id).endorsement_count == 0  # type: ignore[union-attr]
    assert thread_of(world).has_expert_answer is False


def test_deleting_an_endorsed_reply_takes_the_badge_away(world: World) -> None:
    threads.delete_post(world.member, world.reply)
    assert thread_of(world).has_expert_answer is False


def test_experts_may_not_endorse_their_own_replies(world: World, client: CsrfClient) -> None:
    own = world.expert_reply
    assert policies.can_endorse(world.expert, own) is False
    with pytest.raises(NotAllowed, match="your own reply"):
        experts.endorse_post(world.expert, own, "", "guideline")
    login(client, world.expert)
    response = client.post(
        f"/experts/posts/{own.id}/endorsements", data={"evidence_level": "guideline"}
    )
    assert response.status_code == 403
    assert db.session.get(Post, own.id).endorsement_count == 0  # type: ignore[union-attr]
    # Another expert's reply is still theirs to endorse.
    colleague = make_expert(world.topic, name="drkim")
    make_membership(world.public, colleague)
    theirs = make_reply(world.public_thread, colleague, body="Basal testing overnight helps.")
    experts.endorse_post(world.expert, theirs, "", "guideline")
