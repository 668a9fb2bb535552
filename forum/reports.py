"""What members give when they report something to the moderators (posts and drug reviews),
and the reason a moderator gives for acting on it.

Kept apart from forum.moderation, which imports the thread services: the drug reviews that
the thread services link to use it too.
"""

from __future__ import annotations

from forum.errors import InvalidAction
from forum.models import ReportReason

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


def moderator_reason(reason: str, required: bool = True) -> str:
    """A moderator's reason, kept in the audit log (and told to the author where it applies)."""
    reason = " ".join(reason.split())
    if required and not reason:
        raise InvalidAction("Give a short reason: it is kept in the audit log.", field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidAction(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    return reason
