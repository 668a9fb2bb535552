"""Atom feeds: public communities' newest threads, expert-endorsed answers and articles."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from forum.experts import services as experts
from forum.moderation import services as moderation
from tests.api_support import SECRET, World, build_world, make_article, make_expert
from tests.conftest import CsrfClient, login
from tests.factories import make_membership, make_thread

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def entries(response: TestResponse) -> list[dict[str, str]]:
    """The feed's entries (title, link, author, content), after checking it is Atom XML."""
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated") is not None and root.find(f"{ATOM}id") is not None
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        found.append(
            {
                "title": entry.findtext(f"{ATOM}title", ""),
                "link": link.get("href", "") if link is not None else "",
                "author": entry.findtext(f"{ATOM}author/{ATOM}name", ""),
                "content": entry.findtext(f"{ATOM}content", ""),
            }
        )
    return found


def test_a_public_communitys_feed_lists_its_newest_threads(
    world: World, client: CsrfClient
) -> None:
    make_thread(world.public, world.member, anonymous=True, title="Worried about my feet lately")
    found = entries(client.get("/feeds/communities/type-2.atom"))
    assert [e["title"] for e in found] == [
        "Worried about my feet lately",
        "What helps with morning highs?",
    ]
    assert found[0]["author"] == "Anonymous member" and found[1]["author"] == "ada"
    assert found[1]["link"].endswith(f"/threads/{world.public_thread.id}")
    assert "<p>" in found[1]["content"]


def test_a_private_group_has_no_feed_even_for_its_members(world: World, client: CsrfClient) -> None:
    assert client.get("/feeds/communities/insulin-circle.atom").status_code == 404
    login(client, world.member)
    assert client.get("/feeds/communities/insulin-circle.atom").status_code == 404
    assert client.get("/feeds/communities/no-such-group.atom").status_code == 404


def test_endorsed_answer_feeds_leave_out_private_and_hidden_replies(
    world: World, client: CsrfClient
) -> None:
    make_membership(world.private, world.expert)
    experts.endorse_post(world.expert, world.private_reply, f"Seen {SECRET} too.", "guideline")
    for path in ("/feeds/endorsed.atom", "/feeds/topics/diabetes/endorsed.atom"):
        response = client.get(path)
        found = entries(response)
        assert [e["link"] for e in found] == [
            f"http://forum.test/threads/{world.public_thread.id}#post-{world.reply.id}"
        ]
        assert (
            "drlee" in found[0]["content"] and "Consistent with guidelines" in found[0]["content"]
        )
        assert SECRET not in response.get_data(as_text=True)
    moderation.hide_post(world.moderator, world.reply, "Checking a claim")
    assert entries(client.get("/feeds/endorsed.atom")) == []
    other_topic = client.get("/feeds/topics/no-such-topic/endorsed.atom")
    assert other_topic.status_code == 404


def test_the_articles_feed_has_published_articles_only(world: World, client: CsrfClient) -> None:
    author = make_expert(world.topic, name="drwu")
    published = make_article(author, world.topic, publish=True)
    make_article(author, world.topic, title="A draft nobody should see yet")
    for path in ("/feeds/articles.atom", "/feeds/articles.atom?topic=diabetes"):
        found = entries(client.get(path))
        assert [e["title"] for e in found] == [published.title]
        assert found[0]["author"] == "drwu"
    assert client.get("/feeds/articles.atom?topic=nope").status_code == 404


def test_feed_text_loses_characters_xml_cannot_hold(world: World, client: CsrfClient) -> None:
    make_thread(world.public, world.member, title="Odd\x07 title with a bell", body="Body\x01 text")
    found = entries(client.get("/feeds/communities/type-2.atom"))
    assert found[0]["title"] == "Odd title with a bell"


def test_pages_link_to_their_feeds_in_the_head(world: World, client: CsrfClient) -> None:
    def head(path: str) -> str:
        page = client.get(path).get_data(as_text=True)
        return page.split("</head>")[0]

    assert 'type="application/atom+xml"' in head("/c/type-2")
    assert "/feeds/communities/type-2.atom" in head("/c/type-2")
    assert "application/atom+xml" not in head("/c/insulin-circle")
    assert "/feeds/topics/diabetes/endorsed.atom" in head("/topics/diabetes")
    assert "/feeds/articles.atom" in head("/articles")
    assert "/feeds/articles.atom?topic=diabetes" in head("/articles?topic=diabetes")
