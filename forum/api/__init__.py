"""The versioned JSON API (/api/v1), its OpenAPI document and personal API tokens."""

from __future__ import annotations

from flask import Blueprint, Response

from forum.errors import DomainError, error_json
from forum.extensions import csrf, db, limiter

bp = Blueprint("api", __name__, url_prefix="/api")
# Token pages live in account settings.
tokens_bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")

# Token requests carry no CSRF token; auth.authenticate checks it for cookie-based writes.
csrf.exempt(bp)


@bp.errorhandler(DomainError)
def handle_domain_error(error: DomainError) -> tuple[Response, int]:
    db.session.rollback()
    fields = getattr(error, "fields", None)
    if fields is None:
        fields = {error.field: error.message} if error.field else {}
    message = "Not found." if error.status == 404 else error.message
    response = error_json(error.code, message, fields)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, error.status


from forum.api import auth  # noqa: E402

bp.before_request(auth.authenticate)
# One budget for the whole API (not per route), per address and per token.
limiter.shared_limit(auth.api_limit, scope="api-address", key_func=auth.ip_key)(bp)
limiter.shared_limit(auth.api_limit, scope="api-token", key_func=auth.token_key)(bp)

from forum.api import cli, docs, token_views  # noqa: E402,F401
from forum.api.v1 import (  # noqa: E402,F401
    communities,
    content,
    notifications,
    pills,
    posts,
    search,
    threads,
)
