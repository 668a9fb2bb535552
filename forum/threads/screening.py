"""The checks every post text passes when it is saved, new or edited, by its author or a moderator.

One path for all of them: personal information to confirm, crisis wording (urgent flag and
report), the new-member link cap, pre-approval, and, for an edit, the revision kept and the
expert endorsements that no longer vouch for the new text. Nothing here commits.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from forum import policies
from forum.crisis_rules import CrisisKind
from forum.errors import InvalidAction, NeedsConfirmation
from forum.experts.services import refresh_endorsements
from forum.extensions import db
from forum.models import (
    Community,
    Post,
    PostRevision,
    Report,
    ReportStatus,
    Thread,
    ThreadStatus,
    User,
    utcnow,
)
from forum.safety import Assessment, assess
from forum.threads.content import check_body, check_title, render_body

LINK_PATTERN = re.compile(r"https?://|www\.", re.IGNORECASE)


def _refuse_duplicate(writer: User, body: str) -> None:
    """A double-sent form: a new post only (an edit changes a post that exists already)."""
    since = utcnow() - timedelta(minutes=int(current_app.config["DUPLICATE_POST_MINUTES"]))
    query = select(Post.id).where(
        Post.author_id == writer.id, Post.created_at >= since, Post.body_source == body
    )
    if db.session.scalar(query.limit(1)):
        raise InvalidAction("You posted exactly this a moment ago.", field="body")


def _is_trusted(user: User | None) -> bool:
    """Moderators and verified experts or organizations are trusted from the start."""
    return policies.is_site_moderator(user) or policies.is_verified_expert(user)


def screen(
    writer: User,
    community: Community,
    body: str,
    confirm_personal_info: bool,
    *,
    editing: Post | None = None,
) -> tuple[Assessment, bool]:
    """Safety checks before a text is saved; returns the assessment and whether it must wait.

    `writer` typed the text: a new post's author, or the author or a moderator editing
    `editing`. The words stay the post author's: a trusted author's clinical wording
    ("self-harm", "overdose") is information, not a crisis, whoever edits it. The link cap
    and pre-approval apply to whoever typed it, unless they moderate the community (whose
    queue the post would wait in).
    """
    if editing is None:
        _refuse_duplicate(writer, body)
    assessment = assess(body)
    if assessment.personal_information and not confirm_personal_info:
        raise NeedsConfirmation(assessment.personal_information)
    if _is_trusted(writer if editing is None else editing.author):
        assessment.is_crisis = False
    if _is_trusted(writer) or policies.can_moderate_community(writer, community):
        return assessment, False
    config = current_app.config
    is_new = writer.created_at > utcnow() - timedelta(hours=int(config["NEW_ACCOUNT_HOURS"]))
    early = writer.post_count < int(config["NEW_MEMBER_POSTS"])
    links = len(LINK_PATTERN.findall(body))
    if (is_new or early) and links > int(config["NEW_MEMBER_MAX_LINKS"]):
        raise InvalidAction(
            f"New members can include at most {config['NEW_MEMBER_MAX_LINKS']} links.",
            field="body",
        )
    return assessment, is_new or (early and links > 0)


def _has_open_crisis_report(post: Post, report: Report) -> bool:
    """An edit raises no second automatic report while the first one is still open."""
    found = db.session.scalar(
        select(Report.id)
        .where(
            Report.post_id == post.id,
            Report.reporter_id.is_(None),
            Report.reason == report.reason,
            Report.status == ReportStatus.OPEN,
        )
        .limit(1)
    )
    return found is not None


def flag(post: Post, community_id: int, assessment: Assessment) -> None:
    """Mark what the text asks of readers and moderators: crisis resources, a reminder."""
    post.mentions_medication = assessment.mentions_medication
    crisis = assessment.crisis_report
    if crisis is None:
        return
    report = Report(
        reporter_id=None,
        community_id=community_id,
        reason=crisis.reason,
        note=crisis.note,
        priority=crisis.priority,
    )
    # A self-harm flag is never downgraded by a later edit to a medical emergency.
    if not (post.is_urgent and post.crisis_kind in (None, CrisisKind.SELF_HARM.value)):
        post.crisis_kind = crisis.kind
    post.is_urgent = True
    if post.id is not None and _has_open_crisis_report(post, report):
        return
    report.post = post
    db.session.add(report)


def _return_to_queue(post: Post) -> None:
    """A published post whose new text needs approval waits again, off every list."""
    post.is_pending = True
    thread = post.thread
    if post.is_opening:
        if thread.status == ThreadStatus.OPEN:
            thread.status = ThreadStatus.PENDING
    else:
        # Approval counts the reply again (moderation's approve_post).
        thread.reply_count = Thread.reply_count - 1


def apply_edit(
    editor: User,
    post: Post,
    body: str,
    *,
    title: str | None = None,
    confirm_personal_info: bool = False,
) -> bool:
    """Screen and save a post's new text (and an opening post's title); False if unchanged.

    The old text is kept as a revision. The edit passes the checks of a new post; a text
    that now needs approval waits again; endorsements stop counting until re-confirmed.
    """
    body = check_body(body)
    thread = post.thread
    new_title = check_title(title) if title is not None and post.is_opening else None
    if body == post.body_source and (new_title is None or new_title == thread.title):
        return False
    assessment, must_wait = screen(
        editor, thread.community, body, confirm_personal_info, editing=post
    )
    db.session.add(
        PostRevision(
            post_id=post.id,
            editor_id=editor.id,
            title=thread.title if post.is_opening else None,
            body_source=post.body_source,
        )
    )
    post.body_source = body
    post.body_html = render_body(body)
    post.edited_at = utcnow()
    post.revision_count = Post.revision_count + 1
    if new_title is not None:
        thread.title = new_title
    flag(post, thread.community_id, assessment)
    if must_wait and not post.is_pending:
        _return_to_queue(post)
    # edited_at is now later than every confirmation: none of them counts until re-confirmed.
    refresh_endorsements(post)
    return True
