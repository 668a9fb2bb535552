"""Fixtures: an app on a fresh database and index, a client that sends CSRF tokens, login."""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import URL, Connection, create_engine, make_url, text
from werkzeug.test import TestResponse

from forum import create_app
from forum.extensions import db as _db
from forum.models import User
from tests.factories import PASSWORD

TOKEN_PATTERN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
IN_CI = os.environ.get("CI") == "true"
_WORKER_DATABASE = pytest.StashKey[tuple[URL, str]]()


def service_url(variable: str) -> str:
    """The URL of a test service, or a skip (a failure in CI, where nothing may skip)."""
    url = os.environ.get(variable)
    if not url:
        message = f"{variable} is not set: this test needs that service"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url


class CsrfClient(FlaskClient):
    """A test client whose POSTs carry a valid CSRF token, like a browser's form."""

    def csrf_token(self) -> str:
        page = self.get("/account/login").get_data(as_text=True)
        match = TOKEN_PATTERN.search(page)
        assert match, "no CSRF token on the login page"
        return match.group(1)

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        """Run each request in its own app context, as a real server would.

        The test's own session commits first (so the request sees its writes) and
        afterwards (so the test then reads what the request wrote).
        """
        _db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        _db.session.commit()
        return response

    def post(self, *args: Any, csrf: bool = True, **kwargs: Any) -> TestResponse:
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)) and "json" not in kwargs:
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own (NAME_gw0, ...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if not (worker and url):
        return
    base = make_url(url)
    name = f"{base.database}_{worker}"
    with _admin_connection(base) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    os.environ["FORUM_TEST_DATABASE_URL"] = base.set(database=name).render_as_string(
        hide_password=False
    )
    config.stash[_WORKER_DATABASE] = (base, name)


def pytest_unconfigure(config: pytest.Config) -> None:
    found = config.stash.get(_WORKER_DATABASE, None)
    if found is not None:
        base, name = found
        with _admin_connection(base) as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def _admin_connection(url: URL) -> Iterator[Connection]:
    engine = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _database_url(tmp_path: Path) -> str:
    return os.environ.get("FORUM_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'forum.db'}"


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[None]:
    """On PostgreSQL, build the schema once per run; tests then truncate."""
    url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if url:
        app = create_app({"ENV": "testing", "DATABASE_URL": url})
        with app.app_context():
            _db.drop_all()
            _db.create_all()
            _db.engine.dispose()
    yield


def make_app(tmp_path: Path, **overrides: Any) -> Flask:
    settings: dict[str, Any] = {
        "ENV": "testing",
        "DATABASE_URL": _database_url(tmp_path),
        "SEARCH_DIR": str(tmp_path / "search-index"),
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "forum.test",
        # New-account safeguards have their own tests; elsewhere posts publish at once.
        "NEW_ACCOUNT_HOURS": 0,
        "NEW_MEMBER_POSTS": 0,
    }
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = CsrfClient
    return app


@pytest.fixture
def app(tmp_path: Path, _postgres_schema: None, request: pytest.FixtureRequest) -> Iterator[Flask]:
    marker = request.node.get_closest_marker("config")
    overrides = marker.kwargs if marker else {}
    app = make_app(tmp_path, **overrides)
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            _db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            _db.session.commit()
        else:
            _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> CsrfClient:
    client = app.test_client()
    assert isinstance(client, CsrfClient)
    return client


@pytest.fixture
def db(app: Flask) -> Any:
    return _db


def login(client: FlaskClient, user: User, password: str = PASSWORD, **extra: Any) -> TestResponse:
    """Log a user in through the login form."""
    response = client.post(
        "/account/login", data={"login": user.name, "password": password, **extra}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def visitor(app: Flask, user: User | None = None) -> CsrfClient:
    """A client of its own, logged in as `user` when one is given."""
    client = app.test_client()
    assert isinstance(client, CsrfClient)
    if user is not None:
        login(client, user)
    return client


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)
