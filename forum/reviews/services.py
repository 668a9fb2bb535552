"""Member reviews of drugs: writing, editing, reporting and moderating them.

Reviews go through the same Markdown sanitizer as posts, crisis wording raises an urgent
report as in posts, and hiding or restoring one is recorded in the audit log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum import audit, policies
from forum.drug_names import normalize
from forum.drugs.linking import drug_term_finder
from forum.errors import InvalidAction
from forum.extensions import db
from forum.models import (
    REASON_PRIORITY,
    Drug,
    DrugReview,
    DrugReviewReport,
    ReportStatus,
    User,
    utcnow,
)
from forum.reports import ReportsOf, moderator_reason
from forum.safety import assess
from forum.text import render_markdown

log = logging.getLogger(__name__)

CONDITION_MIN, CONDITION_MAX = 2, 120
SIDE_EFFECTS_MAX = 500
COMMENT_MAX = 5000
RATINGS = ("effectiveness", "ease_of_use", "satisfaction")
RATING_LABELS = {
    "effectiveness": "Effectiveness",
    "ease_of_use": "Ease of use",
    "satisfaction": "Satisfaction",
}


@dataclass(frozen=True)
class ReviewFields:
    """What a member typed into the review form."""

    condition: str = ""
    effectiveness: int | None = None
    ease_of_use: int | None = None
    satisfaction: int | None = None
    side_effects: str = ""
    comment: str = ""


def render_comment(source: str) -> str:
    """Sanitized HTML for a review comment (drug names link, as in posts)."""
    return render_markdown(source, link_terms=drug_term_finder()) if source else ""


def _checked(fields: ReviewFields) -> ReviewFields:
    condition = " ".join(fields.condition.split())
    if not CONDITION_MIN <= len(condition) <= CONDITION_MAX:
        raise InvalidAction(
            f"Name the condition you took it for ({CONDITION_MIN}-{CONDITION_MAX} characters).",
            field="condition",
        )
    for name in RATINGS:
        value = getattr(fields, name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidAction(f"Rate {RATING_LABELS[name].lower()} from 1 to 5.", field=name)
    side_effects = " ".join(fields.side_effects.replace("\x00", "").split())
    if len(side_effects) > SIDE_EFFECTS_MAX:
        raise InvalidAction(
            f"Keep side effects under {SIDE_EFFECTS_MAX} characters.", field="side_effects"
        )
    comment = fields.comment.replace("\x00", "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidAction(
            f"Keep the comment under {COMMENT_MAX:,} characters (this is {len(comment):,}).",
            field="comment",
        )
    return ReviewFields(
        condition, fields.effectiveness, fields.ease_of_use, fields.satisfaction,
        side_effects, comment,
    )  # fmt: skip


def _duplicate(user: User, drug_id: int, condition_key: str, other_than: int | None) -> bool:
    query = select(DrugReview.id).where(
        DrugReview.author_id == user.id,
        DrugReview.drug_id == drug_id,
        DrugReview.condition_key == condition_key,
    )
    found = db.session.scalar(query)
    return found is not None and found != other_than


def _already_reviewed() -> InvalidAction:
    return InvalidAction(
        "You already reviewed this drug for that condition: edit that review instead.",
        field="condition",
    )


def _apply(review: DrugReview, data: ReviewFields) -> None:
    review.condition = data.condition
    review.condition_key = normalize(data.condition)
    review.effectiveness = data.effectiveness or 0
    review.ease_of_use = data.ease_of_use or 0
    review.satisfaction = data.satisfaction or 0
    review.side_effects = data.side_effects
    review.comment_source = data.comment
    review.comment_html = render_comment(data.comment)


def _flag_crisis(review: DrugReview) -> None:
    """Crisis wording puts the review at the top of the moderators' queue."""
    crisis = assess(f"{review.side_effects}\n{review.comment_source}").crisis_report
    if crisis is not None:
        db.session.add(
            DrugReviewReport(
                reporter_id=None,
                review=review,
                reason=crisis.reason,
                note=crisis.note,
                priority=crisis.priority,
            )
        )


def _commit_review() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:  # the same review saved twice at once
        db.session.rollback()
        raise _already_reviewed() from error


