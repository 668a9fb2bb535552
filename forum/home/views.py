"""The home page, reader preferences and the health endpoint."""

from __future__ import annotations

from flask import Response, current_app, jsonify, redirect, render_template, request
from sqlalchemy import text
from werkzeug.wrappers import Response as BaseResponse

from forum.auth.views import safe_next
from forum.errors import InvalidAction
from forum.extensions import db
from forum.home import bp

TEXT_SIZES = ("1", "2", "3", "4")
TEXT_SIZE_COOKIE = "text_size"
ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def index() -> str:
    return render_template("home/index.html")


@bp.post("/preferences/text-size")
def update_text_size() -> BaseResponse:
    """Remember the reader's text size (1-4) in a cookie, for every page and visit."""
    size = request.form.get("size", "")
    if size not in TEXT_SIZES:
        raise InvalidAction("Choose a text size from 1 to 4.")
    response = redirect(safe_next(request.form.get("next")))
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
