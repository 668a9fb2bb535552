"""The home page, reader preferences and the health endpoint."""

from __future__ import annotations

from flask import Response, current_app, jsonify, redirect, render_template, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text
from werkzeug.wrappers import Response as BaseResponse

from forum import cache, web
from forum.communities import queries as communities
from forum.errors import InvalidAction
from forum.extensions import csrf, db
from forum.home import bp
from forum.home import queries as home_queries

TEXT_SIZES = ("1", "2", "3", "4")
TEXT_SIZE_COOKIE = "text_size"
# Sec-Fetch-Site values of a form sent from the forum's own pages ("none": typed by the user).
SAME_SITE_FETCHES = ("same-origin", "none")
ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def index() -> str:
    # "Today" (a reviewed article, this week's endorsed answers, active groups, questions
    # waiting, recent questions) and the health centers are the same for everyone who sees
    # the same communities: rendered once and kept a short while (forum/cache.py).
    sections = cache.cached(("home", cache.visibility_key(current_user)), _sections)
    return render_template("home/index.html", sections=sections)


def _sections() -> Markup:
    html = render_template(
        "home/_sections.html",
        topics=communities.communities_by_topic(),
        today=home_queries.today(current_user),
    )
    return Markup(html)  # noqa: S704 - a template's own output, autoescaped


@bp.post("/preferences/text-size")
@csrf.exempt
def update_text_size() -> BaseResponse:
    """Remember the reader's text size (1-4) in a cookie, for every page and visit.

    A CSRF token would need a session, and with it a cookie on every page a visitor reads,
    so a visitor's form has none: the browser's Sec-Fetch-Site header refuses requests from
    other sites instead (all a forged one could do is change the text size). Members' forms
    carry the token as every other form does.
    """
    if current_user.is_authenticated:
        csrf.protect()
    elif request.headers.get("Sec-Fetch-Site", "same-origin") not in SAME_SITE_FETCHES:
        raise InvalidAction("Change the text size from the forum's own pages.")
    size = request.form.get("size", "")
    if size not in TEXT_SIZES:
        raise InvalidAction("Choose a text size from 1 to 4.")
    response = redirect(web.safe_next(request.form.get("next")))
    response.set_cookie(
        TEXT_SIZE_COOKIE,
        size,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=bool(current_app.config["HTTPS"]),
    )
    return response


@bp.get("/healthz")
def health() -> tuple[Response, int]:
    """For load balancers: is the database reachable?"""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("health check failed")
        return jsonify({"status": "unavailable"}), 503
    return jsonify({"status": "ok"}), 200
