"""Typed defaults for every setting; FORUM_* environment variables override them."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

ENVIRONMENTS = ("production", "development", "testing")


class ConfigError(RuntimeError):
    """The configuration cannot run the app."""


DEFAULTS: dict[str, Any] = {
    # "production", "development" or "testing" (FORUM_ENV).
    "ENV": "production",
    "SECRET_KEY": None,
    # None means a SQLite file in the instance folder.
    "DATABASE_URL": None,
    "SEARCH_BACKEND": "whoosh",
    # None means the "search-index" folder in the instance folder.
    "SEARCH_DIR": None,
    # Seconds a drain waits for the index writer before leaving rows for the next drain.
    "SEARCH_LOCK_TIMEOUT": 0.5,
    # When outbox rows reach the index: "thread" (a background thread after each commit),
    # "sync" (in the request, after the commit), "search" (before the next search; cheap for
    # tests), "off" (a `flask search worker` process drains). "auto": search when testing,
    # else thread.
    "SEARCH_DRAIN": "auto",
    "SEARCH_RATE_LIMIT": "60 per minute",
    "SEARCH_PER_PAGE": 10,
    # None means the synonym list shipped in forum/search/synonyms.txt.
    "SEARCH_SYNONYMS": None,
    # The drug directory's name and condition search, and its autocomplete (per keystroke).
    "DRUG_SEARCH_RATE_LIMIT": "60 per minute",
    "DRUG_AUTOCOMPLETE_RATE_LIMIT": "300 per minute",
    "REDIS_URL": None,
    "HTTPS": False,
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    # Wrong passwords for one account from one address (the owner elsewhere is not slowed).
    "LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT": "5 per 5 minutes",
    # Wrong passwords for one account from all addresses; a fresh address still gets a try.
    "LOGIN_ACCOUNT_RATE_LIMIT": "50 per hour",
    "REGISTER_RATE_LIMIT": "5 per hour",
    "RESET_RATE_LIMIT": "5 per hour",
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": True,
    "MAIL_SENDER": "Health Forum <no-reply@localhost>",
    # When the mail outbox is sent: "auto" (after each commit: at once in tests, by a
    # background thread otherwise), "sync", "thread", or "off" (a `flask mail worker` sends).
    "MAIL_DRAIN": "auto",
    "MAIL_MAX_ATTEMPTS": 6,
    # The first retry waits this long; each further one twice as long.
    "MAIL_RETRY_SECONDS": 60,
    "MAIL_WORKER_SLEEP": 5,
    # Links in e-mail sent outside a request (digests, worker): e.g. https://forum.example.org
    "BASE_URL": None,
    "NEWSLETTER_RATE_LIMIT": "5 per hour",
    "PASSWORD_RESET_MAX_AGE": 3600,
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "SQLITE_BUSY_TIMEOUT": 15,
    "PER_PAGE": 20,
    # Seconds each process keeps shared, expensive reads (home page sections, similar
    # questions, health center lists); a commit clears its own process's copy. 0: off.
    "CACHE_SECONDS": 30,
    # Seconds visitors' reading pages are served from one shared copy (forum/page_cache.py;
    # in Redis with REDIS_URL, else per process); any changing commit drops every copy at
    # once. None: 60, or 0 (off) when FORUM_ENV=testing. 0: off.
    "PAGE_CACHE_SECONDS": None,
    # s-maxage a reverse proxy may keep a visitor's page without asking again (stale for up
    # to this long after a change there); browsers always revalidate (304).
    "PAGE_CACHE_PROXY_SECONDS": 5,
    # Pages each process keeps without Redis.
    "PAGE_CACHE_MAX_ENTRIES": 1024,
    # Prefix of the cache keys in Redis (content version, pages): one per site sharing a db.
    "CACHE_KEY_PREFIX": "forum-cache",
    "EXPERT_VERIFICATION_MONTHS": 24,
    "EXPERT_REMINDER_DAYS": 30,
    "ARTICLE_REVIEW_MONTHS": 12,
    # New-account safeguards and posting limits.
    "NEW_ACCOUNT_HOURS": 24,
    "NEW_MEMBER_POSTS": 3,
    "NEW_MEMBER_MAX_LINKS": 2,
    "DUPLICATE_POST_MINUTES": 10,
    "POST_RATE_LIMIT": "10 per minute; 100 per hour",
    # The composer's Preview button (renders the Markdown, posts nothing), per member.
    "PREVIEW_RATE_LIMIT": "60 per minute",
    "VOTE_RATE_LIMIT": "60 per minute",
    "REPORT_RATE_LIMIT": "10 per minute; 50 per day",
    # Warnings are e-mailed from the forum's address: per moderator and per address.
    "WARN_RATE_LIMIT": "5 per hour; 20 per day",
    # Every API request, counted per token and per address (posting limits apply too).
    "API_RATE_LIMIT": "120 per minute",
    # Crisis wording (see forum/crisis.py). None: the defaults in forum/crisis_rules.py.
    # Self-harm phrases show the crisis lines; medical emergency phrases ("took too many
    # pills") show "call your emergency number now". Resources: {"name", "detail", "url"}.
    "CRISIS_PHRASES": None,
    "CRISIS_RESOURCES": None,
    "EMERGENCY_PHRASES": None,
    "EMERGENCY_RESOURCES": None,
    # The privacy policy version a member consents to (stored with the consent).
    "HEALTH_CONSENT_VERSION": "2026-11",
    "SITE_NAME": "Health Forum",
}


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Apply defaults, then FORUM_* variables, then test overrides; derive the rest."""
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("FORUM")
    if overrides:
        app.config.update(overrides)
    env = app.config["ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"FORUM_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    app.config["TESTING"] = app.config.get("TESTING", False) or env == "testing"
    _derive_secret_key(app)
    _derive_database(app)
    _derive_cookies(app)
    _derive_rate_limits(app)
    if app.config["PAGE_CACHE_SECONDS"] is None:
        app.config["PAGE_CACHE_SECONDS"] = 0 if env == "testing" else 60
    if not app.config["SEARCH_DIR"]:
        app.config["SEARCH_DIR"] = str(Path(app.instance_path) / "search-index")


def _derive_secret_key(app: Flask) -> None:
    if app.config["SECRET_KEY"]:
        return
    env = app.config["ENV"]
    if env == "testing":
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    elif env == "development":
        # One key per checkout, kept so sessions survive a restart of `make run`.
        key_file = Path(app.instance_path) / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
    else:
        raise ConfigError(
            "FORUM_SECRET_KEY is not set. Set it to a long random string "
            "(or FORUM_ENV=development for a local key)."
        )


def _derive_database(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(Path(app.instance_path) / "forum.db")
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        options = {"connect_args": {"timeout": app.config["SQLITE_BUSY_TIMEOUT"]}}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _derive_cookies(app: Flask) -> None:
    https = bool(app.config["HTTPS"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=https,
        PREFERRED_URL_SCHEME="https" if https else "http",
        PERMANENT_SESSION_LIFETIME=app.config["REMEMBER_COOKIE_DURATION"],
    )
    duration = app.config["REMEMBER_COOKIE_DURATION"]
    if isinstance(duration, int | float):
        app.config["REMEMBER_COOKIE_DURATION"] = timedelta(seconds=duration)
    if app.config["REMEMBER_COOKIE_DURATION"] > timedelta(days=30):
        app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=30)


def _derive_rate_limits(app: Flask) -> None:
    redis_url = app.config["REDIS_URL"]
    app.config["RATELIMIT_STORAGE_URI"] = redis_url or "memory://"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "forum")
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    # Redis gone: each process counts in its own memory until Redis is back, never a 500.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    if redis_url:
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        )
