"""Safety of user text: no script or active content from a post reaches a page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Thread
from tests.factories import make_community, make_user
from tests.thread_support import ask, page_of
from tests.web_support import logged_in

UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


class ActiveContent(HTMLParser):
    """Collects what a browser would run: inline scripts, on* handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not dict(attrs).get("src"):
            self.found.append("inline <script>")
        if tag in ("img", "iframe", "object", "embed", "svg") and not self.is_site_icon(tag, attrs):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            scheme = (value or "").strip().lower()
            if name in ("href", "src", "action") and scheme.startswith(UNSAFE_SCHEMES):
                self.found.append(f"{name}={value}")

    @staticmethod
    def is_site_icon(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """The site's own decorative icons (the logo, the menu): never from a post."""
        found = dict(attrs)
        return (
            tag == "svg" and found.get("class") in SITE_ICONS and found.get("aria-hidden") == "true"
        )


SITE_ICONS = ("icon", "brand-mark")


def active_content(page: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(page)
    parser.close()
    return parser.found


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>",
        "[click me](javascript:alert('x'))",
        "<img src=x onerror=alert('x')>",
        '<a href="javascript:alert(1)">link</a>',
        "![pic](javascript:alert(1))",
        "<svg onload=alert(1)>",
    ],
)
def test_script_in_a_body_never_reaches_the_page(app: Flask, body: str) -> None:
    community = make_community()
    author = make_user()
    client = logged_in(app, author)
    response = ask(client, community, title="<script>alert('title')</script> help", body=body)
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread is not None
    client.post(f"/threads/{thread.id}/replies", data={"body": body})
    for url in (f"/threads/{thread.id}", f"/c/{community.slug}", f"/u/{author.name}"):
        page = page_of(client, url)
        assert active_content(page) == [], url
        assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page_of(client, f"/threads/{thread.id}")
