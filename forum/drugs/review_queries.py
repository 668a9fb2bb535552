"""Read helpers for drug reviews: averages per condition, review pages, the report queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import false, func, select

from forum import policies
from forum.extensions import db
from forum.models import DrugReview, DrugReviewReport, ReportStatus


@dataclass(frozen=True)
class ConditionStats:
    condition: str
    condition_key: str
    count: int
    effectiveness: float
    ease_of_use: float
    satisfaction: float


def review_stats(drug_id: int) -> list[ConditionStats]:
    """Averages and counts of the visible reviews of a drug, per condition, most reviewed
    first (one query)."""
    rows = db.session.execute(
        select(
            func.min(DrugReview.condition),
            DrugReview.condition_key,
            func.count(DrugReview.id),
            func.avg(DrugReview.effectiveness),
            func.avg(DrugReview.ease_of_use),
            func.avg(DrugReview.satisfaction),
        )
        .where(DrugReview.drug_id == drug_id, DrugReview.is_hidden == false())
        .group_by(DrugReview.condition_key)
        .order_by(func.count(DrugReview.id).desc(), DrugReview.condition_key)
    )
    return [
        ConditionStats(name, key, count, float(eff), float(ease), float(sat))
        for name, key, count, eff, ease, sat in rows
    ]


def reviews_page(
    viewer: Any, drug_id: int, condition_key: str, page: int, per_page: int
) -> Pagination:
    """The reviews a viewer may read, newest first, for one condition or all."""
    query = select(DrugReview).where(DrugReview.drug_id == drug_id)
    if condition_key:
        query = query.where(DrugReview.condition_key == condition_key)
    query = policies.visible_reviews(viewer, query).order_by(
        DrugReview.created_at.desc(), DrugReview.id.desc()
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def own_reviews(viewer: Any, drug_id: int) -> list[DrugReview]:
    if not policies.is_member(viewer):
        return []
    query = select(DrugReview).where(
        DrugReview.drug_id == drug_id, DrugReview.author_id == viewer.id
    )
    return list(db.session.scalars(query.order_by(DrugReview.condition)))


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
