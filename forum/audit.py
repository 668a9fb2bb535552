"""Append entries to the one audit log (the caller's transaction commits them)."""

from __future__ import annotations

import logging
from typing import Any

from forum.extensions import db
from forum.models import ModerationAction, User

log = logging.getLogger(__name__)


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    reason: str = "",
    *,
    community_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> ModerationAction:
    """Add one audit entry; actor None is an operator on the command line."""
    entry = ModerationAction(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        community_id=community_id,
        reason=reason.strip(),
        details=details or {},
    )
    db.session.add(entry)
    # Ids only: reasons can hold health details, so they stay in the database.
    log.info("audit %s on %s %s by %s", action, target_type, target_id, entry.actor_id)
    return entry
