"""Verified experts, their scope, and published articles with citations and a revision."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from forum.articles.references import render_article_body
from forum.models import ArticleStatus, EvidenceLevel, ExpertKind, ExpertStatus

if TYPE_CHECKING:
    from bench.dataset import _Builder
    from bench.vocabulary import ArticleSource, TopicSpec

NOTES = (
    "Consistent with current clinical guidance.",
    "Accurate, and a good summary of what patients are usually told.",
    "Correct; check doses with your own pharmacist.",
    "This matches the published evidence.",
)
CREDENTIALS = (
    ("MD", "Physician"),
    ("RN", "Registered nurse"),
    ("PharmD", "Pharmacist"),
    ("RD", "Dietitian"),
    ("NP", "Nurse practitioner"),
)
EXPIRES = datetime(2035, 1, 1)
ARTICLE_CHARS = 12_000
CANCER_SHARE = 0.2


def build_experts(builder: _Builder) -> list[int]:
    """Verified expert profiles for a sample of members; returns their user ids."""
    rng, data = builder.rng, builder.data
    topics = builder.vocabulary.topics[: builder.size.topics]
    pool = range(8, len(builder.users) + 1)
    user_ids = sorted(rng.sample(pool, min(builder.size.experts, len(pool))))
    for profile_id, user_id in enumerate(user_ids, start=1):
        credentials, profession = rng.choice(CREDENTIALS)
        scope = rng.sample(range(1, len(topics) + 1), k=min(len(topics), rng.randint(1, 3)))
        data.add(
            "expert_profile",
            {"id": profile_id, "user_id": user_id, "kind": ExpertKind.PERSON,
             "credentials": credentials, "profession": profession,
             "specialty": topics[scope[0] - 1].name, "licence_number": f"LIC-{user_id:06d}",
             "licence_issuer": "State licensing board", "status": ExpertStatus.VERIFIED,
             "decided_at": builder.start, "verified_at": builder.start, "expires_at": EXPIRES,
             "created_at": builder.start},
        )  # fmt: skip
        for topic_id in scope:
            data.add("expert_scope", {"profile_id": profile_id, "topic_id": topic_id})
    return user_ids


def _topic_for(source: ArticleSource, topics: list[TopicSpec], index: int) -> int:
    """The health center an article belongs to: cancer, a keyword match, or in turn."""
    if source.cancer:
        return next((i for i, t in enumerate(topics, 1) if t.slug == "cancer"), 1)
    title = source.title.lower()
    for topic_id, topic in enumerate(topics, start=1):
        if any(keyword in title for keyword in topic.keywords[:30]):
            return topic_id
    return index % len(topics) + 1


def _slug(title: str, taken: set[str]) -> str:
    base = "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:80].strip("-") or "article"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def article_body(markdown: str) -> str:
    """The article text the data set keeps: cut at a paragraph before ARTICLE_CHARS."""
    if len(markdown) <= ARTICLE_CHARS:
        return markdown.strip()
    cut = markdown.rfind("\n\n", 0, ARTICLE_CHARS)
    return markdown[: cut if cut > 0 else ARTICLE_CHARS].strip()


def _sources(builder: _Builder) -> list[ArticleSource]:
    articles, count = builder.vocabulary.articles, builder.size.articles
    cancer = [a for a in articles if a.cancer][: round(count * CANCER_SHARE)]
    others = [a for a in articles if not a.cancer][: count - len(cancer)]
    chosen = cancer + others
    while len(chosen) < count:  # a small vocabulary: repeat, with distinct slugs
        chosen.append(articles[len(chosen) % len(articles)])
    return chosen


def build_articles(builder: _Builder, expert_ids: list[int]) -> str:
    """Published articles by experts, reviewed by the editor; returns a slug in topic 1."""
    rng, data = builder.rng, builder.data
    topics = builder.vocabulary.topics[: builder.size.topics]
    taken: set[str] = set()
    first_slug = ""
    authors = expert_ids or [2]
    for article_id, source in enumerate(_sources(builder), start=1):
        title = source.title if len(source.title) >= 10 else f"About {source.title}"
        title, body = title[:150], article_body(source.markdown)
        citations = [
            {"text": f"{source.source}: {title}", "url": source.url,
             "evidence_level": EvidenceLevel.GUIDELINE.value},
        ]  # fmt: skip
        published = builder.when(builder.start, builder.end - timedelta(days=30))
        topic_id = _topic_for(source, topics, article_id)
        summary = " ".join(body.replace("#", " ").split())[:300] or title
        author_id = rng.choice(authors)
        row = {
            "id": article_id, "author_id": author_id, "topic_id": topic_id,
            "slug": _slug(title, taken), "title": title, "summary": summary,
            "body_source": body, "body_html": render_article_body(body, len(citations)),
            "status": ArticleStatus.PUBLISHED, "reviewer_id": 2, "reviewed_at": published,
            "next_review_due": published + timedelta(days=365), "published_at": published,
            "published_revision": 1, "revision_count": 1, "created_at": published,
            "updated_at": published,
        }  # fmt: skip
        data.add("article", row)
        if topic_id == 1 and not first_slug:
            first_slug = str(row["slug"])
        for position, citation in enumerate(citations, start=1):
            data.add(
                "article_citation",
                {"id": len(data.tables.get("article_citation", [])) + 1,
                 "article_id": article_id, "position": position, "text": citation["text"],
                 "url": citation["url"], "evidence_level": EvidenceLevel.GUIDELINE},
            )  # fmt: skip
        data.add(
            "article_revision",
            {"id": article_id, "article_id": article_id, "number": 1, "editor_id": author_id,
             "title": title, "summary": summary, "body_source": body, "citations": citations,
             "created_at": published},
        )  # fmt: skip
    return first_slug or data.tables["article"][0]["slug"]
