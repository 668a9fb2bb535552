"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, make_url, text

from forum import create_app
from forum.extensions import db
from tests.conftest import service_url


def schema_drift(database_url: str, tmp_path: Path) -> list[object]:
    app = create_app(
        {"ENV": "testing", "DATABASE_URL": database_url, "SEARCH_DIR": str(tmp_path / "ix")}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            drift = compare_metadata(MigrationContext.configure(connection), db.metadata)
        downgrade(revision="base")
        with db.engine.connect() as connection:
            leftover = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert leftover == set(), "downgrade to base left tables behind"
    return list(drift)


@pytest.mark.sqlite
def test_migrations_match_the_models_on_sqlite(tmp_path: Path) -> None:
    assert schema_drift(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path) == []


@pytest.fixture
def empty_postgres_database() -> Iterator[str]:
    url = make_url(service_url("FORUM_TEST_DATABASE_URL"))
    name = f"forum_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_migrations_match_the_models_on_postgresql(
    empty_postgres_database: str, tmp_path: Path
) -> None:
    assert schema_drift(empty_postgres_database, tmp_path) == []
