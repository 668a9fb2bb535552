"""Searching as a viewer: the engine filters by the communities they may see (and public
documents: articles), then every hit is reloaded through policies.visible_threads or
policies.visible_articles, in ranked order, as a second guard."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from forum import cache, policies
from forum.extensions import db
from forum.models import Article, ArticleStatus, Community, HealthTopic, Thread, Viewer
from forum.search import collapse, engine, outbox, understanding
from forum.search.backend import HitPage, SearchQuery, SubjectMatch, Unit, plain_words, plan
from forum.search.documents import THREAD_TYPES, parse_key, thread_key
from forum.search.forms import SearchParams
from forum.search.query import ParsedQuery, parse
from forum.search.synonyms import SynonymTable

log = logging.getLogger(__name__)

SIMILAR_LIMIT = 5
_NO_SYNONYMS = SynonymTable()


@dataclass(frozen=True)
class ResultItem:
    """One hit: a thread, or a published article (then `thread` is None)."""

    thread: Thread | None
    snippet: Markup
    article: Article | None = None
    # Near-identical results folded into this one (the same answer under other ids).
    similar: int = 0


@dataclass
class SearchResults:
    params: SearchParams
    query_text: str = ""
    items: list[ResultItem] = field(default_factory=list)
    total: int = 0
    per_page: int = 10
    corrected: str | None = None
    # True when the results include threads that have only some of the words.
    fallback: bool = False
    all_words_total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def allowed_community_ids(viewer: Viewer) -> frozenset[int]:
    """The communities whose content the viewer may see (kept per visibility, see cache)."""
    return cache.cached(
        ("allowed-communities", cache.visibility_key(viewer)),
        lambda: frozenset(db.session.scalars(policies.visible_community_ids(viewer))),
    )


def filter_choices(viewer: Viewer) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(slug, name) of the communities the viewer sees and of every topic, by name."""

    def choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        allowed = allowed_community_ids(viewer)
        communities = select(Community.slug, Community.name).where(Community.id.in_(allowed))
        topics = select(HealthTopic.slug, HealthTopic.name)
        return (
            [
                (slug, name)
                for slug, name in db.session.execute(communities.order_by(Community.name))
            ],
            [(slug, name) for slug, name in db.session.execute(topics.order_by(HealthTopic.name))],
        )

    return cache.cached(("search-filters", cache.visibility_key(viewer)), choices)


def search_threads(viewer: Viewer, params: SearchParams, per_page: int = 10) -> SearchResults:
    """The search page: all the words first, then any of them, with "did you mean".

    Threads and published articles are ranked together (articles as expert-endorsed).
    Keywords ("knee stairs") find the threads with all of them, and any of them only when
    none has all. A question typed as a sentence rarely has all its words in the answer it
    looks for ("how do you check for lupus"): when the threads with all the words do not
    fill the first page, every thread with any of them is ranked instead (those with all
    the words usually stay on top).

    A long message (a worried person's whole story) is read first (see understanding): its
    focus and question type weigh most, its story little, and any of its words may match.
    """
    results = SearchResults(params, per_page=per_page, notes=list(params.notes))
    parsed = parse(params.q)
    results.query_text = parsed.text
    if parsed.is_empty:
        return results
    created_from, created_before = _date_range(params)
    community_id, topic_id = _places(params, results.notes)
    units, understood = _plan(params.q, parsed)
    if understood is not None and understood.focus:
        results.notes.append(
            "Searching for what your question is about: "
            + ", ".join(" ".join(focus) for focus in understood.focus)
            + (f" ({', '.join(understood.qtypes)})." if understood.qtypes else ".")
        )
    query = SearchQuery(
        units=units,
        match_all=understood is None,
        allowed_community_ids=allowed_community_ids(viewer),
        sort=params.sort,
        offset=(params.page - 1) * per_page,
        # A first page asks for a few more, to fill the places of folded copies.
        limit=per_page + (collapse.SLACK if params.page == 1 else 0),
        community_id=community_id,
        topic_id=topic_id,
        doc_types=_doc_types(params.doc_type),
        answered_only=params.answered,
        endorsed_only=params.endorsed,
        created_from=created_from,
        created_before=created_before,
        subject=understood.subject if understood is not None else SubjectMatch(),
    )
    outbox.drain_before_search()
    backend = engine.backend()
    page = backend.search(query)
    results.all_words_total = page.total
    if page.total == 0 and understood is None:
        results.corrected = _did_you_mean(parsed, query)
    widen = page.total == 0 or (page.total < per_page and parsed.reads_as_sentence)
    if widen and query.match_all and len(query.positive) > 1:
        wider = backend.search(replace(query, match_all=False))
        if wider.total > page.total:
            page, results.fallback = wider, True
    results.total = page.total
    results.items = _visible_items(viewer, _collapsed(page, per_page))
    log.info("search: %d terms, %d hits", len(query.units), page.total)
    return results


def _plan(
    raw: str, parsed: ParsedQuery
) -> tuple[tuple[Unit, ...], understanding.Understood | None]:
    """The engine's units: a long message's understood query, or the words as typed."""
    synonyms = engine.synonyms()
    if understanding.is_long(raw):
        understood = understanding.understand(raw)
        units = understood.units(synonyms)
        if units:
            return units, understood
    return plan(parsed, synonyms), None


def _collapsed(page: HitPage, per_page: int) -> HitPage:
    """The page with near-identical hits folded into the first of them (see collapse)."""
    folded = collapse.collapse(page.hits, per_page)
    similar = {item.hit.key: item.similar for item in folded}
    return HitPage(tuple(item.hit for item in folded), page.total, similar)


