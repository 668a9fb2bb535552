"""Every API route as each kind of caller: the answers follow the same rules as the pages.

The callers: a visitor (no token), an outsider (a member not in the private group), an expert
(verified for the topic, not in the group), a member of the group, and its moderator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api_fixtures import api as api  # the fixtures, shared
from tests.api_fixtures import world as world
from tests.api_support import Api, World

ROLES = ("visitor", "outsider", "expert", "member", "moderator")
Path = Callable[[World], str]


def expect(*statuses: int) -> dict[str, int]:
    return dict(zip(ROLES, statuses, strict=True))


READS: list[tuple[str, Path, dict[str, int]]] = [
    ("topics", lambda w: "/api/v1/topics", expect(200, 200, 200, 200, 200)),
    ("topic", lambda w: "/api/v1/topics/diabetes", expect(200, 200, 200, 200, 200)),
    ("communities", lambda w: "/api/v1/communities", expect(200, 200, 200, 200, 200)),
    ("group", lambda w: "/api/v1/communities/insulin-circle", expect(200, 200, 200, 200, 200)),
    (
        "group threads",
        lambda w: "/api/v1/communities/insulin-circle/threads",
        expect(404, 404, 404, 200, 200),
    ),
    (
        "group members",
        lambda w: "/api/v1/communities/insulin-circle/members",
        expect(404, 404, 404, 200, 200),
    ),
    (
        "public threads",
        lambda w: "/api/v1/communities/type-2/threads",
        expect(200, 200, 200, 200, 200),
    ),
    (
        "public members",
        lambda w: "/api/v1/communities/type-2/members",
        expect(403, 403, 403, 200, 200),
    ),
    (
        "public thread",
        lambda w: f"/api/v1/threads/{w.public_thread.id}",
        expect(200, 200, 200, 200, 200),
    ),
    (
        "group thread",
        lambda w: f"/api/v1/threads/{w.private_thread.id}",
        expect(404, 404, 404, 200, 200),
    ),
    ("search", lambda w: "/api/v1/search?q=dosing", expect(200, 200, 200, 200, 200)),
    ("articles", lambda w: "/api/v1/articles", expect(200, 200, 200, 200, 200)),
    ("article", lambda w: "/api/v1/articles/none-yet", expect(404, 404, 404, 404, 404)),
    ("experts", lambda w: "/api/v1/experts", expect(200, 200, 200, 200, 200)),
    ("user", lambda w: "/api/v1/users/maria", expect(200, 200, 200, 200, 200)),
    ("openapi", lambda w: "/api/openapi.json", expect(200, 200, 200, 200, 200)),
]

THREAD = {"title": "Another question for the group", "body": "Does anyone else feel this?"}
# In order: each step leaves the group as the next one expects.
GROUP_WRITES: list[tuple[str, str, Path, Any, dict[str, int]]] = [
    (
        "ask",
        "POST",
        lambda w: "/api/v1/communities/insulin-circle/threads",
        THREAD,
        expect(401, 404, 404, 201, 201),
    ),
    (
        "reply",
        "POST",
        lambda w: f"/api/v1/threads/{w.private_thread.id}/posts",
        {"body": "Thinking of you."},
        expect(401, 404, 404, 201, 201),
    ),
    (
        "edit",
        "PATCH",
        lambda w: f"/api/v1/posts/{w.private_reply.id}",
        {"body": "Same here, edited."},
        expect(401, 404, 404, 403, 200),
    ),
    (
        "helpful",
        "POST",
        lambda w: f"/api/v1/posts/{w.private_reply.id}/helpful",
        None,
        expect(401, 404, 404, 200, 403),
    ),
    (
        "unhelpful",
        "DELETE",
        lambda w: f"/api/v1/posts/{w.private_reply.id}/helpful",
        None,
        expect(401, 404, 404, 200, 200),
    ),
    (
        "accept",
        "POST",
        lambda w: f"/api/v1/threads/{w.private_thread.id}/accept",
        "reply",
        expect(401, 404, 404, 200, 403),
    ),
    (
        "endorse",
        "POST",
        lambda w: f"/api/v1/posts/{w.private_reply.id}/endorsements",
        {"evidence_level": "guideline"},
        expect(401, 404, 404, 403, 403),
    ),
    (
        "withdraw endorsement",
        "DELETE",
        lambda w: f"/api/v1/posts/{w.private_reply.id}/endorsements",
        None,
        expect(401, 404, 404, 403, 403),
    ),
    (
        "report",
        "POST",
        lambda w: f"/api/v1/posts/{w.private_reply.id}/reports",
        {"reason": "spam"},
        expect(401, 404, 404, 201, 403),
    ),
    (
        "approve a non-request",
        "POST",
        lambda w: "/api/v1/communities/insulin-circle/members/otto",
        None,
        expect(401, 404, 404, 403, 404),
    ),
    (
        "delete",
        "DELETE",
        lambda w: f"/api/v1/posts/{w.private_reply.id}",
        None,
        expect(401, 404, 404, 403, 204),
    ),
    (
        "join",
        "POST",
        lambda w: "/api/v1/communities/insulin-circle/membership",
        None,
        expect(401, 200, 200, 403, 403),
    ),
    (
        "remove a member",
        "DELETE",
        lambda w: "/api/v1/communities/insulin-circle/members/maria",
        None,
        expect(401, 404, 404, 403, 204),
    ),
    (
        "leave",
        "DELETE",
        lambda w: "/api/v1/communities/insulin-circle/membership",
        None,
        expect(401, 204, 204, 204, 204),
    ),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_read_route_answers_each_caller_as_the_pages_do(
    world: World, api: Api, role: str
) -> None:
    answers = {
        name: api.get(path(world), world.tokens[role]).status_code for name, path, _ in READS
    }
    assert answers == {name: statuses[role] for name, _, statuses in READS}


@pytest.mark.parametrize("role", ROLES)
def test_every_write_route_in_a_private_group_answers_each_caller_as_the_rules_say(
    world: World, api: Api, role: str
) -> None:
    answers = {}
    for name, method, path, body, _statuses in GROUP_WRITES:
        if body == "reply":
            body = {"post_id": world.private_reply.id}
        answers[name] = api.call(method, path(world), world.tokens[role], json=body).status_code
    assert answers == {name: statuses[role] for name, *_, statuses in GROUP_WRITES}
