"""The demo article loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Article, ArticleStatus, Role, User
from forum.seed import SeedReport
from forum.seed.articles import load_articles
from tests.article_support import make_article, make_expert
from tests.factories import make_topic, make_user
from tests.web_support import logged_in

# Demo content


def seed_accounts() -> User:
    """The demo accounts the article loader writes and reviews with."""
    make_user(name="dr_rivera")
    make_user(name="nurse_okafor")
    return make_user(name="demo_editor", role=Role.EDITOR)


def seed_row(number: int, topic: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"page-{number}",
        "topic": topic,
        "author": "dr_rivera",
        "title": f"Coping with treatment, part {number}",
        "summary": "What helps with fatigue.",
        "body": "## Rest\n\nShort naps help some people [1].",
        "citation": {
            "text": "National Cancer Institute. Fatigue. cancer.gov (text retrieved 2025-12-30).",
            "url": "https://www.cancer.gov/about-cancer/treatment/side-effects/fatigue",
            "evidence_level": "expert-opinion",
        },
        "source": "National Cancer Institute",
        "url": "https://www.cancer.gov/about-cancer/treatment/side-effects/fatigue",
        "retrieved": "2025-12-30",
    }
    row.update(overrides)
    return row


def test_the_demo_loader_publishes_each_article_once(app: Flask, tmp_path: Path) -> None:
    editor = seed_accounts()
    make_topic(slug="cancer", name="Cancer")
    folder = tmp_path / "articles"
    folder.mkdir()
    rows = [seed_row(1, "cancer"), seed_row(2, "no-such-topic")]
    (folder / "nci.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    medline = seed_row(
        3, "cancer", retrieved=None, source="MedlinePlus, U.S. National Library of Medicine"
    )
    (folder / "medlineplus.jsonl").write_text(json.dumps(medline), encoding="utf-8")

    report = SeedReport()
    load_articles(report, folder)
    assert report.created == {"articles": 2, "organizations": 2}
    again = SeedReport()
    load_articles(again, folder)
    assert again.created == {}
    articles = db.session.scalars(select(Article).order_by(Article.id)).all()
    assert [a.source_id for a in articles] == ["nci:page-1", "medlineplus:page-3"]
    assert all(a.status == ArticleStatus.PUBLISHED and a.reviewer_id == editor.id for a in articles)
    assert articles[1].source_retrieved_at is None

    page = logged_in(app, None).get(f"/articles/{articles[0].slug}").get_data(as_text=True)
    assert "Source: National Cancer Institute" in page
    assert "text retrieved <time" in page and "30 Dec 2025" in page
    assert "PDQ" not in page
    # The agency's text is credited to the agency, never to a demo expert.
    assert "From the <a" in page and ">National Cancer Institute</a>, reviewed by" in page
    assert "dr_rivera" not in page and "Adapted by" not in page
    assert "the source grades no level of evidence" in page and "Expert opinion" not in page
    assert 'href="#ref-1"' in page and '<li id="ref-1">' in page


def test_articles_of_an_older_demo_move_from_a_demo_expert_to_their_agency(
    app: Flask, tmp_path: Path
) -> None:
    seed_accounts()
    topic = make_topic(slug="cancer", name="Cancer")
    older = make_article(make_expert(name="older_author"), topic, ArticleStatus.PUBLISHED)
    older.source_id, older.source_name = "nci:old", "National Cancer Institute"
    db.session.commit()
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "nci.jsonl").write_text(json.dumps(seed_row(1, "cancer")), encoding="utf-8")
    load_articles(SeedReport(), folder)
    agency = db.session.scalar(select(User).where(User.name == "national_cancer_institute"))
    assert agency is not None and older.author_id == agency.id


def test_the_real_demo_articles_load_and_name_their_source(app: Flask) -> None:
    seed_accounts()
    for slug in ("diabetes", "heart-health", "cancer", "lung-health", "mental-health",
                 "digestive-health", "kidney-health", "brain-nerves"):  # fmt: skip
        make_topic(slug=slug, name=slug.replace("-", " ").title())
    report = SeedReport()
    load_articles(report)
    assert 60 <= report.created["articles"] <= 80
    nci = db.session.scalars(select(Article).where(Article.source_id.like("nci:%"))).all()
    assert len(nci) >= 25
    assert all(a.source_name == "National Cancer Institute" for a in nci)
    assert all(a.source_retrieved_at is not None for a in nci)
    assert all("PDQ" not in a.title + a.body_source for a in nci)
    every = db.session.scalars(select(Article)).all()
    assert all('href="#ref-1"' in a.body_html and len(a.citations) == 1 for a in every)
    again = SeedReport()
    load_articles(again)
    assert again.created == {}
