from flask import Blueprint

bp = Blueprint("articles", __name__, url_prefix="/articles")

from forum.articles import views  # noqa: E402,F401
