"""Member reviews of drugs: writing, editing, reporting and moderating them.

Their pages live under the drug directory's /drugs URLs.
"""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/drugs")

from forum.reviews import views  # noqa: E402,F401
