"""Articles: writing, revisions and the review workflow (draft, in review, published, retired)."""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from forum import audit, policies
from forum.articles.content import (
    CITATION_TEXT_MAX,
    CITATIONS_MAX,
    URL_MAX,
    check_body,
    check_summary,
    check_title,
    is_web_url,
)
from forum.articles.references import check_references, render_article_body
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.models import (
    Article,
    ArticleCitation,
    ArticleRevision,
    ArticleStatus,
    EvidenceLevel,
    HealthTopic,
    User,
    utcnow,
)
from forum.notifications import services as notifications

log = logging.getLogger(__name__)

NOTE_MAX = 2000
# Paths of the blueprint's own pages, never an article's slug.
RESERVED_SLUGS = frozenset({"new", "queue", "mine"})
_SLUG_WORDS = re.compile(r"[a-z0-9]+")
IN_REVIEW_ONLY = "This article is not waiting for review."
PUBLISHED_ONLY = "This article is not published."


@dataclass(frozen=True)
class CitationInput:
    text: str
    url: str = ""
    evidence_level: str = EvidenceLevel.EXPERT_OPINION.value


@dataclass(frozen=True)
class ArticleContent:
    """What an author writes; the services check every field."""

    topic: HealthTopic
    title: str
    summary: str
    body: str
    citations: Sequence[CitationInput] = ()


