"""Account erasure, the parts outside the account's own rows: reports, tokens, the audit log.

Called by forum.privacy.services.delete_account before authorship is detached (it needs to
know which posts were the member's); the caller commits.
"""

from __future__ import annotations

from sqlalchemy import Update, delete, or_, select, update

from forum import audit
from forum.extensions import db
from forum.models import (
    ApiToken,
    DrugReview,
    DrugReviewReport,
    MailOutbox,
    Post,
    Report,
    Thread,
    User,
)


def erase_traces(user: User, *, delete_posts: bool) -> None:
    """Report notes, API tokens, e-mail kept in the outbox and the moderators' words about
    the member."""
    user_id = user.id
    post_ids = list(db.session.scalars(select(Post.id).where(Post.author_id == user_id)))
    thread_ids = list(db.session.scalars(select(Thread.id).where(Thread.author_id == user_id)))
    review_ids = list(
        db.session.scalars(select(DrugReview.id).where(DrugReview.author_id == user_id))
    )
    _erase_report_notes(user_id)
    if delete_posts:
        # The text is gone everywhere: also from other members' reports quoting it.
        _blank(update(Report).where(Report.post_id.in_(post_ids)))
        _blank(update(DrugReviewReport).where(DrugReviewReport.review_id.in_(review_ids)))
    # Tokens are credentials and their names the member's words: none survives the account.
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
    # Sent and waiting messages: the address, and texts such as a moderator's warning.
    db.session.execute(
        delete(MailOutbox).where(or_(MailOutbox.user_id == user_id, MailOutbox.to == user.email))
    )
    audit.erase_reasons("user", [user_id])
    audit.erase_reasons("post", post_ids)
    audit.erase_reasons("thread", thread_ids)
    audit.erase_reasons("drug_review", review_ids)


def _erase_report_notes(user_id: int) -> None:
    """The member's reports stay for the moderators' record, without their notes."""
    _blank(update(Report).where(Report.reporter_id == user_id))
    _blank(update(DrugReviewReport).where(DrugReviewReport.reporter_id == user_id))


def _blank(statement: Update) -> None:
    db.session.execute(statement.values(note="").execution_options(synchronize_session=False))
