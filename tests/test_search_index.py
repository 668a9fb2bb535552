"""The index never loses an update: outbox, drains, a crash before the index write, rebuild."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import Community, SearchOutbox, Thread
from forum.search import engine, maintenance, outbox
from forum.search.backend import SearchDoc
from forum.search.documents import thread_key
from forum.search.services import similar_threads
from tests.factories import make_community, make_thread
from tests.test_search import backend as backend  # the fixture, for pytestmark
from tests.test_search import find, titles

pytestmark = pytest.mark.usefixtures("backend")


def outbox_keys() -> list[str]:
    return list(db.session.scalars(select(SearchOutbox.key).order_by(SearchOutbox.id)))


@contextmanager
def index_lock_held(app: Flask) -> Iterator[None]:
    """Another process holds the index writer (Whoosh's lock, or PostgreSQL's advisory lock)."""
    search = engine.backend()
    if search.name == "whoosh":
        from whoosh import index

        find(None, "anything")  # the index exists from the first search on
        directory = Path(app.config["SEARCH_DIR"]) / search.current_generation()  # type: ignore[attr-defined]
        writer = index.open_dir(str(directory)).writer()
        try:
            yield
        finally:
            writer.cancel()
    else:
        from forum.search.postgres_backend import LOCK_ID

        with db.engine.connect() as connection:
            connection.execute(select(func.pg_advisory_lock(LOCK_ID)))
            try:
                yield
            finally:
                connection.execute(select(func.pg_advisory_unlock(LOCK_ID)))


@pytest.mark.config(SEARCH_DRAIN="off")
def test_outbox_rows_are_written_in_the_content_transaction() -> None:
    thread = make_thread(title="Outbox rows for a new question")
    assert outbox_keys() == [thread_key(thread.id)]
    thread.title = "A title that is never committed"
    db.session.flush()
    assert outbox_keys() == [thread_key(thread.id)] * 2
    db.session.rollback()
    assert outbox_keys() == [thread_key(thread.id)]


@pytest.mark.config(SEARCH_DRAIN="off")
def test_a_drain_applies_the_rows_and_deletes_them() -> None:
    thread = make_thread(title="Searchable only after the drain")
    assert find(None, "searchable drain").total == 0
    result = outbox.drain_all()
    assert (result.applied, result.rows, result.busy) == (1, 1, False)
    assert titles(find(None, "searchable drain")) == [thread.title]
    assert outbox_keys() == []


@pytest.mark.config(SEARCH_DRAIN="off")
def test_a_crash_between_commit_and_index_write_is_recovered_by_the_next_drain() -> None:
    thread = make_thread(title="Committed, then the process died")
    # The process is gone before it wrote the index: only the database has the change.
    assert find(None, "process died").total == 0 and outbox_keys() == [thread_key(thread.id)]
    assert outbox.drain_all().applied == 1
    assert titles(find(None, "process died")) == [thread.title]


@pytest.mark.config(SEARCH_DRAIN="sync")
def test_a_failing_index_write_never_fails_the_post_and_is_retried(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_writer(session: Session) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(engine.backend(), "writer", broken_writer)
    thread = make_thread(title="Posted while the index was broken")
    assert outbox_keys() == [thread_key(thread.id)]
    monkeypatch.undo()
    outbox.drain_all()
    assert titles(find(None, "index broken")) == [thread.title]


@pytest.mark.config(SEARCH_DRAIN="sync")
def test_a_busy_index_leaves_the_rows_for_the_next_drain(app: Flask) -> None:
    with index_lock_held(app):
        started = time.monotonic()
        thread = make_thread(title="Posted while another writer held the index")
        assert time.monotonic() - started < 5
        assert outbox_keys() == [thread_key(thread.id)]
        assert outbox.drain().busy
    assert outbox.drain_all().applied == 1
    assert titles(find(None, "another writer")) == [thread.title]


def test_renaming_a_community_reindexes_its_threads() -> None:
    community = make_community(name="Migraine circle")
    thread = make_thread(community, title="Auras before the headache")
    assert find(None, "circle").total == 1
    renamed = db.session.get(Community, community.id)
    assert renamed is not None
    renamed.name = "Headache friends"
    db.session.commit()
    assert titles(find(None, "friends auras")) == [thread.title]


def test_rebuild_swaps_in_a_new_index_and_replays_changes_made_meanwhile(app: Flask) -> None:
    before = make_thread(title="Indexed before the rebuild began")
    assert find(None, "rebuild began").total == 1
    seen_during: list[int] = []

    def documents_then_a_change(docs: Iterable[SearchDoc]) -> Iterator[SearchDoc]:
        yield from docs
        # Readers keep the old index while the new one is built...
        seen_during.append(find(None, "rebuild began").total)
        # ...and a member posts after the rebuild read the database.
        make_thread(title="Written while the rebuild ran")

    @contextmanager
    def progress(docs: Iterable[SearchDoc], total: int) -> Iterator[Iterable[SearchDoc]]:
        yield documents_then_a_change(docs)

    result = maintenance.rebuild(progress)
    assert (result.documents, seen_during) == (1, [1])
    assert result.replayed == 1 and outbox_keys() == []
    assert titles(find(None, "rebuild began")) == [before.title]
    assert titles(find(None, "rebuild ran")) == ["Written while the rebuild ran"]


def make_drift() -> tuple[Thread, Thread]:
    """One thread missing from the index, one changed behind its back, one unknown document."""
    missing, stale = make_thread(title="Missing from the index"), make_thread(title="Gets stale")
    outbox.drain_all()
    with Session(db.engine) as session:
        with engine.backend().writer(session) as writer:
            writer.delete([thread_key(missing.id)])
            extra = SearchDoc(**{**_doc_of(stale).__dict__, "key": "thread:999999"})
            writer.upsert([extra.with_version()])
        session.commit()
    # A change that bypasses the ORM (and so the outbox): only verify can notice it.
    with db.engine.begin() as connection:
        connection.execute(
            update(Thread.__table__)
            .values(title="Stale title")
            .where(Thread.__table__.c.id == stale.id)
        )
    return missing, stale


def _doc_of(thread: Thread) -> SearchDoc:
    from forum.search.documents import thread_documents

    return thread_documents(db.session, [thread.id])[thread.id]


def test_verify_detects_drift_and_repair_fixes_it(app: Flask) -> None:
    missing, _ = make_drift()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "verify"])
    assert result.exit_code == 1 and "1 missing, 1 stale, 1 extra" in result.output
    result = runner.invoke(args=["search", "verify", "--repair"])
    assert result.exit_code == 0 and "repaired" in result.output
    assert runner.invoke(args=["search", "verify"]).output.strip() == "index and database agree"
    db.session.expire_all()
    assert titles(find(None, "missing index")) == [missing.title]
    assert titles(find(None, "stale title")) == ["Stale title"]


@pytest.mark.config(SEARCH_DRAIN="off")
def test_the_cli_syncs_rebuilds_and_runs_a_worker(app: Flask) -> None:
    runner = app.test_cli_runner()
    make_thread(title="Waiting in the outbox for sync")
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "applied 1" in result.output and "0 pending" in result.output
    make_thread(title="Waiting in the outbox for the worker")
    result = runner.invoke(args=["search", "worker", "--iterations", "1", "--interval", "0"])
    assert result.exit_code == 0 and "applied 1" in result.output
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "indexed 2 documents" in result.output
    assert find(None, "outbox").total == 2


@pytest.mark.config(SEARCH_DRAIN="thread")
def test_the_background_drain_makes_a_post_searchable_within_a_second(app: Flask) -> None:
    thread = make_thread(title="Found by the background drain")
    deadline = time.monotonic() + 5
    while find(None, "background drain").total == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert titles(find(None, "background drain")) == [thread.title]
    assert similar_threads(None, "background drain") == [thread]
    outbox.stop_drainer(app)