def _doc_types(doc_type: str) -> frozenset[str]:
    """The document types of a content-type filter ("thread" is every kind of thread)."""
    if doc_type == "thread":
        return THREAD_TYPES
    return frozenset({doc_type} if doc_type else ())


def _date_range(params: SearchParams) -> tuple[datetime | None, datetime | None]:
    """The dates as a half-open range: from the start of one day to the end of the other."""
    start = datetime.combine(params.date_from, time()) if params.date_from else None
    end = datetime.combine(params.date_to, time()) + timedelta(days=1) if params.date_to else None
    return start, end


def _places(params: SearchParams, notes: list[str]) -> tuple[int | None, int | None]:
    """The community and topic filters, by slug; an unknown one is ignored with a note."""
    community_id = topic_id = None
    if params.community:
        community_id = db.session.scalar(
            select(Community.id).where(Community.slug == params.community)
        )
        if community_id is None:
            notes.append("That community does not exist; searching all communities.")
    if params.topic:
        topic_id = db.session.scalar(select(HealthTopic.id).where(HealthTopic.slug == params.topic))
        if topic_id is None:
            notes.append("That health topic does not exist; searching all topics.")
    return community_id, topic_id


def _did_you_mean(parsed: ParsedQuery, query: SearchQuery, attempts: int = 3) -> str | None:
    """A corrected query, offered only if it finds something this viewer may see.

    Candidates come from documents the viewer may see (see spelling), and the check runs
    without synonyms, so a suggested word is itself in visible content: a word that exists
    only in a private group is never suggested to outsiders, nor changes their suggestions.
    """
    backend = engine.backend()
    allowed = query.allowed_community_ids
    candidates = {word: backend.corrections(word, allowed) for word in plain_words(query.units)}
    candidates = {word: found for word, found in candidates.items() if found}
    for attempt in range(attempts):
        if not any(len(found) > attempt for found in candidates.values()):
            return None
        corrected = parsed.replace_words(
            {word: found[min(attempt, len(found) - 1)] for word, found in candidates.items()}
        )
        check = replace(query, units=plan(corrected, _NO_SYNONYMS), offset=0, limit=1)
        if backend.search(replace(check, highlight=False)).total:
            return corrected.text
    return None


def _visible_items(viewer: Viewer, page: HitPage, with_tags: bool = True) -> list[ResultItem]:
    """Reload the hits' threads and articles through the visibility filters, keeping the
    ranking."""
    keys = [parsed for hit in page.hits if (parsed := parse_key(hit.key))]
    threads = _visible_threads(viewer, [i for kind, i in keys if kind == "thread"], with_tags)
    articles = _published_articles(viewer, [i for kind, i in keys if kind == "article"])
    items = []
    for hit in page.hits:
        parsed = parse_key(hit.key)
        kind, object_id = parsed if parsed else ("", 0)
        similar = page.similar.get(hit.key, 0)
        if kind == "thread" and (thread := threads.get(object_id)) is not None:
            items.append(ResultItem(thread, hit.snippet, similar=similar))
        elif kind == "article" and (article := articles.get(object_id)) is not None:
            items.append(ResultItem(None, hit.snippet, article=article))
    return items


def _visible_threads(viewer: Viewer, ids: list[int], with_tags: bool) -> dict[int, Thread]:
    if not ids:
        return {}
    query = policies.visible_threads(viewer, select(Thread).where(Thread.id.in_(ids)))
    query = query.options(selectinload(Thread.tags) if with_tags else lazyload(Thread.tags))
    return {thread.id: thread for thread in db.session.scalars(query)}


def _published_articles(viewer: Viewer, ids: list[int]) -> dict[int, Article]:
    """Only published articles are found, even by their authors and editors."""
    if not ids:
        return {}
    query = select(Article).where(Article.id.in_(ids), Article.status == ArticleStatus.PUBLISHED)
    query = policies.visible_articles(viewer, query).options(lazyload(Article.citations))
    return {article.id: article for article in db.session.scalars(query)}


def similar_threads(
    viewer: Viewer, text: str, exclude: Thread | None = None, limit: int = SIMILAR_LIMIT
) -> list[Thread]:
    """Visible threads that look like a title (any of its words, best matches first)."""
    exclude_id = exclude.id if exclude is not None else None
    # Every view of a thread asks this; the key carries what the viewer may see.
    key = ("similar", text, exclude_id, limit, cache.visibility_key(viewer))
    hits = cache.cached(key, lambda: _similar_hits(viewer, text, exclude_id, limit))
    items = _visible_items(viewer, hits, with_tags=False)
    return [item.thread for item in items if item.thread is not None]


def similar_questions(viewer: Viewer, subject: Thread | str | None, limit: int = 5) -> list[Thread]:
    """Visible threads like a thread (or a title being written), for the pages that list them.

    A search failure must not break the page, so it is logged and the list is empty.
    """
    if isinstance(subject, Thread):
        text, exclude = subject.title, subject
    else:
        text, exclude = (subject or "").strip(), None
    if not text:
        return []
    try:
        return similar_threads(viewer, text, exclude=exclude, limit=limit)
    except Exception:
        log.exception("similar questions failed")
        return []


def _similar_hits(viewer: Viewer, text: str, exclude_id: int | None, limit: int) -> HitPage:
    parsed = parse(text)
    if parsed.is_empty:
        return HitPage((), 0)
    query = SearchQuery(
        units=plan(parsed, engine.synonyms()),
        allowed_community_ids=allowed_community_ids(viewer),
        match_all=False,
        doc_types=THREAD_TYPES,
        exclude_keys=frozenset({thread_key(exclude_id)} if exclude_id is not None else ()),
        limit=limit,
        highlight=False,
    )
    outbox.drain_before_search()
    return engine.backend().search(query)
