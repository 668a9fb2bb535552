"""The search page."""

from __future__ import annotations

import logging

from flask import current_app, render_template, request
from flask_login import current_user

from forum.extensions import limiter
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
