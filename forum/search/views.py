"""The search page."""

from __future__ import annotations

import logging
from dataclasses import replace

from flask import current_app, render_template, request
from flask_login import current_user

from forum.extensions import limiter
from forum.search import bp, services
from forum.search.backend import SORTS
from forum.search.documents import DOC_TYPES
from forum.search.forms import SearchParams, read_params
from forum.search.shortcuts import Shortcuts, find_shortcuts

log = logging.getLogger(__name__)


@bp.get("")
@limiter.limit(lambda: current_app.config["SEARCH_RATE_LIMIT"])
def index() -> str:
    params = read_params(request.args, DOC_TYPES)
    per_page = int(current_app.config["SEARCH_PER_PAGE"])
    results = services.search_threads(current_user, params, per_page=per_page)
    shortcuts = find_shortcuts(results.query_text)
    typed = ""
    if _corrects_at_once(params, results, shortcuts):
        corrected = replace(params, q=results.corrected or "", page=1)
        corrected_results = services.search_threads(current_user, corrected, per_page=per_page)
        if corrected_results.total:
            typed, params, results = params.q, corrected, corrected_results
            shortcuts = find_shortcuts(results.query_text)
    communities, topics = services.filter_choices(current_user)
    return render_template(
        "search/index.html",
        params=params,
        results=results,
        typed=typed,
        shortcuts=shortcuts if params.page == 1 else None,
        communities=communities,
        topics=topics,
        doc_types=DOC_TYPES,
        sorts=SORTS,
    )


def _corrects_at_once(
    params: SearchParams, results: services.SearchResults, shortcuts: Shortcuts
) -> bool:
    """Show the corrected results instead (with a link to search as typed) when no question
    has all the words typed, and the words typed are not a drug or health center name, and
    the correction does not fold two different words into one ("heart health")."""
    if params.exact or results.all_words_total or not results.corrected:
        return False
    if not shortcuts.is_empty:
        return False
    typed_words = set(results.query_text.lower().split())
    return len(set(results.corrected.lower().split())) >= len(typed_words)
