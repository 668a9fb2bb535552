"""Health centers: one page per health topic."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from forum import web
from forum.articles import queries as article_queries
from forum.communities import queries
from forum.communities.services import topic_by_slug
from forum.topics import bp


@bp.get("")
def index() -> str:
    return render_template("topics/index.html", topics=web.topics_by_name())


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
