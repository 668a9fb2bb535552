"""Reports, the moderation queue's actions and member sanctions; every action is audited."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from forum import audit, policies
from forum.errors import InvalidAction
from forum.extensions import db
from forum.mail import send_mail
from forum.models import (
    REASON_PRIORITY,
    Community,
    Post,
    Report,
    ReportReason,
    ReportStatus,
    Thread,
    ThreadStatus,
    User,
    utcnow,
)
from forum.moderation.links import without_links
from forum.notifications import events
from forum.notifications import services as notifications
from forum.reports import ReportsOf, moderator_reason
from forum.search import outbox
from forum.threads.screening import apply_edit

log = logging.getLogger(__name__)
# Raised by the forum itself, ahead of everything else in the queue.
URGENT_PRIORITY = -1


def _require_moderator(actor: User, community: Community) -> None:
    policies.require(policies.can_view_community_content(actor, community), hide=True)
    policies.require(policies.can_moderate_community(actor, community))


def _close_reports(actor: User, post_ids: list[int], resolution: str) -> None:
    ReportsOf(Report, Report.post_id.in_(post_ids)).close(actor, ReportStatus.RESOLVED, resolution)


def report_post(user: User, post: Post, reason: str, note: str = "") -> Report:
    """A member flags a post for the moderators; one open report per member per post."""
    policies.require(policies.can_view_thread(user, post.thread), hide=True)
    policies.require(policies.can_report(user, post), message="You cannot report this post.")
    kind, note = ReportsOf(Report, Report.post_id == post.id).check_new(user, reason, note, "post")
    report = Report(
        reporter_id=user.id,
        post_id=post.id,
        community_id=post.thread.community_id,
        reason=kind,
        note=note,
        priority=REASON_PRIORITY[kind],
    )
    db.session.add(report)
    events.report_filed(report)
    db.session.commit()
    log.info("post %s reported (%s)", post.id, kind.value)
    return report


def flag_urgent(post: Post) -> None:
    """A post with crisis wording goes to the top of the queue (no commit: the caller's)."""
    db.session.add(
        Report(
            reporter_id=None,
            post_id=post.id,
            community_id=post.thread.community_id,
            reason=ReportReason.SELF_HARM,
            note="Crisis wording detected automatically.",
            priority=URGENT_PRIORITY,
        )
    )


def _count_reply(post: Post, change: int) -> None:
    if not post.is_opening:
        db.session.execute(
            update(Thread)
            .where(Thread.id == post.thread_id)
            .values(reply_count=Thread.reply_count + change)
        )


def hide_post(actor: User, post: Post, reason: str) -> None:
    """Hide a post from everyone but moderators and its author, who sees why."""
    _require_moderator(actor, post.thread.community)
    if post.is_opening:
        return hide_thread(actor, post.thread, reason)
    reason = moderator_reason(reason)
    if not post.is_hidden:
        _count_reply(post, -1)
    post.is_hidden = True
    post.hidden_reason = reason
    _close_reports(actor, [post.id], "hidden")
    audit.record(actor, "post.hide", "post", post.id, reason, community_id=post.thread.community_id)
    notifications.post_moderated(post, "hidden", reason)
    db.session.commit()


def unhide_post(actor: User, post: Post, reason: str = "") -> None:
    _require_moderator(actor, post.thread.community)
    if post.is_opening:
        return unhide_thread(actor, post.thread, reason)
    if post.is_hidden:
        _count_reply(post, 1)
    post.is_hidden = False
    post.hidden_reason = ""
    audit.record(
        actor, "post.unhide", "post", post.id, moderator_reason(reason, False),
        community_id=post.thread.community_id,
    )  # fmt: skip
    db.session.commit()


def hide_thread(actor: User, thread: Thread, reason: str) -> None:
    _require_moderator(actor, thread.community)
    reason = moderator_reason(reason)
    thread.status = ThreadStatus.HIDDEN
    thread.hidden_reason = reason
    post_ids = list(db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)))
    _close_reports(actor, post_ids, "thread hidden")
    audit.record(
        actor, "thread.hide", "thread", thread.id, reason, community_id=thread.community_id
    )
    if thread.opening_post is not None:
        notifications.post_moderated(thread.opening_post, "hidden", reason)
    db.session.commit()


