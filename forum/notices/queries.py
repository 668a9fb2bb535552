"""Read helpers for safety notices: the newest ones, and one notice."""

from __future__ import annotations

from sqlalchemy import select

from forum.errors import NotFound
from forum.extensions import db
from forum.models import SafetyNotice


def notice_by_id(notice_id: int) -> SafetyNotice:
    notice = db.session.get(SafetyNotice, notice_id)
    if notice is None:
        raise NotFound()
    return notice


def recent_notices(limit: int = 50) -> list[SafetyNotice]:
    query = select(SafetyNotice).order_by(SafetyNotice.published_at.desc()).limit(limit)
    return list(db.session.scalars(query))
