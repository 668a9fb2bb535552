"""Health centers: one page per health topic."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from forum.articles import queries as article_queries
from forum.communities import queries
from forum.communities.services import topic_by_slug
from forum.extensions import db
from forum.models import HealthTopic
from forum.topics import bp


@bp.get("")
def index() -> str:
    topics = db.session.scalars(select(HealthTopic).order_by(HealthTopic.name)).all()
    return render_template("topics/index.html", topics=topics)


@bp.get("/<slug>")
def show(slug: str) -> str:
    topic = topic_by_slug(slug)
    return render_template(
        "topics/show.html",
        topic=topic,
        communities=queries.topic_communities(topic),
        questions=queries.topic_top_questions(current_user, topic, authors=False),
        articles=article_queries.topic_articles(topic, limit=5),
    )