def unhide_thread(actor: User, thread: Thread, reason: str = "") -> None:
    _require_moderator(actor, thread.community)
    thread.status = ThreadStatus.OPEN
    thread.hidden_reason = ""
    audit.record(
        actor, "thread.unhide", "thread", thread.id, moderator_reason(reason, False),
        community_id=thread.community_id,
    )  # fmt: skip
    db.session.commit()


def set_locked(actor: User, thread: Thread, locked: bool, reason: str = "") -> None:
    _require_moderator(actor, thread.community)
    if thread.status not in (ThreadStatus.OPEN, ThreadStatus.LOCKED):
        raise InvalidAction("Unhide or approve the thread first.")
    thread.status = ThreadStatus.LOCKED if locked else ThreadStatus.OPEN
    action = "thread.lock" if locked else "thread.unlock"
    audit.record(
        actor,
        action,
        "thread",
        thread.id,
        moderator_reason(reason, False),
        community_id=thread.community_id,
    )
    db.session.commit()


def set_pinned(actor: User, thread: Thread, pinned: bool) -> None:
    _require_moderator(actor, thread.community)
    thread.is_pinned = pinned
    action = "thread.pin" if pinned else "thread.unpin"
    audit.record(actor, action, "thread", thread.id, community_id=thread.community_id)
    db.session.commit()


def move_thread(actor: User, thread: Thread, target: Community, reason: str = "") -> None:
    """Move a thread to another community the moderator also moderates."""
    source = thread.community
    _require_moderator(actor, source)
    _require_moderator(actor, target)
    if target.id == source.id:
        raise InvalidAction("The thread is already there.", field="community")
    for community_id, change in ((source.id, -1), (target.id, 1)):
        db.session.execute(
            update(Community)
            .where(Community.id == community_id)
            .values(thread_count=Community.thread_count + change)
        )
    thread.community_id = target.id
    db.session.execute(
        update(Report).where(Report.community_id == source.id, Report.post_id.in_(
            select(Post.id).where(Post.thread_id == thread.id)
        )).values(community_id=target.id)
    )  # fmt: skip
    audit.record(
        actor, "thread.move", "thread", thread.id, moderator_reason(reason, False),
        community_id=source.id, details={"from": source.slug, "to": target.slug},
    )  # fmt: skip
    db.session.commit()


def merge_thread(actor: User, duplicate: Thread, target: Thread, reason: str = "") -> None:
    """Fold a duplicate question into another: its posts move, readers are sent on."""
    _require_moderator(actor, duplicate.community)
    _require_moderator(actor, target.community)
    if duplicate.id == target.id or target.merged_into_id:
        raise InvalidAction("Choose another, open question to merge into.", field="target")
    moved = db.session.execute(
        update(Post)
        .where(Post.thread_id == duplicate.id, Post.is_deleted.is_(False))
        .values(thread_id=target.id, is_opening=False)
    ).rowcount  # type: ignore[attr-defined]
    db.session.execute(
        update(Thread)
        .where(Thread.id == target.id)
        .values(reply_count=Thread.reply_count + moved, last_activity_at=utcnow())
    )
    db.session.execute(
        update(Community)
        .where(Community.id == duplicate.community_id)
        .values(thread_count=Community.thread_count - 1)
    )
    # The posts moved in SQL: both threads' search documents change.
    outbox.enqueue_threads([duplicate.id, target.id])
    duplicate.merged_into_id = target.id
    duplicate.is_deleted = True
    duplicate.reply_count = 0
    duplicate.accepted_post_id = None
    audit.record(
        actor, "thread.merge", "thread", duplicate.id, moderator_reason(reason, False),
        community_id=duplicate.community_id, details={"into": target.id},
    )  # fmt: skip
    db.session.commit()


