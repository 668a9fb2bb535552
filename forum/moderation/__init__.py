from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

from forum.moderation import views  # noqa: E402,F401
