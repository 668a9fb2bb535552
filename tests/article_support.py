"""Helpers shared by the article test modules: experts, article content, forms and counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from forum import policies
from forum.articles import services
from forum.articles.services import ArticleContent, CitationInput
from forum.extensions import db
from forum.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ExpertProfile,
    ExpertStatus,
    HealthTopic,
    ModerationAction,
    Role,
    User,
    utcnow,
)
from tests.factories import make_topic, make_user

TITLE = "When a second opinion on breast cancer helps"
SUMMARY = "What a second opinion can change, and how to ask for one without worry."
BODY = "Most people who ask for a second opinion keep their plan [1].\n\nSome change it [2]."
CITATIONS = (
    CitationInput(
        "Smith J. Second opinions in oncology. J Clin Oncol. 2020.",
        "https://example.org/a",
        "observational",
    ),
    CitationInput("National guideline on cancer care, 2022.", "", "guideline"),
)


def make_expert(**overrides: Any) -> User:
    """A member with a verified, unexpired expert profile covering every topic."""
    credentials = overrides.pop("credentials", "MD")
    specialty = overrides.pop("specialty", "Oncology")
    user = make_user(**overrides)
    now = utcnow()
    db.session.add(
        ExpertProfile(
            user_id=user.id,
            credentials=credentials,
            specialty=specialty,
            status=ExpertStatus.VERIFIED,
            all_topics=True,
            verified_at=now,
            expires_at=now + timedelta(days=365),
        )
    )
    db.session.commit()
    policies.forget_expert_profiles()
    return user


def content(topic: HealthTopic, **overrides: Any) -> ArticleContent:
    values: dict[str, Any] = {
        "topic": topic,
        "title": TITLE,
        "summary": SUMMARY,
        "body": BODY,
        "citations": CITATIONS,
    }
    values.update(overrides)
    return ArticleContent(**values)


def make_article(
    author: User,
    topic: HealthTopic | None = None,
    status: ArticleStatus = ArticleStatus.DRAFT,
    editor: User | None = None,
    **overrides: Any,
) -> Article:
    """An article by the author, taken through the workflow up to the status."""
    article = services.create_article(author, content(topic or make_topic(), **overrides))
    if status == ArticleStatus.DRAFT:
        return article
    services.submit_article(author, article)
    if status == ArticleStatus.IN_REVIEW:
        return article
    editor = editor or make_user(role=Role.EDITOR)
    services.publish_article(editor, article)
    if status == ArticleStatus.RETIRED:
        services.retire_article(editor, article)
    return article


def form_data(topic: HealthTopic, **overrides: str) -> dict[str, str]:
    data = {
        "topic": topic.slug,
        "title": TITLE,
        "summary": SUMMARY,
        "body": BODY,
        "citations-0-text": CITATIONS[0].text,
        "citations-0-url": CITATIONS[0].url,
        "citations-0-evidence_level": CITATIONS[0].evidence_level,
        "citations-1-text": CITATIONS[1].text,
        "citations-1-url": "",
        "citations-1-evidence_level": CITATIONS[1].evidence_level,
    }
    data.update(overrides)
    return data


def refreshed(article: Article) -> Article:
    db.session.refresh(article)
    return article


def audit_actions(article: Article) -> list[str]:
    rows = db.session.scalars(
        select(ModerationAction.action)
        .where(ModerationAction.target_type == "article", ModerationAction.target_id == article.id)
        .order_by(ModerationAction.id)
    )
    return list(rows)


def counts() -> tuple[int, int, int]:
    """Articles, revisions and audit entries: a refused action changes none of them."""
    return (
        db.session.scalar(select(func.count(Article.id))) or 0,
        db.session.scalar(select(func.count(ArticleRevision.id))) or 0,
        db.session.scalar(select(func.count(ModerationAction.id))) or 0,
    )


def snapshot(article: Article) -> tuple[object, ...]:
    db.session.refresh(article)
    return (article.status, article.title, article.revision_count, article.reviewer_id)
