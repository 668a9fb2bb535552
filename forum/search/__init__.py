"""Search: a Whoosh index or PostgreSQL full-text search, fed by an outbox that loses nothing."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

from forum.search import views  # noqa: E402,F401
