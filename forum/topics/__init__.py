from flask import Blueprint

bp = Blueprint("topics", __name__, url_prefix="/topics")

from forum.topics import views  # noqa: E402,F401
