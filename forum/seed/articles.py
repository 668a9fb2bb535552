"""Demo articles: public-domain NCI and MedlinePlus texts, published through the workflow."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import select

from forum import policies
from forum.articles import services as articles
from forum.auth.services import find_user_by_name
from forum.extensions import db
from forum.models import Article, ExpertProfile, ExpertStatus, HealthTopic, User, utcnow

if TYPE_CHECKING:
    from forum.seed.demo import SeedReport

ARTICLES = Path(__file__).with_name("data") / "articles"
# Files in load order; the name prefixes each article's source id.
SOURCE_FILES = ("nci.jsonl", "medlineplus.jsonl")
EDITOR = "demo_editor"
DEMO_EXPERTS = {
    "dr_rivera": ("MD", "Internal medicine"),
    "nurse_okafor": ("RN", "Oncology nursing"),
}


def _rows(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in SOURCE_FILES:
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield path.stem, json.loads(line)


def _demo_expert(name: str, report: SeedReport) -> User | None:
    """A demo author, made a verified expert unless they already have a profile."""
    user = find_user_by_name(name)
    if user is None or name not in DEMO_EXPERTS:
        return None
    if policies.expert_profile_of(user) is None:
        credentials, specialty = DEMO_EXPERTS[name]
        now = utcnow()
        months = int(current_app.config["EXPERT_VERIFICATION_MONTHS"])
        db.session.add(
            ExpertProfile(
                user_id=user.id,
                credentials=credentials,
                specialty=specialty,
                all_topics=True,
                status=ExpertStatus.VERIFIED,
                decision_reason="Demo expert account.",
                verified_at=now,
                decided_at=now,
                expires_at=articles.add_months(now, months),
            )
        )
        db.session.commit()
        policies.forget_expert_profiles()
        report.add("expert profiles")
    return user if policies.is_verified_expert(user) else None


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
        if row["author"] not in authors:
            authors[row["author"]] = _demo_expert(row["author"], report)
        author = authors[row["author"]]
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
