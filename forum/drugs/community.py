"""Forum threads that mention a drug (any of its names), found with the forum's search."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from forum import policies
from forum.drugs.queries import search_terms
from forum.extensions import db
from forum.models import Drug, Thread, Viewer
from forum.search import engine, outbox
from forum.search.backend import Alternative, SearchQuery, Unit
from forum.search.documents import parse_key
from forum.search.query import words_of
from forum.search.services import allowed_community_ids

COMMUNITY_LIMIT = 6


def mention_query(viewer: Viewer, names: list[str], limit: int) -> SearchQuery:
    """A search for threads that mention any of the names, in what the viewer may see."""
    alternatives = []
    for name in names:
        words = tuple(words_of(name))
        if words:
            alternatives.append(Alternative(words, phrase=len(words) > 1))
    return SearchQuery(
        units=(Unit(tuple(alternatives)),) if alternatives else (),
        allowed_community_ids=allowed_community_ids(viewer),
        limit=limit,
        highlight=False,
    )


def reload_threads(viewer: Viewer, keys: list[str]) -> list[Thread]:
    """Hits reloaded through the visibility filter, in their order."""
    ids = [parsed[1] for key in keys if (parsed := parse_key(key)) and parsed[0] == "thread"]
    if not ids:
        return []
    query = policies.visible_threads(viewer, select(Thread).where(Thread.id.in_(ids)))
    threads = {thread.id: thread for thread in db.session.scalars(query)}
    return [threads[i] for i in ids if i in threads]


def community_threads(viewer: Viewer, drug: Drug, limit: int = COMMUNITY_LIMIT) -> list[Thread]:
    """Visible threads that mention the drug or one of its names, expert-endorsed first."""
    query = mention_query(viewer, search_terms(drug), limit)
    if not query.units:
        return []
    outbox.drain_before_search()
    backend = engine.backend()
    endorsed = backend.search(replace(query, endorsed_only=True))
    keys = [hit.key for hit in endorsed.hits]
    if len(keys) < limit:
        rest = backend.search(replace(query, exclude_keys=frozenset(keys), limit=limit - len(keys)))
        keys += [hit.key for hit in rest.hits]
    return reload_threads(viewer, keys)
