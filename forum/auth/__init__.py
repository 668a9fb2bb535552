from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/account")

from forum.auth import views  # noqa: E402,F401
