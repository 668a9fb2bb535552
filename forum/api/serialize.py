"""Models as API JSON: only what the pages show the same viewer (see schemas.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination

from forum import policies
from forum.experts.services import is_stale
from forum.models import (
    Article,
    Community,
    Endorsement,
    ExpertProfile,
    HealthTopic,
    Membership,
    Post,
    Thread,
    User,
    Viewer,
    Visibility,
)
from forum.users.display import ANONYMOUS, FORMER, author_label
from forum.users.queries import shown_post_count


def iso(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC (the database keeps naive UTC times)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _url(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def page_envelope(pagination: Pagination, items: list[Any], **extra: Any) -> dict[str, Any]:
    """{items, page, per_page, total, next} (next keeps the other query arguments)."""
    return {"items": items, **page_info(pagination), **extra}


def page_info(pagination: Pagination) -> dict[str, Any]:
    args = {**request.args.to_dict(), **(request.view_args or {})}
    return paging(pagination.page, pagination.per_page, pagination.total or 0, args)


def paging(
    page: int, per_page: int, total: int, args: dict[str, Any], last_page: int | None = None
) -> dict[str, Any]:
    """{page, per_page, total, next}: next is this endpoint with `args` and the next page."""
    next_url = None
    if page * per_page < total and (last_page is None or page < last_page):
        next_url = _url(str(request.endpoint), **{**args, "page": page + 1})
    return {"page": page, "per_page": per_page, "total": total, "next": next_url}


def topic_ref(topic: HealthTopic) -> dict[str, Any]:
    return {"slug": topic.slug, "name": topic.name, "url": _url("topics.show", slug=topic.slug)}


def topic(topic: HealthTopic) -> dict[str, Any]:
    return {**topic_ref(topic), "summary": topic.summary}


def community_ref(community: Community) -> dict[str, Any]:
    return {
        "slug": community.slug,
        "name": community.name,
        "url": _url("communities.show", slug=community.slug),
        "is_private": community.is_private,
    }


def membership(item: Membership) -> dict[str, Any]:
    return {"community": item.community.slug, "status": item.status.value, "role": item.role.value}


def community(viewer: Viewer, community: Community) -> dict[str, Any]:
    """Counts only for those who may see the group's content, as on its page."""
    shows_content = policies.can_view_community_content(viewer, community)
    mine = policies.membership_in(viewer, community)
    return {
        **community_ref(community),
        "topic": topic_ref(community.topic),
        "description": community.description,
        "rules": community.rules,
        "allow_anonymous": community.allow_anonymous,
        "member_count": community.member_count if shows_content else None,
        "thread_count": community.thread_count if shows_content else None,
        "membership": membership(mine) if mine is not None else None,
    }


def user_ref(user: User) -> dict[str, Any]:
    return {"name": user.name, "url": _url("users.show", name=user.name)}


def member(item: Membership) -> dict[str, Any]:
    return {
        **user_ref(item.user),
        "role": item.role.value,
        "since": iso(item.decided_at or item.created_at),
    }


def join_request(item: Membership) -> dict[str, Any]:
    return {
        **user_ref(item.user),
        "message": item.request_message,
        "requested_at": iso(item.created_at),
    }


def author(viewer: Viewer, item: Post | Thread) -> dict[str, Any]:
    """The public name, never an anonymous poster's identity (not even to moderators)."""
    label = author_label(item)
    if label is None or item.author is None:
        name = ANONYMOUS if item.is_anonymous else FORMER
        return {"id": None, "name": name, "url": None, "is_anonymous": item.is_anonymous}
    return {
        "id": item.author.id,
        "name": label,
        "url": _url("users.show", name=label),
        "is_anonymous": False,
    }


def thread_summary(viewer: Viewer, thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.id,
        "title": thread.title,
        "url": _url("threads.show", thread_id=thread.id),
        "community": community_ref(thread.community),
        "author": author(viewer, thread),
        "kind": thread.kind.value,
        "status": thread.status.value,
        "tags": [tag.name for tag in thread.tags],
        "created_at": iso(thread.created_at),
        "last_activity_at": iso(thread.last_activity_at),
        "reply_count": thread.reply_count,
        "accepted_post_id": thread.accepted_post_id,
        "answered": thread.is_answered,
        "expert_endorsed": thread.has_expert_answer,
    }


def thread(
    viewer: Viewer,
    thread: Thread,
    replies: Pagination,
    endorsements: dict[int, list[Endorsement]],
) -> dict[str, Any]:
    opening = thread.opening_post
    visible = [p for p in replies.items if policies.can_view_post(viewer, p)]
    return {
        **thread_summary(viewer, thread),
        "body_html": opening.body_html if opening is not None else "",
        "opening_post_id": thread.opening_post_id,
        "merged_into_id": thread.merged_into_id,
        "source": (
            {"id": thread.source_id, "url": thread.source_url} if thread.source_id else None
        ),
        "posts": [post(viewer, p, thread, endorsements.get(p.id, [])) for p in visible],
        "posts_page": page_info(replies),
    }


