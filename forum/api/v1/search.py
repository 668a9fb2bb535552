"""Search, through the same engine and visibility filter as the search page."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_login import current_user

from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.auth import route_limit
from forum.api.spec import Param, listing
from forum.models import Article, Thread
from forum.search import services
from forum.search.backend import SORTS
from forum.search.forms import MAX_PAGE, SearchParams

TYPES = ("thread", "article")
SEARCH_QUERY = (
    Param("q", {"type": "string", "maxLength": 400}, "What to look for."),
    Param("community", {"type": "string", "maxLength": 60}, "Only this community (a slug)."),
    Param("topic", {"type": "string", "maxLength": 60}, "Only this health topic (a slug)."),
    Param("type", {"type": "string", "enum": list(TYPES)}, "Only threads, or only articles."),
    Param("answered", {"type": "boolean"}, "Only answered questions."),
    Param(
        "endorsed",
        {"type": "boolean"},
        "Only threads with an expert-endorsed answer, and reviewed articles.",
    ),
    Param("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "Order."),
    Param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number."),
)


def _params() -> SearchParams:
    doc_type = inputs.choice_arg("type", TYPES, "")
    return SearchParams(
        q=inputs.text_arg("q", 400),
        community=inputs.text_arg("community", 60),
        topic=inputs.text_arg("topic", 60),
        # "thread" is every kind of thread (questions and discussions).
        doc_type=doc_type,
        answered=inputs.bool_arg("answered"),
        endorsed=inputs.bool_arg("endorsed"),
        sort=inputs.choice_arg("sort", SORTS, "relevance"),
        page=inputs.int_arg("page", 1, 1, MAX_PAGE),
    )


def _hit(item: services.ResultItem) -> dict[str, Any]:
    if item.article is not None:
        return _article_hit(item.article, item)
    thread = item.thread
    assert thread is not None
    return {
        **_hit_of("thread", thread, item),
        "url": url_for("threads.show", thread_id=thread.id, _external=True),
        "community": serialize.community_ref(thread.community),
        "topic": serialize.topic_ref(thread.community.topic),
        "answered": thread.is_answered,
        "endorsed": thread.has_expert_answer,
        "reviewed_at": None,
        "created_at": serialize.iso(thread.created_at),
    }


def _article_hit(article: Article, item: services.ResultItem) -> dict[str, Any]:
    """A published article: in no community, reviewed by an editor (so endorsed)."""
    return {
        **_hit_of("article", article, item),
        "url": url_for("articles.show", slug=article.slug, _external=True),
        "community": None,
        "topic": serialize.topic_ref(article.topic),
        "answered": False,
        "endorsed": True,
        "reviewed_at": serialize.iso(article.reviewed_at),
        "created_at": serialize.iso(article.published_at or article.created_at),
    }


def _hit_of(kind: str, found: Thread | Article, item: services.ResultItem) -> dict[str, Any]:
    """What every hit has, a thread or an article."""
    return {
        "type": kind,
        "id": found.id,
        "title": found.title,
        "snippet_html": str(item.snippet),
        "source_id": found.source_id,
    }


@bp.get("/v1/search")
@route_limit("SEARCH_RATE_LIMIT")
@listing(
    "Search the questions, discussions and articles this viewer may see",
    "search",
    "SearchHit",
    SEARCH_QUERY,
    fields={"suggestion": s.nullable(s.STR), "notes": s.array(s.STR)},
    description="`suggestion` is a corrected query when nothing matched; `notes` explain "
    "filters that were ignored (an unknown community or topic).",
)
def search_index() -> Response:
    params = _params()
    per_page = int(current_app.config["SEARCH_PER_PAGE"])
    results = services.search_threads(current_user, params, per_page=per_page)
    args = request.args.to_dict()
    return jsonify(
        {
            "items": [_hit(item) for item in results.items],
            **serialize.paging(params.page, per_page, results.total, args, last_page=MAX_PAGE),
            "suggestion": results.corrected,
            "notes": results.notes,
        }
    )
