"""The health forum: create_app() assembles it."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import cache, config, listeners, logs, page_cache, policies, templating
from forum.errors import register_error_handlers
from forum.extensions import csrf, db, limiter, login_manager, make_form_tokens_lazy, migrate
from forum.models import User
from forum.routing import IdConverter

ROOT = Path(__file__).resolve().parent.parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# The main navigation; an entry shows once its feature is installed.
MAIN_NAV = (
    ("topics.index", "Health centers"),
    ("communities.index", "Communities"),
    ("threads.new", "Ask a question"),
    ("search.index", "Search"),
    ("experts.index", "Experts"),
    ("articles.index", "Articles"),
    ("drugs.index", "Drugs & supplements"),
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from defaults, FORUM_* variables and test overrides."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        # FORUM_INSTANCE_PATH: this server's own folder (secret key file, SQLite, Whoosh).
        instance_path=os.environ.get("FORUM_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
    )
    config.load(app, overrides)
    if app.config.get("PROXY_COUNT"):
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    # Before any route is added: every <int:...> is bounded to ids a database can hold.
    app.url_map.converters["int"] = IdConverter
    _bind_extensions(app)
    # Every SQLAlchemy event listener (the outboxes', the caches'): see forum/listeners.py.
    listeners.install(app)
    _register_blueprints(app)
    register_error_handlers(app)
    _register_cli(app)
    _register_templates(app)
    app.after_request(_security_headers)
    # After _security_headers (so they run before it); the page cache reads the content
    # version itself, so it is registered before the cache's own per-request check.
    page_cache.init_app(app)
    cache.init_app(app)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logs.install_filters()
    return app


def _bind_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    make_form_tokens_lazy()
    # Read-only name lookups: visitors' pages carry no token (and no session cookie) for it.
    csrf.exempt("forum.drugs.views.autocomplete")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _load_user(user_id: str) -> User | None:
    """Sessions carry "id:version"; an older version (logged out everywhere) is refused."""
    raw_id, _, raw_version = user_id.partition(":")
    if not (raw_id.isdigit() and raw_version.isdigit()):
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_version != int(raw_version) or user.is_banned:
        return None
    return user


def _register_blueprints(app: Flask) -> None:
    from forum.admin import bp as admin_bp
    from forum.api import bp as api_bp
    from forum.api import tokens_bp
    from forum.articles import bp as articles_bp
    from forum.auth import bp as auth_bp
    from forum.cabinet import bp as cabinet_bp
    from forum.communities import bp as communities_bp
    from forum.drugs import bp as drugs_bp
    from forum.experts import bp as experts_bp
    from forum.feeds import bp as feeds_bp
    from forum.home import bp as home_bp
    from forum.moderation import bp as moderation_bp
    from forum.notices import bp as notices_bp
    from forum.notifications import bp as notifications_bp
    from forum.pills import bp as pills_bp
    from forum.privacy import bp as privacy_bp
    from forum.reviews import bp as reviews_bp
    from forum.search import bp as search_bp
    from forum.tags import bp as tags_bp
    from forum.threads import bp as threads_bp
    from forum.topics import bp as topics_bp
    from forum.users import bp as users_bp

    blueprints = (
        home_bp, auth_bp, users_bp, topics_bp, communities_bp, threads_bp, tags_bp, experts_bp,
        articles_bp, moderation_bp, privacy_bp, search_bp, admin_bp, api_bp, tokens_bp, feeds_bp,
        drugs_bp, reviews_bp, notices_bp, cabinet_bp, pills_bp, notifications_bp,
    )  # fmt: skip
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from forum.auth.cli import users_cli
    from forum.communities.cli import communities_cli, topics_cli
    from forum.experts.cli import experts_cli, orgs_cli
    from forum.imports.cli import import_cli
    from forum.notifications.cli import mail_cli
    from forum.search.cli import search_cli
    from forum.seed.cli import seed_cli

    for group in (
        users_cli, topics_cli, communities_cli, experts_cli, orgs_cli, search_cli, seed_cli,
        import_cli, mail_cli,
    ):  # fmt: skip
        app.cli.add_command(group)


def _register_templates(app: Flask) -> None:
    app.jinja_env.globals.update(policies.JINJA_GLOBALS)
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.globals["main_nav"] = MAIN_NAV
    app.jinja_env.globals["has_endpoint"] = lambda endpoint: endpoint in app.view_functions
    templating.init_app(app)

    @app.context_processor
    def reader_preferences() -> dict[str, Any]:
        size = request.cookies.get("text_size", "2")
        return {"text_size": size if size in ("1", "2", "3", "4") else "2"}


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    from flask import current_app

    if current_app.config["HTTPS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint and not request.endpoint.endswith("static"):
        # Pages can hold private group content: never cache them in shared caches.
        headers.setdefault("Cache-Control", "private, no-cache")
    return response
