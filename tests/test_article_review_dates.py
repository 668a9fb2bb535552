"""Article review dates: overdue articles, the review interval and the review queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask

from forum import policies
from forum.articles import services
from forum.extensions import db
from forum.models import ArticleStatus, Role, User, utcnow
from tests.article_support import audit_actions, make_article, make_expert, refreshed
from tests.factories import make_user
from tests.web_support import is_login_redirect, logged_in

# Review dates


def test_an_overdue_article_is_flagged_for_readers_and_queued_for_editors(app: Flask) -> None:
    editor = make_user(role=Role.EDITOR)
    article = make_article(make_expert(), status=ArticleStatus.PUBLISHED, editor=editor)
    waiting = make_article(
        make_expert(), status=ArticleStatus.IN_REVIEW, title="Waiting for a reviewer today"
    )
    article.next_review_due = utcnow() - timedelta(days=1)
    db.session.commit()
    assert policies.is_review_overdue(article)
    visitor = logged_in(app, None)
    assert "Review overdue" in visitor.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Review overdue" in visitor.get("/articles").get_data(as_text=True)

    queue = logged_in(app, make_user(role=Role.EDITOR)).get("/articles/queue")
    html = queue.get_data(as_text=True)
    assert queue.status_code == 200
    assert html.index(waiting.title) < html.index("overdue-heading") < html.index(article.title)

    other_editor = make_user(role=Role.EDITOR)
    client = logged_in(app, other_editor)
    assert client.post(f"/articles/{article.slug}/review").status_code == 302
    refreshed(article)
    assert not policies.is_review_overdue(article)
    assert article.reviewer_id == other_editor.id
    assert article.title not in client.get("/articles/queue").get_data(as_text=True)
    assert audit_actions(article)[-1] == "article.review"


@pytest.mark.config(ARTICLE_REVIEW_MONTHS=3)
def test_the_review_interval_comes_from_the_configuration(app: Flask) -> None:
    article = make_article(make_expert(), status=ArticleStatus.PUBLISHED)
    assert article.next_review_due is not None and article.reviewed_at is not None
    assert timedelta(days=88) < article.next_review_due - article.reviewed_at < timedelta(days=93)


def test_add_months_keeps_the_day_or_the_end_of_the_month() -> None:
    start = utcnow().replace(year=2025, month=1, day=31)
    assert services.add_months(start, 1).date().isoformat() == "2025-02-28"
    assert services.add_months(start, 12).date().isoformat() == "2026-01-31"
    assert services.add_months(start, 13).date().isoformat() == "2026-02-28"


@pytest.mark.parametrize(
    ("user_kind", "expected"),
    [("visitor", 302), ("member", 403), ("expert", 403), ("editor", 200), ("admin", 200)],
)
def test_only_editors_open_the_review_queue(app: Flask, user_kind: str, expected: int) -> None:
    users: dict[str, Callable[[], User | None]] = {
        "visitor": lambda: None,
        "member": make_user,
        "expert": make_expert,
        "editor": lambda: make_user(role=Role.EDITOR),
        "admin": lambda: make_user(role=Role.ADMIN),
    }
    response = logged_in(app, users[user_kind]()).get("/articles/queue")
    assert response.status_code == expected
    if expected == 302:
        assert is_login_redirect(response)
