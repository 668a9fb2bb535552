""" "Did you mean" holds no private words: what an outsider is offered never depends on what
a private group wrote, on both backends (issue 15, item 6)."""

from __future__ import annotations

from typing import Any

import pytest

from forum.models import Role, Thread, User
from forum.moderation import services as moderation_services
from forum.search import engine
from forum.search.forms import SearchParams
from forum.search.services import SearchResults, search_threads
from tests.factories import make_community, make_membership, make_thread, make_user
from tests.test_search import backend as backend  # the fixture, for pytestmark

pytestmark = pytest.mark.usefixtures("backend")


def find(viewer: Any, q: str) -> SearchResults:
    return search_threads(viewer, SearchParams(q=q))


def private_group(title: str, body: str) -> tuple[Thread, User]:
    group = make_community(is_private=True, name="Quiet group")
    member = make_user()
    make_membership(group, member)
    return make_thread(group, title=title, body=body), member


def test_a_word_only_a_private_group_holds_still_gets_the_public_correction() -> None:
    """Before: the private word was "in the index", so no correction was offered."""
    make_thread(title="Zorblaxio is a public word", body="Public zorblaxio text.")
    _thread, member = private_group("Zorblaxia flare every winter", "Only here: zorblaxia.")
    for viewer in (None, make_user()):
        results = find(viewer, "zorblaxia")
        assert results.total == 0
        assert results.corrected == "zorblaxio"  # as if the private thread did not exist
    assert find(member, "zorblaxia").total == 1
    assert find(member, "zorblaxia").corrected is None


def test_private_near_words_never_crowd_out_the_public_correction() -> None:
    """Before: closer private words took every attempt, and the outsider got nothing."""
    make_thread(title="Quendrilox dosing", body="Public quendrilox questions.")
    words = ["quendrilax", "quendrilix", "quendrilux", "quendrilex"]
    _thread, member = private_group("Private notes", " ".join(words))
    for viewer in (None, make_user()):
        assert find(viewer, "quendrilxx").corrected == "quendrilox"
    corrected = find(member, "quendrilxx").corrected
    assert corrected in (*words, "quendrilox")


def test_a_private_word_is_never_offered_to_an_outsider() -> None:
    _thread, member = private_group("Vexomalide side effects", "Vexomalide made me dizzy.")
    for viewer in (None, make_user()):
        assert find(viewer, "vexomalidd").corrected is None
        allowed = frozenset[int]()
        assert engine.backend().corrections("vexomalidd", allowed) == []
    assert find(member, "vexomalidd").corrected == "vexomalide"
    assert [item.thread.title for item in find(member, "vexomalide").items] == [
        "Vexomalide side effects"
    ]


def test_a_thread_moved_into_a_private_group_takes_its_words_with_it() -> None:
    thread = make_thread(title="Plorvastine taper", body="Plorvastine every morning.")
    assert find(None, "plorvastime").corrected == "plorvastine"
    moderator = make_user(role=Role.ADMIN)
    group = make_community(is_private=True, name="Closed group")
    moderation_services.move_thread(moderator, thread, group, "Belongs there.")
    assert find(None, "plorvastine").total == 0
    assert find(None, "plorvastime").corrected is None
