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


def _digest_counts(user_ids: list[int], channel: str) -> dict[int, list[tuple[str, int]]]:
    """Unread notifications per member and kind on this channel, for a batch at once."""
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, func.count(Notification.id))
        .where(
            Notification.user_id.in_(user_ids),
            Notification.channel == channel,
            Notification.is_read.is_(False),
        )
        .group_by(Notification.user_id, Notification.kind)
    )
    counts: dict[int, list[tuple[str, int]]] = {}
    for user_id, kind, count in rows:
        counts.setdefault(user_id, []).append((kind, int(count)))
    return counts


def _digest_text(counts: list[tuple[str, int]], channel: str) -> str:
    lines = [f"- {PRIVATE_SUBJECTS.get(kind, kind)}: {count}" for kind, count in counts]
    return (
        f"Your {channel} summary from the forum:\n\n"
        + "\n".join(lines)
        + f"\n\nSee them all: {mail.base_url()}/notifications\n"
    )


def _stamp(user_ids: list[int], channel: str) -> None:
    """Record the digest as sent for a batch: one read, then new rows and updates."""
    now = utcnow()
    found = {
        p.user_id: p
        for p in db.session.scalars(
            select(MailPreference).where(MailPreference.user_id.in_(user_ids))
        )
    }
    for user_id in user_ids:
        preference = found.get(user_id)
        if preference is None:
            preference = MailPreference(user_id=user_id)
            db.session.add(preference)
        if channel == Channel.DAILY.value:
            preference.daily_sent_at = now
        else:
            preference.weekly_sent_at = now


def build_due_digests() -> tuple[int, int]:
    """Queue every due digest (commits once per batch of members); (daily, weekly) counts."""
    made = {Channel.DAILY.value: 0, Channel.WEEKLY.value: 0}
    for channel in made:
        due = _due_members(channel)
        for start in range(0, len(due), BATCH):
            batch = due[start : start + BATCH]
            counts = _digest_counts([user_id for user_id, _email in batch], channel)
            for user_id, email in batch:
                mail.queue_mail(
                    email,
                    f"Your {channel} summary from the forum",
                    _digest_text(counts.get(user_id, []), channel),
                    kind=f"digest_{channel}",
                    user_id=user_id,
                )
            _stamp([user_id for user_id, _email in batch], channel)
            db.session.commit()
        made[channel] = len(due)
    return made[Channel.DAILY.value], made[Channel.WEEKLY.value]
