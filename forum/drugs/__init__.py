"""Drugs & supplements: the directory, drug pages and interaction checks."""

from flask import Blueprint

bp = Blueprint("drugs", __name__, url_prefix="/drugs")

from forum.drugs import views  # noqa: E402,F401
