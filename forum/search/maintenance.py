"""Rebuilding the index from the database and checking that the two agree."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import SearchOutbox
from forum.search import engine
from forum.search.backend import SearchDoc
from forum.search.documents import all_documents, count_documents, documents_for_keys
from forum.search.outbox import DRAIN_SESSION, apply_keys, drain_all

# Wraps the documents in a progress display: (documents, total) -> context of documents.
Progress = Callable[[Iterable[SearchDoc], int], AbstractContextManager[Iterable[SearchDoc]]]


@contextlib.contextmanager
def _no_progress(docs: Iterable[SearchDoc], _total: int) -> Iterator[Iterable[SearchDoc]]:
    yield docs


@dataclass(frozen=True)
class RebuildResult:
    documents: int
    replayed: int


def rebuild(progress: Progress = _no_progress) -> RebuildResult:
    """Build a new index from the database and swap it in; replay changes made meanwhile."""
    backend = engine.backend()
    with Session(db.engine, info={DRAIN_SESSION: True}) as session:
        total = count_documents(session)
        with backend.rebuilding(session) as index:
            with progress(all_documents(session), total) as docs:
                count = index.bulk(docs)
            # Drains wait while we hold the index: what they would have applied is here.
            rows = session.execute(select(SearchOutbox.id, SearchOutbox.key)).all()
            apply_keys(session, index, {key for _, key in rows})
        session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
        session.commit()
    return RebuildResult(count, len(rows))


def rebuild_if_outdated(progress: Progress = _no_progress) -> RebuildResult | None:
    """Rebuild an index that an earlier version wrote in another format (after upgrades)."""
    return rebuild(progress) if engine.backend().needs_rebuild() else None


@dataclass
class Drift:
    missing: set[str] = field(default_factory=set)
    stale: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)

    def summary(self) -> str:
        return f"{len(self.missing)} missing, {len(self.stale)} stale, {len(self.extra)} extra"


def verify(repair: bool = False) -> Drift:
    """Compare the index with the database; with repair, fix what differs."""
    drain_all()
    backend = engine.backend()
    with Session(db.engine, info={DRAIN_SESSION: True}) as session:
        indexed = backend.versions(session)
        expected = {doc.key: doc.version for doc in all_documents(session)}
        drift = Drift(
            missing=expected.keys() - indexed.keys(),
            stale={
                key for key in expected.keys() & indexed.keys() if expected[key] != indexed[key]
            },
            extra=indexed.keys() - expected.keys(),
        )
        if repair and drift.total:
            with backend.writer(session) as writer:
                writer.delete(sorted(drift.extra))
                for docs in _documents_in_batches(session, drift.missing | drift.stale):
                    writer.upsert(docs)
            session.commit()
    return drift


def _documents_in_batches(
    session: Session, keys: set[str], size: int = 500
) -> Iterator[list[SearchDoc]]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), size):
        yield documents_for_keys(session, ordered[start : start + size])[0]
