"""Helpers shared by the search test modules: the backend fixture, queries and thread updates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from forum.extensions import db
from forum.models import Thread
from forum.search import outbox
from forum.search.forms import SearchParams
from forum.search.services import SearchResults, search_threads
from tests.conftest import service_url

BACKENDS = ["whoosh", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(app: Flask, request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test against one search backend (PostgreSQL only when the app runs on it)."""
    name: str = request.param
    if name == "postgres":
        service_url("FORUM_TEST_DATABASE_URL")
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            pytest.skip("the PostgreSQL search backend needs the app's database on PostgreSQL")
    app.config["SEARCH_BACKEND"] = name
    app.extensions.pop("forum_search", None)
    yield name
    close = getattr(app.extensions.get("forum_search"), "close", None)
    if close is not None:
        close()


def find(viewer: Any, q: str, per_page: int = 10, **params: Any) -> SearchResults:
    return search_threads(viewer, SearchParams(q=q, **params), per_page=per_page)


def titles(results: SearchResults) -> list[str]:
    return [item.thread.title for item in results.items]


def set_thread(thread: Thread, **values: Any) -> None:
    """Change a thread in SQL and queue its index work, as the endorsement service does."""
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(**values))
    outbox.enqueue_threads([thread.id])
    db.session.commit()
