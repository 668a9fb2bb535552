"""Visitors' page cache: reading pages served to visitors from one shared copy.

A visitor (no cookie but the text size, no Authorization header) sees a reading page that
depends only on its URL and text size, so one rendered copy serves them all, as Discourse's
anonymous cache does. The copy is kept in Redis when FORUM_REDIS_URL is set (shared by all
processes and hosts), else in this process; FORUM_PAGE_CACHE_SECONDS=0 turns it off.

Each copy carries the content version it was rendered under (forum/cache.py), read at the
start of the request: any commit that changed something bumps the version, so a hidden
post, a deleted thread or a community made private is gone from every cached page at once.
With Redis configured but unreachable, pages are not cached at all (a per-process copy
could not be cleared by the other processes' commits).

Only a 200 HTML answer to a GET of a reading page is kept, and only when it sets no cookie,
touched no session (no flashed message), set no Cache-Control of its own and loaded no
private community (a private group's landing page, say). Pages for
members, and every other response, keep app's "private, no-cache". Visitors' copies say
"public, max-age=0, s-maxage=FORUM_PAGE_CACHE_PROXY_SECONDS, Vary: Cookie" (a reverse
proxy may keep them that briefly; browsers revalidate), with an ETag and Last-Modified;
a matching If-None-Match (or If-Modified-Since) gets 304 Not Modified.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_login import current_user

from forum import cache
from forum.models import Community

STORE = "forum_page_cache"
MAX_BODY_BYTES = 2 * 2**20
READING_ENDPOINTS = frozenset(
    {
        "home.index", "topics.index", "topics.show", "communities.index", "communities.show",
        "threads.show", "tags.show", "articles.index", "articles.show", "drugs.index",
        "drugs.show", "pills.index", "pills.show", "experts.index",
    }
)  # fmt: skip
# The only cookie a visitor's page depends on, and its values (see reader_preferences).
TEXT_SIZE_COOKIE, TEXT_SIZES, DEFAULT_TEXT_SIZE = "text_size", ("1", "2", "3", "4"), "2"


@dataclass(frozen=True)
class CachedPage:
    version: int
    stored_at: float
    etag: str
    content_type: str
    body: bytes

    def dumps(self) -> bytes:
        head = [self.version, self.stored_at, self.etag, self.content_type]
        return json.dumps(head).encode() + b"\n" + self.body

    @classmethod
    def loads(cls, raw: bytes) -> CachedPage | None:
        head, _, body = raw.partition(b"\n")
        try:
            version, stored_at, etag, content_type = json.loads(head)
        except ValueError:
            return None
        return cls(int(version), float(stored_at), str(etag), str(content_type), body)


def init_app(app: Flask) -> None:
    """Serve and keep visitors' pages (registered before cache.init_app: see _serve)."""
    if not seconds(app):
        return
    # This process's copies (without Redis), least recently used dropped first.
    store = cache.PageCache(seconds(app), int(app.config["PAGE_CACHE_MAX_ENTRIES"]))
    app.extensions[STORE] = store
    cache.on_clear(app, store.clear)
    app.before_request(_serve)
    app.after_request(_keep)


def note_private_community(community: Community, *_args: Any) -> None:
    """Community load and refresh: a page that loaded a private group (its name, its landing
    page) is never shared."""
    if community.is_private and has_request_context():
        g.page_cache_private = True


def seconds(app: Flask) -> float:
    return float(app.config.get("PAGE_CACHE_SECONDS") or 0)


def visitor_key() -> str | None:
    """The cache key of this request when it is a visitor's GET of a reading page, else None."""
    if request.method != "GET" or request.endpoint not in READING_ENDPOINTS:
        return None
    if "Authorization" in request.headers or any(
        name != TEXT_SIZE_COOKIE for name in request.cookies
    ):
        return None
    size = request.cookies.get(TEXT_SIZE_COOKIE, DEFAULT_TEXT_SIZE)
    size = size if size in TEXT_SIZES else DEFAULT_TEXT_SIZE
    url = hashlib.blake2b(request.url.encode(), digest_size=20).hexdigest()
    return f"{current_app.config['CACHE_KEY_PREFIX']}:page:{size}:{url}"


def _serve() -> Response | None:
    """Before the view: a visitor's page from the cache when its copy is current."""
    key = visitor_key()
    if key is None:
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    version = cache.content_version(app)
    if version is None:
        return None
    if version.redis is None:
        current, page = version.local, app.extensions[STORE].peek(key)
    else:
        shared, (raw,) = version.read([key])
        cache.mark_version_checked()
        if shared is None:  # Redis is down: render, keep nothing
            return None
        current, page = shared, CachedPage.loads(raw) if raw else None
    g.page_cache = (key, current)
    if page is None or page.version != current:
        return None
    g.page_cache_hit = True
    response = Response(page.body, 200, content_type=page.content_type)
    return _public(response, page)


def _keep(response: Response) -> Response:
    """After the view: keep a visitor's page that is safe to share, and mark it public."""
    if g.get("page_cache_hit"):
        return response
    found: tuple[str, int] | None = g.get("page_cache")
    if found is None or not _is_shareable(response):
        return response
    key, version = found
    body = response.get_data()
    page = CachedPage(
        version=version,
        stored_at=float(int(time.time())),
        etag=hashlib.blake2b(body, digest_size=16).hexdigest(),
        content_type=response.content_type or "text/html; charset=utf-8",
        body=body,
    )
    _store(key, page)
    return _public(response, page, state="miss")


def _is_shareable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and "Cache-Control" not in response.headers
        and not session.modified
        and not session
        and not current_user.is_authenticated
        and not g.get("page_cache_private")
        and len(response.get_data()) <= MAX_BODY_BYTES
    )


def _store(key: str, page: CachedPage) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ttl = seconds(app)
    version = cache.content_version(app)
    if version is None:
        return
    if version.redis is None:
        app.extensions[STORE].put(key, page)
        return
    client = version.client()
    if client is None:
        return
    try:
        client.set(key, page.dumps(), px=max(1, int(ttl * 1000)))
    except cache.REDIS_ERRORS as error:
        version.failed(error)


def _public(response: Response, page: CachedPage, state: str = "hit") -> Response:
    proxy_seconds = int(current_app.config["PAGE_CACHE_PROXY_SECONDS"])
    response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={proxy_seconds}"
    response.vary.add("Cookie")
    response.set_etag(page.etag)
    response.last_modified = datetime.fromtimestamp(page.stored_at, UTC)
    response.headers["X-Page-Cache"] = state
    response.make_conditional(request)
    return response
