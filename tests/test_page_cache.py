"""Visitors' page cache (forum/page_cache.py) and reading pages that set no cookie."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from forum import cache
from forum.extensions import db
from forum.models import ArticleStatus, PillProduct, Post, Role, User
from forum.moderation import services as moderation
from forum.pills.importer import import_samples
from forum.threads import services as thread_services
from tests.conftest import CsrfClient, login, make_app, service_url, text_of, visitor
from tests.drug_data import import_subset
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user
from tests.test_articles import make_article, make_expert

CACHED = pytest.mark.config(PAGE_CACHE_SECONDS=60)


def reading_urls(tmp_path: Path) -> list[str]:
    """One URL of each kind of reading page, with something on it."""
    community = make_community()
    thread = make_thread(community, tags=("insulin",))
    make_reply(thread)
    article = make_article(make_expert(), community.topic, status=ArticleStatus.PUBLISHED)
    import_subset(tmp_path)
    import_samples()
    pill = db.session.scalars(select(PillProduct)).first()
    assert pill is not None
    return [
        "/", "/topics", f"/topics/{community.topic.slug}", "/communities",
        f"/c/{community.slug}", f"/threads/{thread.id}", "/tags/insulin", "/articles",
        f"/articles/{article.slug}", "/drugs/", "/drugs/atorvastatin", "/pills",
        f"/pills/{pill.id}", "/experts",
    ]  # fmt: skip


def cache_state(response: TestResponse) -> str | None:
    return response.headers.get("X-Page-Cache")


def test_reading_pages_set_no_cookie_for_visitors(app: Flask, tmp_path: Path) -> None:
    cookies = {}
    for url in reading_urls(tmp_path):
        response = app.test_client().get(url)
        assert response.status_code == 200, url
        if "Set-Cookie" in response.headers:
            cookies[url] = response.headers["Set-Cookie"].split(";")[0][:30]
    assert cookies == {}


@CACHED
def test_every_reading_page_is_served_to_the_next_visitor_from_the_cache(
    app: Flask, tmp_path: Path
) -> None:
    for url in reading_urls(tmp_path):
        first, second = app.test_client().get(url), app.test_client().get(url)
        assert (cache_state(first), cache_state(second)) == ("miss", "hit"), url
        assert text_of(first) == text_of(second), url
        assert "Set-Cookie" not in second.headers, url
        assert second.headers["Cache-Control"] == "public, max-age=0, s-maxage=5", url
        assert "Cookie" in second.headers["Vary"], url


def test_a_visitor_who_opens_a_form_still_gets_a_token_and_members_still_need_it(
    app: Flask, client: CsrfClient
) -> None:
    response = client.get("/account/login")
    assert "session=" in response.headers.get("Set-Cookie", "")
    member = make_user()
    login(client, member)
    thread = make_thread()
    refused = client.post(
        f"/threads/{thread.id}/replies",
        data={"body": "Without a token this is refused."},
        csrf=False,
    )
    assert refused.status_code == 400
    assert "Without a token" not in text_of(client.get(f"/threads/{thread.id}"))


def test_a_members_drug_page_keeps_the_token_for_its_forms(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)
    member = visitor(app, make_user())
    assert 'name="csrf-token"' in text_of(member.get("/drugs/atorvastatin"))
    assert 'name="csrf-token"' not in text_of(app.test_client().get("/drugs/atorvastatin"))


def test_visitors_drug_name_autocomplete_needs_no_token(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)
    response = app.test_client().post("/drugs/autocomplete", data={"q": "atorva"})
    assert response.status_code == 200
    assert "atorvastatin" in text_of(response).lower()


def test_the_page_cache_is_off_unless_configured(app: Flask) -> None:
    thread = make_thread()
    response = app.test_client().get(f"/threads/{thread.id}")
    assert cache_state(response) is None
    assert response.headers["Cache-Control"] == "private, no-cache"


@CACHED
def test_a_members_page_is_never_served_to_anyone_else(app: Flask) -> None:
    thread = make_thread()
    member = make_user(name="Marigold")
    as_member = visitor(app, member)
    page = as_member.get(f"/threads/{thread.id}")
    assert cache_state(page) is None and "Marigold" in text_of(page)
    assert page.headers["Cache-Control"].startswith("private")
    as_visitor = app.test_client().get(f"/threads/{thread.id}")
    assert cache_state(as_visitor) == "miss" and "Marigold" not in text_of(as_visitor)
    again = as_member.get(f"/threads/{thread.id}")
    assert cache_state(again) is None and "Marigold" in text_of(again)


@CACHED
def test_requests_with_a_cookie_or_authorization_bypass_the_cache(app: Flask) -> None:
    thread = make_thread()
    url = f"/threads/{thread.id}"
    app.test_client().get(url)
    assert cache_state(app.test_client().get(url)) == "hit"
    token_user = app.test_client().get(url, headers={"Authorization": "Bearer abc"})
    assert cache_state(token_user) is None
    other_cookie = app.test_client()
    other_cookie.set_cookie("session", "forged", domain="forum.test")
    assert cache_state(other_cookie.get(url)) is None


@CACHED
def test_each_text_size_has_its_own_copy(app: Flask) -> None:
    thread = make_thread()
    url = f"/threads/{thread.id}"
    assert cache_state(app.test_client().get(url)) == "miss"
    large = app.test_client()
    large.set_cookie("text_size", "4", domain="forum.test")
    first = large.get(url)
    assert cache_state(first) == "miss" and 'class="text-size-4"' in text_of(first)
    assert cache_state(large.get(url)) == "hit"
    assert 'class="text-size-2"' in text_of(app.test_client().get(url))


@CACHED
def test_a_private_groups_pages_are_never_cached_for_visitors(app: Flask) -> None:
    group = make_community(is_private=True)
    thread = make_thread(group, title="A question inside the closed circle")
    member = make_user()
    make_membership(group, member)
    assert "closed circle" in text_of(visitor(app, member).get(f"/threads/{thread.id}"))
    # The group's landing page (name, how to join) is shown to visitors, never shared.
    for url, status in ((f"/c/{group.slug}", 200), (f"/threads/{thread.id}", 404)):
        for _ in range(2):
            response = app.test_client().get(url)
            assert (response.status_code, cache_state(response)) == (status, None), url
            assert "closed circle" not in text_of(response)
            assert response.headers["Cache-Control"] == "private, no-cache"


@CACHED
def test_a_public_group_made_private_leaves_the_cache_at_once(app: Flask) -> None:
    group = make_community()
    thread = make_thread(group, title="Soon behind closed doors")
    url = f"/threads/{thread.id}"
    app.test_client().get(url)
    assert cache_state(app.test_client().get(url)) == "hit"
    group.is_private = True
    db.session.commit()
    response = app.test_client().get(url)
    assert response.status_code == 404 and "closed doors" not in text_of(response)


@CACHED
def test_a_hidden_reply_disappears_from_the_cached_page_at_once(app: Flask) -> None:
    thread = make_thread()
    reply = make_reply(thread, body="A reply the moderators will hide soon.")
    url = f"/threads/{thread.id}"
    assert "moderators will hide" in text_of(app.test_client().get(url))
    assert cache_state(app.test_client().get(url)) == "hit"
    moderation.hide_post(make_user(role=Role.MODERATOR), reply, "Off topic")
    response = app.test_client().get(url)
    assert cache_state(response) == "miss" and "moderators will hide" not in text_of(response)


@CACHED
def test_a_deleted_thread_is_gone_from_the_cache_at_once(app: Flask) -> None:
    thread = make_thread(title="A question its author deletes")
    url = f"/threads/{thread.id}"
    app.test_client().get(url)
    assert cache_state(app.test_client().get(url)) == "hit"
    assert "its author deletes" in text_of(app.test_client().get(f"/c/{thread.community.slug}"))
    author, opening = thread.author, thread.opening_post
    assert author is not None and opening is not None
    thread_services.delete_post(author, opening)
    assert "its author deletes" not in text_of(app.test_client().get(url))
    assert "its author deletes" not in text_of(app.test_client().get(f"/c/{thread.community.slug}"))


@CACHED
def test_flashed_messages_and_error_pages_are_never_cached(app: Flask) -> None:
    flashed = app.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("info", "A message for one visitor only")]
    page = flashed.get("/")
    assert "for one visitor only" in text_of(page) and cache_state(page) is None
    assert "for one visitor only" not in text_of(app.test_client().get("/"))
    for _ in range(2):
        missing = app.test_client().get("/threads/987654")
        assert missing.status_code == 404 and cache_state(missing) is None


@CACHED
def test_an_unchanged_page_is_revalidated_with_304(app: Flask) -> None:
    thread = make_thread()
    url = f"/threads/{thread.id}"
    first = app.test_client().get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    revalidated = app.test_client().get(url, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304 and revalidated.get_data() == b""
    assert revalidated.headers["ETag"] == etag
    since = app.test_client().get(url, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    make_reply(thread, body="A new reply changes the page and its tag.")
    changed = app.test_client().get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "changes the page and its tag" in text_of(changed)


@pytest.fixture
def shared_redis() -> Iterator[dict[str, object]]:
    """Settings for app servers sharing the test Redis, under a key prefix of this test's own."""
    url = service_url("FORUM_TEST_REDIS_URL")
    prefix = f"forum-test-page-cache-{uuid.uuid4().hex}"
    yield {"REDIS_URL": url, "CACHE_KEY_PREFIX": prefix}
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def app_servers() -> Iterator[list[Flask]]:
    """The extra apps a test makes; their connections are closed afterwards."""
    apps: list[Flask] = []
    yield apps
    for extra in apps:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()
        version = cache.content_version(extra)
        if version is not None and version.redis is not None:
            version.redis.close()


