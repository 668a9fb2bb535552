"""The thin view layer: run a form through a service, paging, rate-limit keys, choices.

Views import this module, their own feature, `forum.policies` and other features' services
or queries. Nothing here decides permissions (that is `forum.policies`: `requires` only asks
a policy before a page) or writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from flask import current_app, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from forum import policies
from forum.errors import DomainError, attach_to_form
from forum.extensions import client_address, db, limiter
from forum.models import Community, HealthTopic, Viewer
from forum.routing import parse_id as parse_id  # views read ids typed into forms with it

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

# A form that was sent but could not be accepted: the page is shown again with the errors.
FORM_ERROR = 422
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Done(Generic[T]):
    """A form whose service call went through; `value` is what the service returned."""

    value: T


def run_form(form: FlaskForm, action: Callable[[], T]) -> Done[T] | None:
    """Validate a sent form and run its service call.

    None means "show the form again": it was not sent, a field was invalid, or the service
    refused with a message the user can act on (a 400, shown next to its field). Any other
    refusal (403, 404, 429) is raised to the error pages: one rule for every form.
    """
    if not form.validate_on_submit():
        return None
    try:
        return Done(action())
    except DomainError as error:
        if error.status != 400:
            raise
        attach_to_form(form, error)
        return None


def requires(policy: Callable[[Viewer], bool], message: str = "") -> Callable[[F], F]:
    """A page for the logged-in users a policy allows.

    Visitors go to the login page first (login_required); then `policy(current_user)` must
    hold, else a 403 with `message`. The policy decides; this only asks it.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def allowed(*args: Any, **kwargs: Any) -> Any:
            policies.require(policy(current_user), message=message)
            return view(*args, **kwargs)

        return login_required(allowed)  # type: ignore[no-any-return]

    return decorate


def viewer() -> Viewer:
    """Whoever is looking, as the object itself rather than Flask-Login's proxy: a page that
    asks the policies hundreds of times (a thread's per-post controls) would otherwise
    resolve the proxy on every isinstance() and attribute."""
    found: Viewer = current_user._get_current_object()
    return found


def safe_next(target: str | None, fallback_url: str | None = None) -> str:
    """A redirect target: a local path with no control characters, else the fallback."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return fallback_url or url_for("home.index")


def redirect_back(default_url: str) -> Response:
    """After an action: back to the form's local `next` page, else to `default_url`."""
    return redirect(safe_next(request.form.get("next"), default_url))


def form_status() -> int:
    """200 for a first view of a form, 422 when it comes back with errors."""
    return FORM_ERROR if request.method == "POST" else 200


def page_arg() -> int:
    """The ?page= number; anything odd is page 1."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < MAX_PAGE else 1


def member_key() -> str:
    """Rate-limit key per member, else per address.

    Decorated limits are checked inside the view's wrapper, after the API's hook has set
    the user of a Bearer token: a member counts once whether they use a token or a cookie.
    """
    return f"member:{getattr(current_user, 'id', None) or client_address()}"


def is_preview() -> bool:
    """A composer's Preview button: the form comes back to be shown, nothing is posted."""
    return request.method == "POST" and "preview" in request.form


def limits(setting: str, preview_setting: str | None = None) -> Callable[[F], F]:
    """A POST limit from a setting, counted per address and, separately, per member.

    With preview_setting, previews are not posts: they count against that limit instead.
    """

    def decorate(view: F) -> F:
        limit = lambda: current_app.config[setting]  # noqa: E731
        exempt = is_preview if preview_setting else None
        wrapped: Any = limiter.limit(
            limit, key_func=member_key, methods=["POST"], exempt_when=exempt
        )(view)
        wrapped = limiter.limit(limit, methods=["POST"], exempt_when=exempt)(wrapped)
        if preview_setting:
            wrapped = limiter.limit(
                lambda: current_app.config[preview_setting],
                key_func=member_key,
                methods=["POST"],
                exempt_when=lambda: not is_preview(),
                scope="preview",
            )(wrapped)
        return wrapped  # type: ignore[no-any-return]

    return decorate


# Posting: the same limit per address and per member.
posting_limits = limits("POST_RATE_LIMIT")
# Asking and replying, whose forms have a Preview button: previews count on their own.
composer_limits = limits("POST_RATE_LIMIT", "PREVIEW_RATE_LIMIT")


def topic_choices() -> list[tuple[str, str]]:
    """Every health topic as (slug, name), by name."""
    rows = db.session.execute(select(HealthTopic.slug, HealthTopic.name).order_by(HealthTopic.name))
    return [(slug, name) for slug, name in rows]


def topics_by_name() -> list[HealthTopic]:
    """Every health topic, by name."""
    return list(db.session.scalars(select(HealthTopic).order_by(HealthTopic.name)))


def communities_where(allowed: Callable[[Community], bool]) -> list[Community]:
    """The communities a predicate (a policy) allows, by name."""
    communities = db.session.scalars(select(Community).order_by(Community.name))
    return [community for community in communities if allowed(community)]


def community_choices(allowed: Callable[[Community], bool]) -> list[tuple[str, str]]:
    """Communities a predicate allows, as (slug, label), private groups marked."""
    return [
        (c.slug, f"{c.name}{' (private group)' if c.is_private else ''}")
        for c in communities_where(allowed)
    ]
