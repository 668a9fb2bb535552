"""The search page: it never shows what a viewer may not see, survives hostile input, and
shows similar questions."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Thread, ThreadStatus, User
from forum.search.services import similar_threads
from forum.threads import services as thread_services
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user

# The fixture, imported with `as` so that it is kept.
from tests.search_support import backend as backend
from tests.search_support import find, set_thread, titles


def private_group_thread() -> tuple[Thread, User]:
    group = make_community(is_private=True, name="Quiet group")
    member = make_user()
    make_membership(group, member)
    thread = make_thread(group, title="Zorblaxia flare every winter", body="Only here: zorblaxia.")
    return thread, member


def test_a_private_group_word_is_never_found_by_outsiders(client: CsrfClient, backend: str) -> None:
    thread, member = private_group_thread()
    make_thread(title="Zorblaxio is a public word", body="Public zorblaxio text.")
    outsider = make_user()
    for viewer in (None, outsider):
        assert find(viewer, "zorblaxia").total == 0
        assert find(viewer, "zorblaxiaa").corrected == "zorblaxio"  # never the private word
        assert thread not in similar_threads(viewer, "Zorblaxia flare every winter")
    assert titles(find(member, "zorblaxia")) == [thread.title]
    assert find(member, "zorblaxiaa").corrected == "zorblaxia"
    # Whoosh keeps hot result pages: a member's page is never served to anyone else.
    for viewer in (None, outsider):
        assert find(viewer, "zorblaxia").total == 0
    exact = client.get("/search?q=zorblaxia&exact=1").get_data(as_text=True)
    assert "Zorblaxia flare" not in exact and "0 results" in exact
    # Corrected at once, to a word of public content only (see the did-you-mean checks above).
    corrected = client.get("/search?q=zorblaxia").get_data(as_text=True)
    assert "Zorblaxia flare" not in corrected and "Showing results for" in corrected
    login(client, outsider)
    assert "Zorblaxia flare" not in client.get("/search?q=zorblaxia").get_data(as_text=True)


def test_hidden_deleted_and_pending_threads_are_never_found(backend: str) -> None:
    hidden = make_thread(title="Quinoa allergy first hidden", body="x")
    pending = make_thread(title="Quinoa allergy second pending", body="x")
    deleted = make_thread(title="Quinoa allergy third deleted", body="x")
    kept = make_thread(title="Quinoa allergy fourth kept", body="x")
    set_thread(hidden, status=ThreadStatus.HIDDEN)
    set_thread(pending, status=ThreadStatus.PENDING)
    assert deleted.opening_post is not None
    thread_services.delete_post(deleted.author, deleted.opening_post)  # type: ignore[arg-type]
    assert titles(find(None, "quinoa allergy")) == [kept.title]
    reply = make_reply(kept, body="A hidden reply about buckwheat.")
    reply.is_hidden = True
    db.session.commit()
    assert find(None, "buckwheat").total == 0


HOSTILE = [
    "\x00",
    "x" * 10_000,
    " ".join(f"w{n}" for n in range(1000)),
    '"unbalanced',
    "((((((((a) OR (b",
    "NOT OR x",
    "*abc",
    "community_id:3",
    "9" * 300,
    "-",
    '"" -""',
    "<script>alert(1)</script>",
    "%_\\'\";--",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail(client: CsrfClient, backend: str, q: str) -> None:
    make_thread(title="Some ordinary question here", body="With an ordinary body.")
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "args",
    [
        {"page": "abc"},
        {"page": "99999999999999"},
        {"page": "-3"},
        {"page": "²"},
        {"from": "2024-13-45", "to": "yesterday"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"type": "evil"},
        {"sort": "'; drop table thread"},
        {"community": "no-such-group", "topic": "x" * 500},
        {"answered": "\x00", "endorsed": "maybe"},
    ],
)
def test_odd_parameters_are_ignored(client: CsrfClient, backend: str, args: dict[str, str]) -> None:
    make_thread(title="Vitamin B12 and tiredness", body="Low levels?")
    response = client.get("/search", query_string={"q": "vitamin", **args})
    assert response.status_code == 200


def test_the_search_page_works_for_visitors_and_members(client: CsrfClient, backend: str) -> None:
    make_thread(title="Iron tablets and an upset stomach", body="Any tips?")
    assert "Iron tablets" in client.get("/search?q=iron+tablets").get_data(as_text=True)
    assert client.get("/search").status_code == 200
    login(client, make_user())
    page = client.get("/search?q=iron&sort=new&answered=1").get_data(as_text=True)
    assert "0 results" in page and 'name="q"' in page


def test_similar_questions_show_under_a_thread_and_while_asking(
    client: CsrfClient, backend: str
) -> None:
    community = make_community()
    shown = make_thread(community, title="Thyroid levels after pregnancy", body="TSH is high.")
    similar = make_thread(community, title="Thyroid tiredness after pregnancy", body="So tired.")
    page = client.get(f"/threads/{shown.id}").get_data(as_text=True)
    assert "Similar questions" in page and similar.title in page
    assert (
        page.count(f'href="/threads/{shown.id}"') == 0
        or shown.title not in page.split("Similar")[1]
    )
    login(client, make_user())
    compose = client.get("/threads/new", query_string={"title": "thyroid after pregnancy"})
    assert similar.title in compose.get_data(as_text=True)


def test_every_page_has_the_search_box(client: CsrfClient) -> None:
    assert 'action="/search"' in client.get("/").get_data(as_text=True)


@pytest.mark.config(RATELIMIT_ENABLED=True, SEARCH_RATE_LIMIT="2 per minute")
def test_the_search_page_is_rate_limited(client: CsrfClient) -> None:
    statuses = [client.get("/search?q=x").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
