"""Feed entries: each item as its title, link, dates, author and sanitized HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from markupsafe import Markup, escape

from forum import policies
from forum.models import Article, Endorsement, Post, Thread, utcnow
from forum.users.display import FORMER, author_name

# Characters XML 1.0 does not allow, even escaped: user text loses them in a feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    updated: datetime
    published: datetime
    author: str
    content_html: str
    summary: str = ""
    categories: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in ("title", "author", "content_html", "summary"):
            object.__setattr__(self, name, xml_text(str(getattr(self, name))))
        object.__setattr__(self, "categories", [xml_text(c) for c in self.categories])


def latest(items: list[Entry]) -> datetime:
    return max((item.updated for item in items), default=utcnow())


def thread_entry(thread: Thread) -> Entry:
    opening = thread.opening_post
    return Entry(
        title=thread.title,
        url=url_for("threads.show", thread_id=thread.id, _external=True),
        updated=thread.created_at,
        published=thread.created_at,
        author=author_name(thread),
        content_html=opening.body_html if opening is not None else "",
        categories=[tag.name for tag in thread.tags],
    )


def _endorsement_html(endorsement: Endorsement) -> Markup:
    profile = policies.expert_profile_of(endorsement.expert)
    if profile is not None and policies.is_active_expert_profile(profile):
        who = escape(profile.display_name)
        if not profile.is_organization:
            who += escape(f", {profile.credentials}")
    else:
        who = Markup("a former expert")
    note = Markup(": “{}”").format(endorsement.note) if endorsement.note else Markup("")
    return Markup("<p>Endorsed by {} (level of evidence: {}){}</p>").format(
        who, endorsement.evidence_level.label, note
    )


def answer_entry(post: Post, endorsed_at: datetime, endorsements: list[Endorsement]) -> Entry:
    thread = post.thread
    notes = Markup("").join(_endorsement_html(e) for e in endorsements)
    return Entry(
        title=f"Expert-endorsed answer: {thread.title}",
        url=url_for("threads.show", thread_id=thread.id, _external=True) + f"#post-{post.id}",
        updated=endorsed_at,
        published=post.created_at,
        author=author_name(post),
        # body_html is text.py output, sanitized when the post was saved.
        content_html=Markup(post.body_html) + notes,  # noqa: S704
        categories=[tag.name for tag in thread.tags],
    )


def article_entry(article: Article) -> Entry:
    return Entry(
        title=article.title,
        url=url_for("articles.show", slug=article.slug, _external=True),
        updated=article.updated_at,
        published=article.published_at or article.created_at,
        author=article.author.name if article.author is not None else FORMER,
        content_html=article.body_html,
        summary=article.summary,
        categories=[article.topic.name],
    )
