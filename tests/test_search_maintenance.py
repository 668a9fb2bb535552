"""Search backends and index upkeep: configuration, rebuilds, segments and old index formats."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import SearchOutbox
from forum.search import engine, maintenance
from tests.factories import make_thread

# The fixture, imported with `as` so that it is kept.
from tests.search_support import backend as backend
from tests.search_support import find, titles


def test_the_backend_comes_from_the_configuration(app: Flask, backend: str) -> None:
    assert engine.backend().name == backend


def test_rebuild_keeps_only_the_live_and_the_previous_whoosh_generation(app: Flask) -> None:
    make_thread(title="Indexed in three generations")
    assert find(None, "generations").total == 1
    root = Path(app.config["SEARCH_DIR"])
    first = (root / "CURRENT").read_text()
    maintenance.rebuild()
    second = (root / "CURRENT").read_text()
    maintenance.rebuild()
    third = (root / "CURRENT").read_text()
    assert len({first, second, third}) == 3
    assert sorted(path.name for path in root.glob("gen-*")) == sorted([second, third])


def test_many_small_drains_keep_the_whoosh_index_on_few_segments(app: Flask) -> None:
    """Each drain commits a segment; they are merged once there are many, not every time."""
    from forum.search.whoosh_backend import MERGE_SEGMENTS, WhooshBackend

    for number in range(2 * MERGE_SEGMENTS + 3):
        make_thread(title=f"Segment check {number}", body="Knee pain on stairs.")
        assert find(None, "segment check").total == number + 1  # drained before the search
    search = engine.backend()
    assert isinstance(search, WhooshBackend)
    index = search._open(search.current_generation() or "")
    assert len(index._segments()) <= MERGE_SEGMENTS + 1
    assert find(None, "knee stairs", per_page=50).total == 2 * MERGE_SEGMENTS + 3


def test_an_index_in_an_older_format_is_rebuilt_by_sync_and_loses_nothing(app: Flask) -> None:
    """After an upgrade that changed the index's fields, nothing fails and nothing is lost."""
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, TEXT, Schema

    make_thread(title="Written before the upgrade", body="Iron tablets and tea.")
    assert find(None, "iron tablets").total == 1
    root = Path(app.config["SEARCH_DIR"])
    old = root / "gen-older-format"
    old.mkdir()
    older = Schema(key=ID(stored=True, unique=True), title=TEXT, body=TEXT(stored=True))
    whoosh_index.create_in(str(old), older)
    (root / "CURRENT").write_text(old.name)
    engine.backend().close()  # type: ignore[attr-defined]

    assert engine.backend().needs_rebuild()
    assert find(None, "iron tablets").total == 0  # no error: nothing until the rebuild
    assert find(None, "irn").corrected is None
    make_thread(title="Written during the upgrade", body="Iron tablets with orange juice.")
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 1  # kept

    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert "older format: rebuilt with 2 documents" in result.output
    assert not engine.backend().needs_rebuild()
    assert sorted(titles(find(None, "iron tablets"))) == [
        "Written before the upgrade",
        "Written during the upgrade",
    ]
