from flask import Blueprint

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

from forum.feeds import views  # noqa: E402,F401
