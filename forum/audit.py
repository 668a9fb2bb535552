"""Append entries to the one audit log (the caller's transaction commits them)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import update

from forum.extensions import db
from forum.models import ModerationAction, User
from forum.models.expert import ERASURE_OPTION

log = logging.getLogger(__name__)
# What an erased reason reads; the entry itself stays.
ERASED_REASON = "[removed: the account was deleted]"
BATCH = 500


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


def erase_reasons(target_type: str, target_ids: Iterable[int]) -> None:
    """Account erasure only: blank the free text of the entries about the erased person's
    account or content (the caller commits).

    The single, explicit exception to the append-only rule (see ERASURE_OPTION in
    forum/models/expert.py): the entry stays, with who did what to which id and when; only
    the moderators' words about the person go, replaced by ERASED_REASON.
    """
    ids = sorted(set(target_ids))
    for start in range(0, len(ids), BATCH):
        db.session.execute(
            update(ModerationAction)
            .where(
                ModerationAction.target_type == target_type,
                ModerationAction.target_id.in_(ids[start : start + BATCH]),
                ModerationAction.reason != "",
            )
            .values(reason=ERASED_REASON)
            .execution_options(synchronize_session=False, **{ERASURE_OPTION: True})
        )
