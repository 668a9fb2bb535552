"""Health topics, published articles, experts and public profiles."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user
from sqlalchemy import select

from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.spec import PAGING, Param, key_path, listing, operation, slug_path
from forum.api.v1 import lookups, responses
from forum.articles import queries as articles
from forum.communities import queries as communities
from forum.experts import queries as experts
from forum.extensions import db
from forum.models import HealthTopic
from forum.threads.queries import user_threads


@bp.get("/v1/topics")
@listing("Health topics", "topics", "Topic")
def topics_index() -> Response:
    query = select(HealthTopic).order_by(HealthTopic.name, HealthTopic.id)
    return responses.page_of(query, serialize.topic)


@bp.get("/v1/topics/<slug>")
@operation(
    summary="A health topic: its communities, top answered questions and newest articles",
    tag="topics",
    path=slug_path("The topic's slug."),
    response=s.ref("TopicDetail"),
)
def topics_show(slug: str) -> Response:
    topic = lookups.topic(slug)
    return jsonify(
        {
            **serialize.topic(topic),
            "communities": [
                serialize.community(current_user, c) for c in communities.topic_communities(topic)
            ],
            "top_questions": [
                serialize.thread_summary(current_user, t)
                for t in communities.topic_top_questions(current_user, topic)
            ],
            "articles": serialize.article_summaries(articles.topic_articles(topic, limit=5)),
        }
    )


@bp.get("/v1/articles")
@listing(
    "Published articles, newest first",
    "articles",
    "ArticleSummary",
    (Param("topic", {"type": "string", "maxLength": 60}, "Only this topic (a slug)."), *PAGING),
)
def articles_index() -> Response:
    slug = inputs.text_arg("topic", 60)
    topic = None
    if slug:
        topic = db.session.scalar(select(HealthTopic).where(HealthTopic.slug == slug))
        if topic is None:
            raise inputs.BadInput({"topic": "There is no health topic with that slug."})
    page, per_page = inputs.page_args()
    found = articles.published_page(topic, page, per_page)
    return jsonify(serialize.page_envelope(found, serialize.article_summaries(found.items)))


@bp.get("/v1/articles/<slug>")
@operation(
    summary="A published article, with its citations and review dates",
    tag="articles",
    path=key_path("slug", lookups.ARTICLE_SLUG_MAX, "The article's slug."),
    response=s.ref("Article"),
)
def articles_show(slug: str) -> Response:
    return jsonify(serialize.article(lookups.article(slug)))


@bp.get("/v1/experts")
@listing("Verified experts and organizations", "people", "Expert")
def experts_index() -> Response:
    page, per_page = inputs.page_args()
    return responses.page(experts.directory(page, per_page), serialize.expert)


@bp.get("/v1/users/<name>")
@operation(
    summary="A public profile: only the fields its owner shows this viewer",
    tag="people",
    path=key_path("name", lookups.NAME_MAX, "The public name."),
    response=s.ref("UserProfile"),
)
def users_show(name: str) -> Response:
    user = lookups.profile(name)
    threads = user_threads(current_user, user)
    return jsonify(serialize.user_profile(current_user, user, threads))
