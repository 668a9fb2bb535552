"""Demo articles: public-domain NCI and MedlinePlus texts, published under their agency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from forum import policies
from forum.articles import services as articles
from forum.auth.services import find_user_by_name
from forum.experts import services as experts
from forum.extensions import db
from forum.models import Article, HealthTopic, User
from forum.search import outbox
from forum.seed import DATA, read_records

if TYPE_CHECKING:
    from forum.seed import SeedReport

ARTICLES = DATA / "articles"
# Files in load order; the name prefixes each article's source id.
SOURCE_FILES = ("nci.jsonl", "medlineplus.jsonl")
EDITOR = "demo_editor"
# Agency texts are published under the agency's own organization account, never under a
# demo expert's name: (account, organization name, website) per source name in the data.
AGENCY_ACCOUNTS = {
    "National Cancer Institute": (
        "national_cancer_institute",
        "National Cancer Institute",
        "https://www.cancer.gov/",
    ),
    "MedlinePlus, U.S. National Library of Medicine": (
        "medlineplus_nlm",
        "MedlinePlus, U.S. National Library of Medicine",
        "https://medlineplus.gov/",
    ),
}


def _rows(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in SOURCE_FILES:
        path = folder / name
        for row in read_records(path):
            yield path.stem, row


def _agency(source: str, report: SeedReport) -> User | None:
    """The verified organization account of the agency that wrote a text (made once)."""
    if source not in AGENCY_ACCOUNTS:
        return None
    name, organization, website = AGENCY_ACCOUNTS[source]
    user = find_user_by_name(name)
    if user is None:
        user = experts.create_organization(name, organization, website).user
        report.add("organizations")
    return user if policies.is_verified_expert(user) else None


def credit_agencies(report: SeedReport) -> None:
    """Articles of an older demo, adapted by a demo expert, move to their agency's account."""
    for source in AGENCY_ACCOUNTS:
        if db.session.scalar(select(Article.id).where(Article.source_name == source).limit(1)):
            agency = _agency(source, report)
            if agency is None:
                continue
            moved = select(Article.id).where(
                Article.source_name == source,
                Article.source_id.is_not(None),
                Article.author_id != agency.id,
            )
            article_ids = list(db.session.scalars(moved))
            db.session.execute(
                update(Article).where(Article.id.in_(article_ids)).values(author_id=agency.id)
            )
            outbox.enqueue_articles(article_ids)
    db.session.commit()


def load_articles(report: SeedReport, folder: Path = ARTICLES) -> None:
    """Write, submit and publish each demo article that is not there yet."""
    editor = find_user_by_name(EDITOR)
    if editor is None:
        return
    topics = {topic.slug: topic for topic in db.session.scalars(select(HealthTopic))}
    authors: dict[str, User | None] = {}
    for stem, row in _rows(folder):
        source_id = f"{stem}:{row['id']}"
        if db.session.scalar(select(Article.id).where(Article.source_id == source_id)):
            continue
        topic = topics.get(row["topic"])
        if row["source"] not in authors:
            authors[row["source"]] = _agency(row["source"], report)
        author = authors[row["source"]]
        if topic is None or author is None:
            continue
        content = articles.ArticleContent(
            topic,
            row["title"],
            row["summary"],
            row["body"],
            [articles.CitationInput(**row["citation"])],
        )
        article = articles.create_article(author, content)
        article.source_id = source_id
        article.source_name = row["source"]
        article.source_url = row["url"]
        article.source_retrieved_at = (
            datetime.fromisoformat(row["retrieved"]) if row.get("retrieved") else None
        )
        db.session.commit()
        articles.submit_article(author, article)
        articles.publish_article(editor, article)
        report.add("articles")
    credit_agencies(report)
