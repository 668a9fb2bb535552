"""The search page, and the "similar questions" lists that thread pages include."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, render_template, request
from flask_login import current_user

from forum.extensions import limiter
from forum.models import Thread
from forum.search import bp, services
from forum.search.backend import SORTS
from forum.search.documents import DOC_TYPES
from forum.search.forms import read_params

log = logging.getLogger(__name__)


@bp.get("")
@limiter.limit(lambda: current_app.config["SEARCH_RATE_LIMIT"])
def index() -> str:
    params = read_params(request.args, DOC_TYPES)
    results = services.search_threads(
        current_user, params, per_page=int(current_app.config["SEARCH_PER_PAGE"])
    )
    communities, topics = services.filter_choices(current_user)
    return render_template(
        "search/index.html",
        params=params,
        results=results,
        communities=communities,
        topics=topics,
        doc_types=DOC_TYPES,
        sorts=SORTS,
    )


def similar_questions(subject: Thread | str | None, limit: int = 5) -> list[Thread]:
    """For templates: visible threads like a thread (or a title being written).

    A search failure must not break the page that lists them, so it is logged and empty.
    """
    if isinstance(subject, Thread):
        text, exclude = subject.title, subject
    else:
        text, exclude = (subject or "").strip(), None
    if not text:
        return []
    try:
        return services.similar_threads(current_user, text, exclude=exclude, limit=limit)
    except Exception:
        log.exception("similar questions failed")
        return []


def title_for_compose(form: Any) -> str:
    """The title of a question being composed: typed (after a POST) or passed as ?title=."""
    typed = (form.title.data or "").strip()
    if not typed and request.method == "GET":
        typed = request.args.get("title", "")[:150].strip()
        if typed:
            form.title.data = typed
    return typed


TEMPLATE_HELPERS = {"similar_questions": similar_questions, "title_for_compose": title_for_compose}
