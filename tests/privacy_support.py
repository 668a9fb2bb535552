"""Helpers shared by the privacy test modules: registering, finding members, stored text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import inspect, select, text

from forum.extensions import db
from forum.models import User
from tests.conftest import CsrfClient

GOOD_PASSWORD = "a very good passphrase"
SECRET_BODY = "Quixotrel tablets made my mornings foggy"
CONDITIONS = "Zembrowski syndrome"


def register(client: CsrfClient, **fields: Any) -> Any:
    data = {
        "name": "new_member",
        "email": "new.member@example.org",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
    }
    data.update(fields)
    return client.post("/account/register", data=data)


def user_named(name: str) -> User:
    user = db.session.scalar(select(User).where(User.name_key == name.lower()))
    assert user is not None
    return user


def redirects_to_login(response: Any) -> bool:
    return response.status_code == 302 and "/account/login" in (response.location or "")


def database_text() -> str:
    """Every value of every table, as text, to search for leftovers."""
    values: list[str] = []
    for table in inspect(db.engine).get_table_names():
        # Table names come from the database itself, not from input.
        for row in db.session.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
            values.extend(str(value) for value in row if value is not None)
    return "\n".join(values).lower()


def index_bytes(app: Flask) -> bytes:
    """The raw search index files (lower-cased), to search for leftovers."""
    folder = Path(app.config["SEARCH_DIR"])
    files = sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []
    return b"".join(path.read_bytes() for path in files).lower()
