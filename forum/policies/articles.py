"""Articles: who writes, edits, reviews and reads second-opinion pieces."""

from __future__ import annotations

from typing import TypeGuard

from sqlalchemy import func, or_, select

from forum.extensions import db
from forum.models import Article, ArticleRevision, ArticleStatus, User, Viewer, utcnow
from forum.policies.accounts import S, is_editor, is_member
from forum.policies.experts import is_expert_in_scope, is_verified_expert

__all__ = [
    "article_revisers",
    "can_accept_article_changes",
    "can_edit_article",
    "can_publish_article",
    "can_review_article",
    "can_revise_article",
    "can_submit_article",
    "can_view_article",
    "can_view_review_queue",
    "can_write_article",
    "has_unaccepted_changes",
    "is_article_reviser",
    "is_review_overdue",
    "visible_articles",
]


def _is_article_author(user: Viewer, article: Article) -> bool:
    return isinstance(user, User) and article.author_id is not None and article.author_id == user.id


def can_write_article(user: Viewer, topic_id: int | None = None) -> bool:
    """Verified, unexpired experts write articles (inside their scope, given a topic)."""
    if topic_id is None:
        return is_verified_expert(user)
    return is_expert_in_scope(user, topic_id)


def can_edit_article(user: Viewer, article: Article) -> bool:
    """The author edits a draft; editors may edit an article in review."""
    if article.status == ArticleStatus.DRAFT:
        return _is_article_author(user, article) and is_verified_expert(user)
    return article.status == ArticleStatus.IN_REVIEW and is_member(user) and is_editor(user)


def can_submit_article(user: Viewer, article: Article) -> bool:
    return (
        article.status == ArticleStatus.DRAFT
        and _is_article_author(user, article)
        and is_verified_expert(user)
    )


def can_review_article(user: Viewer, article: Article) -> TypeGuard[User]:
    """Publish, return, retire, re-review, see revisions: an editor who is not the author."""
    return is_member(user) and is_editor(user) and not _is_article_author(user, article)


def article_revisers(article: Article) -> set[int]:
    """Who changed the text since its author last wrote it: the editors of later revisions."""
    later = select(ArticleRevision.editor_id).where(ArticleRevision.article_id == article.id)
    if article.author_id is not None:
        by_author = (
            select(func.max(ArticleRevision.number))
            .where(
                ArticleRevision.article_id == article.id,
                ArticleRevision.editor_id == article.author_id,
            )
            .scalar_subquery()
        )
        later = later.where(ArticleRevision.number > func.coalesce(by_author, 0))
    found = db.session.scalars(later.distinct())
    return {uid for uid in found if uid is not None and uid != article.author_id}


def is_article_reviser(user: Viewer, article: Article) -> bool:
    """The user changed the article's text since its author last wrote it."""
    return isinstance(user, User) and user.id in article_revisers(article)


def has_unaccepted_changes(article: Article) -> bool:
    """Editors changed the text, and its author has not accepted this version yet."""
    return article.accepted_revision != article.revision_count and bool(article_revisers(article))


def can_publish_article(user: Viewer, article: Article) -> bool:
    """A second reviewer: an editor who neither wrote nor changed the text, once the author
    accepted any changes (the page credits the author with the text)."""
    if article.status != ArticleStatus.IN_REVIEW or not can_review_article(user, article):
        return False
    revisers = article_revisers(article)
    if user.id in revisers:
        return False
    return not revisers or article.accepted_revision == article.revision_count


def can_accept_article_changes(user: Viewer, article: Article) -> bool:
    """The author accepts the editors' changes to their article in review."""
    return (
        article.status == ArticleStatus.IN_REVIEW
        and _is_article_author(user, article)
        and is_verified_expert(user)
        and has_unaccepted_changes(article)
    )


def can_revise_article(user: Viewer, article: Article) -> bool:
    """Take a published article back to draft for changes: its author or a reviewer."""
    return article.status == ArticleStatus.PUBLISHED and (
        (_is_article_author(user, article) and is_verified_expert(user))
        or can_review_article(user, article)
    )


def can_view_article(user: Viewer, article: Article) -> bool:
    """Published: everyone; drafts and in review: author and editors; retired: editors."""
    if article.status == ArticleStatus.PUBLISHED:
        return True
    is_staff = is_member(user) and is_editor(user)
    if article.status == ArticleStatus.RETIRED:
        return is_staff
    return is_staff or (is_member(user) and _is_article_author(user, article))


def visible_articles(user: Viewer, query: S) -> S:
    """Only the articles the user may open (see can_view_article)."""
    if is_member(user) and is_editor(user):
        return query
    published = Article.status == ArticleStatus.PUBLISHED
    if not is_member(user):
        return query.where(published)
    unfinished = Article.status.in_([ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW])
    return query.where(or_(published, unfinished & (Article.author_id == user.id)))


def can_view_review_queue(user: Viewer) -> bool:
    return is_member(user) and is_editor(user)


def is_review_overdue(article: Article) -> bool:
    return (
        article.status == ArticleStatus.PUBLISHED
        and article.next_review_due is not None
        and article.next_review_due <= utcnow()
    )
