from flask import Blueprint

bp = Blueprint("experts", __name__, url_prefix="/experts")

from forum.experts import views  # noqa: E402,F401
