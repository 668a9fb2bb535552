"""My Medicine: a member's private medicine lists, interaction checks and drug alerts."""

from flask import Blueprint

bp = Blueprint("cabinet", __name__, url_prefix="/my-medicine")

from forum.cabinet import views  # noqa: E402,F401
