"""Drug safety notices: the public list, one notice, and publishing (editors)."""

from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/drugs/notices")

from forum.notices import views  # noqa: E402,F401
