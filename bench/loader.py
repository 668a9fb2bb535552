"""Bulk loading: the generated rows go in with executemany, in large batches, in one pass.

The services commit once per post, which is far too slow for 100,000 posts; here every
counter was computed by bench/dataset.py, and check_counters() proves them against the rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Connection, Engine, Table, bindparam, text, update

from bench import vocabulary
from bench.dataset import PASSWORD, DataSet, Size, generate
from forum.auth import passwords
from forum.extensions import db
from forum.models import Base, Thread

BATCH = 5_000
# Parents before children; thread.opening_post_id and accepted_post_id are set after posts.
ORDER = (
    "user", "health_topic", "community", "membership", "tag", "expert_profile", "expert_scope",
    "thread", "thread_tag", "post", "vote", "endorsement", "subscription", "article",
    "article_citation", "article_revision",
)  # fmt: skip
COUNTER_CHECKS = {
    "thread.reply_count": """
        SELECT count(*) FROM thread t WHERE t.reply_count != (
            SELECT count(*) FROM post p WHERE p.thread_id = t.id
            AND NOT p.is_opening AND NOT p.is_deleted AND NOT p.is_pending)""",
    "thread.last_activity_at": """
        SELECT count(*) FROM thread t WHERE t.last_activity_at != (
            SELECT max(p.created_at) FROM post p WHERE p.thread_id = t.id AND NOT p.is_pending)""",
    "thread.has_expert_answer": """
        SELECT count(*) FROM thread t WHERE t.has_expert_answer != EXISTS (
            SELECT 1 FROM endorsement e JOIN post p ON p.id = e.post_id
            WHERE p.thread_id = t.id AND NOT p.is_deleted)""",
    "community.thread_count": """
        SELECT count(*) FROM community c WHERE c.thread_count != (
            SELECT count(*) FROM thread t WHERE t.community_id = c.id AND NOT t.is_deleted)""",
    "community.member_count": """
        SELECT count(*) FROM community c WHERE c.member_count != (
            SELECT count(*) FROM membership m
            WHERE m.community_id = c.id AND m.status = 'approved')""",
    "user.post_count": """
        SELECT count(*) FROM "user" u WHERE u.post_count != (
            SELECT count(*) FROM post p WHERE p.author_id = u.id
            AND NOT p.is_anonymous AND NOT p.is_deleted)""",
    "post.helpful_count": """
        SELECT count(*) FROM post p WHERE p.helpful_count != (
            SELECT count(*) FROM vote v WHERE v.post_id = p.id)""",
    "post.endorsement_count": """
        SELECT count(*) FROM post p WHERE p.endorsement_count != (
            SELECT count(*) FROM endorsement e WHERE e.post_id = p.id)""",
    "thread.opening_post_id": """
        SELECT count(*) FROM thread t WHERE t.opening_post_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM post p WHERE p.id = t.opening_post_id AND p.is_opening)""",
}


@dataclass
class BuildResult:
    manifest: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)


def insert(connection: Connection, data: DataSet) -> None:
    """Insert every table's rows in batches, then link threads to their posts."""
    tables = Base.metadata.tables
    for name in ORDER:
        rows = data.tables.get(name, [])
        for start in range(0, len(rows), BATCH):
            connection.execute(tables[name].insert(), rows[start : start + BATCH])
    links = [
        {
            "b_id": link["thread_id"],
            "b_opening": link["opening_id"],
            "b_accepted": link["accepted_id"],
        }
        for link in data.thread_links
    ]
    threads = Thread.__table__
    assert isinstance(threads, Table)
    statement = (
        update(threads)
        .where(threads.c.id == bindparam("b_id"))
        .values(opening_post_id=bindparam("b_opening"), accepted_post_id=bindparam("b_accepted"))
    )
    for start in range(0, len(links), BATCH):
        connection.execute(statement, links[start : start + BATCH])
    if connection.dialect.name == "postgresql":
        for name in ORDER:
            if data.tables.get(name) and "id" in tables[name].c:
                sequence = f"pg_get_serial_sequence('\"{name}\"', 'id')"
                maximum = f'(SELECT max(id) FROM "{name}")'  # noqa: S608 - our own table names
                connection.execute(text(f"SELECT setval({sequence}, {maximum})"))


def check_counters(connection: Connection) -> dict[str, int]:
    """Rows whose denormalized counter disagrees with the rows it counts (all zero: good)."""
    return {name: connection.scalar(text(sql)) or 0 for name, sql in COUNTER_CHECKS.items()}


def build(
    app: Flask, size: Size, seed: int = 9, progress: Callable[[str], None] = print
) -> BuildResult:
    """Create the schema and load a whole data set into the app's (empty) database."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with app.app_context():
        engine: Engine = db.engine
        Base.metadata.create_all(engine)
        words = vocabulary.load()
        password_hash = passwords.hash_password(PASSWORD)
        data = generate(
            size, words, password_hash, current_app.config["HEALTH_CONSENT_VERSION"], seed, progress
        )
        seconds["generate"] = time.perf_counter() - started
        mark = time.perf_counter()
        with engine.begin() as connection:
            insert(connection, data)
        seconds["insert"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with engine.connect() as connection:
            problems = {k: v for k, v in check_counters(connection).items() if v}
        seconds["check"] = time.perf_counter() - mark
        if problems:
            raise RuntimeError(f"inconsistent counters: {problems}")
        db.session.remove()
    return BuildResult(data.manifest, seconds)
