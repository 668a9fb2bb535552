"""Read helpers for article pages: bounded queries, no N+1."""

from __future__ import annotations

import difflib

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select, tuple_

from forum import policies
from forum.extensions import db
from forum.models import Article, ArticleRevision, ArticleStatus, HealthTopic, User, Viewer, utcnow

QUEUE_LIMIT = 200


def _published() -> Select[Article]:
    return select(Article).where(Article.status == ArticleStatus.PUBLISHED)


def published_page(topic: HealthTopic | None, page: int, per_page: int) -> Pagination:
    """Published articles, newest first, overall or in one topic."""
    query = _published().order_by(Article.published_at.desc(), Article.id.desc())
    if topic is not None:
        query = query.where(Article.topic_id == topic.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def topic_articles(topic: HealthTopic, limit: int = 5) -> list[Article]:
    """A health center's newest published articles."""
    query = (
        _published()
        .where(Article.topic_id == topic.id)
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def next_in_topic(article: Article) -> Article | None:
    """The topic's next published article by publication, wrapping to its first."""
    if not article.is_published or article.published_at is None:
        return None
    in_topic = _published().where(Article.topic_id == article.topic_id, Article.id != article.id)
    order = (Article.published_at, Article.id)
    after = in_topic.where(tuple_(*order) > tuple_(article.published_at, article.id))
    found = db.session.scalar(after.order_by(*order).limit(1))
    return found or db.session.scalar(in_topic.order_by(*order).limit(1))


def review_queue() -> tuple[list[Article], list[Article]]:
    """For editors: articles waiting for review (oldest first), then overdue ones."""
    waiting = (
        select(Article)
        .where(Article.status == ArticleStatus.IN_REVIEW)
        .order_by(Article.updated_at, Article.id)
        .limit(QUEUE_LIMIT)
    )
    overdue = (
        _published()
        .where(Article.next_review_due <= utcnow())
        .order_by(Article.next_review_due, Article.id)
        .limit(QUEUE_LIMIT)
    )
    return list(db.session.scalars(waiting)), list(db.session.scalars(overdue))


def articles_by(viewer: Viewer, author: User, limit: int = 100) -> list[Article]:
    """An author's articles the viewer may open, the most recently changed first."""
    query = (
        policies.visible_articles(viewer, select(Article))
        .where(Article.author_id == author.id)
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def revisions(article: Article, limit: int = 200) -> list[ArticleRevision]:
    query = (
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _diff(article: Article, since: int | None, label: str) -> str:
    """A unified diff from revision `since` (None: nothing) to the current one."""
    numbers = {article.revision_count} | ({since} if since else set())
    rows = db.session.scalars(
        select(ArticleRevision).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number.in_(numbers)
        )
    )
    by_number = {row.number: row for row in rows}
    current = by_number.get(article.revision_count)
    before = by_number.get(since or 0)
    if current is None or current is before:
        return ""
    lines = difflib.unified_diff(
        before.as_text().splitlines() if before is not None else [],
        current.as_text().splitlines(),
        fromfile=label,
        tofile=f"current (revision {current.number})",
        lineterm="",
    )
    return "\n".join(lines)


def diff_since_published(article: Article) -> str:
    """A unified diff from the last published version to the current one ("" if the same)."""
    since = article.published_revision
    label = f"published (revision {since})" if since else "never published"
    return _diff(article, since, label)


def editors_changes(article: Article) -> str:
    """What editors changed since the author last wrote the text ("" if nothing)."""
    if not policies.article_revisers(article):
        return ""
    since = db.session.scalar(
        select(func.max(ArticleRevision.number)).where(
            ArticleRevision.article_id == article.id,
            ArticleRevision.editor_id == article.author_id,
        )
    )
    label = f"author's text (revision {since})" if since else "author's text"
    return _diff(article, since, label)
