"""Who is calling the API: a Bearer token, a logged-in browser (with CSRF), or a visitor."""

from __future__ import annotations

from flask import current_app, g, request
from flask_limiter import RouteLimit
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from forum import web
from forum.api import tokens
from forum.errors import DomainError, NotAllowed
from forum.extensions import client_address, limiter
from forum.models import ApiToken, User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    default_message = "Send a valid token as `Authorization: Bearer <token>`."


class CsrfRefused(DomainError):
    code = "csrf"
    default_message = "Browser requests that change something need the X-CSRFToken header."


def presented_token() -> str | None:
    """The raw token of the Authorization header ("" if the header is not a Bearer token)."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def request_token() -> ApiToken | None:
    """The request's valid token, looked up once per request."""
    if "api_token" not in g:
        raw = presented_token()
        g.api_token = tokens.find_token(raw) if raw else None
    token: ApiToken | None = g.api_token
    return token


def authenticate() -> None:
    """Before each API request: a Bearer token sets the user for this request only."""
    raw = presented_token()
    if raw is not None:
        token = request_token()
        if token is None:
            raise Unauthorized("That token is not valid: it may be revoked or mistyped.")
        # Flask-Login reads the request's user from g; no session cookie is involved.
        g._login_user = token.user
        tokens.record_use(token)
        if request.method not in SAFE_METHODS and not token.can_write:
            raise NotAllowed("This token may only read: create one with the write scope.")
        return
    if request.method in SAFE_METHODS:
        return
    if not current_user.is_authenticated:
        raise Unauthorized("Log in, or send a token as `Authorization: Bearer <token>`.")
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError as error:
        raise CsrfRefused() from error


def require_member() -> User:
    """The calling member, for actions (401 for visitors: the caller should authenticate)."""
    if not current_user.is_authenticated:
        raise Unauthorized()
    user: User = current_user._get_current_object()
    return user


def ip_key() -> str:
    return f"api-ip:{client_address()}"


def token_key() -> str:
    """Per token (by its hash: no database lookup in the limiter), else per address."""
    raw = presented_token()
    if raw:
        return f"api-token:{tokens.hash_token(raw)[:32]}"
    return f"api-anon:{client_address()}"


def api_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


def route_limit(setting: str, per_member: bool = False) -> RouteLimit:
    """A route's own limit from a setting, on top of the API-wide budget.

    Per member (token or cookie alike) for members' actions, else per address.
    """
    return limiter.limit(
        lambda: current_app.config[setting],
        key_func=web.member_key if per_member else None,
        override_defaults=False,
    )
