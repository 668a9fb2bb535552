"""The pill identifier: find a pill by its imprint, colors, shape and size, from real labels."""

from flask import Blueprint

bp = Blueprint("pills", __name__, url_prefix="/pills")

from forum.pills import views  # noqa: E402,F401
