"""Read helpers for drug reviews: one review, and the moderators' report queue.

The reviews a drug page shows (averages per condition, one page of them) are read with the
rest of that page, in forum/drugs/queries.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from forum.errors import NotFound
from forum.extensions import db
from forum.models import DrugReview, DrugReviewReport, ReportStatus


def review_by_id(review_id: int) -> DrugReview:
    review = db.session.get(DrugReview, review_id)
    if review is None:
        raise NotFound()
    return review


@dataclass
class ReportedReview:
    review: DrugReview
    priority: int
    reports: list[DrugReviewReport] = field(default_factory=list)


def report_queue(limit: int = 50) -> list[ReportedReview]:
    """Reviews with open reports, crisis wording first, then the oldest (two queries).

    The caller checked can_moderate_reviews: site moderators see every review, hidden or
    not, and reviews belong to no community, so nothing else narrows the list. The page
    names no reviewer and no reporter.
    """
    per_review = (
        select(
            DrugReviewReport.review_id,
            func.min(DrugReviewReport.priority).label("priority"),
            func.min(DrugReviewReport.created_at).label("first"),
        )
        .where(DrugReviewReport.status == ReportStatus.OPEN)
        .group_by(DrugReviewReport.review_id)
        .subquery()
    )
    rows = db.session.execute(
        select(DrugReview, per_review.c.priority)
        .join(per_review, per_review.c.review_id == DrugReview.id)
        .order_by(per_review.c.priority, per_review.c.first, DrugReview.id)
        .limit(limit)
    ).all()
    items = {review.id: ReportedReview(review, priority) for review, priority in rows}
    if items:
        reports = db.session.scalars(
            select(DrugReviewReport)
            .where(
                DrugReviewReport.review_id.in_(list(items)),
                DrugReviewReport.status == ReportStatus.OPEN,
            )
            .order_by(DrugReviewReport.priority, DrugReviewReport.created_at)
        )
        for report in reports:
            items[report.review_id].reports.append(report)
    return list(items.values())
