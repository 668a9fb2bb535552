from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/account/privacy")

from forum.privacy import views  # noqa: E402,F401
