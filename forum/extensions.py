"""Flask extensions, created unbound here and bound to an app in create_app()."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect, generate_csrf, validate_csrf
from wtforms.csrf.core import CSRF

from forum.models.base import Base


def client_address() -> str:
    """The address rate limits key on (the proxy's X-Forwarded-For is applied by ProxyFix)."""
    return request.remote_addr or "unknown"


class LazyCsrfToken:
    """A form's CSRF token, made (and put in the session) only when a page renders it.

    Flask-WTF makes the token when a form is built, so a reading page that builds a form it
    never shows (a moderator's "hide" form, shown to visitors as nothing) would still give a
    visitor a session cookie, and the page could not be cached for visitors.
    """

    def __init__(self, secret_key: Any, field_name: str) -> None:
        self.secret_key, self.field_name = secret_key, field_name
        self.token: str | None = None

    def __str__(self) -> str:
        if self.token is None:
            self.token = str(generate_csrf(secret_key=self.secret_key, token_key=self.field_name))
        return self.token

    def __html__(self) -> str:
        return str(self)

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class LazyFormCsrf(CSRF):
    """Flask-WTF's form CSRF check, with a token that is made on first render."""

    def setup_form(self, form: Any) -> Any:
        self.meta = form.meta
        return super().setup_form(form)

    def generate_csrf_token(self, _field: Any) -> LazyCsrfToken:
        return LazyCsrfToken(self.meta.csrf_secret, self.meta.csrf_field_name)

    def validate_csrf_token(self, _form: Any, field: Any) -> None:
        if g.get("csrf_valid", False):  # CSRFProtect checked this request already
            return
        validate_csrf(
            field.data, self.meta.csrf_secret, self.meta.csrf_time_limit, self.meta.csrf_field_name
        )


def make_form_tokens_lazy() -> None:
    """Every FlaskForm makes its CSRF token only when rendered (called by create_app)."""
    FlaskForm.Meta.csrf_class = LazyFormCsrf


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_address)