def endorsement(item: Endorsement, post: Post) -> dict[str, Any]:
    """A former expert's endorsement stays, without naming them (as on the page)."""
    profile = policies.expert_profile_of(item.expert)
    active = policies.is_active_expert_profile(profile)
    expert = None
    if active and profile is not None:
        expert = {
            "name": item.expert.name,
            "display_name": profile.display_name,
            "url": _url("experts.show", name=item.expert.name),
        }
    return {
        "expert": expert,
        "credentials": profile.credentials if active and profile is not None else None,
        "specialty": (profile.specialty or None) if active and profile is not None else None,
        "evidence_level": item.evidence_level.value,
        "note": item.note,
        "created_at": iso(item.created_at),
        "edited_after": is_stale(item, post),
    }


def post(
    viewer: Viewer, post: Post, thread: Thread, endorsements: Sequence[Endorsement]
) -> dict[str, Any]:
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "author": author(viewer, post),
        "body_html": "" if post.is_deleted else post.body_html,
        "created_at": iso(post.created_at),
        "edited_at": None if post.is_deleted else iso(post.edited_at),
        "helpful_count": post.helpful_count,
        "is_expert_answer": policies.is_expert_answer(post),
        "is_accepted": post.id == thread.accepted_post_id,
        "is_deleted": post.is_deleted,
        "is_hidden": post.is_hidden,
        "is_pending": post.is_pending,
        "endorsements": [] if post.is_deleted else [endorsement(e, post) for e in endorsements],
    }


def expert(profile: ExpertProfile) -> dict[str, Any]:
    """Public standing only: never the licence or the reviewers' notes."""
    return {
        "name": profile.user.name,
        "display_name": profile.display_name,
        "url": _url("experts.show", name=profile.user.name),
        "kind": profile.kind.value,
        "credentials": profile.credentials,
        "profession": profile.profession,
        "specialty": profile.specialty,
        "website": profile.website or None,
        "all_topics": profile.all_topics,
        "topics": [topic_ref(t) for t in profile.topics],
        "verified_at": iso(profile.verified_at),
    }


def profile_field(viewer: Viewer, user: User, name: str) -> str | None:
    value: str = getattr(user, name)
    visibility: Visibility = getattr(user, f"{name}_visibility")
    return value if value and policies.can_see_profile_field(viewer, user, visibility) else None


def user_profile(viewer: Viewer, user: User, threads: list[Thread]) -> dict[str, Any]:
    profile = policies.expert_profile_of(user)
    return {
        **user_ref(user),
        "member_since": iso(user.created_at),
        # What this viewer may read under the name, not the counter (private groups and
        # anonymous posts would show in it).
        "post_count": shown_post_count(viewer, user),
        "badges": policies.role_badges(user),
        "about": profile_field(viewer, user, "about"),
        "conditions": profile_field(viewer, user, "conditions"),
        "location": profile_field(viewer, user, "location"),
        "expert": expert(profile)
        if profile is not None and policies.is_active_expert_profile(profile)
        else None,
        "threads": [thread_summary(viewer, t) for t in threads],
    }


def article_summary(article: Article) -> dict[str, Any]:
    writer = None
    if article.author is not None:
        profile = policies.expert_profile_of(article.author)
        writer = {
            **user_ref(article.author),
            "credentials": profile.credentials if profile is not None else None,
        }
    source = None
    if article.source_name:
        source = {
            "name": article.source_name,
            "url": article.source_url or None,
            "retrieved_at": iso(article.source_retrieved_at),
        }
    reviewed = article.reviewer is not None and article.reviewed_at is not None
    return {
        "slug": article.slug,
        "title": article.title,
        "url": _url("articles.show", slug=article.slug),
        "summary": article.summary,
        "topic": topic_ref(article.topic),
        "author": writer,
        "reviewer": article.reviewer.name if reviewed and article.reviewer else None,
        "reviewed_at": iso(article.reviewed_at),
        "next_review_due": iso(article.next_review_due),
        "published_at": iso(article.published_at),
        "updated_at": iso(article.updated_at),
        "source": source,
    }


def article_summaries(items: Sequence[Article]) -> list[dict[str, Any]]:
    """Summaries of a page of articles, their authors' expert standing in one query."""
    policies.expert_profiles({a.author_id for a in items if a.author_id is not None})
    return [article_summary(a) for a in items]


def article(item: Article) -> dict[str, Any]:
    return {
        **article_summary(item),
        "body_html": item.body_html,
        "review_overdue": policies.is_review_overdue(item),
        "citations": [
            {
                "position": c.position,
                "text": c.text,
                "url": c.url or None,
                "evidence_level": c.evidence_level.value,
            }
            for c in item.citations
        ],
    }
