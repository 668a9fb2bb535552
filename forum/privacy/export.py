"""Everything the forum holds about one member, as a JSON-ready dictionary."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import ScalarResult, select

from forum import policies
from forum.cabinet.services import export_cabinet
from forum.extensions import db
from forum.models import (
    ApiToken,
    Article,
    Community,
    DrugReviewReport,
    Endorsement,
    ExpertProfile,
    Membership,
    ModerationAction,
    Post,
    PostRevision,
    Report,
    Subscription,
    Thread,
    User,
    Vote,
    utcnow,
)
from forum.reviews.services import export_reviews

log = logging.getLogger(__name__)

FORMAT = "health-forum-export/1"
REPORT_FIELDS = ("reason", "note", "status", "created_at")
TOKEN_FIELDS = ("name", "prefix", "scope", "created_at", "last_used_at", "revoked_at")
ENDORSEMENT_FIELDS = ("post_id", "note", "evidence_level", "created_at", "confirmed_at")


def _time(value: datetime | None) -> str | None:
    """ISO 8601 in UTC (the database keeps naive UTC times)."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def _plain(value: Any) -> Any:
    """A JSON-ready value: an enum by its value, a time in ISO 8601."""
    if isinstance(value, Enum):
        return value.value
    return _time(value) if isinstance(value, datetime) else value


def _fields(row: Any, *names: str) -> dict[str, Any]:
    """The named attributes of a row, JSON-ready."""
    return {name: _plain(getattr(row, name)) for name in names}


def _owned(model: type[Any], owner: Any, user: User) -> ScalarResult[Any]:
    """The member's rows of a model (owner: the column naming them), oldest first."""
    return db.session.scalars(select(model).where(owner == user.id).order_by(model.id))


def _owned_fields(model: type[Any], owner: Any, user: User, *names: str) -> list[dict[str, Any]]:
    """The named fields of the member's rows of a model, oldest first."""
    return [_fields(row, *names) for row in _owned(model, owner, user)]


def export_account(user: User) -> dict[str, Any]:
    """The member's own data: account, profile, consent, content and activity."""
    policies.require(policies.can_edit_account(user, user))
    data = {
        "format": FORMAT,
        "exported_at": _time(utcnow()),
        "account": _account(user),
        "profile": _profile(user),
        "health_consent": _consent(user),
        "threads": _threads(user),
        "posts": _posts(user),
        "votes": _owned_fields(Vote, Vote.user_id, user, "post_id", "created_at"),
        "memberships": _memberships(user),
        "subscriptions": _owned_fields(
            Subscription, Subscription.user_id, user, "thread_id", "created_at", "last_seen_at"
        ),
        "reports": _owned_fields(Report, Report.reporter_id, user, "post_id", *REPORT_FIELDS),
        "drug_review_reports": _owned_fields(
            DrugReviewReport, DrugReviewReport.reporter_id, user, "review_id", *REPORT_FIELDS
        ),
        "notices_from_moderators": _notices(user),
        # Never the token (only its hash is stored): its name and first characters.
        "api_tokens": _owned_fields(ApiToken, ApiToken.user_id, user, *TOKEN_FIELDS),
        "expert_application": _expert_application(user),
        "endorsements": _owned_fields(
            Endorsement, Endorsement.expert_id, user, *ENDORSEMENT_FIELDS
        ),
        "articles": _articles(user),
        "medicine_cabinet": export_cabinet(user),
        "drug_reviews": export_reviews(user),
    }
    log.info("user %s exported their data", user.id)
    return data


def _account(user: User) -> dict[str, Any]:
    return _fields(user, "id", "name", "email", "role", "created_at", "last_seen_at", "post_count")


def _profile(user: User) -> dict[str, Any]:
    return {
        field: {"text": getattr(user, field), "visibility": getattr(user, f"{field}_visibility")}
        for field in ("about", "conditions", "location")
    }


def _consent(user: User) -> dict[str, Any] | None:
    if user.health_consent_at is None:
        return None
    return {
        "given_at": _time(user.health_consent_at),
        "policy_version": user.health_consent_version,
    }


def _threads(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": thread.id,
            "community": thread.community.slug,
            **_fields(thread, "title", "kind", "status", "is_anonymous", "is_deleted"),
            "tags": [tag.name for tag in thread.tags],
            **_fields(thread, "opening_post_id", "created_at"),
        }
        for thread in _owned(Thread, Thread.author_id, user)
    ]


def _posts(user: User) -> list[dict[str, Any]]:
    rows = list(_owned(Post, Post.author_id, user))
    revisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if rows:
        for revision in db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id.in_([post.id for post in rows]))
            .order_by(PostRevision.id)
        ):
            revisions[revision.post_id].append(
                {
                    "title": revision.title,
                    "body": revision.body_source,
                    "saved_at": _time(revision.created_at),
                }
            )
    return [
        {
            **_fields(
                post, "id", "thread_id", "is_opening", "is_anonymous", "is_deleted", "is_hidden"
            ),
            "body": post.body_source,
            **_fields(post, "helpful_count", "created_at", "edited_at"),
            "earlier_versions": revisions.get(post.id, []),
        }
        for post in rows
    ]


def _memberships(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Membership, Community.slug)
        .join(Community, Community.id == Membership.community_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )
    return [
        {
            "community": slug,
            **_fields(
                membership, "role", "status", "request_message", "decision_message", "created_at"
            ),
        }
        for membership, slug in rows
    ]


def _notices(user: User) -> list[dict[str, Any]]:
    """Audit entries about the account (warnings, sanctions, role and expert decisions),
    without the name of the moderator who acted."""
    entries = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.target_type == "user", ModerationAction.target_id == user.id)
        .order_by(ModerationAction.id)
    )
    return [_fields(entry, "action", "reason", "details", "created_at") for entry in entries]


def _expert_application(user: User) -> dict[str, Any] | None:
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    if profile is None:
        return None
    return {
        **_fields(
            profile,
            "kind",
            "credentials",
            "profession",
            "specialty",
            "organization_name",
            "website",
            "licence_number",
            "licence_issuer",
        ),
        "topics": [topic.slug for topic in profile.topics],
        **_fields(
            profile,
            "all_topics",
            "status",
            "decision_reason",
            "decided_at",
            "verified_at",
            "expires_at",
        ),
        "applied_at": _time(profile.created_at),
    }


def _articles(user: User) -> list[dict[str, Any]]:
    return [
        {
            **_fields(article, "id", "title", "summary"),
            "body": article.body_source,
            **_fields(article, "status", "created_at", "updated_at"),
        }
        for article in _owned(Article, Article.author_id, user)
    ]
