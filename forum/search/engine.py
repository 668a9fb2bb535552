"""The configured search backend of an app (FORUM_SEARCH_BACKEND), made once per process."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from forum.config import ConfigError
from forum.search.backend import SearchBackend
from forum.search.synonyms import SynonymTable
from forum.search.synonyms import load as load_synonyms

BACKENDS = ("whoosh", "postgres")
_lock = threading.Lock()


def backend(app: Flask | None = None) -> SearchBackend:
    """The app's search backend (Whoosh in SEARCH_DIR, or PostgreSQL full-text search)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found: SearchBackend | None = app.extensions.get("forum_search")
    if found is None:
        with _lock:
            found = app.extensions.get("forum_search")
            if found is None:
                found = _make_backend(app)
                app.extensions["forum_search"] = found
    return found


def _make_backend(app: Flask) -> SearchBackend:
    name = app.config["SEARCH_BACKEND"]
    timeout = float(app.config["SEARCH_LOCK_TIMEOUT"])
    if name == "whoosh":
        from forum.search.whoosh_backend import WhooshBackend

        return WhooshBackend(app.config["SEARCH_DIR"], lock_timeout=timeout)
    if name == "postgres":
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise ConfigError("FORUM_SEARCH_BACKEND=postgres needs a PostgreSQL database.")
        from forum.search.postgres_backend import PostgresBackend

        return PostgresBackend(lock_timeout=timeout)
    raise ConfigError(f"FORUM_SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")


def synonyms(app: Flask | None = None) -> SynonymTable:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return load_synonyms(app.config.get("SEARCH_SYNONYMS") or None)
