"""Drugs and the medicine cabinet: private cabinets, drug reviews, safety notices."""

from __future__ import annotations

from typing import TypeGuard

from sqlalchemy import false, or_

from forum.models import CabinetProfile, DrugReview, User, Viewer
from forum.policies.accounts import S, has_health_consent, is_editor, is_member, is_site_moderator

__all__ = [
    "can_add_to_cabinet",
    "can_edit_review",
    "can_moderate_reviews",
    "can_publish_safety_notice",
    "can_report_review",
    "can_review_drug",
    "can_use_cabinet",
    "can_view_cabinet_profile",
    "can_view_review",
    "visible_reviews",
]


def can_use_cabinet(user: Viewer) -> TypeGuard[User]:
    """Any logged-in account keeps a private medicine cabinet (suspended members too)."""
    return isinstance(user, User) and user.is_authenticated and not user.is_deleted


def can_add_to_cabinet(user: Viewer) -> bool:
    """Saving medicines is processing health data: it needs the member's consent."""
    return can_use_cabinet(user) and has_health_consent(user)


def can_view_cabinet_profile(user: Viewer, profile: CabinetProfile) -> bool:
    """Only its owner: not moderators, not admins (the cabinet is never shown to others)."""
    return can_use_cabinet(user) and profile.owner_id == user.id


def can_review_drug(user: Viewer) -> bool:
    return is_member(user) and has_health_consent(user)


def _is_review_author(user: Viewer, review: DrugReview) -> bool:
    return isinstance(user, User) and review.author_id is not None and review.author_id == user.id


def can_moderate_reviews(user: Viewer) -> bool:
    """Drug reviews belong to no community: site moderators and admins handle them."""
    return is_member(user) and is_site_moderator(user)


def can_view_review(user: Viewer, review: DrugReview) -> bool:
    """Hidden reviews: their author (who sees why) and the moderators only."""
    if not review.is_hidden:
        return True
    return _is_review_author(user, review) or can_moderate_reviews(user)


def can_edit_review(user: Viewer, review: DrugReview) -> bool:
    return is_member(user) and _is_review_author(user, review)


def can_report_review(user: Viewer, review: DrugReview) -> bool:
    return is_member(user) and not _is_review_author(user, review) and not review.is_hidden


def visible_reviews(user: Viewer, query: S) -> S:
    """Reviews the user may read: not hidden, or their own; moderators see every one."""
    if can_moderate_reviews(user):
        return query
    if isinstance(user, User) and user.is_authenticated:
        return query.where(or_(DrugReview.is_hidden == false(), DrugReview.author_id == user.id))
    return query.where(DrugReview.is_hidden == false())


def can_publish_safety_notice(user: Viewer) -> bool:
    return is_member(user) and is_editor(user)
