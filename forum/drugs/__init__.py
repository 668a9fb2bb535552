"""Drugs & supplements: the directory, drug pages, reviews, interaction checks, notices."""

from flask import Blueprint

bp = Blueprint("drugs", __name__, url_prefix="/drugs")

from forum.drugs import notice_views, review_views, views  # noqa: E402,F401
