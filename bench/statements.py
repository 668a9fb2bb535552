"""SQL statements per page, counted through the test client (before_cursor_execute)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from forum.config import DEFAULTS
from forum.extensions import db

DEEP_PAGE = 50
PER_PAGE = int(DEFAULTS["PER_PAGE"])


def page_paths(manifest: dict[str, Any]) -> dict[str, str]:
    """The benchmarked pages of a data set, by name (the same names for every size)."""
    community = f"/c/{manifest['community_slug']}"
    return {
        "home": "/",
        "health_center": f"/topics/{manifest['topic_slug']}",
        "community_p1": community,
        "community_p50": f"{community}?page={deep_page(manifest)}",
        "thread_50": f"/threads/{manifest['medium_thread_id']}",
        "thread_500": f"/threads/{manifest['long_thread_id']}",
        "search": "/search?q=blood+sugar+after+exercise&answered=1",
        "article": f"/articles/{manifest['article_slug']}",
        "api_thread": f"/api/v1/threads/{manifest['medium_thread_id']}",
    }


def deep_page(manifest: dict[str, Any]) -> int:
    """Page 50 of the big community, or its last page in a data set too small for 50."""
    pages = -(-manifest["big_community_threads"] // PER_PAGE)
    return int(max(1, min(DEEP_PAGE, pages)))


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_statements(app: Flask, paths: dict[str, str]) -> dict[str, int]:
    """Statements of one anonymous GET per page, after a first GET warmed the caches."""
    client = app.test_client()
    counts = {}
    for name, path in paths.items():
        warm = client.get(path)
        if warm.status_code != 200:
            raise RuntimeError(f"{path} answered {warm.status_code}")
        with counting(app) as statements:
            client.get(path)
        counts[name] = len(statements)
    return counts
