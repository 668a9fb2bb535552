"""Search, through the same engine and visibility filter as the search page."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_login import current_user

from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.spec import Param, operation
from forum.extensions import limiter
from forum.search import services
from forum.search.backend import SORTS
from forum.search.documents import DOC_TYPES
from forum.search.forms import MAX_PAGE, SearchParams

TYPES = ("thread", "article")
SEARCH_QUERY = (
    Param("q", {"type": "string", "maxLength": 400}, "What to look for."),
    Param("community", {"type": "string", "maxLength": 60}, "Only this community (a slug)."),
    Param("topic", {"type": "string", "maxLength": 60}, "Only this health topic (a slug)."),
    Param("type", {"type": "string", "enum": list(TYPES)}, "Only threads, or only articles."),
    Param("answered", {"type": "boolean"}, "Only answered questions."),
    Param("endorsed", {"type": "boolean"}, "Only threads with an expert-endorsed answer."),
    Param("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "Order."),
    Param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number."),
)


def _params() -> SearchParams:
    doc_type = inputs.choice_arg("type", TYPES, "")
    return SearchParams(
        q=inputs.text_arg("q", 400),
        community=inputs.text_arg("community", 60),
        topic=inputs.text_arg("topic", 60),
        # Threads are every thread type; articles have their own type once they are indexed.
        doc_type="article" if doc_type == "article" else "",
        answered=inputs.bool_arg("answered"),
        endorsed=inputs.bool_arg("endorsed"),
        sort=inputs.choice_arg("sort", SORTS, "relevance"),
        page=inputs.int_arg("page", 1, 1, MAX_PAGE),
    )


def _hit(item: services.ResultItem) -> dict[str, Any]:
    thread = item.thread
    return {
        "type": "thread",
        "id": thread.id,
        "title": thread.title,
        "url": url_for("threads.show", thread_id=thread.id, _external=True),
        "snippet_html": str(item.snippet),
        "community": serialize.community_ref(thread.community),
        "answered": thread.is_answered,
        "endorsed": thread.has_expert_answer,
        "created_at": serialize.iso(thread.created_at),
        "source_id": thread.source_id,
    }


@bp.get("/v1/search")
@limiter.limit(lambda: current_app.config["SEARCH_RATE_LIMIT"], override_defaults=False)
@operation(
    summary="Search the questions and discussions this viewer may see",
    tag="search",
    query=SEARCH_QUERY,
    response=s.list_of("SearchHit", suggestion=s.nullable(s.STR), notes=s.array(s.STR)),
    description="`suggestion` is a corrected query when nothing matched; `notes` explain "
    "filters that were ignored (an unknown community or topic).",
)
def search_index() -> Response:
    params = _params()
    per_page = int(current_app.config["SEARCH_PER_PAGE"])
    if params.doc_type and params.doc_type not in DOC_TYPES:
        results = services.SearchResults(params, per_page=per_page)
    else:
        results = services.search_threads(current_user, params, per_page=per_page)
    next_url = None
    if params.page * per_page < results.total and params.page < MAX_PAGE:
        args: dict[str, Any] = {**request.args.to_dict(), "page": params.page + 1}
        next_url = url_for("api.search_index", _external=True, **args)
    return jsonify(
        {
            "items": [_hit(item) for item in results.items],
            "page": params.page,
            "per_page": per_page,
            "total": results.total,
            "next": next_url,
            "suggestion": results.corrected,
            "notes": results.notes,
        }
    )
