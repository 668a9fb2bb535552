"""What may not be seen answers exactly like what does not exist (issue 15, item 6)."""

from __future__ import annotations

from flask import Flask

from forum.models import Role
from forum.moderation import services as moderation
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_reply, make_thread, make_topic, make_user
from tests.test_experts import make_expert


def test_endorsing_a_hidden_post_is_a_404_like_a_missing_post(
    app: Flask, client: CsrfClient
) -> None:
    topic = make_topic()
    thread = make_thread(make_community(topic))
    hidden = make_reply(thread, body="A reply the moderators hid from view.")
    moderation.hide_post(make_user(role=Role.ADMIN), hidden, "spam")
    login(client, make_expert(topic))
    for data in ({}, {"evidence_level": "guideline", "note": "ok"}):
        assert client.post(f"/experts/posts/{hidden.id}/endorsements", data=data).status_code == 404
        assert client.post("/experts/posts/987654/endorsements", data=data).status_code == 404
    assert client.post(f"/experts/posts/{hidden.id}/endorsements/delete").status_code == 404


def test_a_merged_private_thread_does_not_tell_visitors_where_it_went(
    app: Flask, client: CsrfClient
) -> None:
    group = make_community(is_private=True)
    duplicate, target = make_thread(group), make_thread(group)
    moderation.merge_thread(make_user(role=Role.ADMIN), duplicate, target)
    response = client.get(f"/threads/{duplicate.id}")
    assert response.status_code == 404
    assert f"/threads/{target.id}" not in response.headers.get("Location", "")
    member = target.author
    login(client, member)
    moved = client.get(f"/threads/{duplicate.id}")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"/threads/{target.id}")


def test_a_public_thread_merged_into_a_private_one_is_a_404_for_outsiders(
    app: Flask, client: CsrfClient
) -> None:
    admin = make_user(role=Role.ADMIN)
    duplicate = make_thread(make_community())
    target = make_thread(make_community(is_private=True))
    moderation.merge_thread(admin, duplicate, target)
    assert client.get(f"/threads/{duplicate.id}").status_code == 404
