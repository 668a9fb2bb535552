"""Threads: asking a question or starting a discussion, and who may post where."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from forum import policies
from forum.errors import InvalidAction
from forum.extensions import db
from forum.models import Thread, ThreadKind
from forum.threads import content
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_thread, make_user
from tests.thread_support import GOOD_BODY, GOOD_TITLE, ask, page_of, thread_count
from tests.web_support import is_login_redirect

# Asking


def test_asking_a_question_redirects_to_the_new_thread(client: CsrfClient) -> None:
    community = make_community()
    user = make_user()
    login(client, user)
    response = ask(client, community, tags=" #Blood_Sugar, diet ")
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread is not None
    assert response.location.endswith(f"/threads/{thread.id}")
    assert [tag.name for tag in thread.tags] == ["blood-sugar", "diet"]
    assert thread.kind == ThreadKind.QUESTION
    assert thread.author_id == user.id and not thread.is_anonymous
    page = page_of(client, f"/threads/{thread.id}")
    assert GOOD_TITLE in page and GOOD_BODY in page
    assert "/tags/blood-sugar" in page


def test_starting_a_discussion_keeps_its_kind(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    assert ask(client, community, kind="discussion").status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread is not None and thread.kind == ThreadKind.DISCUSSION


def test_the_new_thread_form_needs_a_login(client: CsrfClient) -> None:
    community = make_community()
    assert is_login_redirect(client.get(f"/threads/new?community={community.slug}"))
    assert is_login_redirect(ask(client, community))
    assert thread_count() == 0


def test_the_new_thread_form_opens_with_the_community_chosen(client: CsrfClient) -> None:
    community = make_community(name="Thyroid talk")
    login(client, make_user())
    page = page_of(client, "/threads/new", community=community.slug)
    assert "Thyroid talk" in page


def test_tags_are_normalized() -> None:
    assert content.normalize_tags(" #Blood_Sugar, diet ") == ["blood-sugar", "diet"]
    assert content.normalize_tags("diet Diet #diet") == ["diet"]
    assert content.normalize_tags("") == []


@pytest.mark.parametrize("raw", ["1abc", "a", "blood$sugar", "x" * 36, "a b c d e f"])
def test_bad_tags_are_refused(raw: str) -> None:
    with pytest.raises(InvalidAction) as refused:
        content.normalize_tags(raw)
    assert refused.value.field == "tags"


@pytest.mark.parametrize("title", ["x" * 10, "y" * 150])
def test_titles_of_10_to_150_characters_are_accepted(app: Flask, title: str) -> None:
    thread = make_thread(title=title)
    assert thread.title == title


def test_a_body_of_20000_characters_is_accepted(app: Flask) -> None:
    thread = make_thread(body="b" * 20_000)
    assert thread.opening_post is not None
    assert len(thread.opening_post.body_source) == 20_000


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "Too short"}, "10 to 150"),
        ({"title": "t" * 151}, "10 to 150"),
        ({"title": "   Too    short   "}, "10 to 150"),
        ({"body": ""}, "Write something"),
        ({"body": "b" * 20_001}, "20,000"),
        ({"tags": "one two three four five six"}, "at most 5"),
        ({"tags": "diet 1abc"}, "not a tag"),
        ({"tags": "<b>bold</b>"}, "not a tag"),
    ],
)
def test_bad_input_is_refused_with_422_and_keeps_the_typed_text(
    client: CsrfClient, fields: dict[str, str], message: str
) -> None:
    community = make_community()
    login(client, make_user())
    response = ask(client, community, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    title = fields.get("title", GOOD_TITLE)
    body = fields.get("body", GOOD_BODY)
    assert " ".join(title.split()) in " ".join(page.split())
    assert body in page
    if "tags" in fields:
        assert "&lt;b&gt;bold&lt;/b&gt;" in page or fields["tags"] in page
        assert "<b>bold</b>" not in page
    assert thread_count() == 0


def test_posting_in_an_unknown_community_is_refused(client: CsrfClient) -> None:
    login(client, make_user())
    response = client.post(
        "/threads/new",
        data={"community": "no-such-group", "title": GOOD_TITLE, "body": GOOD_BODY},
    )
    assert response.status_code in (404, 422)
    assert thread_count() == 0


def test_a_non_member_cannot_post_in_a_private_group(client: CsrfClient) -> None:
    community = make_community(is_private=True)
    login(client, make_user())
    response = ask(client, community)
    assert response.status_code in (404, 422)
    assert thread_count() == 0


def test_a_member_posts_in_a_private_group(client: CsrfClient) -> None:
    community = make_community(is_private=True)
    user = make_user()
    make_membership(community, user)
    login(client, user)
    assert ask(client, community).status_code == 302
    assert thread_count() == 1


def test_creating_a_thread_counts_it_in_the_community(app: Flask) -> None:
    community = make_community()
    make_thread(community)
    make_thread(community)
    db.session.refresh(community)
    assert community.thread_count == 2


def test_policies_agree_that_members_of_a_public_community_may_post(app: Flask) -> None:
    community = make_community()
    assert policies.can_post_in_community(make_user(), community)
    assert not policies.can_post_in_community(make_user(is_banned=True), community)
