"""Atom feeds: a public community's newest threads, expert-endorsed answers, articles."""

from __future__ import annotations

from flask import Response, render_template, request, url_for

from forum import policies
from forum.articles import queries as articles
from forum.communities.services import community_by_slug, topic_by_slug
from forum.experts.services import endorsements_for, is_stale
from forum.feeds import bp, entries, queries

ATOM = "application/atom+xml; charset=utf-8"


def _feed(title: str, page_url: str, items: list[entries.Entry]) -> Response:
    body = render_template(
        "feeds/atom.xml",
        title=title,
        self_url=request.url,
        page_url=page_url,
        entries=items,
        updated=entries.latest(items),
    )
    return Response(body, mimetype=ATOM)


@bp.get("/communities/<slug>.atom")
def community(slug: str) -> Response:
    """Private groups have no feed: their content never leaves the group."""
    found = community_by_slug(slug[:60])
    policies.require(policies.can_view_community_content(queries.VISITOR, found), hide=True)
    items = [entries.thread_entry(t) for t in queries.community_threads(found)]
    page = url_for("communities.show", slug=found.slug, _external=True)
    return _feed(f"{found.name}: newest questions", page, items)


def _endorsed_feed(title: str, topic_slug: str | None, page_url: str) -> Response:
    topic = topic_by_slug(topic_slug[:60]) if topic_slug is not None else None
    rows = queries.endorsed_answers(topic)
    found = endorsements_for([post.id for post, _ in rows])
    # Only the endorsements confirmed since the reply's last edit vouch for its text.
    current = {post.id: [e for e in found[post.id] if not is_stale(e, post)] for post, _ in rows}
    policies.expert_profiles({e.expert_id for listed in current.values() for e in listed})
    items = [entries.answer_entry(post, when, current[post.id]) for post, when in rows]
    return _feed(title if topic is None else f"{topic.name}: {title.lower()}", page_url, items)


@bp.get("/endorsed.atom")
def endorsed() -> Response:
    return _endorsed_feed("Expert-endorsed answers", None, url_for("topics.index", _external=True))


@bp.get("/topics/<slug>/endorsed.atom")
def topic_endorsed(slug: str) -> Response:
    page = url_for("topics.show", slug=slug[:60], _external=True)
    return _endorsed_feed("Expert-endorsed answers", slug, page)


@bp.get("/articles.atom")
def articles_feed() -> Response:
    slug = request.args.get("topic", "")[:60]
    topic = topic_by_slug(slug) if slug else None
    found = articles.published_page(topic, 1, queries.FEED_SIZE).items
    title = f"Articles about {topic.name}" if topic else "Second-opinion articles"
    page = url_for("articles.index", topic=topic.slug if topic else None, _external=True)
    return _feed(title, page, [entries.article_entry(a) for a in found])
