"""Search: a Whoosh index or PostgreSQL full-text search, fed by an outbox that loses nothing."""

from flask import Blueprint, Flask

bp = Blueprint("search", __name__, url_prefix="/search")


def init_app(app: Flask) -> None:
    """Watch content changes for the index."""
    from forum.search.outbox import install_listeners

    install_listeners()


from forum.search import views  # noqa: E402,F401
