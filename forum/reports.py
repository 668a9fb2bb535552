"""Reports of posts and of drug reviews alike: what a member gives when filing one (one open
report per member and thing), a moderator's reason for acting, and closing the open ones.

Kept apart from forum.moderation, which imports the thread services: the drug reviews that
the thread services link to use it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, update

from forum.errors import InvalidAction
from forum.extensions import db
from forum.models import DrugReviewReport, Report, ReportReason, ReportStatus, User, utcnow

NOTE_MAX = 1000
REASON_MAX = 300


def check_report(reason: str, note: str) -> tuple[ReportReason, str]:
    """A report's reason and note as a member gave them, or a clear error."""
    try:
        kind = ReportReason(reason)
    except ValueError as error:
        raise InvalidAction("Choose why you are reporting it.", field="reason") from error
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise InvalidAction(f"Keep the note under {NOTE_MAX} characters.", field="note")
    return kind, note


@dataclass(frozen=True)
class ReportsOf:
    """The reports of one thing (a post, a drug review): their model and which rows are its."""

    model: type[Report] | type[DrugReviewReport]
    rows: ColumnElement[bool]

    def check_new(self, user: User, reason: str, note: str, noun: str) -> tuple[ReportReason, str]:
        """As check_report, and refused while the member's earlier report of it is still open."""
        kind, note = check_report(reason, note)
        if db.session.scalar(
            select(self.model.id).where(
                self.rows,
                self.model.reporter_id == user.id,
                self.model.status == ReportStatus.OPEN,
            )
        ):
            raise InvalidAction(
                f"You already reported this {noun}; the moderators will look at it."
            )
        return kind, note

    def close(self, actor: User, status: ReportStatus, resolution: str) -> None:
        """A moderator closes the open ones (the caller commits)."""
        db.session.execute(
            update(self.model)
            .where(self.rows, self.model.status == ReportStatus.OPEN)
            .values(
                status=status, resolution=resolution, resolved_by_id=actor.id, resolved_at=utcnow()
            )
        )


def moderator_reason(reason: str, required: bool = True) -> str:
    """A moderator's reason, kept in the audit log (and told to the author where it applies)."""
    reason = " ".join(reason.split())
    if required and not reason:
        raise InvalidAction("Give a short reason: it is kept in the audit log.", field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidAction(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    return reason
