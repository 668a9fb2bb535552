"""Everything the forum holds about one member, as a JSON-ready dictionary."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from forum import policies
from forum.cabinet.services import export_cabinet
from forum.drugs.services.reviews import export_reviews
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

log = logging.getLogger(__name__)

FORMAT = "health-forum-export/1"


def _time(value: datetime | None) -> str | None:
    """ISO 8601 in UTC (the database keeps naive UTC times)."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


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
        "votes": [
            {"post_id": vote.post_id, "created_at": _time(vote.created_at)}
            for vote in db.session.scalars(
                select(Vote).where(Vote.user_id == user.id).order_by(Vote.id)
            )
        ],
        "memberships": _memberships(user),
        "subscriptions": [
            {
                "thread_id": row.thread_id,
                "created_at": _time(row.created_at),
                "last_seen_at": _time(row.last_seen_at),
            }
            for row in db.session.scalars(
                select(Subscription)
                .where(Subscription.user_id == user.id)
                .order_by(Subscription.id)
            )
        ],
        "reports": _reports(user),
        "drug_review_reports": _review_reports(user),
        "notices_from_moderators": _notices(user),
        "api_tokens": _tokens(user),
        "expert_application": _expert_application(user),
        "endorsements": _endorsements(user),
        "articles": _articles(user),
        "medicine_cabinet": export_cabinet(user),
        "drug_reviews": export_reviews(user),
    }
    log.info("user %s exported their data", user.id)
    return data


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "created_at": _time(user.created_at),
        "last_seen_at": _time(user.last_seen_at),
        "post_count": user.post_count,
    }


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
    threads = db.session.scalars(
        select(Thread).where(Thread.author_id == user.id).order_by(Thread.id)
    )
    return [
        {
            "id": thread.id,
            "community": thread.community.slug,
            "title": thread.title,
            "kind": thread.kind.value,
            "status": thread.status.value,
            "is_anonymous": thread.is_anonymous,
            "is_deleted": thread.is_deleted,
            "tags": [tag.name for tag in thread.tags],
            "opening_post_id": thread.opening_post_id,
            "created_at": _time(thread.created_at),
        }
        for thread in threads
    ]


def _posts(user: User) -> list[dict[str, Any]]:
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id))
    rows = list(posts)
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
            "id": post.id,
            "thread_id": post.thread_id,
            "is_opening": post.is_opening,
            "is_anonymous": post.is_anonymous,
            "is_deleted": post.is_deleted,
            "is_hidden": post.is_hidden,
            "body": post.body_source,
            "helpful_count": post.helpful_count,
            "created_at": _time(post.created_at),
            "edited_at": _time(post.edited_at),
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
            "role": membership.role.value,
            "status": membership.status.value,
            "request_message": membership.request_message,
            "decision_message": membership.decision_message,
            "created_at": _time(membership.created_at),
        }
        for membership, slug in rows
    ]


def _reports(user: User) -> list[dict[str, Any]]:
    reports = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    )
    return [
        {
            "post_id": report.post_id,
            "reason": report.reason.value,
            "note": report.note,
            "status": report.status.value,
            "created_at": _time(report.created_at),
        }
        for report in reports
    ]


def _review_reports(user: User) -> list[dict[str, Any]]:
    reports = db.session.scalars(
        select(DrugReviewReport)
        .where(DrugReviewReport.reporter_id == user.id)
        .order_by(DrugReviewReport.id)
    )
    return [
        {
            "review_id": report.review_id,
            "reason": report.reason.value,
            "note": report.note,
            "status": report.status.value,
            "created_at": _time(report.created_at),
        }
        for report in reports
    ]


def _notices(user: User) -> list[dict[str, Any]]:
    """Audit entries about the account (warnings, sanctions, role and expert decisions),
    without the name of the moderator who acted."""
    entries = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.target_type == "user", ModerationAction.target_id == user.id)
        .order_by(ModerationAction.id)
    )
    return [
        {
            "action": entry.action,
            "reason": entry.reason,
            "details": entry.details,
            "created_at": _time(entry.created_at),
        }
        for entry in entries
    ]


def _tokens(user: User) -> list[dict[str, Any]]:
    """API tokens: never the token (only its hash is stored), its name and first characters."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    )
    return [
        {
            "name": token.name,
            "prefix": token.prefix,
            "scope": token.scope.value,
            "created_at": _time(token.created_at),
            "last_used_at": _time(token.last_used_at),
            "revoked_at": _time(token.revoked_at),
        }
        for token in tokens
    ]


def _expert_application(user: User) -> dict[str, Any] | None:
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    if profile is None:
        return None
    return {
        "kind": profile.kind.value,
        "credentials": profile.credentials,
        "profession": profile.profession,
        "specialty": profile.specialty,
        "organization_name": profile.organization_name,
        "website": profile.website,
        "licence_number": profile.licence_number,
        "licence_issuer": profile.licence_issuer,
        "topics": [topic.slug for topic in profile.topics],
        "all_topics": profile.all_topics,
        "status": profile.status.value,
        "decision_reason": profile.decision_reason,
        "decided_at": _time(profile.decided_at),
        "verified_at": _time(profile.verified_at),
        "expires_at": _time(profile.expires_at),
        "applied_at": _time(profile.created_at),
    }


def _endorsements(user: User) -> list[dict[str, Any]]:
    endorsements = db.session.scalars(
        select(Endorsement).where(Endorsement.expert_id == user.id).order_by(Endorsement.id)
    )
    return [
        {
            "post_id": endorsement.post_id,
            "note": endorsement.note,
            "evidence_level": endorsement.evidence_level.value,
            "created_at": _time(endorsement.created_at),
            "confirmed_at": _time(endorsement.confirmed_at),
        }
        for endorsement in endorsements
    ]


def _articles(user: User) -> list[dict[str, Any]]:
    articles = db.session.scalars(
        select(Article).where(Article.author_id == user.id).order_by(Article.id)
    )
    return [
        {
            "id": article.id,
            "title": article.title,
            "summary": article.summary,
            "body": article.body_source,
            "status": article.status.value,
            "created_at": _time(article.created_at),
            "updated_at": _time(article.updated_at),
        }
        for article in articles
    ]