def edit_as_moderator(
    actor: User, post: Post, body: str, reason: str, *, confirm_personal_info: bool = False
) -> None:
    """Edit someone's post; the reason is shown under the post and the old text kept.

    The new text passes the checks of a new post (forum.threads.screening).
    """
    _require_moderator(actor, post.thread.community)
    reason = moderator_reason(reason)
    if not apply_edit(actor, post, body, confirm_personal_info=confirm_personal_info):
        raise InvalidAction("The text is the same as before: change it first.", field="body")
    post.moderator_edit_reason = reason
    audit.record(actor, "post.edit", "post", post.id, reason, community_id=post.thread.community_id)
    notifications.post_moderated(post, "edited", reason)
    db.session.commit()


def approve_post(actor: User, post: Post) -> None:
    """Publish a post that waited for approval."""
    _require_moderator(actor, post.thread.community)
    if not post.is_pending:
        raise InvalidAction("That post is not waiting for approval.")
    post.is_pending = False
    thread = post.thread
    if post.is_opening:
        thread.status = ThreadStatus.OPEN
    else:
        _count_reply(post, 1)
    audit.record(actor, "post.approve", "post", post.id, community_id=thread.community_id)
    notifications.post_moderated(post, "approved")
    if post.is_opening:
        events.question_asked(thread)
    db.session.commit()


def reject_post(actor: User, post: Post, reason: str) -> None:
    """Refuse a waiting post: it stays hidden, and its author sees why."""
    _require_moderator(actor, post.thread.community)
    if not post.is_pending:
        raise InvalidAction("That post is not waiting for approval.")
    reason = moderator_reason(reason)
    post.is_pending = False
    post.is_hidden = True
    post.hidden_reason = reason
    if post.is_opening:
        post.thread.status = ThreadStatus.HIDDEN
        post.thread.hidden_reason = reason
    audit.record(
        actor, "post.reject", "post", post.id, reason, community_id=post.thread.community_id
    )
    notifications.post_moderated(post, "rejected", reason)
    db.session.commit()


def dismiss_reports(actor: User, post: Post, reason: str = "") -> None:
    """Close the open reports of a post without acting on it."""
    _require_moderator(actor, post.thread.community)
    reason = moderator_reason(reason, False)
    resolution = reason or "no action needed"
    ReportsOf(Report, Report.post_id == post.id).close(actor, ReportStatus.DISMISSED, resolution)
    audit.record(
        actor, "report.dismiss", "post", post.id, reason, community_id=post.thread.community_id
    )
    db.session.commit()


def warn_member(actor: User, member: User, reason: str, notices_url: str) -> None:
    """Warn a member: the text (links removed) is kept on their notices page and e-mailed
    with a link to that page."""
    policies.require(policies.can_warn_member(actor, member))
    text = without_links(moderator_reason(reason))
    audit.record(actor, "user.warn", "user", member.id, text)
    db.session.commit()
    send_mail(
        member.email,
        "A warning from the forum's moderators",
        f"Hello {member.name},\n\nA moderator sent you this warning (links are removed from "
        f"moderators' messages):\n\n{text}\n\nRead it with any earlier notices on the forum, "
        f"after logging in: {notices_url}\n\n"
        "Please read the community rules. Repeated problems can lead to a suspension. "
        "The moderators never ask for your password or for payment.\n",
    )


def suspend_member(actor: User, member: User, days: int, reason: str) -> None:
    """Suspend for a period: the member can read but not post, vote or report."""
    policies.require(policies.can_sanction_member(actor, member))
    if not 1 <= days <= 365:
        raise InvalidAction("Suspend for 1 to 365 days.", field="days")
    reason = moderator_reason(reason)
    member.suspended_until = utcnow() + timedelta(days=days)
    audit.record(actor, "user.suspend", "user", member.id, reason, details={"days": days})
    db.session.commit()


def ban_member(actor: User, member: User, reason: str) -> None:
    """Ban: every session of the member ends and they can no longer log in to take part."""
    policies.require(policies.can_sanction_member(actor, member))
    reason = moderator_reason(reason)
    member.is_banned = True
    member.session_version = User.session_version + 1
    audit.record(actor, "user.ban", "user", member.id, reason)
    db.session.commit()


def lift_sanctions(actor: User, member: User, reason: str = "") -> None:
    policies.require(policies.can_sanction_member(actor, member))
    member.is_banned = False
    member.suspended_until = None
    audit.record(actor, "user.reinstate", "user", member.id, moderator_reason(reason, False))
    db.session.commit()