def app_server(servers: list[Flask], tmp_path: Path, name: str, **settings: object) -> Flask:
    """Another app on the same database, with an index folder of its own."""
    extra = make_app(tmp_path, SEARCH_DIR=str(tmp_path / f"{name}-index"), **settings)
    servers.append(extra)
    return extra


@pytest.mark.redis
def test_a_commit_in_one_app_server_clears_the_cached_pages_of_another(
    app: Flask, tmp_path: Path, shared_redis: dict[str, object], app_servers: list[Flask]
) -> None:
    first = app_server(app_servers, tmp_path, "first", PAGE_CACHE_SECONDS=60, **shared_redis)
    second = app_server(app_servers, tmp_path, "second", PAGE_CACHE_SECONDS=60, **shared_redis)
    thread = make_thread()
    reply_id = make_reply(thread, body="A reply that a moderator elsewhere hides.").id
    moderator_id = make_user(role=Role.MODERATOR).id
    url = f"/threads/{thread.id}"
    assert cache_state(second.test_client().get(url)) == "miss"
    cached = second.test_client().get(url)
    assert cache_state(cached) == "hit" and "moderator elsewhere" in text_of(cached)
    with first.app_context():
        reply, moderator = db.session.get(Post, reply_id), db.session.get(User, moderator_id)
        assert reply is not None and moderator is not None
        moderation.hide_post(moderator, reply, "Off topic")
    fresh = second.test_client().get(url)
    assert cache_state(fresh) == "miss" and "moderator elsewhere" not in text_of(fresh)


