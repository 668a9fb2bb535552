"""Notifications in the forum and by e-mail: events, preferences, digests, the mail outbox."""

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def unread_counter() -> dict[str, object]:
    """`unread_notifications()` for the header: one COUNT, only where the page asks."""
    from forum.notifications.queries import unread_count

    return {"unread_notifications": lambda: unread_count(current_user)}


from forum.notifications import lists, views  # noqa: E402,F401

bp.add_app_template_global(lists.ago, "ago")
bp.add_app_template_global(lists.list_marks, "list_marks")
bp.add_app_template_global(lists.split_new, "split_new")