def write_review(user: User, drug: Drug, fields: ReviewFields) -> DrugReview:
    """Rate a drug for a condition: one review per member, drug and condition."""
    policies.require(
        policies.can_review_drug(user), message="Log in and agree to share health information."
    )
    data = _checked(fields)
    if _duplicate(user, drug.id, normalize(data.condition), None):
        raise _already_reviewed()
    now = utcnow()
    review = DrugReview(drug_id=drug.id, author_id=user.id, created_at=now, updated_at=now)
    _apply(review, data)
    db.session.add(review)
    _flag_crisis(review)
    _commit_review()
    log.info("review %s written", review.id)
    return review


def update_review(user: User, review: DrugReview, fields: ReviewFields) -> DrugReview:
    """The author changes their review (a hidden one stays hidden)."""
    policies.require(policies.can_edit_review(user, review))
    data = _checked(fields)
    if _duplicate(user, review.drug_id, normalize(data.condition), review.id):
        raise _already_reviewed()
    _apply(review, data)
    review.updated_at = utcnow()
    _flag_crisis(review)
    _commit_review()
    return review


def delete_review(user: User, review: DrugReview) -> None:
    policies.require(policies.can_edit_review(user, review))
    db.session.delete(review)
    db.session.commit()


def _reports_of(review: DrugReview) -> ReportsOf:
    return ReportsOf(DrugReviewReport, DrugReviewReport.review_id == review.id)


def report_review(user: User, review: DrugReview, reason: str, note: str = "") -> None:
    """A member flags a review for the moderators; one open report per member."""
    policies.require(policies.can_view_review(user, review), hide=True)
    policies.require(policies.can_report_review(user, review), message="You cannot report this.")
    kind, note = _reports_of(review).check_new(user, reason, note, "review")
    db.session.add(
        DrugReviewReport(
            reporter_id=user.id,
            review_id=review.id,
            reason=kind,
            note=note,
            priority=REASON_PRIORITY[kind],
        )
    )
    db.session.commit()
    log.info("review %s reported (%s)", review.id, kind.value)


def hide_review(actor: User, review: DrugReview, reason: str) -> None:
    """Hide a review from everyone but moderators and its author, who sees why."""
    policies.require(policies.can_moderate_reviews(actor))
    reason = moderator_reason(reason)
    review.is_hidden = True
    review.hidden_reason = reason
    _reports_of(review).close(actor, ReportStatus.RESOLVED, "hidden")
    audit.record(actor, "review.hide", "drug_review", review.id, reason)
    db.session.commit()


def unhide_review(actor: User, review: DrugReview, reason: str = "") -> None:
    policies.require(policies.can_moderate_reviews(actor))
    review.is_hidden = False
    review.hidden_reason = ""
    audit.record(actor, "review.unhide", "drug_review", review.id, moderator_reason(reason, False))
    db.session.commit()


def dismiss_review_reports(actor: User, review: DrugReview, reason: str = "") -> None:
    """Close a review's open reports without acting on it."""
    policies.require(policies.can_moderate_reviews(actor))
    reason = moderator_reason(reason, False)
    _reports_of(review).close(actor, ReportStatus.DISMISSED, reason or "no action needed")
    audit.record(actor, "review.dismiss_reports", "drug_review", review.id, reason)
    db.session.commit()


def export_reviews(user: User) -> list[dict[str, object]]:
    """The member's drug reviews, for their data export."""
    reviews = db.session.scalars(
        select(DrugReview).where(DrugReview.author_id == user.id).order_by(DrugReview.id)
    )
    return [
        {
            "drug": review.drug.name,
            "condition": review.condition,
            "effectiveness": review.effectiveness,
            "ease_of_use": review.ease_of_use,
            "satisfaction": review.satisfaction,
            "side_effects": review.side_effects,
            "comment": review.comment_source,
            "is_hidden": review.is_hidden,
            "created_at": review.created_at.isoformat(timespec="seconds") + "Z",
            "updated_at": review.updated_at.isoformat(timespec="seconds") + "Z",
        }
        for review in reviews
    ]


def detach_reviews(user: User, *, delete: bool = False) -> None:
    """On account deletion: reviews stay as a former member's, or go with `delete` (the
    caller commits)."""
    for review in db.session.scalars(select(DrugReview).where(DrugReview.author_id == user.id)):
        if delete:
            db.session.delete(review)
        else:
            review.author_id = None
