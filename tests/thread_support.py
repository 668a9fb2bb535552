"""Helpers shared by the thread test modules: posting forms, counts and page fetches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from werkzeug.test import TestResponse

from forum.extensions import db
from forum.models import Community, Thread
from tests.conftest import CsrfClient

GOOD_TITLE = "How do I manage morning blood sugar?"
GOOD_BODY = "My fasting readings are high every morning. What helped you?"


def ask(client: CsrfClient, community: Community, **fields: str) -> TestResponse:
    data = {
        "community": community.slug,
        "title": GOOD_TITLE,
        "body": GOOD_BODY,
        "tags": "",
        "kind": "question",
    }
    data.update(fields)
    return client.post("/threads/new", data=data)


def thread_count() -> int:
    return db.session.scalar(select(func.count(Thread.id))) or 0


def refreshed(thread: Thread) -> Thread:
    db.session.refresh(thread)
    return thread


def page_of(client: CsrfClient, url: str, **query: Any) -> str:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)