def check_citations(citations: Sequence[CitationInput]) -> list[CitationInput]:
    """Drop blank rows and refuse bad ones; the message names the reference."""
    checked: list[CitationInput] = []
    for row in citations:
        text = " ".join(row.text.replace("\x00", "").split())
        url = row.url.strip()
        if not text and not url:
            continue
        number = len(checked) + 1
        if not text:
            raise InvalidAction(f"Reference {number}: describe the source, not just its link.")
        if len(text) > CITATION_TEXT_MAX:
            raise InvalidAction(
                f"Reference {number}: keep it under {CITATION_TEXT_MAX} characters."
            )
        if url and (len(url) > URL_MAX or not is_web_url(url)):
            raise InvalidAction(
                f"Reference {number}: the link must be a web address starting with "
                "http:// or https://."
            )
        try:
            level = EvidenceLevel(row.evidence_level)
        except ValueError:
            raise InvalidAction(f"Reference {number}: choose the level of evidence.") from None
        checked.append(CitationInput(text, url, level.value))
    if len(checked) > CITATIONS_MAX:
        raise InvalidAction(f"Use at most {CITATIONS_MAX} references.")
    return checked


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (or the month's last day, after a 31st)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def slug_for(title: str, article_id: int | None = None) -> str:
    """A readable, unique slug from the title; another article's slug gets a suffix."""
    base = "-".join(_SLUG_WORDS.findall(title.lower()))[:80].strip("-") or "article"
    if base in RESERVED_SLUGS:
        base = f"{base}-article"
    slug, number = base, 1
    while True:
        owner = db.session.scalar(select(Article.id).where(Article.slug == slug))
        if owner is None or owner == article_id:
            return slug
        number += 1
        slug = f"{base}-{number}"


def _checked(content: ArticleContent) -> tuple[str, str, str, list[CitationInput]]:
    title, summary = check_title(content.title), check_summary(content.summary)
    body, citations = check_body(content.body), check_citations(content.citations)
    check_references(body, len(citations))
    return title, summary, body, citations


def _set_content(
    article: Article, title: str, summary: str, body: str, citations: list[CitationInput]
) -> None:
    article.title, article.summary = title, summary
    article.body_source = body
    article.body_html = render_article_body(body, len(citations))
    # Old rows go first: positions are unique per article.
    article.citations.clear()
    db.session.flush()
    article.citations.extend(
        ArticleCitation(
            position=number,
            text=row.text,
            url=row.url or None,
            evidence_level=EvidenceLevel(row.evidence_level),
        )
        for number, row in enumerate(citations, start=1)
    )


def _add_revision(article: Article, editor: User) -> None:
    """Keep this version; the unique (article, number) refuses a lost race."""
    latest = db.session.scalar(
        select(func.max(ArticleRevision.number)).where(ArticleRevision.article_id == article.id)
    )
    number = (latest or 0) + 1
    db.session.add(
        ArticleRevision(
            article_id=article.id,
            number=number,
            editor_id=editor.id,
            title=article.title,
            summary=article.summary,
            body_source=article.body_source,
            citations=[
                {"text": c.text, "url": c.url, "evidence_level": c.evidence_level.value}
                for c in article.citations
            ],
            created_at=article.updated_at,
        )
    )
    article.revision_count = number


def create_article(user: User, content: ArticleContent) -> Article:
    """An expert starts a draft."""
    policies.require(
        policies.can_write_article(user), message="Only verified experts can write articles."
    )
    policies.require(
        policies.can_write_article(user, content.topic.id),
        message="Your verification does not cover this health topic.",
    )
    title, summary, body, citations = _checked(content)
    now = utcnow()
    article = Article(
        author_id=user.id,
        topic_id=content.topic.id,
        slug=slug_for(title),
        status=ArticleStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    db.session.add(article)
    _set_content(article, title, summary, body, citations)
    db.session.flush()
    _add_revision(article, user)
    db.session.commit()
    log.info("article %s created by %s", article.id, user.id)
    return article


def update_article(user: User, article: Article, content: ArticleContent) -> Article:
    """Save a new version: the author's draft, or an editor's fix during review."""
    policies.require(policies.can_edit_article(user, article))
    if content.topic.id != article.topic_id and article.status == ArticleStatus.DRAFT:
        policies.require(
            policies.can_write_article(user, content.topic.id),
            message="Your verification does not cover this health topic.",
        )
    title, summary, body, citations = _checked(content)
    unchanged = (
        content.topic.id == article.topic_id
        and (title, summary, body) == (article.title, article.summary, article.body_source)
        and [(c.text, c.url or None, c.evidence_level) for c in citations]
        == [(c.text, c.url, c.evidence_level.value) for c in article.citations]
    )
    if unchanged:
        return article
    article.topic_id = content.topic.id
    if article.published_at is None and title != article.title:
        article.slug = slug_for(title, article.id)
    _set_content(article, title, summary, body, citations)
    article.updated_at = utcnow()
    _add_revision(article, user)
    db.session.commit()
    return article


def submit_article(user: User, article: Article) -> None:
    """The author sends a draft to the editors."""
    policies.require(
        policies.can_submit_article(user, article),
        message="Only the author can send a draft for review.",
    )
    if not article.citations:
        raise InvalidAction("Add at least one reference before sending the article for review.")
    article.status = ArticleStatus.IN_REVIEW
    audit.record(user, "article.submit", "article", article.id)
    notifications.article_submitted(article)
    db.session.commit()


def _require_reviewer(user: User, article: Article, status: ArticleStatus, refusal: str) -> None:
    policies.require(
        policies.can_review_article(user, article),
        message="Only an editor who did not write this article can review it.",
    )
    if article.status != status:
        raise InvalidAction(refusal)


def return_article(user: User, article: Article, note: str) -> None:
    """An editor sends an article in review back to its author, saying what to change."""
    _require_reviewer(user, article, ArticleStatus.IN_REVIEW, IN_REVIEW_ONLY)
    note = note.replace("\x00", "").strip()
    if not note:
        raise InvalidAction("Tell the author what needs to change.", field="note")
    if len(note) > NOTE_MAX:
        raise InvalidAction(f"Keep the note under {NOTE_MAX:,} characters.", field="note")
    article.status = ArticleStatus.DRAFT
    article.review_note = note
    audit.record(user, "article.return", "article", article.id, note)
    db.session.commit()


def _mark_reviewed(user: User, article: Article) -> datetime:
    now = utcnow()
    article.reviewer_id = user.id
    article.reviewed_at = now
    article.next_review_due = add_months(now, int(current_app.config["ARTICLE_REVIEW_MONTHS"]))
    return now


def accept_changes(user: User, article: Article, revision: int) -> None:
    """The author accepts the editors' changes to their article in review, as they saw them."""
    policies.require(
        policies.can_accept_article_changes(user, article),
        message="Only the author accepts editors' changes, while the article is in review.",
    )
    if revision != article.revision_count:
        raise InvalidAction("The text changed since you opened it: read the changes again.")
    article.accepted_revision = revision
    audit.record(user, "article.accept", "article", article.id, details={"revision": revision})
    db.session.commit()


def publish_article(user: User, article: Article) -> None:
    """A second reviewer publishes it, with their name and the date.

    The publisher neither wrote nor changed the text, and the author accepted any changes
    editors made: the page credits the author with every word.
    """
    _require_reviewer(user, article, ArticleStatus.IN_REVIEW, IN_REVIEW_ONLY)
    policies.require(
        not policies.is_article_reviser(user, article),
        message="You changed this text: another editor reviews and publishes it.",
    )
    if policies.has_unaccepted_changes(article):
        raise InvalidAction("The author has not accepted the editors' changes yet.")
    policies.require(policies.can_publish_article(user, article))
    now = _mark_reviewed(user, article)
    article.status = ArticleStatus.PUBLISHED
    article.published_at = article.published_at or now
    article.published_revision = article.revision_count
    article.review_note = ""
    assert article.next_review_due is not None
    audit.record(
        user,
        "article.publish",
        "article",
        article.id,
        details={
            "revision": article.revision_count,
            "next_review_due": article.next_review_due.date().isoformat(),
        },
    )
    db.session.commit()


def confirm_review(user: User, article: Article) -> None:
    """An editor checks a published article again: the next review is due later."""
    _require_reviewer(user, article, ArticleStatus.PUBLISHED, PUBLISHED_ONLY)
    _mark_reviewed(user, article)
    audit.record(user, "article.review", "article", article.id)
    db.session.commit()


def retire_article(user: User, article: Article, reason: str = "") -> None:
    """Take a published article off the site (editors still see it)."""
    _require_reviewer(user, article, ArticleStatus.PUBLISHED, PUBLISHED_ONLY)
    article.status = ArticleStatus.RETIRED
    audit.record(user, "article.retire", "article", article.id, reason[:NOTE_MAX])
    db.session.commit()


def revise_article(user: User, article: Article) -> None:
    """Take a published article back to draft so its author can change it."""
    policies.require(
        policies.can_revise_article(user, article),
        message="Only the author or a reviewing editor can reopen this article.",
    )
    article.status = ArticleStatus.DRAFT
    audit.record(user, "article.revise", "article", article.id)
    db.session.commit()


def article_by_slug(slug: str) -> Article:
    article = db.session.scalar(select(Article).where(Article.slug == slug[:100]))
    if article is None:
        raise NotFound()
    return article
