"""Daily and weekly digests: one e-mail per member listing what their digest kinds collected."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from forum import mail
from forum.extensions import db
from forum.models import Channel, MailPreference, Notification, User, utcnow
from forum.notifications.delivery import PRIVATE_SUBJECTS

PERIODS = {Channel.DAILY.value: timedelta(days=1), Channel.WEEKLY.value: timedelta(days=7)}
BATCH = 500


def _due_members(channel: str) -> list[tuple[int, str]]:
    """Members with unread notifications on this digest channel since their last digest."""
    sent_at = (
        MailPreference.daily_sent_at
        if channel == Channel.DAILY.value
        else MailPreference.weekly_sent_at
    )
    since = func.coalesce(sent_at, User.created_at)
    rows = db.session.execute(
        select(User.id, User.email)
        .join(Notification, Notification.user_id == User.id)
        .outerjoin(MailPreference, MailPreference.user_id == User.id)
        .where(
            Notification.channel == channel,
            Notification.is_read.is_(False),
            Notification.created_at > since,
            User.is_banned.is_(False),
        )
        .group_by(User.id, User.email, sent_at)
        .having(func.coalesce(sent_at, User.created_at) <= utcnow() - PERIODS[channel])
    )
    return list(rows)


def _digest_text(user_id: int, channel: str) -> str:
    counts = db.session.execute(
        select(Notification.kind, func.count(Notification.id))
        .where(
            Notification.user_id == user_id,
            Notification.channel == channel,
            Notification.is_read.is_(False),
        )
        .group_by(Notification.kind)
    )
    lines = [f"- {PRIVATE_SUBJECTS.get(kind, kind)}: {count}" for kind, count in counts]
    return (
        f"Your {channel} summary from the forum:\n\n"
        + "\n".join(lines)
        + f"\n\nSee them all: {mail.base_url()}/notifications\n"
    )


def _stamp(user_id: int, channel: str) -> None:
    preference = db.session.get(MailPreference, user_id)
    if preference is None:
        preference = MailPreference(user_id=user_id)
        db.session.add(preference)
    if channel == Channel.DAILY.value:
        preference.daily_sent_at = utcnow()
    else:
        preference.weekly_sent_at = utcnow()


def build_due_digests() -> tuple[int, int]:
    """Queue every due digest (commits once per batch of members); (daily, weekly) counts."""
    made = {Channel.DAILY.value: 0, Channel.WEEKLY.value: 0}
    for channel in made:
        due = _due_members(channel)
        for start in range(0, len(due), BATCH):
            for user_id, email in due[start : start + BATCH]:
                mail.queue_mail(
                    email,
                    f"Your {channel} summary from the forum",
                    _digest_text(user_id, channel),
                    kind=f"digest_{channel}",
                    user_id=user_id,
                )
                _stamp(user_id, channel)
            db.session.commit()
        made[channel] = len(due)
    return made[Channel.DAILY.value], made[Channel.WEEKLY.value]
