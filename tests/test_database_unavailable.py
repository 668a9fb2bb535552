"""When the database cannot be reached, requests get a 503 with Retry-After, then recover alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from forum.extensions import db
from tests.conftest import make_app
from tests.factories import make_community, make_thread, make_user


def unreachable_sqlite(tmp_path: Path) -> tuple[Flask, Path]:
    """An app whose SQLite file lives in a folder that does not exist yet."""
    folder = tmp_path / "not-yet"
    return make_app(tmp_path, DATABASE_URL=f"sqlite:///{folder / 'forum.db'}"), folder


@pytest.mark.sqlite
def test_pages_and_the_api_answer_503_while_the_database_is_away(tmp_path: Path) -> None:
    app, _ = unreachable_sqlite(tmp_path)
    with app.app_context():
        page = app.test_client().get("/communities")
        api = app.test_client().get("/api/v1/communities")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert page.headers["Cache-Control"] == "no-store"
    assert "cannot reach its database" in page.get_data(as_text=True)
    assert api.status_code == 503
    assert api.json is not None
    assert api.json["error"]["code"] == "unavailable"
    assert "cannot reach its database" in api.json["error"]["message"]


@pytest.mark.sqlite
def test_the_same_app_recovers_when_the_database_comes_back(tmp_path: Path) -> None:
    app, folder = unreachable_sqlite(tmp_path)
    with app.app_context():
        client = app.test_client()
        assert client.get("/communities").status_code == 503
        folder.mkdir()
        db.create_all()
        author = make_user(name="rosa")
        make_thread(make_community(name="Asthma"), author, title="Inhaler technique after a cold")
        page = client.get("/communities")
        db.session.remove()
        db.engine.dispose()
    assert page.status_code == 200
    assert "Asthma" in page.get_data(as_text=True)


@pytest.mark.postgres
def test_an_unreachable_postgresql_is_a_503(tmp_path: Path) -> None:
    # Nothing listens on port 9 (discard) of the loopback address: the connection is refused.
    app = make_app(tmp_path, DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:9/forum")
    with app.app_context():
        response = app.test_client().get("/communities")
        db.engine.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
