"""Articles: who writes, edits, reviews and reads second-opinion pieces."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_

from forum.models import Article, ArticleStatus, User, utcnow
from forum.policies.accounts import S, is_editor, is_member
from forum.policies.experts import is_expert_in_scope, is_verified_expert


def _is_article_author(user: Any, article: Article) -> bool:
    return isinstance(user, User) and article.author_id is not None and article.author_id == user.id


def can_write_article(user: Any, topic_id: int | None = None) -> bool:
    """Verified, unexpired experts write articles (inside their scope, given a topic)."""
    if topic_id is None:
        return is_verified_expert(user)
    return is_expert_in_scope(user, topic_id)


def can_edit_article(user: Any, article: Article) -> bool:
    """The author edits a draft; editors may edit an article in review."""
    if article.status == ArticleStatus.DRAFT:
        return _is_article_author(user, article) and is_verified_expert(user)
    return article.status == ArticleStatus.IN_REVIEW and is_member(user) and is_editor(user)


def can_submit_article(user: Any, article: Article) -> bool:
    return (
        article.status == ArticleStatus.DRAFT
        and _is_article_author(user, article)
        and is_verified_expert(user)
    )


def can_review_article(user: Any, article: Article) -> bool:
    """Publish, return, retire, re-review, see revisions: an editor who is not the author."""
    return is_member(user) and is_editor(user) and not _is_article_author(user, article)


def can_revise_article(user: Any, article: Article) -> bool:
    """Take a published article back to draft for changes: its author or a reviewer."""
    return article.status == ArticleStatus.PUBLISHED and (
        (_is_article_author(user, article) and is_verified_expert(user))
        or can_review_article(user, article)
    )


def can_view_article(user: Any, article: Article) -> bool:
    """Published: everyone; drafts and in review: author and editors; retired: editors."""
    if article.status == ArticleStatus.PUBLISHED:
        return True
    is_staff = is_member(user) and is_editor(user)
    if article.status == ArticleStatus.RETIRED:
        return is_staff
    return is_staff or (is_member(user) and _is_article_author(user, article))


def visible_articles(user: Any, query: S) -> S:
    """Only the articles the user may open (see can_view_article)."""
    if is_member(user) and is_editor(user):
        return query
    published = Article.status == ArticleStatus.PUBLISHED
    if not is_member(user):
        return query.where(published)
    unfinished = Article.status.in_([ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW])
    return query.where(or_(published, unfinished & (Article.author_id == user.id)))


def can_view_review_queue(user: Any) -> bool:
    return is_member(user) and is_editor(user)


def is_review_overdue(article: Article) -> bool:
    return (
        article.status == ArticleStatus.PUBLISHED
        and article.next_review_due is not None
        and article.next_review_due <= utcnow()
    )
