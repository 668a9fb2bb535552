"""Health topics, published articles, experts and public profiles."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user
from sqlalchemy import select

from forum import policies
from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.spec import PAGING, Param, operation
from forum.articles import queries as articles
from forum.articles.services import article_by_slug
from forum.auth.services import find_user_by_name
from forum.communities import queries as communities
from forum.communities.services import topic_by_slug
from forum.errors import NotFound
from forum.experts import queries as experts
from forum.extensions import db
from forum.models import HealthTopic
from forum.threads.queries import user_threads

TOPIC_SLUG = {"slug": ({"type": "string", "pattern": "^[a-z0-9-]{1,60}$"}, "The topic's slug.")}


@bp.get("/v1/topics")
@operation(summary="Health topics", tag="topics", query=PAGING, response=s.list_of("Topic"))
def topics_index() -> Response:
    page, per_page = inputs.page_args()
    query = select(HealthTopic).order_by(HealthTopic.name, HealthTopic.id)
    found = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return jsonify(serialize.page_envelope(found, [serialize.topic(t) for t in found.items]))


@bp.get("/v1/topics/<slug>")
@operation(
    summary="A health topic: its communities, top answered questions and newest articles",
    tag="topics",
    path=TOPIC_SLUG,
    response=s.ref("TopicDetail"),
)
def topics_show(slug: str) -> Response:
    topic = topic_by_slug(inputs.key(slug, 60))
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
@operation(
    summary="Published articles, newest first",
    tag="articles",
    query=(
        Param("topic", {"type": "string", "maxLength": 60}, "Only this topic (a slug)."),
        *PAGING,
    ),
    response=s.list_of("ArticleSummary"),
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
    items = serialize.article_summaries(found.items)
    return jsonify(serialize.page_envelope(found, items))


@bp.get("/v1/articles/<slug>")
@operation(
    summary="A published article, with its citations and review dates",
    tag="articles",
    path={"slug": ({"type": "string", "minLength": 1, "maxLength": 100}, "The article's slug.")},
    response=s.ref("Article"),
)
def articles_show(slug: str) -> Response:
    article = article_by_slug(inputs.key(slug, 100))
    policies.require(
        article.is_published and policies.can_view_article(current_user, article), hide=True
    )
    return jsonify(serialize.article(article))


@bp.get("/v1/experts")
@operation(
    summary="Verified experts and organizations",
    tag="people",
    query=PAGING,
    response=s.list_of("Expert"),
)
def experts_index() -> Response:
    page, per_page = inputs.page_args()
    found = experts.directory(page, per_page)
    return jsonify(serialize.page_envelope(found, [serialize.expert(p) for p in found.items]))


@bp.get("/v1/users/<name>")
@operation(
    summary="A public profile: only the fields its owner shows this viewer",
    tag="people",
    path={"name": ({"type": "string", "minLength": 1, "maxLength": 30}, "The public name.")},
    response=s.ref("UserProfile"),
)
def users_show(name: str) -> Response:
    user = find_user_by_name(inputs.key(name, 30))
    if user is None or user.is_deleted:
        raise NotFound()
    threads = user_threads(current_user, user)
    return jsonify(serialize.user_profile(current_user, user, threads))