@pytest.mark.redis
def test_a_commit_in_one_app_server_clears_the_shared_reads_of_another(
    app: Flask, tmp_path: Path, shared_redis: dict[str, object], app_servers: list[Flask]
) -> None:
    first = app_server(app_servers, tmp_path, "first", CACHE_SECONDS=300, **shared_redis)
    second = app_server(app_servers, tmp_path, "second", CACHE_SECONDS=300, **shared_redis)
    # The search page's community filter is a shared read (forum/cache.py).
    make_community(name="Kidney talk seen first")
    assert "Kidney talk seen first" in text_of(second.test_client().get("/search"))
    with first.app_context():
        make_community(name="Dialysis group made elsewhere")
    assert "Dialysis group made elsewhere" in text_of(second.test_client().get("/search"))


@pytest.mark.config(PAGE_CACHE_SECONDS=60, REDIS_URL="redis://127.0.0.1:1/0")
def test_without_redis_pages_are_served_fresh_and_nothing_fails(app: Flask) -> None:
    thread = make_thread(title="Read while the cache server is away")
    url = f"/threads/{thread.id}"
    for _ in range(2):
        response = app.test_client().get(url)
        assert response.status_code == 200 and cache_state(response) is None
        assert "cache server is away" in text_of(response)
    make_reply(thread, body="A reply written while Redis is down.")
    assert "while Redis is down" in text_of(app.test_client().get(url))
    make_community(name="A group made while Redis is down")
    assert "made while Redis is down" in text_of(app.test_client().get("/search"))


@CACHED
def test_a_members_reading_and_bookkeeping_leave_visitors_cached_pages_alone(
    app: Flask,
) -> None:
    """Logging in, reading a followed thread, opening notifications and keeping a medicine
    list change nothing a visitor sees: the cached pages stay (only content changes clear)."""
    thread = make_thread()
    make_reply(thread, body="An answer the asker will be told about.")
    urls = ["/", f"/threads/{thread.id}", f"/c/{thread.community.slug}"]
    for url in urls:
        app.test_client().get(url)
        assert cache_state(app.test_client().get(url)) == "hit", url
    asker = visitor(app, thread.author)  # logs in: last_seen_at is written
    asker.get(f"/threads/{thread.id}")  # the follower's last-seen mark moves
    asker.get("/notifications/")
    assert asker.post("/notifications/read", data={"all": "1"}).status_code in (302, 303)
    assert asker.post("/my-medicine/profiles", data={"label": "Me"}).status_code == 302
    for url in urls:
        assert cache_state(app.test_client().get(url)) == "hit", url
    thread_services.post_reply(make_user(), thread, "A second answer, which is content.")
    assert cache_state(app.test_client().get(f"/threads/{thread.id}")) == "miss"
